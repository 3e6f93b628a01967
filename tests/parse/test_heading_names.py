"""Headings that name the table and say more (issue 15, item 3): a backticked identifier in a heading is the
table name; a prefix word's number (`Table 7 —`, `Entity 3:`) is not part of it."""

from __future__ import annotations

import pytest

from specc.parse.tables import table_name_from_heading


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
