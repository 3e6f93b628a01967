"""`read_catalog` (straight from PostgreSQL's catalog) gives exactly the `DbSchema` that `reflect_db_schema`
(SQLAlchemy's reflection, the reference) gives: on the example's database, on databases built from the
corpus documents, on a database of hard cases written by hand, and on random schemas
(`tests/db/test_catalog_properties.py`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from specc.config import Config
from specc.db.catalog import read_catalog
from specc.db.model import DbColumn, DbEnum, DbForeignKey, DbIndex, DbSchema
from specc.db.reflect import reflect_db_schema
from specc.frontend import load
from specc.ir.model import Spec
from specc.ir.types import sql_type
from specc.migrate.database import upgrade
from tests.conftest import ROOT, corpus_documents
from tests.migrate.harness import Project

pytestmark = pytest.mark.postgres

HARD_CASES = """
CREATE TYPE mood AS ENUM ('happy', 'sad', 'it''s ok');
CREATE TYPE unused_kind AS ENUM ('a', 'b');
CREATE TYPE tag_kind AS ENUM ('red', 'green');
ALTER TYPE tag_kind ADD VALUE 'blue' BEFORE 'red';
CREATE TYPE "Weird Enum" AS ENUM ('x');
CREATE DOMAIN email AS text NOT NULL DEFAULT 'nobody@example.com' CHECK (VALUE LIKE '%%@%%');
CREATE DOMAIN positive AS integer CHECK (VALUE > 0);
CREATE SCHEMA other;
CREATE TYPE other.mood AS ENUM ('x', 'y');
CREATE TABLE other.accounts (id integer PRIMARY KEY, note text);
CREATE COLLATION other.exact FROM "C";
CREATE TABLE accounts (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket bigserial NOT NULL,
    handle varchar NOT NULL,
    name varchar(80) COLLATE "C",
    code char(3),
    flag char,
    amount numeric(12, 2) DEFAULT 0 CHECK (amount >= 0::numeric),
    ratio numeric,
    wide numeric(5),
    seen timestamp(3) with time zone DEFAULT now(),
    plain_ts timestamp(0),
    t_of_day time(2),
    zoned time with time zone,
    span interval day to second(3),
    tags tag_kind[] DEFAULT '{red}',
    feeling mood DEFAULT 'happy',
    other_feeling other.mood,
    weird "Weird Enum",
    contact email,
    maybe_contact email[],
    score positive DEFAULT 5,
    spot point,
    rings circle[],
    bits bit(3),
    vbits bit varying(8),
    f8 double precision,
    jb jsonb DEFAULT '{}'::jsonb,
    u uuid DEFAULT gen_random_uuid(),
    mac8 macaddr8,
    words text[] DEFAULT ARRAY['a', 'b'],
    int_grid integer[][],
    rng int4range,
    doubled bigint GENERATED ALWAYS AS (ticket * 2) STORED,
    charflag "char",
    exact_name text COLLATE other.exact,
    note text DEFAULT 'it''s 50%% :off',
    CONSTRAINT accounts_handle_key UNIQUE (handle),
    CONSTRAINT handle_len CHECK (char_length((handle)::text) > 2 AND (handle)::text <> 'x'::text),
    CHECK (ratio IS NULL OR ratio < 1.5)
);
CREATE UNIQUE INDEX accounts_lower_handle ON accounts (lower(handle));
CREATE INDEX accounts_seen_partial ON accounts (seen) WHERE seen IS NOT NULL;
CREATE INDEX accounts_desc ON accounts (amount DESC);
CREATE INDEX accounts_tags_gin ON accounts USING gin (tags);
CREATE INDEX accounts_hash ON accounts USING hash (handle);
CREATE INDEX accounts_incl ON accounts (name) INCLUDE (code);
CREATE INDEX accounts_twice ON accounts (code, code);
CREATE TABLE pairs (a integer NOT NULL, b varchar(10) NOT NULL, label text, PRIMARY KEY (b, a),
                    UNIQUE (label) INCLUDE (a));
CREATE TABLE links (
    id serial PRIMARY KEY,
    pair_a integer,
    pair_b varchar(10),
    parent_id integer REFERENCES links (id) ON DELETE SET NULL,
    account_id integer,
    CONSTRAINT links_pair_fk FOREIGN KEY (pair_b, pair_a) REFERENCES pairs (b, a)
        ON UPDATE CASCADE ON DELETE RESTRICT,
    CONSTRAINT links_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id)
        ON DELETE SET DEFAULT ON UPDATE SET NULL DEFERRABLE INITIALLY DEFERRED,
    CONSTRAINT links_exclude EXCLUDE USING hash (pair_b WITH =)
);
CREATE TABLE measurements (
    id bigint NOT NULL,
    taken date NOT NULL,
    account_id integer REFERENCES accounts (id) ON DELETE CASCADE,
    value numeric(8, 3) CHECK (value > 0),
    link_b varchar(10),
    link_a integer,
    CONSTRAINT measurements_pair_fk FOREIGN KEY (link_b, link_a) REFERENCES pairs (b, a)
        ON DELETE SET NULL (link_a),
    PRIMARY KEY (id, taken)
) PARTITION BY RANGE (taken);
CREATE TABLE measurements_2026 PARTITION OF measurements FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE INDEX measurements_taken ON measurements (taken);
CREATE TABLE empty_table ();
CREATE TABLE odd_names (")" integer CHECK (")" > 0), "a""b" text DEFAULT '(' CHECK ("a""b" <> ')'));
CREATE TABLE "Mixed Case" ("Id" integer PRIMARY KEY, "Sub Name" text UNIQUE);
CREATE VIEW account_names AS SELECT id, name FROM accounts;
CREATE MATERIALIZED VIEW account_count AS SELECT count(*) AS n FROM accounts;
CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY);
CREATE SEQUENCE loose_seq;
CREATE TABLE dropped (a integer, b integer, c text DEFAULT 'x');
ALTER TABLE dropped DROP COLUMN b;
CREATE TABLE serial_key (id smallserial PRIMARY KEY, counter integer DEFAULT nextval('loose_seq'));
CREATE TABLE seq_offset (id integer PRIMARY KEY DEFAULT (nextval('loose_seq') + 1));
"""
"""Every hard case in one database: the driver reads `%%` as one `%`."""


@pytest.fixture
def connection(pg_url: str) -> Iterator[sa.Connection]:
    engine = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()


def _execute(connection: sa.Connection, ddl: str) -> None:
    connection.exec_driver_sql(ddl)
    connection.commit()


def _reads(connection: sa.Connection, schema: str | None = None) -> tuple[DbSchema, DbSchema]:
    """(the catalog reader's schema, the reference's schema) of the database."""
    return read_catalog(connection, schema), reflect_db_schema(connection, schema)


# --- (a) the example ------------------------------------------------------------------------------------


def test_read_catalog_example_database_equals_the_reflected_schema(pg_url: str) -> None:
    # Arrange
    engine = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
    upgrade(ROOT / "generated", engine)
    # Act
    with engine.connect() as conn:
        catalog, reflected = _reads(conn)
    engine.dispose()
    # Assert
    assert catalog == reflected
    assert {"users", "rooms", "messages"} <= {t.name for t in catalog.tables}


# --- (b) databases built from documents -----------------------------------------------------------------

_PLAIN_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\[\])?$")
_MORE_DOCUMENTS = ("constraints.md", "fenced.md", "heading_styles.md", "relationships.md")
"""Check-clean documents of the parser's tests, besides the corpora."""


def _outside_types(spec: Spec) -> set[str] | None:
    """The types specc does not know that the document's tables use, as domains to create first; None when
    one cannot be created so (an extension's, such as pgvector's VECTOR, or one that is not a name)."""
    found: set[str] = set()
    for table in spec.tables:
        for column in table.columns:
            sql = sql_type(column.type)
            if sql.known and sql.base == "VECTOR":
                return None
            if not sql.known:
                if not _PLAIN_NAME.match(column.type):
                    return None
                found.add(column.type.removesuffix("[]"))
    return found


def _documents() -> list[Path]:
    candidates = corpus_documents() + [ROOT / "tests" / "data" / "parse" / n for n in _MORE_DOCUMENTS]
    documents = []
    for path in candidates:
        front = load(path, None, Config(root=path.parent))
        if front.errors == 0 and front.spec.tables and _outside_types(front.spec) is not None:
            documents.append(path)
    return documents


@pytest.mark.parametrize("document", _documents(), ids=lambda p: p.stem[:40])
def test_read_catalog_database_built_from_a_document_equals_the_reflected_schema(
    document: Path, tmp_path: Path, pg_database_factory: Callable[[], str]
) -> None:
    # Arrange: the document built like `specc build` and its migrations upgraded to head; a type the
    # document leaves to the database exists first (as a domain over text)
    spec = load(document, None, Config(root=document.parent)).spec
    project = Project(tmp_path / "generated", pg_database_factory())
    try:
        assert project.build(spec).errors == []
        with project.engine.begin() as conn:
            for name in sorted(_outside_types(spec) or ()):
                conn.exec_driver_sql(f"CREATE DOMAIN {name} AS text")
        project.upgrade()
        # Act
        with project.engine.connect() as conn:
            catalog, reflected = _reads(conn)
    finally:
        project.close()
    # Assert
    assert catalog == reflected
    assert len(catalog.tables) == len(spec.tables)


# --- (c) the hard cases ---------------------------------------------------------------------------------


def test_read_catalog_hard_cases_equal_the_reflected_schema(connection: sa.Connection) -> None:
    # Arrange
    _execute(connection, HARD_CASES)
    # Act
    catalog, reflected = _reads(connection)
    # Assert
    assert catalog == reflected


def test_read_catalog_hard_cases_with_the_schema_named_equal_the_reflected_schema(
    connection: sa.Connection,
) -> None:
    # Arrange: with the schema named, a nextval default names it too
    _execute(connection, HARD_CASES)
    # Act
    catalog, reflected = _reads(connection, "public")
    # Assert
    assert catalog == reflected
    accounts = catalog.table("accounts")
    assert accounts is not None and accounts.column("ticket") is not None
    assert accounts.column("ticket") == DbColumn(
        name="ticket",
        type="BIGINT",
        nullable=False,
        default="""nextval('"public".accounts_ticket_seq'::regclass)""",
    )


def test_read_catalog_hard_cases_reads_only_the_schemas_tables_and_every_enum_type(
    connection: sa.Connection,
) -> None:
    # Arrange
    _execute(connection, HARD_CASES)
    # Act
    catalog = read_catalog(connection)
    # Assert: no view, materialized view, alembic_version or other schema's table; partitions are tables
    assert [t.name for t in catalog.tables] == [
        "Mixed Case",
        "accounts",
        "dropped",
        "empty_table",
        "links",
        "measurements",
        "measurements_2026",
        "odd_names",
        "pairs",
        "seq_offset",
        "serial_key",
    ]
    assert catalog.enums == (
        DbEnum(name="Weird Enum", values=("x",)),
        DbEnum(name="mood", values=("happy", "sad", "it's ok")),
        DbEnum(name="tag_kind", values=("blue", "red", "green")),
        DbEnum(name="unused_kind", values=("a", "b")),
    )


def test_read_catalog_hard_cases_columns_have_the_canonical_types_and_rules(
    connection: sa.Connection,
) -> None:
    # Arrange
    _execute(connection, HARD_CASES)
    # Act
    accounts = read_catalog(connection).table("accounts")
    # Assert
    assert accounts is not None
    shown = {c.name: (c.type, c.nullable, c.default, c.autoincrement, c.enum) for c in accounts.columns}
    assert shown["id"] == ("INTEGER", False, None, True, None)
    assert shown["ticket"] == ("BIGINT", False, "nextval('accounts_ticket_seq'::regclass)", False, None)
    assert shown["handle"][0] == "VARCHAR"
    assert shown["name"][0] == 'varchar(80) collate "c"'
    assert shown["seen"] == ("TIMESTAMPTZ", True, "now()", False, None)
    assert shown["tags"] == ("ENUM('blue','red','green')[]", True, "'{red}'", False, "tag_kind")
    assert shown["other_feeling"] == ("ENUM('x','y')", True, None, False, "mood")
    assert shown["contact"] == ("email", False, "'nobody@example.com'", False, None)
    assert shown["maybe_contact"] == ("email[]", True, None, False, None)
    assert shown["spot"][0] == "point" and shown["rings"][0] == "circle[]"
    assert shown["doubled"] == ("BIGINT", True, None, False, None)
    assert shown["note"][2] == "'it''s 50% :off'"
    assert shown["exact_name"][0] == "text collate other.exact"


def test_read_catalog_hard_cases_keeps_plain_indexes_and_foreign_keys_in_column_order(
    connection: sa.Connection,
) -> None:
    # Arrange
    _execute(connection, HARD_CASES)
    # Act
    schema = read_catalog(connection)
    # Assert: expression and descending indexes left out, a partial one read as plain, a constraint's not
    accounts, links = schema.table("accounts"), schema.table("links")
    assert accounts is not None and links is not None
    assert accounts.indexes == (
        DbIndex(name="accounts_hash", columns=("handle",), method="hash"),
        DbIndex(name="accounts_incl", columns=("name",)),
        DbIndex(name="accounts_seen_partial", columns=("seen",)),
        DbIndex(name="accounts_tags_gin", columns=("tags",), method="gin"),
        DbIndex(name="accounts_twice", columns=("code",)),
    )
    assert links.indexes == ()
    measurements = schema.table("measurements")
    assert measurements is not None
    assert [(f.name, f.on_delete) for f in measurements.foreign_keys] == [
        ("measurements_account_id_fkey", "CASCADE"),
        ("measurements_pair_fk", None),  # SET NULL (link_a): the model has no column list, read as none
    ]
    assert links.foreign_keys[1] == DbForeignKey(
        name="links_pair_fk",
        columns=("pair_b", "pair_a"),
        ref_table="pairs",
        ref_columns=("b", "a"),
        on_delete="RESTRICT",
        on_update="CASCADE",
    )


def _statements(url: str, tables: int) -> int:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        for i in range(tables):
            conn.exec_driver_sql(
                f"CREATE TABLE t{i} (id bigserial PRIMARY KEY, name text UNIQUE, "
                "parent bigint REFERENCES t0 (id), CHECK (id > 0))"
            )
            conn.exec_driver_sql(f"CREATE INDEX t{i}_name_parent ON t{i} (name, parent)")
    sent: list[str] = []
    sa.event.listen(engine, "before_cursor_execute", lambda *args: sent.append(args[2]))
    with engine.connect() as conn:
        assert len(read_catalog(conn).tables) == tables
    engine.dispose()
    return len(sent)


def test_read_catalog_reads_any_number_of_tables_in_four_queries(
    pg_database_factory: Callable[[], str],
) -> None:
    # Arrange / Act
    few = _statements(pg_database_factory(), 3)
    many = _statements(pg_database_factory(), 60)
    # Assert
    assert (few, many) == (4, 4)
