"""ER diagrams of the documentation site (`specc.emit.site.erd`): the SVG is well-formed and safe whatever the
document's names, deterministic, free of overlapping boxes, complete; the IR builders and the overview's
clusters."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from functools import cache

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from specc.diagnostics import Reporter
from specc.emit.site.erd import (
    MAX_DIAGRAM_TABLES,
    ErdColumn,
    ErdEdge,
    ErdTable,
    clusters,
    erd_from_spec,
    neighbourhood,
    render_erd,
)
from specc.emit.site.erd_layout import MAX_COLUMNS
from specc.ir.model import Column, ForeignKey, Relationship, Spec, Table
from specc.parse import parse_spec
from tests.bench.synth import synth_spec, table_name
from tests.conftest import EXAMPLE_SPEC, ROOT

SVG = "{http://www.w3.org/2000/svg}"
TAGS = {"svg", "title", "desc", "style", "g", "rect", "text", "a", "polyline", "path"}
ATTRIBUTES = {
    "class",
    "role",
    "aria-label",
    "viewBox",
    "width",
    "height",
    "x",
    "y",
    "rx",
    "href",
    "points",
    "d",
    "text-anchor",
}
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
QUOTES = "\"' onload='alert(1)\" & <"


@cache
def example_spec() -> Spec:
    return parse_spec(EXAMPLE_SPEC.read_text(encoding="utf-8"), EXAMPLE_SPEC.name, Reporter()).spec


@cache
def synth(n: int) -> Spec:
    return parse_spec(synth_spec(n), "synth.md", Reporter()).spec


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def by_class(root: ET.Element, cls: str) -> list[ET.Element]:
    return [el for el in root.iter() if cls in el.get("class", "").split()]


def texts(root: ET.Element, cls: str) -> list[str]:
    return ["".join(el.itertext()) for el in by_class(root, cls)]


def boxes(root: ET.Element) -> list[tuple[int, int, int, int]]:
    return [
        (int(el.get("x", "")), int(el.get("y", "")), int(el.get("width", "")), int(el.get("height", "")))
        for el in by_class(root, "e-box")
    ]


def routes(root: ET.Element) -> list[list[tuple[int, int]]]:
    out = []
    for line in by_class(root, "e-line"):
        pairs = line.get("points", "").split()
        out.append([(int(p.split(",")[0]), int(p.split(",")[1])) for p in pairs])
    return out


def table(name: str, *columns: tuple[str, str]) -> Table:
    """A table whose columns are (name, FK target table or "")."""
    return Table(
        name=name,
        columns=(
            Column(name="id", type="BIGINT", primary_key=True, nullable=False),
            *(
                Column(name=col, type="BIGINT", foreign_key=ForeignKey(table=target) if target else None)
                for col, target in columns
            ),
        ),
    )


# --- escaping -------------------------------------------------------------------------------------------


def test_render_erd_keeps_hostile_names_as_text_when_names_hold_markup() -> None:
    # Arrange
    tables = [
        ErdTable(SCRIPT, (ErdColumn(IMG, QUOTES, "PK", False), ErdColumn("ref", "BIGINT", "FK"))),
        ErdTable(IMG, (ErdColumn("id", SCRIPT, "PK", False),)),
    ]
    edges = [ErdEdge(SCRIPT, ("ref",), IMG, "N:1", ("id",))]

    # Act
    root = parse(render_erd(tables, edges, title=QUOTES, highlight=IMG, links={SCRIPT: "../t/"}))

    # Assert
    assert {el.tag.removeprefix(SVG) for el in root.iter()} <= TAGS
    assert {name for el in root.iter() for name in el.attrib} <= ATTRIBUTES
    assert texts(root, "e-name") == [SCRIPT, IMG]
    assert texts(root, "e-col") == [IMG, "ref", "id"]
    assert texts(root, "e-type") == [QUOTES, "BIGINT", SCRIPT]
    assert root.get("aria-label") == QUOTES
    assert root.findtext(f"{SVG}title") == QUOTES
    assert root.findtext(f"{SVG}desc") == f"Tables: {SCRIPT}, {IMG}"
    assert [el.findtext(f"{SVG}title") for el in by_class(root, "e-edge")] == [
        f"{SCRIPT}.ref → {IMG}.id (N:1)"
    ]


@settings(max_examples=60)
@given(st.lists(st.text(max_size=30), min_size=3, max_size=3), st.text(max_size=30))
def test_render_erd_shows_exact_text_when_names_are_arbitrary(names: list[str], title: str) -> None:
    # Arrange
    tables = [ErdTable(names[0], (ErdColumn(names[1], names[2], "PK", False),))]

    # Act
    root = parse(render_erd(tables, [], title=title))

    # Assert
    def xml(text: str) -> str:  # what XML can carry: the rest is shown as U+FFFD
        return "".join(
            "\ufffd"
            if (c < " " and c not in "\t\n\r") or "\ud800" <= c <= "\udfff" or c in "\ufffe\uffff"
            else c
            for c in text
        )

    assert texts(root, "e-name") == [xml(names[0])]
    assert texts(root, "e-col") == [xml(names[1])]
    assert texts(root, "e-type") == [xml(names[2])]
    assert root.get("aria-label") == xml(title)
    assert {name for el in root.iter() for name in el.attrib} <= ATTRIBUTES


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("../users/", True),
        ("users.md#columns", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        ("data:text/html,x", False),
        ("//evil.example/", False),
        ("/absolute/", False),
        ('x" onclick="alert(1)', False),
        ("x' y", False),
        ("\\\\evil", False),
        ("", False),
    ],
)
def test_render_erd_links_table_name_only_when_url_is_relative_and_safe(url: str, kept: bool) -> None:
    # Arrange
    tables = [ErdTable("users", (ErdColumn("id", "BIGINT", "PK", False),))]

    # Act
    root = parse(render_erd(tables, [], title="t", links={"users": url}))

    # Assert
    anchors = [el for el in root.iter() if el.tag == f"{SVG}a"]
    assert [a.get("href") for a in anchors] == ([url] if kept else [])
    assert texts(root, "e-name") == ["users"]


def test_render_erd_cuts_type_with_whole_type_as_tooltip_when_longer_than_40_characters() -> None:
    # Arrange
    long_type = "ENUM(" + ",".join(f"'value_{i}'" for i in range(12)) + ")"
    tables = [ErdTable("t", (ErdColumn("state", long_type), ErdColumn("short", "TEXT")))]

    # Act
    root = parse(render_erd(tables, [], title="t"))

    # Assert
    cut, short = by_class(root, "e-type")
    assert cut.findtext(f"{SVG}title") == long_type
    assert cut[0].tail == long_type[:39] + "…"
    assert (short.text, list(short)) == ("TEXT", [])


def test_render_erd_survives_python_markdown_when_wrapped_in_a_div() -> None:
    # Arrange
    tables = [ErdTable("*a*_b_", (ErdColumn("[x](javascript:y)", "`INT`", "PK", False),))]
    svg = render_erd(tables, [], title="**T**")

    # Act
    html = markdown.markdown(f"Intro\n\n<div>\n{svg}\n</div>\n\nAfter\n", extensions=["md_in_html"])

    # Assert
    assert svg in html
    assert "\n\n" not in svg


# --- determinism ----------------------------------------------------------------------------------------

_DIGEST = """
import hashlib
from specc.diagnostics import Reporter
from specc.emit.site.erd import clusters, erd_from_spec, neighbourhood, render_erd
from specc.parse import parse_spec
from tests.bench.bench_erd import dense_cluster
from tests.bench.synth import synth_spec
digest = hashlib.sha256(render_erd(*dense_cluster(40), title="dense").encode())
for text in (open("docs/example/ARCHITECTURE.md", encoding="utf-8").read(), synth_spec(120)):
    spec = parse_spec(text, "s.md", Reporter()).spec
    groups = clusters(spec, 15)
    digest.update(repr(groups).encode())
    for group in groups:
        digest.update(render_erd(*erd_from_spec(spec, set(group)), title="x").encode())
    for name in sorted({t.name for t in spec.tables}):
        digest.update(render_erd(*neighbourhood(spec, name), title=name, highlight=name).encode())
print(digest.hexdigest())
"""


def test_render_erd_is_byte_identical_when_hash_seeds_differ() -> None:
    # Arrange
    def run(seed: str) -> str:
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", _DIGEST], cwd=ROOT, env=env, capture_output=True, text=True, check=True
        )
        return done.stdout.strip()

    # Act
    digests = {seed: run(seed) for seed in ("0", "1", "12345")}

    # Assert
    assert len(digests["0"]) == 64
    assert digests["0"] == digests["1"] == digests["12345"]


# --- layout ---------------------------------------------------------------------------------------------


@st.composite
def diagrams(draw: st.DrawFn) -> tuple[list[ErdTable], list[ErdEdge]]:
    """Random tables (sizes, names of any length) and references between them, cycles and self-links too."""
    count = draw(st.integers(1, 14))
    tables = [
        ErdTable(
            f"t{i}" + "x" * draw(st.integers(0, 30)),
            tuple(
                ErdColumn(f"c{j}", "T" * draw(st.integers(1, 20)), "FK" if j else "PK", draw(st.booleans()))
                for j in range(draw(st.integers(0, 7)))
            ),
        )
        for i in range(count)
    ]
    pairs = st.tuples(st.integers(0, count - 1), st.integers(0, count - 1), st.integers(0, 7))
    edges = [
        ErdEdge(tables[a].name, (f"c{col}",), tables[b].name, "N:1", ("c0",))
        for a, b, col in draw(st.lists(pairs, max_size=3 * count))
    ]
    return tables, edges


def overlaps(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


@settings(max_examples=80)
@given(diagrams())
def test_render_erd_boxes_are_disjoint_when_tables_are_random(
    diagram: tuple[list[ErdTable], list[ErdEdge]],
) -> None:
    # Arrange
    tables, edges = diagram

    # Act
    root = parse(render_erd(tables, edges, title="t"))

    # Assert
    rects = boxes(root)
    assert len(rects) == len(tables)
    assert [pair for pair in itertools.combinations(rects, 2) if overlaps(*pair)] == []
    width, height = (int(v) for v in root.get("viewBox", "").split()[2:])
    assert all(x >= 0 and y >= 0 and x + w <= width and y + h <= height for x, y, w, h in rects)


@settings(max_examples=80)
@given(diagrams())
def test_render_erd_edges_avoid_boxes_when_tables_are_random(
    diagram: tuple[list[ErdTable], list[ErdEdge]],
) -> None:
    # Arrange
    tables, edges = diagram

    # Act
    root = parse(render_erd(tables, edges, title="t"))

    # Assert
    rects = boxes(root)
    through = []
    for route in routes(root):
        for (x0, y0), (x1, y1) in itertools.pairwise(route):
            assert x0 == x1 or y0 == y1  # orthogonal
            for x, y, w, h in rects:  # the segment meets the box's open interior
                if min(x0, x1) < x + w and max(x0, x1) > x and min(y0, y1) < y + h and max(y0, y1) > y:
                    through.append((route, (x, y, w, h)))
    assert through == []


def test_render_erd_folds_columns_when_a_chain_is_deep() -> None:
    # Arrange
    tables = [
        ErdTable(f"t{i}", (ErdColumn("id", "BIGINT", "PK"), ErdColumn("up", "BIGINT", "FK")))
        for i in range(40)
    ]
    edges = [ErdEdge(f"t{i}", ("up",), f"t{i - 1}", "N:1", ("id",)) for i in range(1, 40)]

    # Act
    root = parse(render_erd(tables, edges, title="chain"))

    # Assert
    columns = sorted({x for x, _, _, _ in boxes(root)})
    assert len(columns) == MAX_COLUMNS
    assert len(routes(root)) == 39


def test_render_erd_spreads_a_crowded_layer_when_a_hub_has_many_referrers() -> None:
    # Arrange
    hub = ErdTable("users", (ErdColumn("id", "BIGINT", "PK"),))
    referrers = [
        ErdTable(f"r{i}", (ErdColumn("id", "BIGINT", "PK"), ErdColumn("user_id", "BIGINT", "FK")))
        for i in range(39)
    ]
    edges = [ErdEdge(f"r{i}", ("user_id",), "users", "N:1", ("id",)) for i in range(39)]

    # Act
    root = parse(render_erd([hub, *referrers], edges, title="star"))

    # Assert
    per_column: dict[int, int] = {}
    for x, _, _, _ in boxes(root):
        per_column[x] = per_column.get(x, 0) + 1
    assert sorted(per_column.values()) == [1, 9, 10, 10, 10]
    assert len(routes(root)) == 39


def test_render_erd_draws_every_foreign_key_when_spec_is_the_example() -> None:
    # Arrange
    spec = example_spec()
    expected = [
        f"{t.name}.{c.name} → {c.foreign_key.table}.id (N:1)"
        for t in spec.tables
        for c in t.columns
        if c.foreign_key is not None
    ]

    # Act
    root = parse(render_erd(*erd_from_spec(spec), title="Chat", highlight="rooms"))

    # Assert
    assert [el.findtext(f"{SVG}title") for el in by_class(root, "e-edge")] == expected
    assert len(expected) == 6
    assert len(routes(root)) == 6
    assert texts(root, "e-name") == ["users", "refresh_tokens", "rooms", "room_members", "messages"]
    assert [texts(g, "e-name") for g in by_class(root, "e-hl")] == [["rooms"]]


def test_render_erd_draws_self_reference_as_loop_when_fk_points_at_own_table() -> None:
    # Arrange
    tables = [ErdTable("node", (ErdColumn("id", "BIGINT", "PK"), ErdColumn("parent_id", "BIGINT", "FK")))]
    edges = [ErdEdge("node", ("parent_id",), "node", "N:1", ("id",))]

    # Act
    root = parse(render_erd(tables, edges, title="tree"))

    # Assert
    ((x, y, w, _),) = boxes(root)
    ((start, *_, end),) = routes(root)
    assert start == (x + w, y + 26 + 20 + 10)  # out of the parent_id row's right side
    assert end == (x + w, y + 26 + 10)  # back into the id row


# --- from the IR ----------------------------------------------------------------------------------------


def test_erd_from_spec_keeps_document_order_when_tables_come_as_a_set() -> None:
    # Arrange
    spec = example_spec()

    # Act
    tables, edges = erd_from_spec(spec, {"messages", "users", "nope"})

    # Assert
    assert [t.name for t in tables] == ["users", "messages"]
    assert [(e.from_table, e.from_columns, e.to_table) for e in edges] == [
        ("messages", ("user_id",), "users")
    ]
    assert [(c.name, c.key, c.nullable) for c in tables[1].columns[:3]] == [
        ("id", "PK", False),
        ("room_id", "FK", False),
        ("user_id", "FK", False),
    ]


def test_erd_from_spec_adds_relationship_edge_when_no_foreign_key_links_the_tables() -> None:
    # Arrange
    spec = Spec(
        tables=(table("users"), table("teams"), table("posts", ("author_id", "users"))),
        relationships=(
            Relationship(from_="users", to="teams", kind="many-to-many"),
            Relationship(from_="users", to="posts", kind="one-to-many"),
            Relationship(from_="teams", to="posts", kind="one-to-many"),
        ),
    )

    # Act
    _, edges = erd_from_spec(spec)

    # Assert
    assert [(e.from_table, e.from_columns, e.to_table, e.cardinality) for e in edges] == [
        ("users", (), "teams", "N:M"),
        ("posts", ("author_id",), "users", "N:1"),
        ("posts", (), "teams", "N:1"),
    ]


def test_erd_from_spec_marks_one_to_one_when_foreign_key_is_unique() -> None:
    # Arrange
    profile = Table(
        name="profiles",
        columns=(
            Column(name="user_id", type="BIGINT", primary_key=True, foreign_key=ForeignKey(table="users")),
            Column(name="avatar_id", type="BIGINT", unique=True, foreign_key=ForeignKey(table="files")),
            Column(name="team_id", type="BIGINT", foreign_key=ForeignKey(table="teams")),
        ),
    )
    spec = Spec(tables=(table("users"), table("files"), table("teams"), profile))

    # Act
    tables, edges = erd_from_spec(spec)

    # Assert
    assert [e.cardinality for e in edges] == ["1:1", "1:1", "N:1"]
    assert [c.key for c in tables[3].columns] == ["PK FK", "FK", "FK"]


def test_neighbourhood_holds_referenced_and_referencing_tables_when_table_is_rooms() -> None:
    # Arrange
    spec = example_spec()

    # Act
    tables, edges = neighbourhood(spec, "rooms")

    # Assert
    assert [t.name for t in tables] == ["users", "rooms", "room_members", "messages"]
    assert [(e.from_table, e.from_columns[0], e.to_table) for e in edges] == [
        ("rooms", "created_by", "users"),
        ("room_members", "room_id", "rooms"),
        ("messages", "room_id", "rooms"),
    ]


def test_neighbourhood_keeps_referenced_tables_first_when_limit_cuts() -> None:
    # Arrange
    spec = example_spec()

    # Act
    users = neighbourhood(spec, "users", limit=3)
    messages = neighbourhood(spec, "messages", limit=2)
    unknown = neighbourhood(spec, "nope")

    # Assert
    assert [t.name for t in users[0]] == ["users", "refresh_tokens", "rooms"]
    assert [e.from_table for e in users[1]] == ["refresh_tokens", "rooms"]
    assert [t.name for t in messages[0]] == ["rooms", "messages"]
    assert unknown == ([], [])


# --- clusters -------------------------------------------------------------------------------------------


def test_clusters_cover_each_table_once_within_the_maximum_when_spec_has_1000_tables() -> None:
    # Arrange
    spec = synth(1000)

    # Act
    groups = clusters(spec)

    # Assert
    names = [name for group in groups for name in group]
    assert sorted(names) == sorted(table_name(i) for i in range(1000))
    assert len(names) == len(set(names)) == 1000
    assert max(len(group) for group in groups) == MAX_DIAGRAM_TABLES
    assert len(groups) == 25  # a chain: full groups of 40
    for group in groups:  # each group is connected: consecutive entities of the chain
        numbers = sorted(int(name[7:12]) for name in group)
        assert numbers == list(range(numbers[0], numbers[0] + len(group)))


def test_clusters_bundle_a_hubs_neighbours_when_the_hub_has_more_than_fit() -> None:
    # Arrange
    spec = Spec(tables=(table("hub"), *(table(f"leaf{i:03d}", ("hub_id", "hub")) for i in range(100))))

    # Act
    groups = clusters(spec, 40)

    # Assert
    assert [len(group) for group in groups] == [40, 40, 21]
    assert groups[0][0] == "hub"
    assert sorted(name for group in groups for name in group) == sorted(t.name for t in spec.tables)


def test_clusters_pack_small_components_together_when_they_fit() -> None:
    # Arrange
    spec = Spec(tables=(*(table(f"t{i}") for i in range(7)), table("u", ("t_id", "t6"))))

    # Act
    groups = clusters(spec, 3)

    # Assert
    assert groups == [["t0", "t1", "t2"], ["t3", "t4", "t5"], ["t6", "u"]]


def test_clusters_refuse_when_maximum_is_below_one() -> None:
    # Arrange
    spec = example_spec()

    # Act / Assert
    with pytest.raises(ValueError, match="at least 1"):
        clusters(spec, 0)


@settings(max_examples=40)
@given(
    st.integers(1, 60),
    st.lists(st.tuples(st.integers(0, 59), st.integers(0, 59)), max_size=120),
    st.integers(1, 12),
)
def test_clusters_partition_tables_within_the_maximum_when_graphs_are_random(
    count: int, pairs: list[tuple[int, int]], maximum: int
) -> None:
    # Arrange
    refs: dict[int, list[tuple[str, str]]] = {i: [] for i in range(count)}
    for a, b in pairs:
        if a < count and b < count:
            refs[a].append((f"r{len(refs[a])}", f"t{b}"))
    spec = Spec(tables=tuple(table(f"t{i}", *refs[i]) for i in range(count)))

    # Act
    groups = clusters(spec, maximum)

    # Assert
    names = [name for group in groups for name in group]
    assert sorted(names) == sorted(f"t{i}" for i in range(count))
    assert len(names) == len(set(names))
    assert all(1 <= len(group) <= maximum for group in groups)
