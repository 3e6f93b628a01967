"""Reusable harness: build a spec's models and migrations into a folder, run them on PostgreSQL, compare.

`Project` is one output folder across successive builds (the way `specc build` keeps `generated/`):
`build(spec)` writes models + migrations exactly as a build would; the database helpers run the
generated Alembic environment and compare the result with the models (Alembic) and with the spec lowered
(`DbSchema`, constraint names included).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from specc.db.lower import lower
from specc.db.model import DbSchema
from specc.db.reflect import reflect_db_schema
from specc.diagnostics import Diagnostic, Reporter, Severity
from specc.emit.base import GeneratedFiles
from specc.emit.models import render_models
from specc.ir.model import Spec
from specc.migrate import plan_build
from specc.migrate.database import (
    compare_with_models,
    downgrade,
    leftovers,
    load_models_metadata,
    upgrade,
)
from tests.db.compare import schema_differences

SOURCE = "docs/ARCHITECTURE.md"


def write_files(out: Path, files: GeneratedFiles) -> None:
    for rel, content in files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != content:
            path.write_text(content, encoding="utf-8")


@dataclass
class BuildResult:
    files: GeneratedFiles
    diagnostics: list[Diagnostic]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == Severity.ERROR]

    @property
    def new_revisions(self) -> list[str]:
        return [p for p in self.files if p.startswith("migrations/versions/")]


@dataclass
class Project:
    out: Path
    url: str | None = None
    specs: list[Spec] = field(default_factory=list)
    """The spec of every build that wrote a revision, oldest first."""
    _engine: sa.Engine | None = None

    @property
    def engine(self) -> sa.Engine:
        assert self.url is not None, "Project has no database"
        if self._engine is None:
            self._engine = sa.create_engine(self.url, poolclass=sa.pool.NullPool)
        return self._engine

    def revision_files(self) -> list[str]:
        versions = self.out / "migrations" / "versions"
        return sorted(p.name for p in versions.glob("*.py")) if versions.is_dir() else []

    def build(self, spec: Spec, *, allow_destructive: bool = False) -> BuildResult:
        """Plan and write models + migrations like `specc build`; returns files and diagnostics."""
        reporter = Reporter()
        before = set(self.revision_files())
        files = plan_build(
            spec, self.out, source=SOURCE, allow_destructive=allow_destructive, reporter=reporter
        )
        if files:
            files = {**render_models(spec, SOURCE), **files}
            write_files(self.out, files)
            if set(self.revision_files()) != before:
                self.specs.append(spec)
        new = {p: c for p, c in files.items() if p.startswith("migrations/versions/")}
        new = {p: c for p, c in new.items() if p.rsplit("/", 1)[1] not in before}
        return BuildResult(files=new, diagnostics=reporter.sorted())

    def upgrade(self, target: str = "head") -> None:
        upgrade(self.out, self.engine, target)

    def downgrade(self, target: str) -> None:
        downgrade(self.out, self.engine, target)

    def model_differences(self) -> list[Any]:
        return compare_with_models(self.engine, load_models_metadata(self.out))

    def db_schema(self) -> DbSchema:
        """The database's schema at the differ's level (constraint names included), order-insensitive."""
        with self.engine.connect() as connection:
            return reflect_db_schema(connection).canonical()

    def leftovers(self) -> list[str]:
        return leftovers(self.engine)

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


def expected_db(spec: Spec) -> DbSchema:
    """The database-level schema (with names) a database at `spec` must have."""
    return lower(spec).canonical()


@dataclass
class RoundTrip:
    """Outcome of: initial migration → upgrade head → compare → downgrade base."""

    errors: list[Diagnostic]
    revisions: list[str]
    model_differences: list[Any]
    db_schema_differences: list[str]
    """`schema_differences` of the upgraded database and the spec lowered: empty when they match."""
    leftovers_after_downgrade: list[str]


def parse_document(path: Path) -> tuple[Spec, list[Diagnostic]]:
    """The IR of a markdown document and the parser's error diagnostics."""
    from specc.parse import parse_spec

    reporter = Reporter()
    result = parse_spec(path.read_text(encoding="utf-8"), path.name, reporter)
    return result.spec, [d for d in reporter.sorted() if d.severity == Severity.ERROR]


def initial_roundtrip(spec: Spec, out: Path, url: str) -> RoundTrip:
    """Build `spec` from scratch into `out`, upgrade the database at `url` to head, compare it with the
    models (Alembic) and with the spec lowered (named DbSchema), then downgrade to base."""
    project = Project(out, url)
    try:
        result = project.build(spec)
        if result.errors:
            return RoundTrip(result.errors, [], [], ["not built"], [])
        project.upgrade()
        differences = project.model_differences()
        db_differences = schema_differences(project.db_schema(), expected_db(spec))
        project.downgrade("base")
        return RoundTrip(
            errors=[],
            revisions=project.revision_files(),
            model_differences=differences,
            db_schema_differences=db_differences,
            leftovers_after_downgrade=project.leftovers(),
        )
    finally:
        project.close()
