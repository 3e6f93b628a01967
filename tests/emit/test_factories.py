"""The test-data factories writer (`specc.emit.testing.factories`): the generated `testing/factories.py` makes
rows PostgreSQL accepts (an AsyncSession over asyncpg), respects the CHECK forms it reads, creates parents
for foreign keys, asks for what it cannot derive, keeps document text as data, lints and is deterministic."""

from __future__ import annotations

import ast
import asyncio
import importlib
import os
import subprocess
import sys
import uuid
import warnings
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from specc.config import Config
from specc.emit.models import render_models
from specc.emit.testing.factories import render_factories
from specc.frontend import load
from specc.ir.model import CheckConstraint, Column, ForeignKey, Index, Spec, Table
from tests.conftest import EXAMPLE_SPEC, ROOT, corpus_documents, needs_outside_types
from tests.emit.models_harness import LINT_CONFIG, VENV_BIN, create_all, metadata_of, run_tool

Work = Callable[[ModuleType, AsyncSession], Any]


def _write(spec: Spec, root: Path, width: int = 110) -> str:
    """The models and the factories module as the package `<unique>/models`, `<unique>/testing`."""
    package = f"gen_fx_{uuid.uuid4().hex[:10]}"
    base = root / package
    for rel, content in render_models(spec, "ARCHITECTURE.md", width).items():
        path = base / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    (base / "__init__.py").write_text('"""A generated package under test."""\n', encoding="utf-8")
    (base / "testing").mkdir()
    (base / "testing" / "__init__.py").write_text('"""Test helpers."""\n', encoding="utf-8")
    factories = render_factories(spec, "ARCHITECTURE.md", width)
    (base / "testing" / "factories.py").write_text(factories, encoding="utf-8")
    config = LINT_CONFIG.replace("line-length = 110", f"line-length = {width}")
    (root / "pyproject.toml").write_text(config, encoding="utf-8")
    return package


def _import(root: Path, package: str) -> tuple[ModuleType, ModuleType]:
    """(models, factories) of a written package."""
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    importlib.invalidate_caches()
    models = importlib.import_module(f"{package}.models")
    models.Base.registry.configure()
    return models, importlib.import_module(f"{package}.testing.factories")


def _generated(spec: Spec, root: Path, url: str) -> tuple[ModuleType, ModuleType]:
    models, factories = _import(root, _write(spec, root))
    create_all(metadata_of(models), url)
    return models, factories


def _run(url: str, models: ModuleType, work: Work) -> Any:
    """`work(models, session)` in one AsyncSession over asyncpg, committed."""

    async def main() -> Any:
        engine = create_async_engine(url.replace("+psycopg", "+asyncpg"))
        try:
            async with AsyncSession(engine, expire_on_commit=False) as session:
                result = await work(models, session)
                await session.commit()
                return result
        finally:
            await engine.dispose()

    return asyncio.run(main())


def _count(url: str, table: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(sa.table(table))).scalar_one())
    finally:
        engine.dispose()


def _pk(name: str, type_: str = "BIGINT") -> Column:
    return Column(name=name, type=type_, nullable=False, primary_key=True, autoincrement=True)


def _fk(name: str, table: str, nullable: bool = False) -> Column:
    return Column(
        name=name,
        type="BIGINT",
        nullable=nullable,
        foreign_key=ForeignKey(table=table, column="id", on_delete="CASCADE"),
    )


def _spec(*tables: Table) -> Spec:
    return Spec(title="Factories", tables=tables)


# --- every document --------------------------------------------------------------------------------------


def _documents() -> list[Path]:
    documents = [EXAMPLE_SPEC]
    for path in corpus_documents():
        front = load(path, None, Config(root=path.parent))
        if front.errors == 0 and front.spec.tables and not needs_outside_types(front.spec):
            documents.append(path)
    return documents


async def _every_factory_twice(factories: ModuleType, session: AsyncSession) -> dict[str, Any]:
    """table → its two rows' identities, or the TypeError of a factory that needs an argument."""
    made: dict[str, Any] = {}
    for table, factory in factories.FACTORIES.items():
        try:
            rows = [await factory(session), await factory(session)]
        except TypeError as exc:
            made[table] = exc
            continue
        made[table] = [sa.inspect(row).identity for row in rows]
    return made


@pytest.mark.postgres
@pytest.mark.parametrize("document", _documents(), ids=lambda p: p.stem[:24])
def test_factories_of_check_clean_document_make_two_valid_rows_per_table(
    document: Path, tmp_path: Path, pg_url: str
) -> None:
    # Arrange
    spec = load(document, None, Config(root=document.parent)).spec
    models, factories = _generated(spec, tmp_path, pg_url)

    # Act
    with warnings.catch_warnings():
        warnings.simplefilter("error", sa.exc.SAWarning)  # e.g. two rows with one identity
        made = _run(pg_url, models, lambda _m, session: _every_factory_twice(factories, session))

    # Assert
    tables = {t.name: t for t in spec.tables}
    for table, result in made.items():
        if isinstance(result, TypeError):
            assert "specc cannot derive a valid value" in str(result), table
            assert "Needs (TypeError without it):" in (factories.FACTORIES[table].__doc__ or ""), table
            continue
        if tables[table].primary_key:
            assert all(identity is not None and None not in identity for identity in result), table
            assert result[0] != result[1], table
        assert _count(pg_url, table) >= 2, table
    assert len(made) == len({t.name for t in spec.tables if t.columns})


# --- the CHECK forms ---------------------------------------------------------------------------------------


def _checked_table() -> Table:
    def col(name: str, type_: str, check: str) -> Column:
        return Column(name=name, type=type_, nullable=False, check=check)

    return Table(
        name="items",
        columns=(
            _pk("id"),
            col("status", "TEXT", "status IN ('draft', 'live')"),
            col("qty", "INTEGER", "qty > 5"),
            col("floor_qty", "INTEGER", "floor_qty >= 7"),
            col("debt", "INTEGER", "debt < -3"),
            col("capped", "SMALLINT", "capped <= -2"),
            col("price", "NUMERIC(6,2)", "price BETWEEN 10 AND 20"),
            col("rate", "NUMERIC(8,4)", "rate > 0"),
            col("label", "VARCHAR(50)", "length(label) >= 30"),
            col("tag", "VARCHAR(40)", "char_length(tag) > 12"),
            col("code", "TEXT", "trim(code) <> ''"),
            col("title", "TEXT", "title <> ''"),
            col("kind", "ENUM('a','b','c')", "kind IN ('b', 'c')"),
            col("pattern", "TEXT", "pattern ~ '^[A-Z]+$'"),
        ),
        checks=(CheckConstraint(expression="qty < 100 AND floor_qty <> 7"),),
    )


@pytest.mark.postgres
def test_factories_check_forms_give_the_first_valid_value_when_the_form_is_read(
    tmp_path: Path, pg_url: str
) -> None:
    # Arrange
    models, factories = _generated(_spec(_checked_table()), tmp_path, pg_url)

    async def work(_m: ModuleType, session: AsyncSession) -> Any:
        return await factories.create_item(session, pattern="ABC")

    # Act
    row = _run(pg_url, models, work)

    # Assert
    assert (row.status, row.qty, row.floor_qty, row.debt, row.capped) == ("draft", 6, 8, -4, -2)
    assert (row.price, row.rate, row.kind) == (Decimal("10.00"), Decimal("0.0001"), "b")
    assert len(row.label) == 30 and row.label.startswith("label")
    assert len(row.tag) == 13 and row.tag.startswith("tag")
    assert (row.code, row.title, row.pattern) == ("code", "title", "ABC")


def test_factories_unread_check_makes_the_column_required_when_not_passed(tmp_path: Path) -> None:
    # Arrange
    _models, factories = _import(tmp_path, _write(_spec(_checked_table()), tmp_path))

    # Act
    with pytest.raises(TypeError) as raised:
        asyncio.run(factories.create_item(None))

    # Assert
    assert str(raised.value) == (
        "create_item needs `pattern`: a CHECK on it is not one specc understands; "
        "specc cannot derive a valid value"
    )
    assert "pattern (a CHECK on it is not one specc understands)" in " ".join(
        (factories.create_item.__doc__ or "").split()
    )


# --- unique values -----------------------------------------------------------------------------------------


@pytest.mark.postgres
def test_factories_unique_text_fits_short_columns_and_differs_when_called_twice(
    tmp_path: Path, pg_url: str
) -> None:
    # Arrange
    table = Table(
        name="codes",
        columns=(
            Column(name="c3", type="VARCHAR(3)", nullable=False, primary_key=True),
            Column(name="long_column_name", type="VARCHAR(12)", nullable=False, unique=True),
            Column(name="contact_email", type="VARCHAR(255)", nullable=False, unique=True),
            Column(name="serial_no", type="INTEGER", nullable=False, unique=True),
            Column(name="a", type="TEXT", nullable=False),
            Column(name="b", type="TEXT", nullable=False),
        ),
        indexes=(Index(columns=("a", "b"), unique=True),),
    )
    models, factories = _generated(_spec(table), tmp_path, pg_url)

    async def work(_m: ModuleType, session: AsyncSession) -> Any:
        return [await factories.create_code(session), await factories.create_code(session)]

    # Act
    first, second = _run(pg_url, models, work)

    # Assert
    assert len(first.c3) == 3 and int(first.c3, 16) >= 0 and first.c3 != second.c3
    assert len(first.long_column_name) == 12 and first.long_column_name.startswith("lon-")
    assert first.contact_email.startswith("test-") and first.contact_email.endswith("@example.com")
    assert first.contact_email != second.contact_email
    assert 1 <= first.serial_no < 2**31 and first.serial_no != second.serial_no
    assert first.a.startswith("a-") and (first.a, first.b) != (second.a, second.b)
    assert factories.unique_text("prefix", 5) != factories.unique_text("prefix", 5)
    assert len(factories.unique_text("prefix", 5)) == 5


# --- foreign keys ------------------------------------------------------------------------------------------


def _chain() -> Spec:
    return _spec(
        Table(name="orgs", columns=(_pk("id"), Column(name="name", type="TEXT", nullable=False))),
        Table(name="teams", columns=(_pk("id"), _fk("org_id", "orgs"))),
        Table(
            name="members", columns=(_pk("id"), _fk("team_id", "teams"), _fk("mentor_id", "members", True))
        ),
    )


@pytest.mark.postgres
def test_factories_foreign_key_chain_creates_parent_and_grandparent_when_not_passed(
    tmp_path: Path, pg_url: str
) -> None:
    # Arrange
    models, factories = _generated(_chain(), tmp_path, pg_url)

    async def work(m: ModuleType, session: AsyncSession) -> Any:
        member = await factories.create_member(session)
        team = await session.get(m.Team, member.team_id)
        return member, team

    # Act
    member, team = _run(pg_url, models, work)

    # Assert
    assert (_count(pg_url, "orgs"), _count(pg_url, "teams"), _count(pg_url, "members")) == (1, 1, 1)
    assert team.org_id is not None
    assert member.mentor_id is None


@pytest.mark.postgres
def test_factories_passed_foreign_key_creates_no_parent_when_given(tmp_path: Path, pg_url: str) -> None:
    # Arrange
    models, factories = _generated(_chain(), tmp_path, pg_url)

    async def work(_m: ModuleType, session: AsyncSession) -> Any:
        team = await factories.create_team(session)
        return await factories.create_member(session, team_id=team.id), team

    # Act
    member, team = _run(pg_url, models, work)

    # Assert
    assert member.team_id == team.id
    assert (_count(pg_url, "orgs"), _count(pg_url, "teams")) == (1, 1)


def test_factories_self_referencing_not_null_foreign_key_is_required_when_not_passed(tmp_path: Path) -> None:
    # Arrange
    spec = _spec(
        Table(name="nodes", columns=(_pk("id"), _fk("parent_id", "nodes"))),
        Table(name="sprouts", columns=(_pk("id"), _fk("node_id", "nodes"))),
        Table(name="eggs", columns=(_pk("id"), _fk("hen_id", "hens"))),
        Table(name="hens", columns=(_pk("id"), _fk("egg_id", "eggs"))),
    )
    _models, factories = _import(tmp_path, _write(spec, tmp_path))

    # Act
    messages = []
    for factory in (factories.create_node, factories.create_sprout, factories.create_egg):
        with pytest.raises(TypeError) as raised:
            asyncio.run(factory(None))
        messages.append(str(raised.value))

    # Assert
    assert messages == [
        "create_node needs `parent_id`: a `nodes` row needs one itself (a NOT NULL foreign key to its own "
        "table); specc cannot derive a valid value",
        "create_sprout needs `node_id`: create_node cannot make a `nodes` row without arguments; specc "
        "cannot derive a valid value",
        "create_egg needs `hen_id`: a `hens` row needs this one first (NOT NULL foreign keys form a cycle); "
        "specc cannot derive a valid value",
    ]
    assert "Needs (TypeError without it): parent_id" in " ".join(
        (factories.create_node.__doc__ or "").split()
    )


@pytest.mark.postgres
def test_factories_self_referencing_foreign_key_is_used_when_passed(tmp_path: Path, pg_url: str) -> None:
    # Arrange
    spec = _spec(
        Table(
            name="nodes",
            columns=(_pk("id"), Column(name="parent_id", type="BIGINT", nullable=False)),
        )
    )
    models, factories = _generated(spec, tmp_path, pg_url)

    async def work(_m: ModuleType, session: AsyncSession) -> Any:
        return await factories.create_node(session, parent_id=42)

    # Act
    node = _run(pg_url, models, work)

    # Assert
    assert node.parent_id == 42 and node.id is not None


# --- document text stays data ------------------------------------------------------------------------------

EVIL = "x\"\"\"\n{'__import__('os')}"
EVIL_LABEL = 'x"""{\'__import__\'}'
"""An enum label cannot hold parentheses or a newline (`specc.ir.types`), the rest is as hostile."""


def test_factories_document_text_appears_only_as_quoted_data_when_hostile() -> None:
    # Arrange
    quoted_name = '"' + EVIL.replace('"', '""') + '"'
    sql_text, sql_label = "'" + EVIL.replace("'", "''") + "'", "'" + EVIL_LABEL.replace("'", "''") + "'"
    table = Table(
        name=f"t{EVIL}",
        columns=(
            _pk("id"),
            Column(name=EVIL, type="TEXT", nullable=False, check=f"{quoted_name} IN ({sql_text})"),
            Column(name="mood", type=f"ENUM({sql_label},'calm')", nullable=False),
            Column(name="note", type="TEXT", nullable=False, check=f"note <> {sql_text}"),
        ),
    )

    # Act
    text = render_factories(_spec(table), f"docs/{EVIL}.md", 110)
    tree = ast.parse(text)

    # Assert
    called = sorted({ast.unparse(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)})
    assert called == [
        "TxImportO",
        "TypeVar",
        "_registered",
        "session.add",
        "session.flush",
        "session.refresh",
        "uuid.uuid4",
    ]
    constants = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    assert (constants.count(EVIL), constants.count(f"t{EVIL}")) == (1, 1)  # the value IN allows; the key
    assert EVIL_LABEL in constants
    assert "__import__" not in {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    assert [n.name for n in tree.body if isinstance(n, ast.AsyncFunctionDef)] == ["create_tx_import_o"]


# --- lint, types, determinism ------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [110, 79])
def test_factories_module_passes_ruff_and_mypy_strict_for_the_example(tmp_path: Path, width: int) -> None:
    # Arrange
    spec = load(EXAMPLE_SPEC, None, Config(root=EXAMPLE_SPEC.parent)).spec
    package = _write(spec, tmp_path, width)
    target = f"{package}/testing/factories.py"

    # Act
    lint = run_tool([str(VENV_BIN / "ruff"), "check", "--no-cache", target], tmp_path)
    formatted = run_tool(
        [str(VENV_BIN / "ruff"), "format", "--check", "--diff", "--no-cache", target], tmp_path
    )
    typed = run_tool(
        [str(VENV_BIN / "mypy"), "--strict", "--cache-dir", str(tmp_path / ".mypy"), "-p", package], tmp_path
    )

    # Assert
    assert lint.returncode == 0, lint.stdout
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr
    assert typed.returncode == 0, typed.stdout


_PRINT = (
    "import sys\n"
    "from specc.config import Config\n"
    "from specc.frontend import load\n"
    "from specc.emit.testing.factories import render_factories\n"
    "from pathlib import Path\n"
    "p = Path(sys.argv[1])\n"
    "sys.stdout.write(render_factories(load(p, None, Config(root=p.parent)).spec, p.name, 88))\n"
)


def test_factories_output_is_identical_when_hash_seeds_differ() -> None:
    # Arrange
    documents = [EXAMPLE_SPEC, *_documents()[1:4]]

    def render(seed: str, document: Path) -> str:
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", _PRINT, str(document)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout

    # Act
    first = [render("1", d) for d in documents]
    second = [render("2", d) for d in documents]

    # Assert
    assert first == second
    assert all("async def create_" in text for text in first)
