"""Benchmark: `specc check` versus markdown-it-py tokenizing the same file, side by side in one run.

    .venv/bin/python -m tests.bench.bench_check [--tables 100 1000] [--repeat 3]

Both sides run in a fresh interpreter and include their imports. markdown-it-py runs with default settings and
tables enabled (`MarkdownIt("commonmark").enable("table").parse(text)`); specc runs the whole check (read,
parse, resolve, lint, render) exactly as the CLI does. Target: ratio <= 1.5 and peak memory < 300 MB at
N=1000.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from tests.bench.common import run
from tests.bench.synth import synth_spec


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tables", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'N':>6} {'size':>8} {'markdown-it':>12} {'specc check':>12} {'ratio':>6} {'peak MB':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.tables:
            path = Path(tmp) / f"spec{n}.md"
            path.write_text(synth_spec(n), encoding="utf-8")
            baseline = run(
                f"""
                from markdown_it import MarkdownIt
                text = open({str(path)!r}, encoding="utf-8").read()
                MarkdownIt("commonmark").enable("table").parse(text)
                """,
                args.repeat,
            )
            ours = run(
                f"""
                import io, contextlib
                from specc.cli import main
                with contextlib.redirect_stdout(io.StringIO()):
                    code = main(["check", {str(path)!r}])
                assert code == 0, code
                """,
                args.repeat,
            )
            size = path.stat().st_size / 1e6
            print(
                f"{n:>6} {size:>7.2f}M {baseline.seconds:>11.2f}s {ours.seconds:>11.2f}s "
                f"{ours.seconds / baseline.seconds:>6.2f} {ours.peak_mb:>8.0f}"
            )


if __name__ == "__main__":
    main()
