"""A column table's rows (`| Column | Type | Constraints |`) → columns: names, types, keys, nullability,
defaults and references from the cells a header's roles point at (`specc.parse.headers`)."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from specc.ir.model import Column, ForeignKey, construct
from specc.ir.types import TypeProblem, TypeRead, read_type, sql_type
from specc.parse import codes
from specc.parse.constraints import Facts, normalise_default, read_expression, read_facts, sql_default
from specc.parse.document import Cell, Document, plain
from specc.parse.headers import Role
from specc.parse.names import (
    COLUMN_NAME_NOT_ONE_NAME,
    NameProblem,
    column_name_problem,
    invisible_problem,
)
from specc.parse.notes import enum_values, read_notes
from specc.parse.tables import RawColumn, type_problem_diagnostic
from specc.sql.expression import expression_problem, type_problem

_NAME_MARKS = re.compile(r"\s*(\((pk|fk|pk,\s*fk|fk,\s*pk)\)|🔑|🔗|\*)\s*", re.I)


def _joined(text: str) -> str:
    """`first name` → `first_name`: the words of a cell joined the way a name is written."""
    return "_".join(_WORD_SPLIT.split(text.strip(" ,;")))


_WORD_SPLIT = re.compile(r"[\s,;]+")
_TRAILING_NOTE = re.compile(r"\s*\([^()]*\)\s*$")
_CODE_SPAN = re.compile(r"`([^`]+)`")


_LISTED = re.compile(r"\s*(?:[,/;&]|\band\b)\s*")
_ONE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_$]*")


@dataclass(frozen=True)
class ListedName:
    name: str
    offset: int
    """Where the name starts in its cell's text."""


def listed_names(text: str) -> list[ListedName]:
    """The names a name cell lists (`created_at, updated_at`, `createdAt / updatedAt`, `` `a` `b` ``), each
    with its offset in the cell; [] unless it lists two or more, each one plain name. A row listing several
    columns describes each of them alike (same type and constraints)."""
    ticked = list(_CODE_SPAN.finditer(text))
    if len(ticked) >= 2 and not _LISTED.sub("", _CODE_SPAN.sub("", text)).strip():
        found = [(m.group(1).strip(), m.start(1)) for m in ticked]
    else:
        found = []
        position = 0
        for part in _LISTED.split(text):
            at = text.find(part, position)
            position = at + len(part)
            found.append((part.strip("` "), at + (len(part) - len(part.lstrip("` ")))))
    if len(found) < 2 or not all(
        _ONE_NAME.fullmatch(name) and name.isascii() and name.lower() not in _NOT_NAMES for name, _ in found
    ):
        return []  # `id / PK`, `email / 이메일`: a name and a note or a translation, not two columns
    return [ListedName(name, offset) for name, offset in found]


_NOT_NAMES = frozenset(
    {"pk", "fk", "uk", "uq", "unique", "null", "not", "nullable", "required", "optional", "index", "indexed"}
)


@dataclass(frozen=True)
class _NameCell:
    """A name cell read: the column's name, the key and reference marks written with it, a problem with it."""

    name: str
    facts: Facts
    problem: NameProblem | None


def _clean_name(text: str) -> _NameCell:
    """The column name a name cell holds, the facts its marks give (`(PK)`, 🔑), and a problem when the
    cell does not hold exactly one visible name (the name is then the cell's text, read as written)."""
    facts = Facts()
    codes_in_cell = _CODE_SPAN.findall(text)
    name = plain(text)
    for mark in _NAME_MARKS.finditer(name):
        inner = mark.group(0).lower()
        if "pk" in inner or "🔑" in inner:
            facts.primary_key = True
    name = _NAME_MARKS.sub(" ", name).strip()
    if len(codes_in_cell) == 1 and plain(codes_in_cell[0]) and " " not in plain(codes_in_cell[0]).strip():
        name = plain(codes_in_cell[0])  # one name in backticks wins over the prose around it
    else:
        name = _TRAILING_NOTE.sub("", name).strip() or name
    if not name:
        return _NameCell("", facts, None)
    problem = invisible_problem(name, "column name") or column_name_problem(name)
    if problem is None and len(name.split()) > 1:
        listed = "," in name or ";" in name or len(codes_in_cell) > 1
        problem = NameProblem(
            COLUMN_NAME_NOT_ONE_NAME,
            f"column name cell {name!r} holds "
            + (
                "several names; a row describes one column"
                if listed
                else "several words; a column has one name"
            ),
            name,
            hint="write each column on a row of its own"
            if listed
            else f"write the name with `_` between words (for example `{_joined(name)}`)",
        )
    return _NameCell(" ".join(name.split()), facts, problem)


_USER_ENUM = re.compile(r"([A-Za-z_][\w.]*)\s*(?:\(\s*enum\s*\)|enum)", re.I)
"""`user_role (enum)` / `JobStatus enum`: a user-defined enum type named elsewhere in the document."""
_TYPE_NAME = re.compile(r"[A-Za-z_][\w.]*(\s*\([^()]*\))?(\[\])*")
"""What an unknown type must look like to be kept as a user-defined type name (not prose)."""

_YES = frozenset(
    {
        "yes",
        "y",
        "true",
        "✅",
        "✓",
        "✔",
        "☑",
        "да",
        "sí",
        "si",
        "x",
        "required",
        "auto",
        "oui",
        "ja",
        "sim",
        "是",
        "√",
        "예",
        "네",
        "はい",
        "○",
        "◯",
        "●",
        "必須",
        "必填",
        "필수",
        "o",
        "obligatoire",
        "obligatorio",
        "obrigatório",
        "pflicht",
    }
)
_NO = frozenset(
    {
        "no",
        "n",
        "false",
        "❌",
        "✗",
        "✘",
        "нет",
        "-",
        "—",
        "–",
        "optional",
        "non",
        "nein",
        "não",
        "nao",
        "否",
        "아니오",
        "아니요",
        "いいえ",
        "×",
        "✕",
        "任意",
        "选填",
        "선택",
        "facultatif",
        "opcional",
    }
)


_O_MARKS = frozenset({"o", "○", "◯"})
_X_MARKS = frozenset({"x", "×", "✕"})


def ox_table(cells: list[str]) -> bool:
    """True when a yes/no column marks with O and X (Korean and Japanese documents): X is then no."""
    said = {plain(c).lower().strip() for c in cells}
    return bool(said & _O_MARKS) and bool(said & _X_MARKS)


def _yes_no(text: str, ox: bool = False) -> bool | None:
    key = plain(text).lower().split(" ")[0] if text.strip() else ""
    if ox and key in _X_MARKS:
        return False
    if key in _YES:
        return True
    if key in _NO:
        return False
    return None


def read_column_row(
    doc: Document, line0: int, cells: list[Cell], roles: dict[Role, int], ox: frozenset[Role] = frozenset()
) -> RawColumn | None:
    """One column row; `ox`: the yes/no columns of the table that mark with O and X (`ox_table`)."""

    def cell(role: Role) -> Cell | None:
        idx = roles.get(role)
        if idx is None or idx >= len(cells):
            return None
        return cells[idx]

    name_cell = cell(Role.NAME)
    name_read = _clean_name(name_cell.text) if name_cell else _NameCell("", Facts(), None)
    name, facts, name_problem = name_read.name, name_read.facts, name_read.problem
    if name_problem is not None and name_cell is not None:
        found = name_cell.text.find(name_problem.needle)
        doc.report(
            name_problem.code,
            name_problem.message,
            line0,
            name_cell.column + (found if found >= 0 else 0),
            hint=name_problem.hint,
        )
    if not name:
        doc.report(
            codes.MISSING_COLUMN_NAME, "column row has no name", line0, name_cell.column if name_cell else 1
        )
        return None
    type_cell = cell(Role.TYPE)
    type_text = " ".join(type_cell.text.replace("`", "").replace("**", "").split()) if type_cell else ""
    type_col = type_cell.column if type_cell else 1
    description_cell = cell(Role.DESCRIPTION)
    constraints_cell = cell(Role.CONSTRAINTS)
    union = _NULL_UNION.fullmatch(type_text)
    if union is not None:  # `integer | null`: the type, and a column marked nullable
        type_text = (union.group(1) or union.group(2)).strip()
        facts.not_null = False
    if _ENUM_MARK.fullmatch(type_text):  # `enum`, `varchar (enum)`: the values may be in another cell
        for where in (description_cell, constraints_cell):
            values = enum_values(where.text) if where is not None else ()
            if values:
                type_text = "ENUM(" + ",".join("'" + v.replace("'", "''") + "'" for v in values) + ")"
                break
    read = read_type(type_text) if type_text else None
    if read is None and type_text:
        read, type_text = _type_with_keys(type_text, facts)
    if read is not None and read.problem is not None:
        canonical = type_text
        _report_type_problem(doc, read.problem, name, line0, type_col)
    elif read is None:
        canonical = type_text or "TEXT"
        enum_name = _USER_ENUM.fullmatch(type_text) or _ENUM_MARK.fullmatch(type_text)
        if enum_name is not None:
            canonical = enum_name.group(1) or type_text
        if not type_text:
            pass
        elif enum_name is not None:
            doc.report(
                codes.ENUM_WITHOUT_VALUES,
                f"column {name!r} is an enum {canonical!r} without values; the migration cannot create it",
                line0,
                type_col,
                hint=f"write the values: ENUM('a','b') instead of {type_text!r}, or list them in the notes "
                "(`one of: a, b`)",
            )
        elif _TYPE_NAME.fullmatch(type_text) and type_problem(type_text) is None:
            doc.report(
                codes.UNKNOWN_TYPE,
                f"unknown type {canonical!r} for column {name!r}; kept verbatim",
                line0,
                type_col,
                hint="use a PostgreSQL type such as TEXT, BIGINT, TIMESTAMPTZ, JSONB",
            )
        else:
            doc.report(
                codes.NOT_A_TYPE,
                f"{type_text!r} (column {name!r}) is not a column type",
                line0,
                type_col,
                hint="write a PostgreSQL type such as TEXT or JSONB; put prose in a Description column",
            )
    else:
        sql = read.type
        length_cell = cell(Role.LENGTH)
        if length_cell and sql.base in ("VARCHAR", "CHAR") and sql.length is None:
            digits = plain(length_cell.text)
            sized = read_type(f"{sql.base}({digits})") if _DIGITS.fullmatch(digits) else None
            if sized is not None and sized.problem is not None:
                _report_type_problem(doc, sized.problem, name, line0, length_cell.column)
            elif sized is not None:
                sql = dataclasses.replace(sql, length=sized.type.length)
        canonical = sql.render()
        facts.autoincrement = facts.autoincrement or read.autoincrement
        if read.nullable_hint:
            facts.not_null = False
        if read.rest:
            read_facts(read.rest, facts)
            _report_unknown(
                doc, facts, line0, type_col + type_text.find(read.rest) if read.rest else type_col
            )
            facts.unknown.clear()
    if constraints_cell and constraints_cell.text:
        read_facts(constraints_cell.text, facts)
        _report_unknown(doc, facts, line0, constraints_cell.column)
        facts.unknown.clear()
    default_cell = cell(Role.DEFAULT)
    if default_cell and plain(default_cell.text) not in ("", "-", "—", "none", "None", "NULL", "null"):
        written = default_cell.text.replace("`", "")
        expr, end = read_expression(written, 0)
        facts.default = normalise_default(expr) if expr else None
        if written[end:].strip():
            doc.report(
                codes.UNKNOWN_CONSTRAINT,
                f"text after the default ignored: {written[end:].strip()!r}",
                line0,
                default_cell.column + end,
            )
    for role, invert in ((Role.NULLABLE, True), (Role.REQUIRED, False)):
        c = cell(role)
        if c is not None:
            said = " ".join(plain(c.text).lower().split())
            answer = {"null": True, "not null": False}.get(said) if role is Role.NULLABLE else None
            if answer is None:
                answer = _yes_no(c.text, role in ox)
            if answer is not None:
                facts.not_null = (not answer) if invert else answer
    key_cell = cell(Role.KEY)
    if key_cell is not None and key_cell.text.strip():
        said = plain(key_cell.text).strip().upper()
        read_facts(_MYSQL_KEYS.get(said, key_cell.text), facts)
        facts.unknown.clear()  # a key column also holds category words (`Audit`, `일반`): not constraints
    index_cell = cell(Role.INDEXED)
    if index_cell is not None:
        said = plain(index_cell.text).lower()
        if said in ("primary", "primary key", "pk"):
            facts.primary_key = True
        elif said in ("unique", "uq", "uk", "unique index") or said.startswith("unique"):
            facts.unique = True
        elif said in ("index", "idx", "btree", "gin", "gist", "hash", "indexed") or _yes_no(said):
            facts.indexed = True
    for role in (Role.PRIMARY, Role.UNIQUE):
        c = cell(role)
        if c is not None and _yes_no(c.text, role in ox):
            if role is Role.PRIMARY:
                facts.primary_key = True
            else:
                facts.unique = True
    description = plain(description_cell.text) if description_cell and description_cell.text else None
    fk_weak = facts.fk is not None and not facts.fk.clear
    if description_cell and description and constraints_cell is None:
        attempt = read_facts(description_cell.text)
        if not attempt.unknown and not attempt.bare_fk:
            read_facts(description_cell.text, facts)
    if description and constraints_cell is None:  # with a Constraints column, notes are prose
        _notes_facts(facts, description)
    if description_cell and description and facts.fk is None:
        notes = read_facts_from_notes(description_cell.text)
        arrow = _arrow_target(description) if notes is None else ""
        if arrow:  # `등록자 ID → manager.id`: an arrow with no FK word names a table only if it exists
            notes = read_facts_from_notes("FK " + arrow)
        if notes is not None and notes.fk is not None:
            said_fk = facts.bare_fk
            facts.fk = notes.fk
            facts.on_delete = facts.on_delete or notes.on_delete
            facts.bare_fk = False
            fk_weak = not notes.fk.clear or (bool(arrow) and not said_fk)
    foreign_cell = cell(Role.FOREIGN)
    if foreign_cell and foreign_cell.text and facts.fk is None:
        fk_facts = read_facts("FK " + foreign_cell.text)
        facts.fk = fk_facts.fk
    if facts.default is not None and expression_problem(facts.default, "default") is None:
        sql = sql_type(canonical)
        textual = not sql.known or (sql.base in ("VARCHAR", "CHAR", "TEXT", "ENUM") and not sql.array_dims)
        value, problem = sql_default(facts.default, textual)
        if problem is not None:
            where = default_cell or constraints_cell or type_cell
            doc.report(
                codes.BAD_DEFAULT,
                f"default {facts.default!r} of column {name!r} ignored: {problem}",
                line0,
                where.column if where else 1,
            )
        if value in ("0", "1") and sql.base == "BOOLEAN" and not sql.array_dims:
            value = "true" if value == "1" else "false"  # MySQL's TINYINT(1) flags default to 0 and 1
        facts.default = value
    if facts.bare_fk and facts.fk is None:
        doc.report(
            codes.UNKNOWN_CONSTRAINT,
            "FK without a target table; write `FK → table.column`",
            line0,
            constraints_cell.column if constraints_cell else type_col,
        )
    check = facts.check
    if check is not None and re.match(r"(?i)(in|not\s+in|between)\b", check):
        check = f"{name} {check}"
    fk_span = (
        doc.span(
            line0,
            (constraints_cell.column if constraints_cell else type_col)
            + (facts.fk.offset if facts.fk else 0),
        )
        if facts.fk
        else None
    )
    column = construct(
        Column,
        name=name,
        type=canonical,
        nullable=not (facts.primary_key or facts.not_null is True),
        primary_key=facts.primary_key,
        unique=facts.unique,
        autoincrement=facts.autoincrement,
        indexed=facts.indexed,
        default=facts.default,
        check=check,
        foreign_key=None,
        description=description,
        renamed_from=facts.renamed_from,
        span=doc.span(line0, name_cell.column if name_cell else 1),
        type_span=doc.span(line0, type_col),
        constraints_span=doc.span(line0, constraints_cell.column) if constraints_cell else None,
    )
    raw = RawColumn(
        column=column,
        fk_target=facts.fk.target if facts.fk else None,
        fk_column=facts.fk.column if facts.fk else None,
        fk_span=fk_span,
        fk_weak=fk_weak,
        stated_null=None if facts.not_null is None else not facts.not_null,
    )
    if facts.fk is not None:
        raw.column = column.model_copy(
            update={
                "foreign_key": construct(
                    ForeignKey,
                    table=facts.fk.target,
                    column=facts.fk.column,
                    on_delete=facts.on_delete,
                    on_update=facts.on_update,
                    span=fk_span,
                )
            }
        )
    return raw


def _states_something(read: Facts) -> bool:
    """True when constraint text read alone gives a key, a reference or nullability (`self-FK → t.id`)."""
    return read.primary_key or read.unique or read.fk is not None or read.bare_fk or read.not_null is not None


def _type_with_keys(type_text: str, facts: Facts) -> tuple[TypeRead | None, str]:
    """Types written with their keys around them: `UUID (PK)`, `UUID (FK → users)` (a type, then its keys in
    parentheses), `FK uuid` (a key, then the type), `home_role NOT NULL` (a type name specc does not know,
    then constraints; the facts are read into `facts` and the name is returned as the type text)."""
    tail = _TYPE_TAIL.fullmatch(type_text)
    head = read_type(tail.group(1)) if tail is not None else None
    if tail is not None and head is not None and head.problem is None and not head.rest:
        keys = read_facts(tail.group(2))
        if _states_something(keys) or not keys.unknown:
            return dataclasses.replace(head, rest=tail.group(2)), type_text
    lead = _KEY_LEAD.fullmatch(type_text)
    head = read_type(lead.group(2)) if lead is not None else None
    if lead is not None and head is not None and head.problem is None:
        return dataclasses.replace(head, rest=(lead.group(1) + " " + head.rest).strip()), type_text
    named = _NAMED_TYPE.fullmatch(type_text)
    if named is not None:
        extra = read_facts(named.group(2))
        if _states_something(extra) and not extra.unknown:
            read_facts(named.group(2), facts)
            return None, named.group(1)
    return None, type_text


_KEY_LEAD = re.compile(r"(?i)(PK|FK|UK|UQ|PK\s*,\s*FK|FK\s*,\s*PK)\s+(.+)")
_NAMED_TYPE = re.compile(r"([A-Za-z_][\w.]*)\s+(.+)")


def _notes_facts(facts: Facts, description: str) -> None:
    """Add what a notes cell says in prose (`Primary key; generated by the database.`, `Mandatory.`)."""
    notes = read_notes(description)
    facts.primary_key = facts.primary_key or notes.primary_key
    facts.unique = facts.unique or (notes.unique and not facts.primary_key)
    if facts.not_null is None and notes.not_null is not None:
        facts.not_null = notes.not_null
    facts.indexed = facts.indexed or notes.indexed
    facts.autoincrement = facts.autoincrement or notes.autoincrement
    if facts.default is None and notes.default is not None:
        facts.default = normalise_default(notes.default)


_ARROW_TARGET = re.compile(r"(?:→|->|⇒|=>)\s*`?([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)?)`?")


def _arrow_target(text: str) -> str:
    """`등록자 ID → manager.id`: the target an arrow in prose points at ('' when none)."""
    m = _ARROW_TARGET.search(plain(text))
    return "→ " + m.group(1) if m else ""


_NULL_UNION = re.compile(r"(?i)\s*null\s*\\?\|\s*(.+)|(.+?)\s*\\?\|\s*null\s*")
"""`integer | null`, `null | text` (a pipe escaped in the table or not)."""
_ENUM_MARK = re.compile(r"(?i)(?:([A-Za-z_][\w.]*)\s*)?\(\s*enum\s*\)|enum")
"""`enum`, `varchar (enum)`, `user_role (enum)`: an enum whose values may be written in the notes."""
_TYPE_TAIL = re.compile(r"(.+?)\s*\(([^()]*)\)")


_MYSQL_KEYS = {"PRI": "PK", "UNI": "UNIQUE", "MUL": "INDEXED"}
"""The Key column of MySQL's `DESCRIBE` output."""


_NOTES_FK = re.compile(
    r"(?i)(?<![\w])(fk|foreign[\s_]+key|references|refs?|ссылка\s+на|referencia\s+a)(?![\w])"
)


def read_facts_from_notes(text: str) -> Facts | None:
    """Notes/Description cells: only foreign-key references are taken from prose."""
    m = _NOTES_FK.search(text.replace("`", ""))
    if m is None:
        return None
    facts = read_facts(text.replace("`", "")[m.start() :])
    return facts if facts.fk is not None else None


_DIGITS = re.compile(r"[0-9]+")


def _report_type_problem(doc: Document, problem: TypeProblem, name: str, line0: int, column: int) -> None:
    found = type_problem_diagnostic(problem, name)
    doc.report(found.code, found.message, line0, column, hint=found.hint)


def _report_unknown(doc: Document, facts: Facts, line0: int, base_col: int) -> None:
    for word, offset in facts.unknown:
        doc.report(
            codes.UNKNOWN_CONSTRAINT,
            f"unrecognised constraint {word!r}; ignored",
            line0,
            base_col + offset,
        )
