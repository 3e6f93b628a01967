"""One `specc drift` run: every configured source compared with the spec, then severities, ignore rules and
fingerprints applied, into one `DriftReport`.

Sources run in report order; a source not configured is skipped and named (with `require_all`, the caller
refuses to run). A source that cannot be read (an unreachable database, a module that fails to import)
stops the run with `EnvironmentProblem` or `UserCodeError` (exit 2): a partial comparison would report
everything it could not see as fine.
"""

from __future__ import annotations

import contextlib
import datetime
import fnmatch
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from specc import __version__
from specc.config import Config
from specc.diagnostics import Code, Severity
from specc.drift import codes
from specc.drift.model import (
    SOURCES,
    DriftReport,
    DriftSummary,
    Finding,
    IgnoredFinding,
    Location,
    SourceName,
    SourceStatus,
)
from specc.drift.schema import SchemaSide, compare_schema
from specc.drift.settings import DriftSettings, IgnoreRule
from specc.drift.sources import EnvironmentProblem, database_locator, head_file
from specc.frontend import FrontEnd, display_path
from specc.secrets import redact_url

_FAMILY: dict[str, tuple[SourceName, ...]] = {
    "D1": ("models", "database", "migrations"),
    "D2": ("app",),
    "D3": ("tests",),
    "D4": ("generated",),
}


@dataclass(frozen=True)
class DriftRequest:
    spec_path: Path
    testplan: Path | None
    out: Path
    config: Config
    settings: DriftSettings
    today: datetime.date


def skipped_sources(settings: DriftSettings, front: FrontEnd, out: Path) -> dict[SourceName, str]:
    """The sources this run skips, with why."""
    skipped: dict[SourceName, str] = {}
    if settings.models is None:
        skipped["models"] = "not configured (--models or [tool.specc.drift] models)"
    if settings.database_url is None:
        skipped["database"] = "not configured (--database-url or [tool.specc.drift] database_url_env)"
    if settings.app is None:
        skipped["app"] = "not configured (--app or [tool.specc.drift] app)"
    if settings.migrations is None:
        skipped["migrations"] = "not configured (--migrations or [tool.specc.drift] migrations)"
    elif (settings.scratch_url or settings.database_url) is None:
        skipped["migrations"] = "no server for the scratch database (--scratch-url or --database-url)"
    if settings.tests is None:
        skipped["tests"] = "switched off ([tool.specc.drift] tests = false)"
    elif front.spec.test_plan is None:
        skipped["tests"] = "no test plan (--testplan or [tool.specc] testplan)"
    elif not settings.tests.is_dir():
        skipped["tests"] = f"no tests folder {settings.tests.name}"
    if not settings.generated:
        skipped["generated"] = "switched off ([tool.specc.drift] generated = false)"
    elif not out.is_dir():
        skipped["generated"] = f"no output folder {out.name} (run specc build)"
    for name in SOURCES:
        if settings.only and name not in settings.only:
            skipped[name] = "not selected (--only)"
        elif name in settings.skip:
            skipped[name] = "skipped on request (--skip)"
    return skipped


def run_drift(request: DriftRequest, front: FrontEnd) -> DriftReport:
    config, settings = request.config, request.settings
    spec_file = display_path(request.spec_path, config.root)
    skipped = skipped_sources(settings, front, request.out)
    statuses: list[SourceStatus] = []
    findings: list[Finding] = []
    runners: dict[SourceName, Callable[[], tuple[list[Finding], str]]] = {
        "models": lambda: _models(request, front, spec_file),
        "database": lambda: _database(request, front, spec_file),
        "app": lambda: _app(request, front, spec_file),
        "migrations": lambda: _migrations(request, front, spec_file),
        "tests": lambda: _tests(request, front),
        "generated": lambda: _generated(request, spec_file),
    }
    for name, runner in runners.items():
        if name in skipped:
            statuses.append(SourceStatus(name=name, state="skipped", detail=skipped[name]))
            continue
        found, detail = _isolated(runner)
        findings.extend(found)
        statuses.append(SourceStatus(name=name, state="compared", detail=detail))
    findings = _configured_severity(findings, config)
    compared = {s.name for s in statuses if s.state == "compared"}
    findings, ignored = _apply_ignores(findings, settings.ignore, compared, request.today, config)
    findings = sorted((f.with_fingerprint() for f in findings), key=lambda f: f.sort_key)
    return DriftReport(
        version=__version__,
        spec=spec_file,
        sources=tuple(statuses),
        findings=tuple(findings),
        ignored=tuple(ignored),
        summary=DriftSummary(
            errors=sum(1 for f in findings if f.severity == Severity.ERROR),
            warnings=sum(1 for f in findings if f.severity == Severity.WARNING),
            infos=sum(1 for f in findings if f.severity == Severity.INFO),
            ignored=len(ignored),
        ),
    )


def _isolated(runner: Callable[[], tuple[list[Finding], str]]) -> tuple[list[Finding], str]:
    """Run a source with what the user's code prints sent to stderr (the report on stdout stays parseable)
    and the working directory restored after it (an app factory may change it)."""
    cwd = os.getcwd()
    try:
        with contextlib.redirect_stdout(sys.stderr):
            return runner()
    finally:
        os.chdir(cwd)


# --- sources ------------------------------------------------------------------------------------------


def _models(request: DriftRequest, front: FrontEnd, spec_file: str) -> tuple[list[Finding], str]:
    from specc.drift.models import read_models

    reference = request.settings.models
    assert reference is not None
    schema, locator = read_models(reference, request.config.root, list(request.settings.pythonpath))
    side = SchemaSide(
        source="models",
        label="the models",
        schema=schema,
        locate=locator,
        missing_hint="add it to the models (generated models: run `specc build`)",
        extra_hint="describe it in the document, or remove it from the models",
    )
    return compare_schema(front.spec, spec_file, side), reference


def _database(request: DriftRequest, front: FrontEnd, spec_file: str) -> tuple[list[Finding], str]:
    from specc.drift.sources import read_database

    url, schema_name = request.settings.database_url, request.settings.schema
    assert url is not None
    schema = read_database(url, schema_name)
    side = SchemaSide(
        source="database",
        label="the database",
        schema=schema,
        locate=database_locator(schema_name),
        missing_hint="run `alembic upgrade head` (after `specc build`, for generated migrations)",
        extra_hint="describe it in the document, or write a migration that drops it",
    )
    where = request.settings.database_from or "--database-url"
    return compare_schema(front.spec, spec_file, side), f"{redact_url(url)} (from {where})"


def _app(request: DriftRequest, front: FrontEnd, spec_file: str) -> tuple[list[Finding], str]:
    from specc.drift.app import compare_app, read_app_openapi

    reference = request.settings.app
    assert reference is not None
    openapi, routes = read_app_openapi(reference, request.config.root, list(request.settings.pythonpath))
    return compare_app(front.spec, spec_file, openapi, routes, request.config.api_prefix), reference


def _migrations(request: DriftRequest, front: FrontEnd, spec_file: str) -> tuple[list[Finding], str]:
    from specc.drift.sources import read_migrations

    folder = request.settings.migrations
    server = request.settings.scratch_url or request.settings.database_url
    assert folder is not None and server is not None
    if not folder.is_dir():
        raise EnvironmentProblem(f"no migrations folder {display_path(folder, request.config.root)}")
    root = request.config.root
    live = [url for url in (request.settings.database_url,) if url]
    schema = read_migrations(folder, server, live, list(request.settings.pythonpath), root)
    head = head_file(folder, root)

    def locate(table: str, column: str | None) -> Location:
        what = f"table {table}" + (f", column {column}" if column else "")
        return head.model_copy(update={"logical": f"{head.logical}: {what}"})

    side = SchemaSide(
        source="migrations",
        label="the migrations' head",
        schema=schema,
        locate=locate,
        missing_hint="no migration creates it: run `specc build` to generate the migration",
        extra_hint="describe it in the document, or add a migration that removes it",
    )
    return compare_schema(front.spec, spec_file, side), display_path(folder, root)


def _tests(request: DriftRequest, front: FrontEnd) -> tuple[list[Finding], str]:
    from specc.drift.sources import compare_tests

    tests = request.settings.tests
    assert tests is not None
    root = request.config.root
    tests_shown = display_path(tests, root)
    generated_tests = request.out / "tests"
    generated = None
    if generated_tests.is_dir() and not generated_tests.is_symlink():
        generated = (generated_tests, display_path(generated_tests, root).rstrip("/") + "/")
    found, coverage = compare_tests(front.spec, tests, tests_shown, generated)
    detail = f"{tests_shown}" + (f" and {generated[1].rstrip('/')}" if generated else "")
    detail += f": {coverage.files_read} file(s), {len(coverage.cases)} case(s)"
    return found, detail


def _generated(request: DriftRequest, spec_file: str) -> tuple[list[Finding], str]:
    from specc.build import build

    config = request.config
    lines: list[str] = []
    result = build(
        request.spec_path,
        request.testplan,
        request.out,
        config,
        check=True,
        echo=lines.append,
        echo_err=lines.append,
    )
    shown = display_path(request.out, config.root)
    if result.exit_code == 2:
        raise EnvironmentProblem(f"cannot compare the output folder {shown}: " + " ".join(lines[-1:]))
    if result.exit_code == 0:
        return [], shown
    files = [f"{shown}/{rel}" for rel in (*result.written, *result.deleted)]
    listed = ", ".join(files[:8]) + (f" and {len(files) - 8} more" if len(files) > 8 else "")
    detail = f": {listed}" if files else ": " + (lines[-1] if lines else "the build reports errors")
    finding = Finding(
        code=codes.GENERATED_STALE.code,
        severity=codes.GENERATED_STALE.severity,
        source="generated",
        subject=shown,
        message=f"the generated output in {shown} is not what the document gives{detail}",
        spec=Location(file=spec_file, line=1, column=1),
        actual=Location(file=shown, logical=f"{len(files)} file(s) out of date"),
        hint="run `specc build` and commit the result",
    )
    return [finding], shown


# --- severity and ignore rules ------------------------------------------------------------------------


def _configured_severity(findings: list[Finding], config: Config) -> list[Finding]:
    result: list[Finding] = []
    for finding in findings:
        if finding.code in config.disable:
            continue
        override = config.severity.get(finding.code)
        if override is not None and override != finding.severity:
            finding = finding.model_copy(update={"severity": Severity(override)})
        result.append(finding)
    return result


def _matches(rule: IgnoreRule, finding: Finding) -> bool:
    return (
        rule.code == finding.code
        and (rule.source is None or rule.source == finding.source)
        and (rule.subject is None or fnmatch.fnmatchcase(finding.subject, rule.subject))
    )


def _rule_location(config: Config, rule: IgnoreRule) -> Location:
    """The line of the rule's `[[tool.specc.drift.ignore]]` header in pyproject.toml."""
    pyproject = config.root / "pyproject.toml"
    try:
        lines = pyproject.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        lines = []
    seen = 0
    for number, line in enumerate(lines, start=1):
        if line.strip().replace(" ", "") == "[[tool.specc.drift.ignore]]":
            seen += 1
            if seen == rule.index:
                return Location(file="pyproject.toml", line=number, column=1)
    return Location(file="pyproject.toml", logical=rule.shown())


def _apply_ignores(
    findings: list[Finding],
    rules: tuple[IgnoreRule, ...],
    compared: set[SourceName],
    today: datetime.date,
    config: Config,
) -> tuple[list[Finding], list[IgnoredFinding]]:
    kept: list[Finding] = []
    ignored: list[IgnoredFinding] = []
    used: set[int] = set()
    expired_used: set[int] = set()
    for finding in findings:
        rule = next((r for r in rules if _matches(r, finding)), None)
        if rule is None:
            kept.append(finding)
        elif rule.until is not None and rule.until < today:
            expired_used.add(rule.index)
            kept.append(finding)
        else:
            used.add(rule.index)
            until = rule.until.isoformat() if rule.until else None
            ignored.append(
                IgnoredFinding(finding=finding.with_fingerprint(), reason=rule.reason, until=until)
            )
    for rule in rules:
        where = _rule_location(config, rule)
        if rule.until is not None and rule.until < today:
            hides = " (it would hide findings of this run)" if rule.index in expired_used else ""
            kept.append(
                _config_finding(
                    codes.IGNORE_EXPIRED,
                    rule,
                    f"{rule.shown()} expired on {rule.until.isoformat()}: it no longer hides its findings"
                    + hides,
                    where,
                )
            )
        elif rule.index not in used and _family_compared(rule, compared):
            kept.append(
                _config_finding(codes.IGNORE_UNUSED, rule, f"{rule.shown()} hid no finding: remove it", where)
            )
    return kept, ignored


def _family_compared(rule: IgnoreRule, compared: set[SourceName]) -> bool:
    if rule.source is not None:
        return rule.source in compared
    family = _FAMILY.get(rule.code[:2], ())
    return bool(family) and all(source in compared for source in family)


def _config_finding(code: Code, rule: IgnoreRule, message: str, where: Location) -> Finding:
    return Finding(
        code=code.code,
        severity=code.severity,
        source="config",
        subject=f"ignore rule {rule.index} {rule.code} {rule.subject or '*'}",
        message=message,
        spec=where,
        actual=where,
        hint=f"reason given: {rule.reason}",
    )
