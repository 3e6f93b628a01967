"""Entities of a mermaid `erDiagram` → raw tables, as a column table gives them.

An entity block (`USERS {` … `}`) with at least one attribute is a table named after the entity, lower-cased
as written; each attribute line (`type name PK, FK, UK "comment"`) is a column. A diagram says nothing about
nullability, so a column is nullable unless it is a primary key. An `FK` attribute references the entity a
relationship line of the same diagram (`USERS ||--o{ POSTS : writes`) makes its parent, when exactly one
could be meant: the parent whose name matches the attribute's (`user_id` → `users`), or the only parent the
entity has. Otherwise the foreign key is left without a target, silently: diagrams often leave it out.

A line inside an entity block that is not an attribute is reported (P036) and left out. Everything outside
the blocks (relationship lines, `direction`, styling) is read only for the foreign-key targets. Linear: each
line is matched once by patterns that do not backtrack over it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from specc.ir.model import Column, ForeignKey, construct
from specc.parse import codes
from specc.parse.ddlparse import read_column_type
from specc.parse.ddlsplit import FencePlaces
from specc.parse.document import Document
from specc.parse.names import source_name_problem
from specc.parse.tables import RawColumn, RawTable

__all__ = ["looks_like_er_diagram", "read_er_diagram"]

_HEADER = re.compile(r"\s*erDiagram(?:\s.*)?")
_FRONT_MATTER = re.compile(r"\s*---\s*")
_ENTITY_NAME = r'"[^"\n]*"|[\w-]+'
_OPEN = re.compile(
    rf'\s*(?P<name>{_ENTITY_NAME})\s*+(?:\[(?P<alias>\s*+"[^"\n]*+"\s*+|[^\]"\n]*+)\])?\s*+\{{(?P<rest>.*)'
)
_ATTRIBUTE = re.compile(
    r"\s*(?P<type>[A-Za-z_][\w-]*(?:\([^()\"\n]*\))?(?:\[\d*\])*)"
    r"\s+(?P<name>[^\s\",{}]+)"
    r"(?:\s+(?P<keys>(?i:PK|FK|UK)(?:\s*,\s*(?i:PK|FK|UK))*))?"
    r'(?:\s+"(?P<comment>[^"\n]*)")?\s*'
)
_ONE = r"\|o|\|\||o\||only\s+one|zero\s+or\s+one|one\s+or\s+zero|1"
_MANY = (
    r"\}o|\}\||o\{|\|\{|one\s+or\s+more|one\s+or\s+many|many\(1\)|1\+|zero\s+or\s+more|zero\s+or\s+many"
    r"|many\(0\)|0\+"
)
_RELATIONSHIP = re.compile(
    rf"\s*(?P<a>{_ENTITY_NAME})\s*(?P<left>{_ONE}|{_MANY})\s*(?:--|\.\.|(?:optionally\s+)?to)\s*"
    rf"(?P<right>{_ONE}|{_MANY})\s*(?P<b>{_ENTITY_NAME})\s*(?::.*)?",
    re.IGNORECASE,
)
_ONE_MARK = re.compile(rf"(?:{_ONE})", re.IGNORECASE)
_ID_SUFFIX = re.compile(r"(?:[_-](?i:id|uuid|fk|key|ref)|(?<=[a-z])(?:Id|ID|Uuid|UUID|Fk|FK|Key|Ref))$")
"""`_id`, `-fk`, `Id`, …: what follows the name of the referenced entity in a foreign-key attribute's name."""
_SEPARATORS = re.compile(r"[_\-\s]")


def looks_like_er_diagram(info: str, content: str) -> bool:
    """True for a ```mermaid fence whose content starts with `erDiagram` (after blank lines, `%%` comments
    and a `---` front matter block)."""
    words = info.split()
    return bool(words) and words[0].lower() == "mermaid" and _body_start(content.split("\n")) is not None


def _body_start(lines: list[str]) -> int | None:
    """Index of the line after `erDiagram`, or None when the content is not an entity-relationship
    diagram."""
    k = 0
    n = len(lines)
    while k < n and (not lines[k].strip() or lines[k].lstrip().startswith("%%")):
        k += 1
    if k < n and _FRONT_MATTER.fullmatch(lines[k]):
        k += 1
        while k < n and not _FRONT_MATTER.fullmatch(lines[k]):
            k += 1
        k += 1
        while k < n and (not lines[k].strip() or lines[k].lstrip().startswith("%%")):
            k += 1
    if k < n and _HEADER.fullmatch(lines[k]):
        return k + 1
    return None


_SIZE_SUFFIX = re.compile(r"_(\d+(?:_\d+)?)_$")


def _spaced_type(written: str) -> str | None:
    """Mermaid allows no spaces or parentheses in a type, so generators write `timestamp_with_time_zone`
    and `varchar_255_` (tbls); the type they stand for, `timestamp with time zone`, `varchar(255)`."""
    if "_" not in written:
        return None
    sized = _SIZE_SUFFIX.sub(lambda m: "(" + m.group(1).replace("_", ",") + ")", written)
    return sized.replace("_", " ")


def _entity(written: str) -> str:
    """An entity's name as the diagram writes it, without quotes, lower-cased, without a schema
    (`public.organizations` → `organizations`, as a CREATE TABLE name is read)."""
    name = written.strip('"').lower().rsplit(".", 1)[-1]
    words = name.split()
    if 1 < len(words) <= 3 and all(re.fullmatch(r"[a-z][a-z0-9]*", w) for w in words):
        return "_".join(words)  # `"Order Item"` → `order_item`, as a heading of two or three words is read
    return name


@dataclass
class _PendingFk:
    """An `FK` attribute whose target is known once every relationship line has been read."""

    table: RawTable
    index: int
    """Position of the column in `table.columns`."""
    at: int
    """Fence offset of the `FK` mark."""


@dataclass
class _Diagram:
    places: FencePlaces
    tables: dict[str, RawTable] = field(default_factory=dict)
    parents: dict[str, set[str]] = field(default_factory=dict)
    """Entity → the entities it may reference: those a relationship line puts on its "one" side."""
    pending: list[_PendingFk] = field(default_factory=list)
    columns: dict[str, set[str]] = field(default_factory=dict)
    """Table → the names of the columns read so far (a repeated attribute is reported)."""


def read_er_diagram(doc: Document, line0: int, text: str) -> list[RawTable]:
    """The tables the entities of a mermaid `erDiagram` define; `text` is the fence content, whose first
    line is the document's 0-based line `line0`. Content that is not an `erDiagram` gives no tables. Never
    raises for the fence's content: an entity line that is not an attribute is reported (P036)."""
    lines = text.split("\n")
    first = _body_start(lines)
    if first is None:
        return []
    diagram = _Diagram(FencePlaces(doc, line0, text))
    table: RawTable | None = None
    for k in range(first, len(lines)):
        line = lines[k]
        start = diagram.places.line_start(k)
        if table is None:
            opened = _OPEN.fullmatch(line)
            if opened is None:
                _relationship(diagram, line)
                continue
            table = _open(diagram, opened, start)
            body, body_at = opened.group("rest"), start + opened.start("rest")
        else:
            body, body_at = line, start
        close = body.find("}")
        inside = body if close < 0 else body[:close]
        if inside.strip() and not inside.lstrip().startswith("%%"):
            _attribute(diagram, table, inside, body_at)
        if close >= 0:
            table = None
    _resolve(diagram)
    return [t for t in diagram.tables.values() if t.columns]


def _open(diagram: _Diagram, opened: re.Match[str], start: int) -> RawTable:
    """The table of the entity block opened on this line (an entity's second block adds to its first)."""
    name = _entity(opened.group("name"))
    table = diagram.tables.get(name)
    if table is None:
        problem = source_name_problem(name, "table name")
        if problem is not None:
            at = start + opened.start("name")
            diagram.places.report(problem.code, problem.message, at, problem.hint)
        alias = (opened.group("alias") or "").strip().strip('"').strip()
        table = RawTable(
            name=name,
            span=diagram.places.span(start + opened.start("name")),
            renamed_from=None,
            description=alias or None,
        )
        diagram.tables[name] = table
    return table


def _attribute(diagram: _Diagram, table: RawTable, text: str, at: int) -> None:
    places = diagram.places
    match = _ATTRIBUTE.fullmatch(text)
    first = at + len(text) - len(text.lstrip())
    if match is None:
        places.report(
            codes.DIAGRAM_NOT_READ,
            f'line in entity {table.name!r} is not an attribute (`type name PK, FK, UK "comment"`); left out',
            first,
            hint='write one attribute per line, or move prose to a `%%` comment or a "comment"',
        )
        return
    name = match.group("name")
    name_at = at + match.start("name")
    seen = diagram.columns.setdefault(table.name, set())
    if name in seen:
        places.report(
            codes.DIAGRAM_NOT_READ,
            f"attribute {name!r} of entity {table.name!r} appears twice; the second is left out",
            name_at,
        )
        return
    problem = source_name_problem(name, "column name")
    if problem is not None:
        places.report(
            problem.code, problem.message, name_at + max(name.find(problem.needle), 0), problem.hint
        )
    type_at = at + match.start("type")
    written = match.group("type")
    column_type = read_column_type(places, written, name, type_at, _spaced_type(written))
    keys = [key.strip().upper() for key in (match.group("keys") or "").split(",") if key.strip()]
    keys_at = at + match.start("keys") if match.group("keys") else None
    primary_key = "PK" in keys
    comment = (match.group("comment") or "").strip()
    column = construct(
        Column,
        name=name,
        type=column_type.type,
        nullable=not primary_key,
        primary_key=primary_key,
        unique="UK" in keys,
        autoincrement=column_type.autoincrement,
        indexed=False,
        default=None,
        check=None,
        foreign_key=None,
        description=comment or None,
        renamed_from=None,
        span=places.span(name_at),
        type_span=places.span(type_at),
        constraints_span=places.span(keys_at) if keys_at is not None else None,
    )
    seen.add(name)
    table.columns.append(RawColumn(column=column, fk_target=None, fk_column=None, fk_span=None))
    if "FK" in keys and keys_at is not None:
        fk_at = keys_at + match.group("keys").upper().find("FK")
        diagram.pending.append(_PendingFk(table, len(table.columns) - 1, fk_at))


def _relationship(diagram: _Diagram, line: str) -> None:
    """`A ||--o{ B : label`: B may reference A (A's end says "one"), and A may reference B when B's does."""
    match = _RELATIONSHIP.fullmatch(line)
    if match is None:
        return
    a, b = _entity(match.group("a")), _entity(match.group("b"))
    if _ONE_MARK.fullmatch(match.group("left")):
        diagram.parents.setdefault(b, set()).add(a)
    if _ONE_MARK.fullmatch(match.group("right")):
        diagram.parents.setdefault(a, set()).add(b)


def _squeezed(name: str) -> str:
    return _SEPARATORS.sub("", name.lower())


def _target(attribute: str, parents: set[str]) -> str | None:
    """The one parent an `FK` attribute can mean: the one its name names (`user_id`, `userId` → `users`,
    `user`, `USERS`), else the entity's only parent; None when that is not exactly one."""
    stem = _squeezed(_ID_SUFFIX.sub("", attribute) or attribute)
    names = {stem, stem + "s", stem + "es"}
    if stem.endswith("y"):
        names.add(stem[:-1] + "ies")
    named = [p for p in parents if _squeezed(p) in names]
    if len(named) == 1:
        return named[0]
    if not named and len(parents) == 1:
        return next(iter(parents))
    return None


def _resolve(diagram: _Diagram) -> None:
    for pending in diagram.pending:
        raw = pending.table.columns[pending.index]
        target = _target(raw.column.name, diagram.parents.get(pending.table.name, set()))
        if target is None:
            continue
        span = diagram.places.span(pending.at)
        raw.fk_target = target
        raw.fk_span = span
        raw.column = raw.column.model_copy(
            update={
                "foreign_key": construct(
                    ForeignKey, table=target, column=None, on_delete=None, on_update=None, span=span
                )
            }
        )
