"""What a block's cells look like, for blocks that are not plainly column tables: a list whose items define
columns in code, a table whose Type cells hold (or do not hold) SQL types, a table specc does not read that
looks like a column table (P040), and header and delimiter lines markdown did not accept as a table (P030)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from specc.ir.types import read_type
from specc.parse import codes
from specc.parse.constraints import read_facts
from specc.parse.document import Cell, Document, is_delimiter_row, plain, split_row
from specc.parse.headers import Role
from specc.parse.tables import Row

_BULLET = re.compile(r"\s*`([^`\n]+)`\s*[:,;.\-–—]?\s*(.*)$", re.S)
_BULLET_NAME = re.compile(r"([^\W\d][\w$]*)\s+(\S.*)$", re.S)


def column_bullet(doc: Document, content: str, line0: int) -> list[Cell] | None:
    """Name, type-and-constraints and description cells of a list item that defines a column in code, or
    None: the code must be a name then a type specc reads (`uuid`, `varchar(50) not null`), or a name,
    a type name and constraints (`role user_role not null`)."""
    if "\n" in content.strip():
        return None
    m = _BULLET.match(content)
    if m is None:
        return None
    named = _BULLET_NAME.match(m.group(1).strip())
    if named is None:
        return None
    rest = named.group(2).strip()
    read = read_type(rest)
    if read is None or read.problem is not None:
        words = rest.split(maxsplit=1)
        if len(words) < 2 or read_facts(words[1]).unknown or not _IDENTIFIER.fullmatch(words[0]):
            return None
    elif read.rest and read_facts(read.rest).unknown:
        return None
    line = doc.lines[line0] if 0 <= line0 < len(doc.lines) else ""
    code_at = line.find("`") + 2 if "`" in line else doc.line_column(line0)
    return [
        Cell(named.group(1), code_at),
        Cell(rest, code_at + m.group(1).find(rest)),
        Cell(m.group(2).strip(), code_at + len(m.group(1)) + 1),
    ]


def types_in_rows(rows: list[Row], roles: dict[Role, int]) -> bool:
    """True when most Type cells are column types (a table named `triggers`, not a list of constraints
    whose kinds are `n`, `FOREIGN KEY`, `CHECK`)."""
    at = roles.get(Role.TYPE, -1)
    cells = [plain(row.cells[at].text).strip("`") for row in rows if 0 <= at < len(row.cells)]
    typed = sum(1 for c in cells if (read := read_type(c)) is not None and read.problem is None)
    return bool(cells) and typed * 2 > len(cells)


NOT_COLUMNS_HEADER = re.compile(
    r"(?i)\W*(param(eter)?s?|arg(ument)?s?|var(iable)?s?|env|environment|settings?|options?|headers?|query|"
    r"flags?|props?|inputs?|outputs?|fields?\s+of\s+the\s+request|파라미터|参数|パラメータ|параметр\w*|"
    r"paramètres?|parámetros?|parâmetros?|variablen?)\W*$"
)
_JSON_WORDS = frozenset({"string", "integer", "int", "boolean", "bool", "number", "float", "double", "text"})
_IDENTIFIER = re.compile(r"[A-Za-z_][\w.]*")


@dataclass(frozen=True)
class NameAndType:
    """Where a table's column names and SQL types are (0-based cell indexes)."""

    names: int
    types: int


def name_and_type_columns(rows: list[list[str]]) -> NameAndType | None:
    """The name column and the type column when at least 80% of the rows hold an identifier in one column and
    a SQL type (read whole) in another, and some type is more than a JSON word (`string`, `integer`). Each
    cell is looked at once (a table of any width is linear)."""
    width = min(len(r) for r in rows)
    need = max(2, -(-len(rows) * 4 // 5))
    names = [n for n in range(width) if sum(1 for r in rows if _IDENTIFIER.fullmatch(r[n])) >= need]
    if not names:
        return None
    for t in range(width):
        cells = [r[t] for r in rows]
        if all(c.lower() in _JSON_WORDS for c in cells if c):
            continue
        typed = 0
        for c in cells:
            read = read_type(c) if len(c) <= 64 else None
            typed += read is not None and not read.rest and read.problem is None
        if typed >= need:
            name = next((n for n in names if n != t), None)
            if name is not None:
                return NameAndType(names=name, types=t)
    return None


def broken_tables(doc: Document) -> None:
    """Header + delimiter lines that markdown did not accept as a table (cell counts differ)."""
    lines = doc.lines
    in_table_lines: set[int] = set()
    for tok in doc.tokens:
        if tok.type == "table_open" and tok.map is not None:
            in_table_lines.update(range(tok.map[0], tok.map[1]))
    for tok in doc.tokens:
        if tok.type != "paragraph_open" or tok.map is None:
            continue
        for line0 in range(tok.map[0] + 1, tok.map[1]):
            if line0 in in_table_lines or "|" not in lines[line0] or "-" not in lines[line0]:
                continue
            if is_delimiter_row(lines[line0]) and "|" in lines[line0 - 1]:
                header = len(split_row(lines[line0 - 1]))
                delim = len(split_row(lines[line0]))
                if header != delim:
                    doc.report(
                        codes.BROKEN_TABLE,
                        f"header row has {header} cells but the delimiter row has {delim}",
                        line0,
                        doc.line_column(line0),
                    )
