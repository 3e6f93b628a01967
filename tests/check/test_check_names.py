"""Name rules R014–R018: PostgreSQL's limits on names, columns and namespaces, as located diagnostics."""

from __future__ import annotations

from hypothesis import given, settings

from specc.check import run_checks
from specc.check.names import named_objects
from specc.db.lower import lower
from specc.db.names import RELATION, TYPE, constraint_namespace
from specc.diagnostics import Diagnostic, Reporter, Severity
from specc.ir.model import Spec
from specc.parse import parse_spec
from tests.emit.names_harness import table
from tests.migrate.strategies import schemas

ID = "| id | BIGINT | PK, auto-increment |"


def _check(text: str, code: str) -> list[Diagnostic]:
    reporter = Reporter()
    spec = parse_spec(text, "spec.md", reporter).spec
    run_checks(spec, reporter)
    return [d for d in reporter.sorted() if d.code == code]


def _doc(*tables: str, extra: str = "") -> str:
    return "# Shop\n\n" + "".join(tables) + extra


def test_r014_reports_nothing_when_only_derived_names_are_long() -> None:
    # Arrange: the table; its constraint names are over 63 bytes, specc shortens them itself
    text = _doc(
        table(
            "orders_" + "h" * 43,
            ID,
            "| external_reference_1 | TEXT | UNIQUE, NOT NULL |",
            "| external_reference_2 | TEXT | UNIQUE, NOT NULL |",
            "| lookup_key_1 | TEXT | NOT NULL, indexed |",
            "| lookup_key_2 | TEXT | NOT NULL, indexed |",
        )
    )

    # Act
    reporter = Reporter()
    run_checks(parse_spec(text, "spec.md", reporter).spec, reporter)

    # Assert
    assert [d.code for d in reporter.sorted() if d.code.startswith("R01")] == []


def test_r014_reports_both_columns_when_66_character_names_share_63_bytes() -> None:
    # Arrange
    a, b = "a" * 63 + "bcd", "a" * 63 + "xyz"
    text = _doc(table("things", ID, f"| {a} | TEXT | |", f"| {b} | TEXT | |"))

    # Act
    result = _check(text, "R014")

    # Assert
    assert [(d.line, d.column, d.severity) for d in result] == [
        (8, 3, Severity.ERROR),
        (9, 3, Severity.ERROR),
    ]
    assert "66 bytes" in result[0].message


def test_r014_reports_table_name_when_multibyte_name_is_64_bytes() -> None:
    # Arrange: 32 Cyrillic letters are 64 bytes (and 32 characters)
    text = _doc(table("я" * 32, ID), table("ю" * 31, ID))

    # Act
    result = _check(text, "R014")

    # Assert
    assert [(d.line, d.column) for d in result] == [(3, 5)]
    assert "64 bytes" in result[0].message


def test_long_enum_value_and_index_name_are_reported_when_longer_than_63_bytes() -> None:
    # Arrange
    text = _doc(
        table("jobs", ID, f"| state | ENUM('ok','{'v' * 64}') | NOT NULL |"),
        extra="### Indexes\n\n| Table | Column(s) | Type | Name | Why |\n| --- | --- | --- | --- | --- |\n"
        f"| jobs | state | BTREE | {'i' * 64} | lookups |\n",
    )

    # Act
    enum_value = _check(text, "P025")
    index_name = _check(text, "R014")

    # Assert: the enum value already when its type is read (P025), the index name by the name rule (R014)
    assert [d.line for d in enum_value] == [8] and "63 bytes" in enum_value[0].message
    assert [d.line for d in index_name] == [14] and "index name" in index_name[0].message


def test_r015_reports_table_named_like_an_enum_type_of_another_table() -> None:
    # Arrange
    text = _doc(table("users", ID, "| role | ENUM('a','b') | NOT NULL |"), table("users_role", ID))

    # Act
    result = _check(text, "R015")

    # Assert
    assert [(d.line, d.column) for d in result] == [(10, 5)]
    assert "'users_role'" in result[0].message and "enum type of users.role (line 8)" in result[0].message


def test_r015_reports_once_when_unique_names_collide_through_underscores() -> None:
    # Arrange: column `a_b` UNIQUE and an unnamed UNIQUE index on (a, b) are both `uq_t_a_b`
    text = _doc(
        table("t", ID, "| a_b | TEXT | UNIQUE |", "| a | TEXT | |", "| b | TEXT | |"),
        extra="### Indexes\n\n| Table | Column(s) | Type | Why |\n| --- | --- | --- | --- |\n"
        "| t | a, b | UNIQUE | x |\n",
    )

    # Act
    result = _check(text, "R015")

    # Assert
    assert [d.line for d in result] == [16]
    assert "'uq_t_a_b'" in result[0].message


def test_r015_reports_explicit_index_name_used_on_two_tables() -> None:
    # Arrange
    text = _doc(
        table("a", ID, "| x | TEXT | |"),
        table("b", ID, "| x | TEXT | |"),
        extra="### Indexes\n\n| Table | Column(s) | Type | Name | Why |\n| --- | --- | --- | --- | --- |\n"
        "| a | x | BTREE | idx_x | x |\n| b | x | BTREE | idx_x | x |\n",
    )

    # Act
    result = _check(text, "R015")

    # Assert
    assert [d.line for d in result] == [22]
    assert "index on b(x) and index on a(x) (line 21)" in result[0].message


def test_r015_reports_table_check_named_like_a_column_check() -> None:
    # Arrange
    text = _doc(
        table("items", ID, "| price | INTEGER | CHECK (price > 0) |") + "- **Check (price):** price < 100\n\n"
    )

    # Act
    result = _check(text, "R015")

    # Assert
    assert len(result) == 1
    assert "'ck_items_price'" in result[0].message


def test_r015_silent_when_the_same_index_is_listed_twice() -> None:
    # Arrange
    text = _doc(
        table("t", ID, "| a | TEXT | |", "| b | TEXT | |"),
        extra="### Indexes\n\n| Table | Column(s) | Type | Why |\n| --- | --- | --- | --- |\n"
        "| t | a, b | BTREE | x |\n| t | a, b | BTREE | y |\n",
    )

    # Act / Assert
    assert _check(text, "R015") == []


def test_r016_reports_table_when_it_has_1700_columns() -> None:
    # Arrange
    rows = [f"| c{i} | TEXT | |" for i in range(1699)]
    text = _doc(table("wide", ID, *rows), table("narrow", ID, *rows[:1599]))

    # Act
    result = _check(text, "R016")

    # Assert
    assert [(d.line, d.column) for d in result] == [(3, 5)]
    assert "1,700 columns" in result[0].message


def test_r016_reports_index_with_33_columns() -> None:
    # Arrange
    names = [f"c{i}" for i in range(33)]
    text = _doc(
        table("t", ID, *(f"| {n} | TEXT | |" for n in names)),
        extra="### Indexes\n\n| Table | Column(s) | Type | Why |\n| --- | --- | --- | --- |\n"
        f"| t | {', '.join(names)} | BTREE | x |\n",
    )

    # Act
    result = _check(text, "R016")

    # Assert
    assert len(result) == 1
    assert "33 columns" in result[0].message


def test_r017_reports_table_named_alembic_version() -> None:
    # Arrange
    text = _doc(table("alembic_version", ID))

    # Act
    result = _check(text, "R017")

    # Assert
    assert [(d.line, d.column) for d in result] == [(3, 5)]


def test_r017_reports_column_named_xmin() -> None:
    # Arrange
    text = _doc(table("jobs", ID, "| xmin | INTEGER | NOT NULL |", "| oid | INTEGER | |"))

    # Act
    result = _check(text, "R017")

    # Assert
    assert [(d.line, d.column) for d in result] == [(8, 3)]


def test_r018_warns_when_table_name_needs_quoting() -> None:
    # Arrange
    text = _doc(table("user-accounts", ID), table("пользователи", ID))

    # Act
    result = _check(text, "R018")

    # Assert
    assert [(d.line, d.severity) for d in result] == [(3, Severity.WARNING)]
    assert '"user-accounts"' in result[0].message


def _names_by_namespace(objects: list[tuple[str, str]]) -> dict[str, set[str]]:
    result: dict[str, set[str]] = {}
    for namespace, name in objects:
        result.setdefault(namespace, set()).add(name)
    return result


def _lowered_names(spec: Spec) -> dict[str, set[str]]:
    db = lower(spec)
    pairs: list[tuple[str, str]] = []
    for t in db.tables:
        constraints = constraint_namespace(t.name)
        pairs += [(RELATION, t.name), (TYPE, t.name)]
        if t.primary_key is not None:
            pairs += [(RELATION, t.primary_key.name), (constraints, t.primary_key.name)]
        pairs += [(RELATION, u.name) for u in t.uniques] + [(constraints, u.name) for u in t.uniques]
        pairs += [(RELATION, i.name) for i in t.indexes]
        pairs += [(constraints, c.name) for c in t.checks] + [(constraints, f.name) for f in t.foreign_keys]
    pairs += [(TYPE, e.name) for e in db.enums]
    return _names_by_namespace(pairs)


@settings(max_examples=60)
@given(schemas())
def test_named_objects_name_exactly_what_the_lowering_creates_for_any_schema(spec: Spec) -> None:
    # Arrange / Act
    checked = _names_by_namespace([(o.namespace, o.name) for o in named_objects(spec)])

    # Assert
    assert checked == _lowered_names(spec)
