"""Headings that name the table and say more (issue 15, item 3): a backticked identifier in a heading is the
table name; a prefix word's number (`Table 7 —`, `Entity 3:`) is not part of it."""

from __future__ import annotations

import pytest

from specc.parse.headingnames import table_name_from_heading


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("`members` — club accounts", "members"),
        ("2.4 `invoices`", "invoices"),
        ("The `orders` table stores every order", "orders"),
        ("Users (`app_users`)", "app_users"),
        ("`billing.accounts` table", "accounts"),
        ("Table 7 — shipments (logistics)", "shipments"),
        ("Entity 3: Invoices", "invoices"),
        ("`User` — `users`", "users"),
        ("users", "users"),
    ],
)
def test_table_name_from_heading_reads_the_table_when_heading_says_more(heading: str, expected: str) -> None:
    # Arrange / Act
    read = table_name_from_heading(heading)

    # Assert
    assert read.name == expected
    assert read.problem is None


CAPTIONED = """# Shop

## Database Schema

### orders

**Field list:**

| Column | Type | Constraints |
| --- | --- | --- |
| id | BIGINT | PK |

### customers

**Liste des champs :**

| Column | Type | Constraints |
| --- | --- | --- |
| id | BIGINT | PK |

### payments

**字段**：

| Column | Type | Constraints |
| --- | --- | --- |
| id | BIGINT | PK |

## More

**refunds**

| Column | Type | Constraints |
| --- | --- | --- |
| id | BIGINT | PK |
"""


def test_parse_spec_names_table_after_heading_when_caption_only_labels_the_fields() -> None:
    # Arrange
    from specc.diagnostics import Reporter
    from specc.parse import parse_spec

    reporter = Reporter()

    # Act
    spec = parse_spec(CAPTIONED, "ARCHITECTURE.md", reporter).spec

    # Assert
    assert [t.name for t in spec.tables] == ["orders", "customers", "payments", "refunds"]
    assert reporter.diagnostics == []


@pytest.mark.parametrize("name", ["adiagram", "user_relationships", "diagrams_archive"])
def test_parse_spec_reads_table_when_its_name_contains_a_section_word(name: str) -> None:
    # Arrange
    from specc.diagnostics import Reporter
    from specc.parse import parse_spec

    text = f"# a\n\n## Database Schema\n\n### {name}\n\n"
    text += "| Column | Type | Constraints |\n| --- | --- | --- |\n| id | BIGINT | PK |\n"

    # Act
    spec = parse_spec(text, "ARCHITECTURE.md", Reporter()).spec

    # Assert
    assert [t.name for t in spec.tables] == [name]
