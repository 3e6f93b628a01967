"""`read_database` on a PostgreSQL database that was NOT made by specc: PostgreSQL's own spellings normalise
to what a spec lowers to, unnamed constraints and indexes have the server's names, types SQLAlchemy cannot
reflect keep the server's spelling, and every enum type is read."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa

from specc.db.lower import lower
from specc.db.model import (
    DbCheck,
    DbColumn,
    DbEnum,
    DbForeignKey,
    DbIndex,
    DbPrimaryKey,
    DbSchema,
    DbTable,
    DbUnique,
)
from specc.db.reflect import read_database, reflect_db_schema
from specc.ir.model import CheckConstraint, Column, ForeignKey, Index, Spec, Table
from tests.db.compare import schema_differences

pytestmark = pytest.mark.postgres

DDL = """
CREATE TYPE account_kind AS ENUM ('person', 'company');
CREATE TYPE mood AS ENUM ('happy', 'sad');
CREATE TABLE accounts (
    id bigserial PRIMARY KEY,
    email varchar(255) NOT NULL UNIQUE,
    kind account_kind NOT NULL DEFAULT 'person',
    nickname text DEFAULT 'anon',
    balance numeric(12, 2) NOT NULL DEFAULT 0 CHECK (balance >= 0),
    tags text[] NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT NOW()
);
CREATE TABLE notes (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id bigint REFERENCES accounts (id) ON DELETE CASCADE,
    body text NOT NULL,
    meta jsonb,
    spot point,
    rings circle[],
    CONSTRAINT body_not_blank CHECK (char_length(body) > 0)
);
CREATE INDEX notes_account_id_idx ON notes (account_id);
CREATE INDEX ON notes USING gin (meta);
CREATE INDEX notes_lower_body ON notes (lower(body));
"""


def _execute(url: str, ddl: str) -> None:
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(ddl)
    finally:
        engine.dispose()


def _accounts_spec() -> Spec:
    """The spec a person would write for the `accounts` table of `DDL`."""
    accounts = Table(
        name="accounts",
        columns=(
            Column(name="id", type="BIGSERIAL", nullable=False, primary_key=True, autoincrement=True),
            Column(name="email", type="VARCHAR(255)", nullable=False, unique=True),
            Column(name="kind", type="ENUM('person','company')", nullable=False, default="'person'"),
            Column(name="nickname", type="TEXT", default="'anon'"),
            Column(name="balance", type="NUMERIC(12, 2)", nullable=False, default="0", check="balance >= 0"),
            Column(name="tags", type="TEXT[]", nullable=False, default="'{}'"),
            Column(name="created_at", type="TIMESTAMPTZ", nullable=False, default="NOW()"),
        ),
    )
    return Spec(tables=(accounts,))


def _expected() -> DbSchema:
    accounts = DbTable(
        name="accounts",
        columns=(
            DbColumn(name="id", type="BIGINT", nullable=False, autoincrement=True),
            DbColumn(name="email", type="VARCHAR(255)", nullable=False),
            DbColumn(
                name="kind",
                type="ENUM('person','company')",
                nullable=False,
                default="'person'",
                enum="account_kind",
            ),
            DbColumn(name="nickname", type="TEXT", default="'anon'"),
            DbColumn(name="balance", type="NUMERIC(12,2)", nullable=False, default="0"),
            DbColumn(name="tags", type="TEXT[]", nullable=False, default="'{}'"),
            DbColumn(name="created_at", type="TIMESTAMPTZ", nullable=False, default="now()"),
        ),
        primary_key=DbPrimaryKey(name="accounts_pkey", columns=("id",)),
        uniques=(DbUnique(name="accounts_email_key", columns=("email",)),),
        checks=(DbCheck(name="accounts_balance_check", expression="balance >= 0"),),
    )
    notes = DbTable(
        name="notes",
        columns=(
            DbColumn(name="id", type="INTEGER", nullable=False, autoincrement=True),
            DbColumn(name="account_id", type="BIGINT"),
            DbColumn(name="body", type="TEXT", nullable=False),
            DbColumn(name="meta", type="JSONB"),
            DbColumn(name="spot", type="point"),
            DbColumn(name="rings", type="circle[]"),
        ),
        primary_key=DbPrimaryKey(name="notes_pkey", columns=("id",)),
        indexes=(
            DbIndex(name="notes_account_id_idx", columns=("account_id",)),
            DbIndex(name="notes_meta_idx", columns=("meta",), method="gin"),
        ),
        checks=(DbCheck(name="body_not_blank", expression="char_length(body) > 0"),),
        foreign_keys=(
            DbForeignKey(
                name="notes_account_id_fkey",
                columns=("account_id",),
                ref_table="accounts",
                ref_columns=("id",),
                on_delete="CASCADE",
            ),
        ),
    )
    enums = (
        DbEnum(name="account_kind", values=("person", "company")),
        DbEnum(name="mood", values=("happy", "sad")),
    )
    return DbSchema(tables=(accounts, notes), enums=enums)


def test_read_database_hand_made_schema_has_the_servers_names_and_normal_spellings(pg_url: str) -> None:
    # Arrange
    _execute(pg_url, DDL)
    # Act
    read = read_database(pg_url)
    # Assert: the expression index `notes_lower_body` is left out; the unused enum `mood` is read
    assert schema_differences(read, _expected()) == []


def test_read_database_hand_made_columns_equal_the_equivalent_spec_lowered(pg_url: str) -> None:
    # Arrange
    _execute(pg_url, DDL)
    lowered = lower(_accounts_spec()).table("accounts")
    # Act
    read = read_database(pg_url).table("accounts")
    # Assert: only the enum type's name differs (the spec's is derived from table and column)
    assert read is not None and lowered is not None
    assert [c.model_copy(update={"enum": None}) for c in read.columns] == [
        c.model_copy(update={"enum": None}) for c in lowered.columns
    ]
    assert [c.expression for c in read.checks] == [c.expression for c in lowered.checks]


def test_read_database_serial_and_identity_are_autoincrement_without_default(pg_url: str) -> None:
    # Arrange
    _execute(pg_url, DDL)
    # Act
    schema = read_database(pg_url)
    # Assert
    ids = [t.column("id") for t in schema.tables]
    assert [(c.autoincrement, c.default) for c in ids if c is not None] == [(True, None), (True, None)]


def test_read_database_serial_column_outside_the_primary_key_keeps_its_nextval_default(pg_url: str) -> None:
    # Arrange
    _execute(pg_url, "CREATE TABLE tickets (id integer PRIMARY KEY, number bigserial NOT NULL);")
    # Act
    table = read_database(pg_url).table("tickets")
    # Assert
    number = table.column("number") if table is not None else None
    assert number == DbColumn(
        name="number",
        type="BIGINT",
        nullable=False,
        default="nextval('tickets_number_seq'::regclass)",
    )


def test_read_database_empty_database_has_no_tables(pg_url: str) -> None:
    # Arrange
    url = pg_url
    # Act
    schema = read_database(url)
    # Assert
    assert schema == DbSchema()


def test_read_database_leaves_out_alembic_version(pg_url: str) -> None:
    # Arrange
    _execute(pg_url, "CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY);")
    # Act
    schema = read_database(pg_url)
    # Assert
    assert schema.tables == ()


@pytest.mark.parametrize("spelling", ["INDEX", "UNIQUE INDEX"])
def test_read_database_index_kinds_match_lower_for_the_same_index_row(pg_url: str, spelling: str) -> None:
    # Arrange
    unique = spelling == "UNIQUE INDEX"
    spec = Spec(
        tables=(
            Table(
                name="tags",
                columns=(
                    Column(name="id", type="INTEGER", nullable=False, primary_key=True),
                    Column(name="a", type="TEXT"),
                    Column(name="b", type="TEXT"),
                    Column(name="owner_id", type="INTEGER", foreign_key=ForeignKey(table="tags")),
                ),
                indexes=(Index(columns=("a", "b"), unique=unique, name="tags_a_b"),),
                checks=(CheckConstraint(expression="a <> b", name="distinct_ab"),),
            ),
        )
    )
    index = "CONSTRAINT tags_a_b UNIQUE (a, b));" if unique else "); CREATE INDEX tags_a_b ON tags (a, b);"
    _execute(
        pg_url,
        "CREATE TABLE tags (id integer NOT NULL, a text, b text, owner_id integer, "
        "CONSTRAINT pk_tags PRIMARY KEY (id), "
        "CONSTRAINT fk_tags_owner_id_tags FOREIGN KEY (owner_id) REFERENCES tags (id), "
        "CONSTRAINT ck_tags_distinct_ab CHECK (a <> b)" + ("," if unique else "") + index,
    )
    # Act
    read = read_database(pg_url)
    # Assert: a unique btree index row is a unique constraint, a plain one an index, both under its name
    assert schema_differences(read, lower(spec)) == []


def _queries_to_reflect(url: str, tables: int) -> int:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        for i in range(tables):
            conn.execute(
                sa.text(
                    f"CREATE TABLE t{i} (id bigserial PRIMARY KEY, name text UNIQUE, "
                    "parent bigint REFERENCES t0 (id), CHECK (id > 0))"
                )
            )
    count = [0]

    def counted(*_: object) -> None:
        count[0] += 1

    sa.event.listen(engine, "before_cursor_execute", counted)
    with engine.connect() as conn:
        assert len(reflect_db_schema(conn).tables) == tables
    engine.dispose()
    return count[0]


def test_reflect_db_schema_reads_all_tables_in_a_fixed_number_of_queries(
    pg_database_factory: Callable[[], str],
) -> None:
    # Arrange / Act: the same kinds of tables, 3 of them and 60 of them
    few = _queries_to_reflect(pg_database_factory(), 3)
    many = _queries_to_reflect(pg_database_factory(), 60)
    # Assert: catalog queries in bulk, not a round trip per table
    assert few == many
    assert many < 30


def test_read_database_defaults_and_checks_with_percent_and_colon_are_read_as_the_database_spells_them(
    pg_url: str,
) -> None:
    # Arrange: text SQLAlchemy would compile (`%` doubled, `:help` a parameter rendered NULL); the driver
    # reads `%%` as one `%`
    _execute(
        pg_url,
        "CREATE TABLE notes (id integer PRIMARY KEY, discount text DEFAULT '50%% off', "
        "hint text DEFAULT 'see :help', "
        "CONSTRAINT code_like CHECK (discount LIKE 'A%%' OR hint <> ' :x'));",
    )
    # Act
    table = read_database(pg_url).table("notes")
    # Assert
    assert table is not None
    assert [c.default for c in table.columns] == [None, "'50% off'", "'see :help'"]
    assert table.checks == (DbCheck(name="code_like", expression="discount ~~ 'A%' OR hint <> ' :x'"),)


def test_read_database_foreign_key_to_a_dotted_table_name_keeps_the_name_whole(pg_url: str) -> None:
    # Arrange
    _execute(
        pg_url,
        'CREATE TABLE "x.y" (id integer PRIMARY KEY, "c.d" integer UNIQUE); '
        'CREATE TABLE r (id integer, CONSTRAINT r_fk FOREIGN KEY (id) REFERENCES "x.y" ("c.d"));',
    )
    # Act
    table = read_database(pg_url).table("r")
    # Assert
    assert table is not None
    assert table.foreign_keys == (
        DbForeignKey(name="r_fk", columns=("id",), ref_table="x.y", ref_columns=("c.d",)),
    )
