"""Entities of a mermaid `erDiagram` are read as tables (specc/parse/mermaid.py): attributes with their keys
and comments, foreign-key targets from relationship lines, exact positions, and a located P036 for a line
in an entity block that is not an attribute."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from specc.diagnostics import Diagnostic, Reporter
from specc.parse.document import Document
from specc.parse.mermaid import looks_like_er_diagram, read_er_diagram
from specc.parse.tables import RawColumn, RawTable


def _read(markdown: str) -> tuple[list[RawTable], list[Diagnostic]]:
    """The tables of the first fence of `markdown`, and the diagnostics, sorted."""
    reporter = Reporter()
    doc = Document(markdown, "spec.md", reporter)
    fence = next(t for t in doc.tokens if t.type == "fence")
    assert fence.map is not None
    tables = read_er_diagram(doc, fence.map[0] + 1, fence.content)
    return tables, reporter.sorted()


def _fence(diagram: str) -> str:
    return "# Data model\n\n```mermaid\n" + diagram + "\n```\n"


def _column(table: RawTable, name: str) -> RawColumn:
    return next(raw for raw in table.columns if raw.column.name == name)


def _found(diagnostics: list[Diagnostic]) -> list[tuple[str, int, int]]:
    return [(d.code, d.line, d.column) for d in diagnostics]


BLOG = """%% the blog
erDiagram
    USERS ||--o{ POSTS : writes
    POSTS ||--o{ COMMENTS : "has"
    USERS ||--o{ COMMENTS : writes
    USERS {
        uuid id PK
        string email UK "login address"
        varchar(255) display_name
        datetime created_at
    }
    POSTS {
        bigint id PK
        uuid author_id FK "who wrote it"
        string[] tags
    }
    COMMENTS {
        int id PK
        bigint post_id FK
        uuid user_id FK
    }"""


def test_read_er_diagram_reads_types_keys_and_comments_when_entities_have_attributes() -> None:
    # Arrange
    text = _fence(BLOG)

    # Act
    tables, diagnostics = _read(text)

    # Assert
    assert diagnostics == []
    assert [t.name for t in tables] == ["users", "posts", "comments"]
    users = tables[0]
    read = [
        (c.column.name, c.column.type, c.column.nullable, c.column.primary_key, c.column.unique)
        for c in users.columns
    ]
    assert read == [
        ("id", "UUID", False, True, False),
        ("email", "VARCHAR", True, False, True),
        ("display_name", "VARCHAR(255)", True, False, False),
        ("created_at", "TIMESTAMP", True, False, False),
    ]
    assert _column(users, "email").column.description == "login address"
    assert _column(tables[1], "tags").column.type == "VARCHAR[]"


def test_read_er_diagram_points_spans_at_entity_and_attribute_names() -> None:
    # Arrange: the diagram starts on line 4 of the document, so USERS { is on line 9
    text = _fence(BLOG)

    # Act
    (users, _, _), _ = _read(text)

    # Assert
    assert (users.span.file, users.span.line, users.span.column) == ("spec.md", 9, 5)
    email = _column(users, "email").column
    assert email.span is not None and (email.span.line, email.span.column) == (11, 16)
    assert email.type_span is not None and (email.type_span.line, email.type_span.column) == (11, 9)
    assert email.constraints_span is not None
    assert (email.constraints_span.line, email.constraints_span.column) == (11, 22)


def test_read_er_diagram_targets_the_parent_an_fk_attribute_names() -> None:
    # Arrange
    text = _fence(BLOG)

    # Act
    (_, _, comments), _ = _read(text)

    # Assert
    post = _column(comments, "post_id")
    user = _column(comments, "user_id")
    assert (post.fk_target, user.fk_target) == ("posts", "users")
    assert post.column.foreign_key is not None and post.column.foreign_key.table == "posts"
    assert post.column.foreign_key.column is None
    assert post.fk_span is not None and (post.fk_span.line, post.fk_span.column) == (22, 24)
    assert post.column.foreign_key.span == post.fk_span


def test_read_er_diagram_targets_the_only_parent_when_fk_name_names_none() -> None:
    # Arrange
    text = _fence(BLOG)

    # Act
    (_, posts, _), _ = _read(text)

    # Assert
    author = _column(posts, "author_id")
    assert author.fk_target == "users"
    assert author.column.foreign_key is not None and author.column.foreign_key.table == "users"
    assert author.column.description == "who wrote it"


def test_read_er_diagram_leaves_fk_without_target_silently_when_two_parents_could_be_meant() -> None:
    # Arrange: an order has two parents, and `payer_ref` names neither
    text = _fence(
        "erDiagram\n    CUSTOMERS ||--o{ ORDERS : places\n    SHOPS ||--o{ ORDERS : sells\n"
        "    ORDERS {\n        int id PK\n        int payer_ref FK\n    }"
    )

    # Act
    (orders,), diagnostics = _read(text)

    # Assert
    payer = _column(orders, "payer_ref")
    assert (payer.fk_target, payer.fk_span, payer.column.foreign_key) == (None, None, None)
    assert diagnostics == []


def test_read_er_diagram_does_not_target_a_child_when_relationship_points_the_other_way() -> None:
    # Arrange: POSTS is the parent of COMMENTS, so a posts attribute cannot reference comments
    text = _fence(
        "erDiagram\n    POSTS ||--o{ COMMENTS : has\n"
        "    POSTS {\n        int id PK\n        int comment_id FK\n    }"
    )

    # Act
    (posts,), _ = _read(text)

    # Assert
    assert _column(posts, "comment_id").column.foreign_key is None


def test_read_er_diagram_names_table_after_entity_when_alias_or_quotes() -> None:
    # Arrange
    text = _fence(
        'erDiagram\n    p["Person record"] {\n        int id PK, UK\n    }\n'
        '    "Order Item" {\n        int id PK\n    }'
    )

    # Act
    tables, diagnostics = _read(text)

    # Assert
    assert diagnostics == []
    assert [(t.name, t.description) for t in tables] == [("p", "Person record"), ("order_item", None)]
    pk = tables[0].columns[0].column
    assert (pk.primary_key, pk.unique, pk.nullable) == (True, True, False)


def test_read_er_diagram_reports_p036_at_line_that_is_not_an_attribute() -> None:
    # Arrange
    text = _fence(
        "erDiagram\n    USERS {\n        uuid id PK\n        %% comments are fine\n\n"
        "        this is prose\n        string name\n    }"
    )

    # Act
    (users,), diagnostics = _read(text)

    # Assert
    assert [c.column.name for c in users.columns] == ["id", "name"]
    assert _found(diagnostics) == [("P036", 9, 9)]


def test_read_er_diagram_makes_no_table_of_entity_without_attributes() -> None:
    # Arrange
    text = _fence("erDiagram\n    TAGS {\n    }\n    LABELS\n    USERS {\n        int id PK\n    }")

    # Act
    tables, diagnostics = _read(text)

    # Assert
    assert [t.name for t in tables] == ["users"]
    assert diagnostics == []


def test_read_er_diagram_keeps_unknown_type_verbatim_with_p005_at_the_type() -> None:
    # Arrange
    text = _fence("erDiagram\n    SHAPES {\n        int id PK\n        polygon outline\n    }")

    # Act
    (shapes,), diagnostics = _read(text)

    # Assert
    assert _column(shapes, "outline").column.type == "polygon"
    assert _found(diagnostics) == [("P005", 7, 9)]


def test_read_er_diagram_counts_indentation_in_columns_when_fence_is_in_a_list_item() -> None:
    # Arrange
    text = "# Data\n\n- model:\n\n  ```mermaid\n  erDiagram\n    A {\n      int id PK\n    }\n  ```\n"

    # Act
    (a,), diagnostics = _read(text)

    # Assert
    assert diagnostics == []
    assert (a.span.line, a.span.column) == (7, 5)
    pk = a.columns[0].column
    assert pk.span is not None and (pk.span.line, pk.span.column) == (8, 11)


def test_read_er_diagram_reads_nothing_when_diagram_is_not_an_er_diagram() -> None:
    # Arrange
    text = _fence("flowchart LR\n    A {\n        int id PK\n    }")

    # Act
    tables, diagnostics = _read(text)

    # Assert
    assert (tables, diagnostics) == ([], [])


@settings(max_examples=50)
@given(
    st.text(max_size=300), st.sampled_from(["erDiagram\n", "erDiagram\n  A {\n", 'erDiagram\n  "B"["x"] {'])
)
def test_read_er_diagram_never_raises_when_text_is_arbitrary(tail: str, head: str) -> None:
    # Arrange
    text = head + tail
    reporter = Reporter()
    doc = Document("```mermaid\n" + text + "\n```\n", "spec.md", reporter)

    # Act
    tables = read_er_diagram(doc, 1, text)

    # Assert
    assert all(isinstance(t, RawTable) and t.columns for t in tables)
    assert all(d.line >= 2 and d.column >= 1 for d in reporter.diagnostics)


@pytest.mark.parametrize(
    ("info", "content", "expected"),
    [
        ("mermaid", "erDiagram\n  A { int id }", True),
        ("mermaid", "\n%% model\nerDiagram\n", True),
        ("mermaid", "---\ntitle: Model\n---\nerDiagram\n", True),
        ("mermaid", "flowchart LR\n  A --> B", False),
        ("sql", "erDiagram\n", False),
        ("", "erDiagram\n", False),
    ],
)
def test_looks_like_er_diagram_answers_by_info_and_first_line(
    info: str, content: str, expected: bool
) -> None:
    # Act
    answer = looks_like_er_diagram(info, content)

    # Assert
    assert answer is expected


def test_read_er_diagram_reads_generated_type_spellings_without_spaces_or_parentheses() -> None:
    # Arrange (corpus-2 document 49, written by tbls: `varchar_255_`, `timestamp_with_time_zone`)
    text = _fence(
        "erDiagram\n    public_groups {\n        varchar_255_ name\n"
        "        timestamp_with_time_zone created_at\n"
        "        numeric_10_2_ price\n        user_role role\n    }"
    )

    # Act
    tables, diagnostics = _read(text)

    # Assert
    assert [raw.column.type for raw in tables[0].columns] == [
        "VARCHAR(255)",
        "TIMESTAMPTZ",
        "NUMERIC(10,2)",
        "user_role",
    ]
    assert [d.code for d in diagnostics] == ["P005"]
