"""What a walk over a document (`specc.parse.walker`) reads: the parser's records before assembly into the IR
(`specc.parse.assembly`), and the headings a walk leaves open (for reading a document in parts)."""

from __future__ import annotations

from dataclasses import dataclass, field

from specc.ir.model import Decision, Endpoint, Relationship, TechChoice
from specc.parse.indexes import IndexRow
from specc.parse.tables import RawTable


@dataclass(frozen=True)
class SuppressionComment:
    """A `<!-- specc: ignore CODE[, CODE] -->` (or `ignore-file`) comment where it was read."""

    line0: int
    """0-based line of the comment in the walked text."""
    kind: str
    """`ignore` (the comment's section) or `ignore-file` (the whole file)."""
    codes: frozenset[str]


@dataclass(frozen=True)
class OpenHeading:
    """A heading still open where a walk ends (or, for the next part of the document, where one starts)."""

    level: int
    text: str
    """The heading's raw text (inline markdown kept)."""
    section: str | None
    """The kind of section the heading starts (`relationships`, `indexes`, ...), None for any other."""
    has_table: bool
    """A column table was defined under it."""


@dataclass(frozen=True)
class LeftOpen:
    """The headings a walk that started under `enclosing` headings leaves open at its end."""

    kept: int
    """How many of the enclosing headings are still open (the first `kept`)."""
    opened: tuple[OpenHeading, ...]
    """Headings the walk opened that are still open, outermost first."""


@dataclass
class Reading:
    """Everything a walk read; lines in `heading_lines` and `comments` are the walked text's (0-based), spans
    inside the records are the file's."""

    tables: list[RawTable] = field(default_factory=list)
    index_rows: list[IndexRow] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)
    endpoints: list[Endpoint] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    tech: list[TechChoice] = field(default_factory=list)
    overview: list[str] = field(default_factory=list)
    diagram: str | None = None
    title: str | None = None
    heading_lines: list[int] = field(default_factory=list)
    comments: list[SuppressionComment] = field(default_factory=list)
