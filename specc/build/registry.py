"""The build targets: what each renders from (`BuildContext`), what it returns (`Rendered`) and where it may
write (`Target.areas`). Targets are registered once; their areas never overlap."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from specc.config import Config
from specc.diagnostics import Diagnostic, Reporter
from specc.emit.base import GeneratedFiles
from specc.fsio import path_problem
from specc.ir.model import Spec


@dataclass(frozen=True)
class BuildContext:
    """What every target renders from. Read-only: a target reports into a reporter of its own and returns
    what it made (`Rendered`), which the build merges."""

    spec: Spec
    source: str
    """The spec's path as shown in headers (relative to the project root)."""
    root: Path
    out: Path
    config: Config
    allow_destructive: bool
    validated: frozenset[str] = frozenset()
    """Hashes of OpenAPI units validated by earlier builds (kept in the manifest; unchanged parts skip
    re-checks)."""
    seeded: frozenset[str] = frozenset()
    """User-owned stub files earlier builds wrote (project-relative; the manifest records them): never
    written again."""

    @property
    def line_length(self) -> int:
        """The line length every writer lays generated Python out for: the receiving project's
        (`[tool.specc] line_length`, else `[tool.ruff]` / `[tool.black]` `line-length`, else 88)."""
        return self.config.line_length


@dataclass(frozen=True)
class Rendered:
    """What one target produced. A target rendered in a forked child sends this record back whole."""

    files: GeneratedFiles
    diagnostics: tuple[Diagnostic, ...] = ()
    """What the target reported, in order."""
    validated: frozenset[str] = frozenset()
    """The `api` target: every OpenAPI unit digest known valid after its check (`BuildContext.validated`
    and the ones it added). Empty for the other targets."""
    seeds: tuple[tuple[str, str], ...] = ()
    """User-owned files to create when absent (project-relative path, text): the test-plan stub files."""


Renderer = Callable[[BuildContext], Rendered]


@dataclass(frozen=True)
class Target:
    name: str
    render: Renderer
    areas: tuple[str, ...]
    """The folders (ending in `/`) and files this target may write: a path outside them is refused (B007)."""
    permanent_prefix: str | None = None
    """Files under this prefix are never deleted by a build (applied migrations)."""


_TARGETS: dict[str, Target] = {}


def _overlap(a: str, b: str) -> bool:
    return a == b or (a.endswith("/") and b.startswith(a)) or (b.endswith("/") and a.startswith(b))


def register_target(target: Target) -> None:
    if target.name in _TARGETS:
        raise ValueError(f"build target {target.name} is registered twice")
    for other in _TARGETS.values():
        if any(_overlap(a, b) for a in target.areas for b in other.areas):
            raise ValueError(f"build targets {other.name} and {target.name} share a folder or file")
    _TARGETS[target.name] = target


def targets() -> list[Target]:
    """Every registered target, in registration order (the order a build renders and reports them in)."""
    return list(_TARGETS.values())


def in_areas(rel: str, areas: tuple[str, ...]) -> bool:
    """`rel` is one of `areas` or inside one of its folders (ending in `/`)."""
    return any(rel == area or (area.endswith("/") and rel.startswith(area)) for area in areas)


def areas() -> tuple[str, ...]:
    """Every path a build may write or delete starts with one of these (a folder ending in `/`) or is one."""
    return tuple(area for target in targets() for area in target.areas)


def path_refusal(rel: str) -> str | None:
    """Why `rel` may not be written or deleted by a build (None: it may). A path must be canonical
    (`specc.fsio.path_problem`) and inside a build target's area (`models/`, `openapi.json`, ...): so an
    edited manifest, lock or journal can never name a hand-written file next to the generated ones."""
    problem = path_problem(rel)
    if problem is not None:
        return problem
    if not in_areas(rel, areas()):
        return f"is not in a folder or file specc generates ({', '.join(areas())})"
    return None


def _models(ctx: BuildContext) -> Rendered:
    from specc.emit.models import render_models

    return Rendered(render_models(ctx.spec, ctx.source, ctx.line_length))


def _api(ctx: BuildContext) -> Rendered:
    """Pydantic schemas, openapi.json and the runtime modules (settings, database, error handlers, security,
    route contracts), all from one schema plan."""
    from specc.emit import schemas
    from specc.emit.openapi import render_api_plan
    from specc.emit.runtime import runtime_files
    from specc.emit.testing.render import render_tests

    prefix = ctx.config.api_prefix
    reporter = Reporter()
    validated = set(ctx.validated)  # the check adds what it validates
    plan = schemas.plan(ctx.spec, ctx.source, ctx.root, reporter, prefix)
    files, document = render_api_plan(
        ctx.spec, plan, ctx.source, reporter, prefix, validated=validated, line_length=ctx.line_length
    )
    runtime = runtime_files(ctx.spec, ctx.source, plan, prefix, ctx.line_length, document)
    tests = render_tests(
        ctx.spec, ctx.source, document, ctx.config, ctx.out, ctx.seeded, has_auth="security.py" in runtime
    )
    return Rendered(
        {**files, **runtime, **tests.files},
        tuple(reporter.diagnostics),
        frozenset(validated),
        tuple(sorted(tests.seeds.items())),
    )


def _migrations(ctx: BuildContext) -> Rendered:
    from specc.migrate import plan_build

    reporter = Reporter()
    files = plan_build(
        ctx.spec,
        ctx.out,
        source=ctx.source,
        allow_destructive=ctx.allow_destructive,
        reporter=reporter,
        line_length=ctx.line_length,
    )
    return Rendered(files, tuple(reporter.diagnostics))


register_target(Target("models", _models, areas=("models/",)))
register_target(
    Target(
        "api",
        _api,
        areas=(
            "schemas/",
            "openapi.json",
            "config.py",
            "database.py",
            "errors.py",
            "security.py",
            "contracts.py",
            "testing/",
            "tests/",
        ),
    )
)
register_target(
    Target(
        "migrations",
        _migrations,
        areas=("migrations/", "specc.lock.json"),
        permanent_prefix="migrations/versions/",
    )
)
