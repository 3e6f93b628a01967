"""Command line: parses arguments, calls one function per command, maps results to exit codes.

Exit codes are a contract: 0 clean, 1 findings (errors, drift, stale output), 2 usage or environment error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Literal, cast

from specc import __version__
from specc.config import Config, ConfigError, load_config
from specc.frontend import FrontEnd, InputError, default_testplan, load
from specc.jsontext import dumps_indented

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2

Format = Literal["text", "json", "github", "sarif"]


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

    migrate = sub.add_parser("migrate", help="migration tools")
    msub = migrate.add_subparsers(dest="migrate_command", required=True, parser_class=_Parser)
    verify = msub.add_parser("verify", help="upgrade/downgrade the migrations on a scratch database")
    verify.add_argument("--out", help="output folder holding migrations/ (default: [tool.specc] out)")
    verify.add_argument(
        "--database-url", help="server to create the scratch database on (default: DATABASE_URL)"
    )
    return parser


def _paths(args: argparse.Namespace, config: Config) -> tuple[Path, Path | None]:
    spec = Path(args.spec) if args.spec else config.root / config.spec
    if args.testplan:
        return spec, Path(args.testplan)
    if not args.spec and config.testplan:
        return spec, config.root / config.testplan
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

    front = _front(args, config)
    data = front.spec.model_dump(mode="json")
    text = dumps_indented(data) + "\n"
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            print(f"specc: cannot write {args.output}: {exc.strerror}", file=sys.stderr)
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
    out = Path(args.out) if args.out else config.root / config.out
    return run_build(
        spec,
        testplan,
        out,
        config,
        check=args.check,
        allow_destructive=args.allow_destructive,
        cache=not args.no_cache,
    )


def cmd_migrate(args: argparse.Namespace, config: Config) -> int:
    import os

    from specc.migrate.verify import verify

    out = Path(args.out) if args.out else config.root / config.out
    url = args.database_url or os.environ.get("DATABASE_URL")
    if not url:
        print("specc: no database URL: pass --database-url or set DATABASE_URL", file=sys.stderr)
        return EXIT_USAGE
    return verify(out, url, print)


_COMMANDS = {"check": cmd_check, "ir": cmd_ir, "build": cmd_build, "migrate": cmd_migrate}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        config = load_config()
        return _COMMANDS[args.command](args, config)
    except (ConfigError, InputError) as exc:
        print(f"specc: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:  # the output folder or a file cannot be written: an environment problem
        print(f"specc: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return EXIT_USAGE


if __name__ == "__main__":
    raise SystemExit(main())
