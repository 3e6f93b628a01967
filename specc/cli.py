"""Command line: parses arguments, calls one function per command, maps results to exit codes.

Exit codes are a contract: 0 clean, 1 findings (errors, drift, stale output), 2 usage or environment error.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Literal, cast

from specc import __version__
from specc.config import Config, ConfigError, load_config
from specc.frontend import FrontEnd, InputError, default_testplan, display_path, load
from specc.fsio import write_atomic
from specc.jsontext import dumps_indented

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2

Format = Literal["text", "json", "github", "sarif"]
DriftFormat = Literal["text", "json", "github", "sarif", "junit", "markdown"]
DRIFT_SOURCES = ["models", "database", "app", "migrations", "tests", "generated"]
"""`specc.drift.model.SOURCES`, spelled here so parsing arguments does not import drift (a test checks)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"specc: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _add_spec_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("spec", nargs="?", help="architecture document (default: [tool.specc] spec)")
    p.add_argument("--testplan", help="test plan (default: [tool.specc] testplan, or TESTPLAN.md nearby)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="specc", description="Compile architecture documents.")
    parser.add_argument("--version", action="version", version=f"specc {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    check = sub.add_parser("check", help="report errors and lint findings")
    _add_spec_args(check)
    check.add_argument("--format", choices=["text", "json", "github", "sarif"], default="text")
    check.add_argument("--strict", action="store_true", help="warnings also fail (exit 1)")

    ir = sub.add_parser("ir", help="print the IR as JSON")
    _add_spec_args(ir)
    ir.add_argument("-o", "--output", help="write to this file instead of stdout")

    build = sub.add_parser("build", help="generate models, schemas, OpenAPI and migrations")
    _add_spec_args(build)
    build.add_argument("--out", help="output folder (default: [tool.specc] out, else generated)")
    build.add_argument("--check", action="store_true", help="write nothing; exit 1 when output is stale")
    build.add_argument("--allow-destructive", action="store_true", help="allow migrations that drop data")
    build.add_argument(
        "--no-cache",
        action="store_true",
        help="read the whole spec again (do not use or update .specc_cache/)",
    )

    coverage = sub.add_parser("coverage", help="which test-plan cases the tests implement")
    _add_spec_args(coverage)
    coverage.add_argument("--tests", help="the tests folder (default: [tool.specc] tests, else tests)")
    coverage.add_argument(
        "--out",
        help="the output folder, whose generated tests (<out>/tests) count too (default: generated; with "
        "--tests and no --out, only that folder is read)",
    )
    coverage.add_argument("--format", choices=["text", "json"], default="text")

    _add_drift_parser(sub)
    _add_docs_parser(sub)

    migrate = sub.add_parser("migrate", help="migration tools")
    msub = migrate.add_subparsers(dest="migrate_command", required=True, parser_class=_Parser)
    verify = msub.add_parser("verify", help="upgrade/downgrade the migrations on a scratch database")
    verify.add_argument("--out", help="output folder holding migrations/ (default: [tool.specc] out)")
    verify.add_argument(
        "--database-url", help="server to create the scratch database on (default: DATABASE_URL)"
    )
    return parser


def _add_drift_parser(sub: argparse._SubParsersAction[_Parser]) -> None:
    drift = sub.add_parser(
        "drift",
        help="compare the document with the models, database, app, migrations, tests and generated output",
    )
    _add_spec_args(drift)
    drift.add_argument("--models", help="models module, `package.module` or `package.module:Base`")
    drift.add_argument("--database-url", help="the live database to compare (PostgreSQL URL)")
    drift.add_argument("--schema", help="the database schema to read (default: the connection's current one)")
    drift.add_argument("--app", help="the FastAPI app or app factory, `package.module:attribute`")
    drift.add_argument("--migrations", help="the Alembic scripts folder (upgraded on a scratch database)")
    drift.add_argument(
        "--scratch-url",
        help="server for the migrations' scratch database (default: the --database-url server)",
    )
    drift.add_argument("--tests", help="the tests folder (default: [tool.specc] tests)")
    drift.add_argument(
        "--out", help="the output folder compared with `specc build --check` (default: generated)"
    )
    drift.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=DRIFT_SOURCES,
        help="do not compare this source, even when configured (repeatable)",
    )
    drift.add_argument(
        "--only",
        action="append",
        default=[],
        choices=DRIFT_SOURCES,
        help="compare only this source (repeatable); the others are skipped",
    )
    drift.add_argument(
        "--all", action="store_true", help="every source must be configured (a skipped one is exit 2)"
    )
    drift.add_argument(
        "--format", choices=["text", "json", "github", "sarif", "junit", "markdown"], default="text"
    )
    drift.add_argument(
        "--fail-on", choices=["error", "warning"], help="lowest severity that fails (default: error)"
    )
    drift.add_argument("-o", "--output", help="write the report to this file instead of stdout")
    drift.add_argument(
        "--no-cache",
        action="store_true",
        help="read the whole spec again (do not use or update .specc_cache/, shared with specc build)",
    )


def _add_docs_parser(sub: argparse._SubParsersAction[_Parser]) -> None:
    docs = sub.add_parser("docs", help="write an mkdocs-material site of the document")
    _add_spec_args(docs)
    docs.add_argument("--out", help="the site's folder (default: [tool.specc.docs] out, else docs-site)")
    docs.add_argument("--build", action="store_true", help="then run `mkdocs build --strict` on it")
    docs.add_argument(
        "--drift",
        metavar="REPORT.json",
        help="case statuses from this `specc drift --format json` report (default: plan coverage)",
    )
    docs.add_argument(
        "--no-cache",
        action="store_true",
        help="read the whole spec again (do not use or update .specc_cache/)",
    )


class UsageError(Exception):
    """A command-line value that cannot be used (exit 2)."""


def _given(value: str | None, option: str) -> Path | None:
    """A path from the command line; an empty one is a usage error (it would silently mean the default, or
    the current folder)."""
    if value is None:
        return None
    if not value.strip():
        raise UsageError(f"{option} must not be empty")
    if "\x00" in value:
        raise UsageError(f"{option} must not contain a NUL character")
    return Path(value)


def _configured(config: Config, key: str, value: str) -> Path:
    """A path from `[tool.specc]`, relative to the project root."""
    if "\x00" in value:
        raise UsageError(f"[tool.specc] {key} must not contain a NUL character")
    return config.root / value


def _out(args: argparse.Namespace, config: Config) -> Path:
    return _given(args.out, "--out") or _configured(config, "out", config.out)


def _paths(args: argparse.Namespace, config: Config) -> tuple[Path, Path | None]:
    given = _given(args.spec, "the spec path")
    testplan = _given(args.testplan, "--testplan")
    spec = given or _configured(config, "spec", config.spec)
    if testplan is not None:
        return spec, testplan
    if given is None and config.testplan:
        return spec, _configured(config, "testplan", config.testplan)
    return spec, default_testplan(spec)


def _front(args: argparse.Namespace, config: Config) -> FrontEnd:
    spec, testplan = _paths(args, config)
    return load(spec, testplan, config)


def cmd_check(args: argparse.Namespace, config: Config) -> int:
    from specc.report import render

    front = _front(args, config)
    output = render(front.diagnostics, cast(Format, args.format), front.sources)
    if output:
        sys.stdout.write(output if output.endswith("\n") else output + "\n")
    if front.errors or (args.strict and front.warnings):
        return EXIT_FINDINGS
    return EXIT_OK


def cmd_ir(args: argparse.Namespace, config: Config) -> int:
    from specc.report import render

    output = _given(args.output, "--output")
    front = _front(args, config)
    data = front.spec.model_dump(mode="json")
    text = dumps_indented(data) + "\n"
    try:
        encoded = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        if front.diagnostics:
            sys.stderr.write(render(front.diagnostics, "text", front.sources))
        where = f"; {output} was left as it was" if output is not None else ""
        print(f"specc: the IR holds text that is not valid Unicode ({exc.reason}){where}", file=sys.stderr)
        return EXIT_FINDINGS
    if output is not None:
        try:  # the file is replaced whole, or left as it was: never truncated
            write_atomic(Path(os.path.realpath(output)), encoded)
        except OSError as exc:
            print(
                f"specc: cannot write {output}: {exc.strerror or exc}; it was left as it was", file=sys.stderr
            )
            return EXIT_USAGE
    else:
        sys.stdout.write(text)
    if front.errors:
        sys.stderr.write(render(front.diagnostics, "text", front.sources))
        return EXIT_FINDINGS
    return EXIT_OK


def cmd_build(args: argparse.Namespace, config: Config) -> int:
    from specc.build import run_build

    spec, testplan = _paths(args, config)
    out = _out(args, config)
    return run_build(
        spec,
        testplan,
        out,
        config,
        check=args.check,
        allow_destructive=args.allow_destructive,
        cache=not args.no_cache,
    )


def cmd_coverage(args: argparse.Namespace, config: Config) -> int:
    """Plan coverage of the tests folder; exit 1 when a test links to a case the plan no longer has."""
    from specc.plancoverage import coverage_report, coverage_text, plan_coverage

    tests = _given(args.tests, "--tests") or config.root / config.tests
    if not tests.is_dir():
        raise UsageError(f"{tests} is not a folder of tests")
    front = _front(args, config)
    plan = front.spec.test_plan
    if plan is None:
        raise UsageError("no test plan: pass --testplan or set [tool.specc] testplan")
    generated_tests = _out(args, config) / "tests"
    generated = None
    reads_generated = args.tests is None or args.out is not None  # `--tests` alone: that folder only
    if reads_generated and generated_tests.is_dir() and not generated_tests.is_symlink():
        generated = (generated_tests, display_path(generated_tests, config.root).rstrip("/") + "/")
    coverage = plan_coverage(plan, tests, generated)
    if args.format == "json":
        sys.stdout.write(coverage_report(coverage).model_dump_json(indent=2) + "\n")
    else:
        sys.stdout.write(coverage_text(coverage))
    return EXIT_FINDINGS if coverage.vanished else EXIT_OK


def cmd_migrate(args: argparse.Namespace, config: Config) -> int:
    from specc.build import recover_output
    from specc.migrate.verify import verify

    out = _out(args, config)
    url = args.database_url or os.environ.get("DATABASE_URL")
    if not url:
        print("specc: no database URL: pass --database-url or set DATABASE_URL", file=sys.stderr)
        return EXIT_USAGE
    if not recover_output(out, config.root, print, lambda line: print(line, file=sys.stderr)):
        return EXIT_USAGE
    return verify(out, url, print)


def _absolute(path: Path | None) -> Path | None:
    return path.resolve() if path is not None else None


def cmd_drift(args: argparse.Namespace, config: Config) -> int:
    """Drift between the document and the configured sources; exit 1 on a finding at --fail-on or above."""
    import datetime

    from specc.drift.render import render_drift
    from specc.drift.run import DriftRequest, run_drift, skipped_sources
    from specc.drift.settings import drift_settings
    from specc.drift.sources import EnvironmentProblem
    from specc.drift.userimport import UserCodeError
    from specc.report import render

    settings = drift_settings(
        config,
        models=args.models,
        database_url=args.database_url,
        schema=args.schema,
        app=args.app,
        migrations=_absolute(_given(args.migrations, "--migrations")),
        scratch_url=args.scratch_url,
        tests=_absolute(_given(args.tests, "--tests")),
        fail_on=args.fail_on,
        skip=tuple(args.skip),
        only=tuple(args.only),
    )
    output = _given(args.output, "--output")
    spec, testplan = _paths(args, config)
    spec, out = spec.resolve(), _out(args, config).resolve()  # the user's code may change directory
    testplan = testplan.resolve() if testplan is not None else None
    if output is not None:
        output = Path(os.path.realpath(output))
        own = {spec, testplan, (config.root / "pyproject.toml").resolve()}
        if output in own:
            raise UsageError(f"-o {args.output} is an input of drift: the report would replace it")
    from specc.build import CACHE_DIR

    front = load(spec, testplan, config, cache_dir=None if args.no_cache else config.root / CACHE_DIR)
    if front.errors:
        sys.stderr.write(render(front.diagnostics, "text", front.sources))
        raise UsageError(
            f"the document has {front.errors} error(s): drift compares only a document `specc check` accepts"
        )
    if args.all:
        skipped = skipped_sources(settings, front, out)
        if skipped:
            names = "; ".join(f"{name}: {why}" for name, why in skipped.items())
            raise UsageError(f"--all: every source must be configured; skipped {names}")
    request = DriftRequest(spec, testplan, out, config, settings, datetime.date.today())
    try:
        report = run_drift(request, front)
    except UserCodeError as exc:
        print(f"specc drift: {exc.line}", file=sys.stderr)
        if exc.user_traceback:
            sys.stderr.write(exc.user_traceback)
        return EXIT_USAGE
    except EnvironmentProblem as exc:
        print(f"specc drift: {exc}", file=sys.stderr)
        return EXIT_USAGE
    text = render_drift(report, cast(DriftFormat, args.format), front.sources)
    text = text if text.endswith("\n") else text + "\n"
    if output is not None:
        write_atomic(output, text.encode("utf-8", "replace"))
    else:
        sys.stdout.write(text)
    failing = {"error": ("error",), "warning": ("error", "warning")}[settings.fail_on]
    return EXIT_FINDINGS if any(f.severity in failing for f in report.findings) else EXIT_OK


def cmd_docs(args: argparse.Namespace, config: Config) -> int:
    """The documentation site; exit 1 when a file in the way is not specc's or `--build` fails."""
    from specc.site.command import DocsRequest, docs, mkdocs_build
    from specc.site.settings import docs_settings

    out = _given(args.out, "--out")
    settings = docs_settings(config, out=None if out is None else str(out))
    spec, testplan = _paths(args, config)
    request = DocsRequest(
        spec_path=spec,
        testplan=testplan,
        out=config.root / settings.out if out is None else out,
        config=config,
        settings=settings,
        drift_report=_given(args.drift, "--drift"),
        generated=_configured(config, "out", config.out),
        cache=not args.no_cache,
    )
    result = docs(request)
    if result.exit_code != EXIT_OK or not args.build:
        return result.exit_code
    return mkdocs_build(request.out, print, lambda line: print(line, file=sys.stderr))


def _os_error(exc: OSError) -> str:
    """`path: reason` (or `path -> other: reason`), never an empty path."""
    reason = exc.strerror or str(exc)
    if exc.filename is None:
        return reason
    if exc.filename2 is not None:
        return f"{exc.filename} -> {exc.filename2}: {reason}"
    return f"{exc.filename}: {reason}"


_COMMANDS = {
    "check": cmd_check,
    "ir": cmd_ir,
    "build": cmd_build,
    "coverage": cmd_coverage,
    "migrate": cmd_migrate,
    "drift": cmd_drift,
    "docs": cmd_docs,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        config = load_config()
        return _COMMANDS[args.command](args, config)
    except (ConfigError, InputError) as exc:
        print(f"specc: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except UsageError as exc:
        print(f"specc: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:  # the output folder or a file cannot be written: an environment problem
        print(f"specc: {_os_error(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("specc: interrupted", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    raise SystemExit(main())
