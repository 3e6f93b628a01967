"""The SQL type registry: canonical IR types → Python annotations, SQLAlchemy code and runtime types."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy.dialects import postgresql

from specc.db.names import enum_type_name
from specc.emit.sqlruntime import sa_type
from specc.emit.sqltypes import (
    PyType,
    TypeMapping,
    python_type,
    register,
    registered_bases,
    sa_type_code,
)
from specc.ir.types import KNOWN_BASES, canonical, sql_type
from specc.pycode.imports import PyImport
from specc.pycode.literals import py_str

DIALECT = postgresql.dialect()  # type: ignore[no-untyped-call]


def test_registry_covers_every_known_base() -> None:
    # Arrange
    expected = KNOWN_BASES
    # Act
    registered = registered_bases()
    # Assert
    assert registered == expected


def test_register_refuses_duplicate_base() -> None:
    # Arrange
    row = TypeMapping("TEXT", PyType("str"), lambda _t, _e: "sa.Text()", ())
    # Act / Assert
    with pytest.raises(ValueError, match="already registered"):
        register(row)


@pytest.mark.parametrize(
    ("canonical_type", "annotation", "modules"),
    [
        ("BIGINT", "int", set()),
        ("VARCHAR(255)", "str", set()),
        ("NUMERIC(10,2)", "decimal.Decimal", {"decimal"}),
        ("TIMESTAMPTZ", "datetime.datetime", {"datetime"}),
        ("DATE", "datetime.date", {"datetime"}),
        ("INTERVAL", "datetime.timedelta", {"datetime"}),
        ("UUID", "uuid.UUID", {"uuid"}),
        ("JSONB", "dict[str, Any]", {"typing"}),
        ("TEXT[]", "list[str]", set()),
        ("INTEGER[][]", "list[list[int]]", set()),
        ("BYTEA", "bytes", set()),
        ("ENUM('a','b')", "str", set()),
        ("VECTOR(3)", "list[float]", set()),
        ("geography(Point,4326)", "Any", {"typing"}),
    ],
)
def test_python_type_annotation_and_imports_per_type(
    canonical_type: str, annotation: str, modules: set[str]
) -> None:
    # Arrange
    t = sql_type(canonical_type)
    # Act
    py = python_type(t)
    # Assert
    assert py.annotation == annotation
    assert {i.module for i in py.imports} == modules


@pytest.mark.parametrize(
    ("canonical_type", "code"),
    [
        ("VARCHAR(255)", "sa.String(255)"),
        ("VARCHAR", "sa.String()"),
        ("TIMESTAMPTZ", "sa.DateTime(timezone=True)"),
        ("NUMERIC(10,2)", "sa.Numeric(10, 2)"),
        ("NUMERIC(8)", "sa.Numeric(8)"),
        ("JSONB", "postgresql.JSONB()"),
        ("TEXT[]", "postgresql.ARRAY(sa.Text())"),
        ("INTEGER[][]", "postgresql.ARRAY(sa.Integer(), dimensions=2)"),
        ("ENUM('a','b')", 'sa.Enum("a", "b", name="users_role")'),
        ("VECTOR(3)", 'PgType("VECTOR(3)")'),
    ],
)
def test_sa_type_code_renders_alembic_style_expression(canonical_type: str, code: str) -> None:
    # Arrange
    t = sql_type(canonical_type)
    # Act
    rendered = sa_type_code(t, "users_role")
    # Assert
    assert rendered.code == code


def test_sa_type_code_imports_pg_type_from_raw_module_when_given() -> None:
    # Arrange
    t = sql_type("VECTOR(1536)")
    # Act
    rendered = sa_type_code(t, None, raw_type_module="app.types")
    # Assert
    assert rendered.imports == (PyImport("app.types", "PgType"),)


def test_sa_type_code_array_imports_both_sqlalchemy_and_postgresql() -> None:
    # Arrange
    t = sql_type("UUID[]")
    # Act
    rendered = sa_type_code(t, None)
    # Assert
    assert [i.line() for i in rendered.imports] == [
        "import sqlalchemy as sa",
        "from sqlalchemy.dialects import postgresql",
    ]


@pytest.mark.parametrize("canonical_type", sorted(b for b in KNOWN_BASES if b not in ("ENUM",)))
def test_sa_type_runtime_compiles_back_to_the_same_canonical_type(canonical_type: str) -> None:
    # Arrange
    spelled = {"VARCHAR": "VARCHAR(40)", "CHAR": "CHAR(3)", "NUMERIC": "NUMERIC(12,3)", "VECTOR": "VECTOR(3)"}
    text = spelled.get(canonical_type, canonical_type)
    # Act
    compiled = sa_type(sql_type(text), None).compile(dialect=DIALECT)
    # Assert
    assert canonical(compiled) == text


def test_sa_type_enum_uses_given_type_name() -> None:
    # Arrange
    t = sql_type("ENUM('draft','sent')")
    # Act
    runtime = sa_type(t, "messages_state")
    # Assert
    assert runtime.compile(dialect=DIALECT) == "messages_state"


def test_sa_type_array_wraps_item_type() -> None:
    # Arrange
    t = sql_type("VARCHAR(20)[]")
    # Act
    compiled = sa_type(t, None).compile(dialect=DIALECT)
    # Assert
    assert compiled == "VARCHAR(20)[]"


def test_enum_type_name_joins_table_and_column_lowercase() -> None:
    # Arrange / Act
    name = enum_type_name("Users", "Role")
    # Assert
    assert name == "users_role"


def test_enum_type_name_long_name_fits_postgresql_limit_deterministically() -> None:
    # Arrange
    table, column = "t" * 40, "c" * 40
    # Act
    first, second = enum_type_name(table, column), enum_type_name(table, column)
    # Assert
    assert len(first) == 63
    assert first == second
    assert first != enum_type_name(table, "d" * 40)


@pytest.mark.parametrize(
    ("text", "literal"),
    [("plain", '"plain"'), ('say "hi"', "'say \"hi\"'"), ("it's", '"it\'s"'), ("a\\b\nc", '"a\\\\b\\nc"')],
)
def test_py_str_quotes_like_ruff_format(text: str, literal: str) -> None:
    # Arrange / Act
    rendered = py_str(text)
    # Assert
    assert rendered == literal
    assert eval(rendered) == text


def test_text_writers_do_not_import_sqlalchemy_at_start_up() -> None:
    # Arrange: a fresh interpreter, so modules other tests imported do not count
    code = (
        "import sys; import specc.build, specc.emit.models, specc.emit.openapi, specc.emit.sqltypes; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'alembic')))"
    )
    # Act
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # Assert: generating text needs no SQLAlchemy; importing it costs a third of a small build
    assert done.stdout.strip() == "[]"
