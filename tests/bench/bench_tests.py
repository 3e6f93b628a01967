"""Benchmark: what the generated tests (`testing/`, `tests/`) add to `specc build`, side by side in one
run: the cold build and the no-op rebuild with `generate_tests` on and off, every target rendered.

    .venv/bin/python -m tests.bench.bench_tests [--tables 1000] [--repeat 3]

Targets: the tests add at most 15% to a cold build at N = 1,000, and nothing to a no-op rebuild."""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from specc.build import CACHE_DIR
from tests.bench.common import Sample, run
from tests.bench.synth import synth_spec

BUILD = """
import io, contextlib
from pathlib import Path
from specc import build as b
from specc.config import Config
with contextlib.redirect_stdout(io.StringIO()):
    result = b.build(
        Path({spec!r}), None, Path({out!r}), Config(root=Path({root!r}), generate_tests={tests}),
        durable=False,
    )
assert result.exit_code == 0, result
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tables", type=int, nargs="+", default=[1000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(
        f"{'N':>6} {'cold, no tests':>15} {'cold, tests':>12} {'added':>7} "
        f"{'no-op, no tests':>16} {'no-op, tests':>13}"
    )
    for n in args.tables:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            spec = root / "ARCHITECTURE.md"
            spec.write_text(synth_spec(n), encoding="utf-8")
            cold: dict[bool, Sample] = {}
            noop: dict[bool, Sample] = {}
            for _ in range(args.repeat):
                for tests in (False, True):
                    out = root / f"generated_{int(tests)}"
                    shutil.rmtree(out, ignore_errors=True)
                    shutil.rmtree(root / CACHE_DIR, ignore_errors=True)
                    code = BUILD.format(spec=str(spec), out=str(out), root=str(root), tests=tests)
                    sample = run(code, repeat=1)
                    if tests not in cold or sample.seconds < cold[tests].seconds:
                        cold[tests] = sample
                    again = run(code, repeat=1)
                    if tests not in noop or again.seconds < noop[tests].seconds:
                        noop[tests] = again
            added = cold[True].seconds / cold[False].seconds - 1
            print(
                f"{n:>6} {cold[False].seconds:>14.2f}s {cold[True].seconds:>11.2f}s {added:>6.1%} "
                f"{noop[False].seconds:>15.3f}s {noop[True].seconds:>12.3f}s"
            )


if __name__ == "__main__":
    main()
