"""Table names from headings and captions (`### users`, `### Table: orders (renamed from purchases)`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from specc.parse.document import plain
from specc.parse.names import (
    HEADING_NOT_A_NAME,
    NameProblem,
    invisible_problem,
    is_name_token,
)

_GENERIC_HEADINGS = frozenset(
    [
        "columns",
        "column",
        "schema",
        "fields",
        "field",
        "structure",
        "definition",
        "table",
        "table definition",
        "details",
        "attributes",
        "колонки",
        "поля",
        "структура",
        "столбцы",
        "estructura",
        "campos",
        "columnas",
        "table structure",
        "table schema",
        "schema definition",
        "columns and types",
        "data dictionary",
        # captions that label the list of fields, not the table (`**Field list:**` under `### orders`)
        "field list",
        "fields list",
        "list of fields",
        "column list",
        "list of columns",
        "liste des champs",
        "champs",
        "colonnes",
        "liste des colonnes",
        "felder",
        "spalten",
        "feldliste",
        "lista de campos",
        "lista de columnas",
        "lista de colunas",
        "colunas",
        "список полей",
        "字段",
        "字段列表",
        "字段说明",
        "表结构",
        "カラム",
        "カラム一覧",
        "フィールド",
        "필드",
        "컬럼",
        "컬럼 목록",
        # generic sub-headings that describe the column list (`#### 컬럼 정의` under `### users`)
        "column definitions",
        "columns definition",
        "field definitions",
        "fields definition",
        "컬럼 정의",
        "테이블 구조",
        "테이블 정의",
        "структура таблицы",
        "описание полей",
        "字段定义",
        "カラム定義",
        "テーブル定義",
        "définition des colonnes",
        "structure de la table",
        "estructura de la tabla",
        "definición de columnas",
        "estrutura da tabela",
        "definição das colunas",
        "tabellenstruktur",
        "spaltendefinition",
        "spaltendefinitionen",
    ]
)
_NUMBERING = re.compile(r"^\s*((\d+[A-Za-z]?(\.\d+)*[.)]?)|([A-Za-z][.)])|([IVXLC]+[.)]))\s+")
_PREFIX = re.compile(
    r"^(table|tabla|tabela|таблица|collection|entity|model|модель|сущность)\s*[:\-–—]?\s+", re.I
)
_SUFFIX = re.compile(
    r"\s+(table|collection|entity|model|tabla|tabela|tabelle|таблица)$|\s*(テーブル|表|테이블|数据表|实体)$",
    re.I,
)
_RENAMED = re.compile(r"\(\s*renamed\s+from\s+`?([\w$.-]*[^\W\d_][\w$.-]*)`?\s*\)\s*$", re.I)
"""`(renamed from <old>)`: the old name as a table name is read (any script, `-`, `$`)."""
_PAREN_TAIL = re.compile(r"\s*[\(\[（【].*$")
_DASH_TAIL = re.compile(r"\s+[-–—:]\s+.*$")
_ENTITY_TABLE = re.compile(r"`([A-Za-z_]\w*)`\s+[-–—]\s+`([A-Za-z_]\w*)`")
"""`Usuario` — `usuarios`: entity name, then table name."""
_PAREN_IDENT = re.compile(r"\(\s*`?([A-Za-z_]\w*)`?\s*\)")
_IDENT = re.compile(r"^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$")
_LEAD_JUNK = re.compile(r"^[^\w`]+")
_SECTION_NUMBER = re.compile(r"[\d.()]+")
_AFTER_PREFIX_NUMBER = re.compile(r"^\s*\d+[A-Za-z]?(\.\d+)*\s*[.):\-–—]?\s+")
"""`Table 7 — shipments`, `Entity 3: Invoices`: the number a prefix word carries, with its separator."""
_BACKTICKED = re.compile(r"`([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*)`")


@dataclass(frozen=True)
class HeadingName:
    """What a heading or caption says about the table under it.

    `name` None: the heading names no table (generic, prose), and an enclosing heading may. `problem` set:
    the heading names the table but not in a way specc reads as written; with `name` None the table has no
    name (P032), otherwise `name` is the faithful reading and the problem is an error about it (P030)."""

    name: str | None
    renamed: str | None = None
    problem: NameProblem | None = None
    prose: bool = False
    """The heading is prose that names nothing (`## 0. Common columns`, `## 공통 컬럼 정의`), not a generic
    sub-heading: a table under it is not named by a heading further up (the document title)."""


def table_name_from_heading(text: str) -> HeadingName:
    """The table name a heading or caption text gives, read as written (lower-cased) or reported."""
    pair = _ENTITY_TABLE.search(text)
    if pair is not None:
        return HeadingName(pair.group(2).lower())
    cleaned = plain(text)
    renamed: str | None = None
    m = _RENAMED.search(cleaned)
    if m:
        renamed = m.group(1).lower()
        cleaned = cleaned[: m.start()].strip()
    backticked = _BACKTICKED.findall(text) if "`" in text else []
    if len(backticked) == 1:  # one identifier in backticks: the table name, whatever the words around it
        return HeadingName(backticked[0].rsplit(".", 1)[-1].lower(), renamed)
    cleaned = _LEAD_JUNK.sub("", cleaned)
    cleaned = _NUMBERING.sub("", cleaned)
    prefixed = _PREFIX.sub("", cleaned)
    if prefixed != cleaned:
        prefixed = _LEAD_JUNK.sub("", _AFTER_PREFIX_NUMBER.sub("", prefixed))
    cleaned = prefixed
    paren = _PAREN_IDENT.search(cleaned)
    head = _PAREN_TAIL.sub("", cleaned).strip()
    if paren is not None and head and not head.isascii():
        return HeadingName(paren.group(1).lower(), renamed)
    cleaned = head
    cleaned = _DASH_TAIL.sub("", cleaned)
    cleaned = cleaned.strip().rstrip(":：").strip()
    if cleaned.lower() in _GENERIC_HEADINGS:  # before `表`/`table` is taken off (`字段列表`, `Table`)
        return HeadingName(None, renamed)
    cleaned = _SUFFIX.sub("", cleaned).strip()
    if not cleaned:
        return HeadingName(None, renamed, _symbols_only(plain(text)))
    if cleaned.lower() in _GENERIC_HEADINGS:
        return HeadingName(None, renamed)
    invisible = invisible_problem(cleaned, "table name")
    if invisible is not None:
        return HeadingName(cleaned.lower(), renamed, invisible)
    if _IDENT.match(cleaned):
        return HeadingName(cleaned.rsplit(".", 1)[-1].lower(), renamed)
    words = cleaned.split()
    if len(words) == 1:
        if is_name_token(cleaned):
            return HeadingName(cleaned.lower(), renamed)
        if _SECTION_NUMBER.fullmatch(cleaned):
            return HeadingName(None, renamed)  # `### 2.1`: a section number, like a generic sub-heading
        return HeadingName(
            None,
            renamed,
            NameProblem(
                HEADING_NOT_A_NAME,
                f"heading {cleaned!r} names the table under it, but {_not_a_name(cleaned)}",
                cleaned,
                hint="write the table name with letters, digits and `_`; or put a generic sub-heading "
                "such as `### Columns` under the table's own heading",
            ),
        )
    if 1 < len(words) <= 3 and all(re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", w) for w in words):
        return HeadingName("_".join(w.lower() for w in words), renamed)
    return HeadingName(None, renamed, prose=True)


def _symbols_only(text: str) -> NameProblem | None:
    """P032 for a heading of symbols only (`### -`, `### 📋`): no name, and not a generic sub-heading either,
    so the table under it must not silently take an enclosing heading's name. A bare number (`### 2.1`)
    is a section number and stays generic."""
    if any(ch.isalpha() for ch in text) or _SECTION_NUMBER.fullmatch(re.sub(r"\s", "", text) or "0"):
        return None
    return NameProblem(
        HEADING_NOT_A_NAME,
        f"heading {text!r} names no table: it has no letters",
        text.strip()[:1] or text,
        hint="write the table name in the heading, or a generic sub-heading such as `### Columns` under "
        "the table's own heading",
    )


def _not_a_name(token: str) -> str:
    """What keeps `token` from being a name: the characters it cannot have (`'?', '/'`), or no letter."""
    seen = dict.fromkeys(ch for ch in token if not is_name_token("a" + ch))
    if seen:
        return ", ".join(repr(ch) for ch in seen) + " cannot be part of a table name"
    return "a table name needs a letter"
