"""Entity-relationship diagrams for the documentation site, rendered by specc as inline SVG.

mkdocs-material draws mermaid diagrams with a script fetched at view time; the site must work without network
access, so ER diagrams are drawn here at build time. `render_erd` returns one `<svg>` element (no XML
declaration) for embedding in a page as raw HTML. Python-Markdown does not treat `svg` as a block element:
put the string inside a block element (e.g. `<div class="specc-erd-wrap" markdown="0">` … `</div>`), or it is
wrapped in a paragraph and its text is read as markdown. The SVG has `width` and `height` set to its natural
size; mkdocs-material's typeset rules shrink it to the page width unless the wrapper allows it to scroll
(`overflow-x: auto` on the wrapper, `max-width: none` on the svg).

Safety: every string from the document (table, column and type names, the title, labels) is XML-escaped and
only ever becomes text content or the value of `aria-label`; characters XML cannot carry (most C0 controls,
lone surrogates, U+FFFE/U+FFFF) are shown as U+FFFD. Links are emitted only for relative URLs made of a
safe set of characters (`_safe_href`). Colours come from CSS custom properties of mkdocs-material with
system-colour or `currentColor` fallbacks, so the diagrams follow the light and dark schemes.

Output is byte-identical across runs and `PYTHONHASHSEED` values. The layout is in `erd_layout`.

Size: a diagram stays readable up to about `MAX_DIAGRAM_TABLES` tables; `clusters` splits a schema into
groups of at most that many for an overview (1,000 tables: 25 diagrams). Measured on 2 cores with
`python -m tests.bench.bench_erd` (synthetic 1,000-table spec): `clusters` 21-29 ms (its index of the spec
included); a 40-table cluster 2-3 ms to build and render (6-7 ms for a dense random one, 2 references per
table); the whole overview 70-85 ms; a table page's diagram 0.3-0.4 ms.
"""

from __future__ import annotations

import logging
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Final, Literal

from specc.emit.site.erd_layout import Box, Link, Point, layout
from specc.ir.model import Column, Relationship, Spec, Table

log = logging.getLogger(__name__)

MAX_DIAGRAM_TABLES: Final = 40
"""The most tables one diagram should hold: the default maximum of `clusters` and `neighbourhood`."""

ColumnKey = Literal["PK", "FK", "PK FK", ""]


@dataclass(frozen=True)
class ErdColumn:
    name: str
    type: str
    key: ColumnKey = ""
    nullable: bool = True


@dataclass(frozen=True)
class ErdTable:
    name: str
    columns: tuple[ErdColumn, ...] = ()


@dataclass(frozen=True)
class ErdEdge:
    """A reference from `from_table` (its `from_columns`, empty for a relationship without a foreign key) to
    `to_table` (at `to_columns`, empty for the table as a whole). `cardinality` is `from:to`, each side `1` or
    many (`N`, `M`, `*`): `N:1` for a foreign key, `1:1` for a unique one, `N:M` for many-to-many."""

    from_table: str
    from_columns: tuple[str, ...]
    to_table: str
    cardinality: str = "N:1"
    to_columns: tuple[str, ...] = ()


# --- from the IR ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Index:
    order: dict[str, int]
    """Table name → position in the document (the first table of a name; later ones are ignored)."""
    tables: dict[str, ErdTable]
    outgoing: dict[str, list[ErdEdge]]
    incoming: dict[str, list[ErdEdge]]


_INDEXES: dict[tuple[int, int], tuple[tuple[Table, ...], tuple[Relationship, ...], _Index]] = {}
"""(id(tables), id(relationships)) → (both tuples, kept alive so the ids stay unique; the index)."""


def _index(spec: Spec) -> _Index:
    key = (id(spec.tables), id(spec.relationships))
    cached = _INDEXES.get(key)
    if cached is not None and cached[0] is spec.tables and cached[1] is spec.relationships:
        return cached[2]
    index = _build_index(spec)
    if len(_INDEXES) >= 4:
        _INDEXES.pop(next(iter(_INDEXES)))
    _INDEXES[key] = (spec.tables, spec.relationships, index)
    return index


def _build_index(spec: Spec) -> _Index:
    by_name: dict[str, Table] = {}
    for table in spec.tables:
        by_name.setdefault(table.name, table)
    order = {name: i for i, name in enumerate(by_name)}
    outgoing: dict[str, list[ErdEdge]] = {name: [] for name in by_name}
    incoming: dict[str, list[ErdEdge]] = {name: [] for name in by_name}
    linked: set[tuple[str, str]] = set()

    def add(edge: ErdEdge) -> None:
        outgoing[edge.from_table].append(edge)
        incoming[edge.to_table].append(edge)
        linked.add((min(edge.from_table, edge.to_table), max(edge.from_table, edge.to_table)))

    for table in by_name.values():
        for column in table.columns:
            fk = column.foreign_key
            if fk is None or fk.table not in by_name:
                continue
            to_columns = (fk.column,) if fk.column else by_name[fk.table].primary_key
            add(ErdEdge(table.name, (column.name,), fk.table, _fk_cardinality(table, column), to_columns))
    for rel in spec.relationships:
        ends = (min(rel.from_, rel.to), max(rel.from_, rel.to))
        if rel.through or rel.from_ not in by_name or rel.to not in by_name or ends in linked:
            continue
        if rel.kind == "one-to-many":
            add(ErdEdge(rel.to, (), rel.from_, "N:1"))
        else:
            cardinality = {"many-to-one": "N:1", "one-to-one": "1:1", "many-to-many": "N:M"}[rel.kind]
            add(ErdEdge(rel.from_, (), rel.to, cardinality))
    tables = {name: _erd_table(table) for name, table in by_name.items()}
    return _Index(order, tables, outgoing, incoming)


def _fk_cardinality(table: Table, column: Column) -> str:
    unique = (
        column.unique
        or table.primary_key == (column.name,)
        or any(index.unique and index.columns == (column.name,) for index in table.indexes)
    )
    return "1:1" if unique else "N:1"


def _erd_table(table: Table) -> ErdTable:
    columns = []
    for column in table.columns:
        key: ColumnKey = ""
        if column.primary_key and column.foreign_key is not None:
            key = "PK FK"
        elif column.primary_key:
            key = "PK"
        elif column.foreign_key is not None:
            key = "FK"
        columns.append(ErdColumn(column.name, column.type, key, column.nullable))
    return ErdTable(table.name, tuple(columns))


def erd_from_spec(spec: Spec, tables: Iterable[str] | None = None) -> tuple[list[ErdTable], list[ErdEdge]]:
    """The diagram of `tables` (all by default; unknown names are ignored): the tables in document order and
    the edges between them: one per foreign-key column, and one per relationship between two tables that no
    foreign key links (a many-to-many `through` a table is shown by that table's foreign keys)."""
    index = _index(spec)
    if tables is None:
        names = list(index.order)
    else:
        names = sorted({name for name in tables if name in index.order}, key=index.order.__getitem__)
    chosen = set(names)
    edges = [edge for name in names for edge in index.outgoing[name] if edge.to_table in chosen]
    return [index.tables[name] for name in names], edges


def neighbourhood(
    spec: Spec, table: str, *, limit: int | None = MAX_DIAGRAM_TABLES
) -> tuple[list[ErdTable], list[ErdEdge]]:
    """A table's page diagram: the table, the tables it references and the tables referencing it (document
    order), with the edges that touch the table. With `limit`, at most that many tables: the table, then the
    tables it references, then those referencing it, in document order; the page lists the rest from the IR.
    An unknown table gives an empty diagram."""
    index = _index(spec)
    if table not in index.order:
        return [], []
    wanted: dict[str, None] = {table: None}
    for edge in index.outgoing[table]:
        wanted.setdefault(edge.to_table, None)
    for edge in index.incoming[table]:
        wanted.setdefault(edge.from_table, None)
    names = list(wanted) if limit is None else list(wanted)[: max(1, limit)]
    chosen = set(names)
    edges = [edge for edge in index.outgoing[table] if edge.to_table in chosen]
    edges += [
        edge for edge in index.incoming[table] if edge.from_table != table and edge.from_table in chosen
    ]
    return [index.tables[name] for name in sorted(names, key=index.order.__getitem__)], edges


def clusters(spec: Spec, max_tables: int = MAX_DIAGRAM_TABLES) -> list[list[str]]:
    """Every table exactly once, in groups of at most `max_tables` for an overview of a large schema.

    Groups follow the edges of `erd_from_spec` (direction ignored). A connected set of tables that fits is
    one group, and small ones share a group (in document order, each added to the last group while it fits).
    A larger connected set is split along a breadth-first spanning tree rooted at its best-connected table:
    bottom up, each table keeps its subtrees while they fit and lets the largest go (Kundu and Misra's
    greedy partition, fewest connected parts of a tree). Each part is connected; the parts let go at one
    table are bundled into groups up to the maximum (siblings sharing that table: a hub's many small
    neighbours make a few groups, not one each). Groups are ordered by their first table in the document,
    tables in a group in document order. The IR has no headings above tables, so groups do not follow
    the document's sections. Cost: O(n log n) for n tables and edges. Raises ValueError for `max_tables` < 1.
    """
    if max_tables < 1:
        raise ValueError("max_tables must be at least 1")
    index = _index(spec)
    order = index.order
    adjacency: dict[str, dict[str, None]] = {name: {} for name in order}
    for name in order:
        for edge in index.outgoing[name]:
            if edge.from_table != edge.to_table:
                adjacency[edge.from_table].setdefault(edge.to_table, None)
                adjacency[edge.to_table].setdefault(edge.from_table, None)
    neighbours = {name: sorted(adj, key=order.__getitem__) for name, adj in adjacency.items()}
    groups: list[list[str]] = []
    packed: list[str] = []
    seen: set[str] = set()
    for start in order:
        if start in seen:
            continue
        component = _bfs(start, neighbours, seen)
        if len(component) > max_tables:
            groups.extend(_split(component, neighbours, order, max_tables))
            continue
        if len(packed) + len(component) > max_tables:
            groups.append(packed)
            packed = []
        packed.extend(component)
    if packed:
        groups.append(packed)
    ordered = [sorted(group, key=order.__getitem__) for group in groups]
    return sorted(ordered, key=lambda group: order[group[0]])


def _bfs(start: str, neighbours: dict[str, list[str]], seen: set[str]) -> list[str]:
    seen.add(start)
    found = [start]
    for name in found:
        for other in neighbours[name]:
            if other not in seen:
                seen.add(other)
                found.append(other)
    return found


def _split(
    component: list[str], neighbours: dict[str, list[str]], order: dict[str, int], max_tables: int
) -> list[list[str]]:
    root = min(component, key=lambda name: (-len(neighbours[name]), order[name]))
    parent: dict[str, str] = {}
    children: dict[str, list[str]] = {name: [] for name in component}
    tree = [root]
    reached = {root}
    for name in tree:
        for other in neighbours[name]:
            if other not in reached:
                reached.add(other)
                parent[other] = name
                children[name].append(other)
                tree.append(other)
    weight: dict[str, int] = {}
    cut: set[str] = {root}
    released: dict[str, list[str]] = {}
    for name in reversed(tree):
        kept = [child for child in children[name] if child not in cut]
        total = 1 + sum(weight[child] for child in kept)
        if total > max_tables:
            let_go = released.setdefault(name, [])
            for child in sorted(kept, key=lambda c: (-weight[c], order[c])):
                if total <= max_tables:
                    break
                cut.add(child)
                let_go.append(child)
                total -= weight[child]
        weight[name] = total
    part: dict[str, list[str]] = {}
    head: dict[str, str] = {}
    for name in tree:
        head[name] = name if name in cut else head[parent[name]]
        part.setdefault(head[name], []).append(name)
    groups = [part[root]]
    for name in tree:
        bundle: list[str] = []
        load = 0
        for child in released.get(name, []):  # heaviest first: next-fit decreasing
            if load + weight[child] > max_tables:
                groups.append(bundle)
                bundle, load = [], 0
            bundle.extend(part[child])
            load += weight[child]
        if bundle:
            groups.append(bundle)
    return groups


# --- SVG -----------------------------------------------------------------------------------------------

CHAR_WIDTH: Final = 7.4
"""Estimated advance of one character of the 12px monospace text (0.6em, rounded up); wide East Asian
characters count twice, combining marks not at all."""
HEAD_CHAR_WIDTH: Final = 8.2
SMALL_CHAR_WIDTH: Final = 6.2
HEADER_HEIGHT: Final = 26
ROW_HEIGHT: Final = 20
PAD_X: Final = 8
COL_GAP: Final = 12
MIN_BOX_WIDTH: Final = 96
MAX_TYPE_CHARS: Final = 40
"""Longer types are shown cut with an ellipsis; the whole type is the row's tooltip."""

_STYLE: Final = (
    ".specc-erd{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}"
    ".specc-erd text{fill:var(--md-default-fg-color,currentColor);white-space:pre}"
    ".specc-erd .e-box{fill:var(--md-default-bg-color,Canvas);"
    "stroke:var(--md-default-fg-color--light,currentColor);stroke-width:1}"
    ".specc-erd .e-head{fill:var(--md-default-fg-color--lightest,rgba(127,127,127,.15))}"
    ".specc-erd .e-hl .e-box{stroke:var(--md-accent-fg-color,currentColor);stroke-width:2.5}"
    ".specc-erd .e-hl .e-head{fill:var(--md-accent-fg-color--transparent,rgba(127,127,127,.3))}"
    ".specc-erd .e-name{font-weight:700;font-size:13px}"
    ".specc-erd a .e-name{fill:var(--md-typeset-a-color,currentColor);text-decoration:underline}"
    ".specc-erd .e-type,.specc-erd .e-null,.specc-erd .e-key,.specc-erd .e-label"
    "{fill:var(--md-default-fg-color--light,currentColor);font-size:10px}"
    ".specc-erd .e-type{font-size:12px}"
    ".specc-erd .e-key{font-weight:700}"
    ".specc-erd .e-line,.specc-erd .e-mark{fill:none;stroke:var(--md-default-fg-color--light,currentColor);"
    "stroke-width:1.2}"
)

_NOT_XML: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SAFE_HREF: Final = re.compile(r"[A-Za-z0-9._~/#?=&%+-]+")
_MANY: Final = re.compile(r"\s*(?:[0-9]+\.\.)?(?:N|M|\*|many)\s*", re.IGNORECASE)
"""A many side of a cardinality: `N`, `M`, `*`, `many`, `0..N`, `1..*`."""


def _text(value: str) -> str:
    """`value` as XML text content or attribute value: markup characters escaped, CR, LF and tab as
    character references (attribute values would otherwise be normalised), non-XML characters as U+FFFD."""
    cleaned = escape(_NOT_XML.sub("\ufffd", value), quote=True)
    return cleaned.replace("\r", "&#13;").replace("\n", "&#10;").replace("\t", "&#9;")


def _safe_href(url: str) -> str | None:
    """`url` if it is a relative URL of unreserved characters, `/ # ? = & % +` (no scheme, no `:`, no quotes,
    no backslash, no whitespace, not starting with `/`), else None."""
    if _SAFE_HREF.fullmatch(url) is None or url.startswith("/"):
        return None
    return url


def _width(text: str, per_char: float) -> float:
    if text.isascii():
        return len(text) * per_char
    units = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) == "Cf":
            continue
        units += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return units * per_char


def _shown_type(type_: str) -> str:
    return type_ if len(type_) <= MAX_TYPE_CHARS else type_[: MAX_TYPE_CHARS - 1] + "…"


@dataclass(frozen=True)
class _Columns:
    """x offsets of a table's text columns from the box's left side, and the box's width."""

    name_x: int
    type_x: int
    null_x: int
    width: int


def _measure(table: ErdTable) -> _Columns:
    """Text columns: key (when any column has one), name, type, NULL (when any column is nullable)."""

    def widest(texts: Iterable[str], per_char: float) -> int:
        return math.ceil(max((_width(text, per_char) for text in texts), default=0.0))

    key_w = widest((c.key for c in table.columns if c.key), SMALL_CHAR_WIDTH)
    name_x = PAD_X + (key_w + COL_GAP // 2 if key_w else 0)
    type_x = name_x + widest((c.name for c in table.columns), CHAR_WIDTH) + COL_GAP
    null_x = type_x + widest((_shown_type(c.type) for c in table.columns), CHAR_WIDTH) + COL_GAP
    end = (
        null_x + widest(["NULL"], SMALL_CHAR_WIDTH)
        if any(c.nullable for c in table.columns)
        else null_x - COL_GAP
    )
    head_width = 2 * PAD_X + math.ceil(_width(table.name, HEAD_CHAR_WIDTH))
    return _Columns(name_x, type_x, null_x, max(MIN_BOX_WIDTH, end + PAD_X, head_width))


def _anchor(table: ErdTable, columns: tuple[str, ...]) -> int:
    """Offset from the box's top of the row of the first of `columns` the table has, else of the header."""
    for wanted in columns:
        for i, column in enumerate(table.columns):
            if column.name == wanted:
                return HEADER_HEIGHT + i * ROW_HEIGHT + ROW_HEIGHT // 2
    return HEADER_HEIGHT // 2


def render_erd(
    tables: Sequence[ErdTable],
    edges: Sequence[ErdEdge],
    *,
    title: str,
    highlight: str | None = None,
    links: Mapping[str, str] | None = None,
) -> str:
    """One `<svg>` element drawing `tables` (the first of each name) and the `edges` between them (edges to
    a table not drawn are left out). `highlight` names the table drawn emphasised (the page's own);
    `links` maps a table name to a relative URL its name links to (unsafe URLs are left out)."""
    unique: dict[str, ErdTable] = {}
    for table in tables:
        unique.setdefault(table.name, table)
    drawn = list(unique.values())
    position = {table.name: i for i, table in enumerate(drawn)}
    kept = [edge for edge in edges if edge.from_table in position and edge.to_table in position]
    measures = [_measure(table) for table in drawn]
    boxes = [
        Box(m.width, HEADER_HEIGHT + ROW_HEIGHT * len(t.columns))
        for t, m in zip(drawn, measures, strict=True)
    ]
    placed = layout(
        boxes,
        [
            Link(
                position[edge.from_table],
                position[edge.to_table],
                _anchor(unique[edge.from_table], edge.from_columns),
                _anchor(unique[edge.to_table], edge.to_columns),
            )
            for edge in kept
        ],
    )
    label = _text(title)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="specc-erd" role="img" aria-label="{label}" '
        f'viewBox="0 0 {placed.width} {placed.height}" width="{placed.width}" height="{placed.height}">',
        f"<title>{label}</title>",
        f"<desc>Tables: {_text(', '.join(unique))}</desc>",
        f"<style>{_STYLE}</style>",
    ]
    for edge, route in zip(kept, placed.routes, strict=True):
        out.extend(_edge(edge, route))
    for table, m, rect in zip(drawn, measures, placed.rects, strict=True):
        href = None if links is None or table.name not in links else _safe_href(links[table.name])
        if links is not None and table.name in links and href is None:
            log.debug("ER diagram: unsafe link for table %r left out", table.name)
        out.extend(_table(table, m, rect.x, rect.y, rect.width, table.name == highlight, href))
    out.append("</svg>")
    return "\n".join(out)


def _edge(edge: ErdEdge, route: tuple[Point, ...]) -> list[str]:
    source = edge.from_table + ("." + ", ".join(edge.from_columns) if edge.from_columns else "")
    target = edge.to_table + ("." + ", ".join(edge.to_columns) if edge.to_columns else "")
    from_side, _, to_side = edge.cardinality.partition(":")
    (x0, y0), (x1, _) = route[0], route[1]
    (xn, yn), (xm, _) = route[-1], route[-2]
    out_dir = 1 if x1 > x0 else -1
    in_dir = 1 if xm > xn else -1
    points = " ".join(f"{x},{y}" for x, y in route)
    anchor = "start" if out_dir > 0 else "end"
    marks = f"{_marker(x0, y0, out_dir, from_side)} {_marker(xn, yn, in_dir, to_side)}"
    return [
        '<g class="e-edge">',
        f"<title>{_text(f'{source} → {target} ({edge.cardinality})')}</title>",
        f'<polyline class="e-line" points="{points}"/>',
        f'<path class="e-mark" d="{marks}"/>',
        f'<text class="e-label" x="{x0 + 14 * out_dir}" y="{y0 - 4}" text-anchor="{anchor}">'
        f"{_text(edge.cardinality)}</text>",
        "</g>",
    ]


def _marker(x: int, y: int, direction: int, side: str) -> str:
    """Crow's foot for a many side, a bar for a one side, at the anchor (x, y), the line leaving towards
    `direction`."""
    if _MANY.fullmatch(side):
        tip = x + 12 * direction
        return f"M{tip},{y} L{x},{y - 6} M{tip},{y} L{x},{y + 6}"
    bar = x + 8 * direction
    return f"M{bar},{y - 6} L{bar},{y + 6}"


def _table(
    table: ErdTable, m: _Columns, x: int, y: int, width: int, highlighted: bool, href: str | None
) -> list[str]:
    height = HEADER_HEIGHT + ROW_HEIGHT * len(table.columns)
    name = f'<text class="e-name" x="{x + PAD_X}" y="{y + 18}">{_text(table.name)}</text>'
    out = [
        '<g class="e-table e-hl">' if highlighted else '<g class="e-table">',
        f'<rect class="e-box" x="{x}" y="{y}" width="{width}" height="{height}" rx="3"/>',
        f'<rect class="e-head" x="{x + 1}" y="{y + 1}" width="{width - 2}" height="{HEADER_HEIGHT - 1}"/>',
        f'<a href="{_text(href)}">{name}</a>' if href is not None else name,
    ]
    for i, column in enumerate(table.columns):
        base = y + HEADER_HEIGHT + i * ROW_HEIGHT + 14
        if column.key:
            out.append(f'<text class="e-key" x="{x + PAD_X}" y="{base}">{_text(column.key)}</text>')
        out.append(f'<text class="e-col" x="{x + m.name_x}" y="{base}">{_text(column.name)}</text>')
        shown = _shown_type(column.type)
        tip = f"<title>{_text(column.type)}</title>" if shown != column.type else ""
        out.append(f'<text class="e-type" x="{x + m.type_x}" y="{base}">{tip}{_text(shown)}</text>')
        if column.nullable:
            out.append(f'<text class="e-null" x="{x + m.null_x}" y="{base}">NULL</text>')
    out.append("</g>")
    return out
