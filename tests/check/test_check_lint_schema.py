"""Lint rules on the schema, L001–L008: a failing and a passing case each (more where a rule has edges)."""

from __future__ import annotations

import pytest

from specc.check.util import is_plaintext_password_name, is_secret_name
from specc.diagnostics import Severity
from specc.ir.model import Column, Index
from tests.check.check_builders import col, fk_col, found, pk, span, spec, table, users


@pytest.mark.parametrize("type_", ["INTEGER", "SMALLINT"])
def test_l001_small_integer_primary_key_warned(type_: str) -> None:
    # Arrange
    s = spec(table("users", pk(type_=type_)))
    # Act
    result = found(s, "L001")
    # Assert
    assert [(d.line, d.severity, d.message) for d in result] == [
        (2, Severity.WARNING, f"primary key users.id is {type_}; use BIGINT")
    ]


@pytest.mark.parametrize("type_", ["BIGINT", "UUID", "VARCHAR(20)"])
def test_l001_bigint_uuid_or_natural_primary_key_silent(type_: str) -> None:
    # Arrange
    s = spec(table("things", Column(name="id", type=type_, primary_key=True)))
    # Act / Assert
    assert found(s, "L001") == []


def test_l001_integer_fk_inside_composite_key_left_to_r007() -> None:
    # Arrange
    member = fk_col("user_id", "users", type_="INTEGER").model_copy(update={"primary_key": True})
    s = spec(users(), table("members", member, pk("room_id"), line=10))
    # Act / Assert
    assert found(s, "L001") == []


def test_l002_table_without_primary_key_warned_at_table() -> None:
    # Arrange
    s = spec(table("logs", col("message"), line=7))
    # Act
    result = found(s, "L002")
    # Assert
    assert [(d.line, d.message) for d in result] == [(7, 'table "logs" has no primary key')]


def test_l002_table_with_primary_key_silent() -> None:
    # Arrange / Act / Assert
    assert found(spec(users()), "L002") == []


@pytest.mark.parametrize(("type_", "hint"), [("TIMESTAMP", "use TIMESTAMPTZ"), ("TIME", "TIMETZ")])
def test_l003_naive_time_types_warned(type_: str, hint: str) -> None:
    # Arrange
    s = spec(table("events", pk(), col("starts_at", type_, line=5, type_span=span(5, 15))))
    # Act
    result = found(s, "L003")
    # Assert
    assert [(d.line, d.column) for d in result] == [(5, 15)]
    assert hint in (result[0].hint or "")


def test_l003_timestamptz_silent() -> None:
    # Arrange
    s = spec(table("events", pk(), col("starts_at", "TIMESTAMPTZ")))
    # Act / Assert
    assert found(s, "L003") == []


@pytest.mark.parametrize("type_", ["VARCHAR", "CHAR"])
def test_l004_string_without_length_warned(type_: str) -> None:
    # Arrange
    s = spec(table("users", pk(), col("email", type_)))
    # Act
    result = found(s, "L004")
    # Assert
    assert [d.message for d in result] == [f"column users.email is {type_} without a length"]


@pytest.mark.parametrize("type_", ["VARCHAR(255)", "CHAR(2)", "TEXT"])
def test_l004_string_with_length_or_text_silent(type_: str) -> None:
    # Arrange
    s = spec(table("users", pk(), col("email", type_)))
    # Act / Assert
    assert found(s, "L004") == []


@pytest.mark.parametrize("name", ["price", "total_amount", "accountBalance", "shipping_fee"])
def test_l005_money_as_double_warned(name: str) -> None:
    # Arrange
    s = spec(table("orders", pk(), col(name, "DOUBLE PRECISION")))
    # Act
    result = found(s, "L005")
    # Assert
    assert len(result) == 1
    assert "looks like money" in result[0].message


@pytest.mark.parametrize(("name", "type_"), [("price", "NUMERIC(10,2)"), ("latitude", "DOUBLE PRECISION")])
def test_l005_money_as_numeric_or_float_non_money_silent(name: str, type_: str) -> None:
    # Arrange
    s = spec(table("orders", pk(), col(name, type_)))
    # Act / Assert
    assert found(s, "L005") == []


def test_l006_fk_without_on_delete_warned_at_fk() -> None:
    # Arrange
    s = spec(users(), table("posts", pk(), fk_col("author_id", "users", on_delete=None, line=12), line=10))
    # Act
    result = found(s, "L006")
    # Assert
    assert [(d.line, d.column, d.severity) for d in result] == [(12, 20, Severity.WARNING)]


def test_l006_fk_with_on_delete_silent() -> None:
    # Arrange
    s = spec(users(), table("posts", pk(), fk_col("author_id", "users", on_delete="SET NULL"), line=10))
    # Act / Assert
    assert found(s, "L006") == []


def test_l007_fk_column_without_index_warned() -> None:
    # Arrange
    s = spec(users(), table("posts", pk(), fk_col("author_id", "users", indexed=False, line=12), line=10))
    # Act
    result = found(s, "L007")
    # Assert
    assert [(d.line, d.message) for d in result] == [(12, "foreign key column posts.author_id has no index")]


@pytest.mark.parametrize("cover", ["indexed", "unique", "leading_pk", "index_first", "unique_index_first"])
def test_l007_fk_column_covered_by_an_index_silent(cover: str) -> None:
    # Arrange
    fk = fk_col("author_id", "users", indexed=cover == "indexed")
    if cover == "unique":
        fk = fk.model_copy(update={"unique": True})
    if cover == "leading_pk":
        fk = fk.model_copy(update={"primary_key": True})
    indexes: tuple[Index, ...] = ()
    if cover in ("index_first", "unique_index_first"):
        indexes = (Index(columns=("author_id", "id"), unique=cover == "unique_index_first"),)
    columns = (fk, pk("tag")) if cover == "leading_pk" else (pk(), fk)
    s = spec(users(), table("posts", *columns, line=10, indexes=indexes))
    # Act / Assert
    assert found(s, "L007") == []


def test_l007_fk_as_second_index_column_still_warned() -> None:
    # Arrange
    indexes = (Index(columns=("id", "author_id")),)
    s = spec(
        users(), table("posts", pk(), fk_col("author_id", "users", indexed=False), line=10, indexes=indexes)
    )
    # Act / Assert
    assert len(found(s, "L007")) == 1


def test_l008_plaintext_password_column_is_an_error() -> None:
    # Arrange
    s = spec(table("users", pk(), col("password", "VARCHAR(255)", line=4)))
    # Act
    result = found(s, "L008")
    # Assert
    assert [(d.line, d.severity) for d in result] == [(4, Severity.ERROR)]


def test_l008_password_hash_column_silent() -> None:
    # Arrange
    s = spec(table("users", pk(), col("password_hash", "VARCHAR(255)")))
    # Act / Assert
    assert found(s, "L008") == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("password", True),
        ("user_password", True),
        ("plainPassword", True),
        ("password_hash", False),
        ("hashed_password", False),
        ("password_changed_at", False),
        ("has_password", False),
        ("password_reset_token", False),
    ],
)
def test_is_plaintext_password_name_classifies(name: str, expected: bool) -> None:
    # Act / Assert
    assert is_plaintext_password_name(name) is expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("password_hash", True),
        ("passwordHash", True),
        ("secret", True),
        ("client_secret", True),
        ("token_hash", True),
        ("api_key", True),
        ("apiKey", True),
        ("private_key", True),
        ("access_token", False),
        ("refresh_token", False),
        ("token_type", False),
        ("api_key_id", False),
        ("password_changed_at", False),
        ("has_password", False),
        ("file_hash", False),
        ("email", False),
    ],
)
def test_is_secret_name_classifies(name: str, expected: bool) -> None:
    # Act / Assert
    assert is_secret_name(name) is expected


@pytest.mark.parametrize("description", ["Hashed admin password", "bcrypt hash", "Argon2id digest"])
def test_l008_password_column_described_as_hashed_silent(description: str) -> None:
    # Arrange
    s = spec(table("users", pk(), col("password", "VARCHAR(255)", description=description)))
    # Act / Assert
    assert found(s, "L008") == []
