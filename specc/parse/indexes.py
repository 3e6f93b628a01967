"""Indexes: the `| Table | Column(s) | Type | Why |` table and inline notations under a table."""

from __future__ import annotations

import re
from dataclasses import dataclass

from specc.ir.model import IndexMethod, Span
from specc.parse import codes
from specc.parse.document import Cell, Document, plain
from specc.parse.headers import Role

_METHODS: dict[str, IndexMethod] = {
    "btree": "btree",
    "b-tree": "btree",
    "hash": "hash",
    "gin": "gin",
    "gist": "gist",
    "brin": "brin",
    "spgist": "spgist",
    "sp-gist": "spgist",
    "index": "btree",
    "nonclustered": "btree",
    "clustered": "btree",
    "composite": "btree",
    "primary": "btree",
    "regular": "btree",
    "normal": "btree",
    "partial": "btree",
    "unique": "btree",
    "fulltext": "gin",
    "full-text": "gin",
}


@dataclass(frozen=True)
class IndexRow:
    table: str
    columns: tuple[str, ...]
    unique: bool
    method: IndexMethod
    name: str | None
    description: str | None
    span: Span
    table_span: Span


@dataclass(frozen=True)
class IndexType:
    """What an index table's Type cell says."""

    unique: bool
    method: IndexMethod
    understood: bool
    """Every word of the cell was read."""


def read_index_type(text: str) -> IndexType:
    """What a Type cell such as `UNIQUE`, `GIN`, `Unique Nonclustered` says."""
    words = re.findall(r"[A-Za-z\-]+", text.lower())
    unique = "unique" in words or "uq" in words
    method: IndexMethod = "btree"
    understood = True
    for word in words:
        if word in _METHODS:
            if word not in ("unique",):
                method = _METHODS[word] if _METHODS[word] != "btree" or method == "btree" else method
        elif word != "uq":
            understood = False
    return IndexType(unique, method, understood)


def split_columns(text: str) -> tuple[str, ...]:
    cleaned = plain(text).strip("() ")
    parts = [p.strip().strip("`\"' ") for p in re.split(r"[,+/]|\band\b", cleaned)]
    columns: list[str] = []
    for part in parts:
        token = part.split(" ")[0] if part else ""
        if token:
            columns.append(token)
    return tuple(columns)


def read_index_row(doc: Document, line0: int, cells: list[Cell], roles: dict[Role, int]) -> IndexRow | None:
    def cell(role: Role) -> Cell | None:
        idx = roles.get(role)
        return cells[idx] if idx is not None and idx < len(cells) else None

    table_cell = cell(Role.TABLE)
    columns_cell = cell(Role.COLUMNS)
    table = plain(table_cell.text).strip("`").rsplit(".", 1)[-1].lower() if table_cell else ""
    columns = split_columns(columns_cell.text) if columns_cell else ()
    if not table or not columns:
        doc.report(
            codes.UNRECOGNISED_INDEX,
            "index row needs a table and at least one column",
            line0,
            doc.line_column(line0),
        )
        return None
    type_cell = cell(Role.INDEX_TYPE)
    kind = (
        read_index_type(type_cell.text)
        if type_cell and type_cell.text
        else IndexType(unique=False, method="btree", understood=True)
    )
    unique, method = kind.unique, kind.method
    if not kind.understood and type_cell is not None:
        doc.report(
            codes.UNRECOGNISED_INDEX,
            f"index type {type_cell.text!r} not understood; using BTREE",
            line0,
            type_cell.column,
        )
    name_cell = cell(Role.INDEX_NAME)
    why_cell = cell(Role.WHY)
    return IndexRow(
        table=table,
        columns=columns,
        unique=unique,
        method=method,
        name=plain(name_cell.text).strip("`") or None if name_cell else None,
        description=plain(why_cell.text) or None if why_cell else None,
        span=doc.span(line0, doc.line_column(line0)),
        table_span=doc.span(line0, table_cell.column if table_cell else 1),
    )


_INLINE_ITEM = re.compile(r"`([^`]+)`")
_COLUMN_LIST = re.compile(r"[A-Za-z_]\w*(\s+(asc|desc))?(\s*,\s*[A-Za-z_]\w*(\s+(asc|desc))?)*", re.I)


@dataclass(frozen=True)
class IndexNotation:
    """An index written in prose under its table."""

    columns: tuple[str, ...]
    unique: bool
    method: IndexMethod


def read_inline_indexes(text: str) -> list[IndexNotation]:
    """`**Indexes:** \\`room_id\\`, \\`(a, b)\\`` or a bullet such as `UNIQUE (a, b)` / `idx_x on (a) GIN`."""
    found: list[IndexNotation] = []
    body = re.sub(r"(?i)^\s*\**\s*ind(ex|exes|ices)\s*\**\s*:?\s*\**", "", text)
    lower = body.lower()
    unique = "unique" in lower
    method: IndexMethod = "btree"
    for word, candidate in _METHODS.items():
        if candidate != "btree" and re.search(rf"\b{re.escape(word)}\b", lower):
            method = candidate
    paren = re.search(r"(?<![\w`])\s*\(([^()]+)\)", body)
    if paren is not None and _COLUMN_LIST.fullmatch(paren.group(1).replace("`", "").strip()):
        cols = split_columns(paren.group(1))
        if cols:
            found.append(IndexNotation(cols, unique, method))
        return found
    body = re.sub(r"\([^()]*\)", "", body) if paren is not None else body
    for m in _INLINE_ITEM.finditer(body):
        item = m.group(1)
        if re.match(r"(?i)(idx|ix|uq)_", item) and len(_INLINE_ITEM.findall(body)) > 1:
            continue
        cols = split_columns(item)
        if cols and all(re.fullmatch(r"[A-Za-z_]\w*", c) for c in cols):
            found.append(IndexNotation(cols, unique, method))
    return found
