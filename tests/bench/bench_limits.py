"""Benchmark: `specc build` time against the size of one hostile construct, to show it is linear.

    .venv/bin/python -m tests.bench.bench_limits [--sizes 10 100 1000] [--repeat 3]

Each row is a one-table spec whose only large part is one construct of the given size in KB (1 KB = 1,024
characters): a DEFAULT string literal (issue 9: 100 KB did not finish in 300 s, 50 KB took 77 s), a DEFAULT
of nested parentheses, a CHECK with doubled quotes, a run of unknown constraint words, and a JSON body
string. Every build runs in a fresh interpreter, imports included, with `--no-cache`; the time of an empty
spec is printed first (the fixed cost). Linear means the per-KB cost stays flat as the size grows tenfold.
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Callable
from pathlib import Path

from tests.bench.common import run

HEAD = "# Bench\n\n### users\n\n| Column | Type | Constraints |\n| --- | --- | --- |\n| id | BIGINT | PK |\n"


def _row(constraints: str) -> str:
    return HEAD + f"| note | TEXT | {constraints} |\n"


def _body(text: str) -> str:
    return (
        HEAD
        + "\n## API Contracts\n\n### POST /api/users\n\n- **Auth:** required\n"
        + "- **Request Body:**\n\n```json\n"
        + '{"note": "'
        + text
        + '"}\n```\n\n- **Success Response (201):**\n\n```json\n{"id": 1}\n```\n\n- **Error Responses:**\n'
        "  - 401: Not authenticated\n  - 422: Validation error\n"
    )


CASES: dict[str, Callable[[int], str]] = {
    "DEFAULT 'x…x'": lambda n: _row("DEFAULT '" + "x" * n + "'"),
    "DEFAULT ((…))": lambda n: _row("DEFAULT " + "(" * (n // 2) + ")" * (n // 2)),
    "CHECK ('''…')": lambda n: _row("CHECK (note <> '" + "''" * (n // 2) + "')"),
    "unknown words": lambda n: _row("x " * (n // 2)),
    "JSON string": lambda n: _body("x" * n),
}


def _build(path: Path, out: Path, repeat: int) -> float:
    """Best time of `repeat` builds, each into a fresh folder under `out` (a second build into the same folder
    would find it up to date and do nothing). The spec must build cleanly."""
    sample = run(
        f"""
        import io, contextlib, tempfile
        from specc.cli import main
        target = tempfile.mkdtemp(dir={str(out)!r})
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            code = main(["build", {str(path)!r}, "--out", target, "--no-cache"])
        assert code == 0, code
        """,
        repeat,
    )
    return sample.seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000], help="sizes in KB")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        empty = root / "empty.md"
        empty.write_text(HEAD, encoding="utf-8")
        (root / "out-empty").mkdir()
        fixed = _build(empty, root / "out-empty", args.repeat)
        print(f"empty spec: {fixed:.2f}s (fixed cost, subtracted below)")
        print(f"{'construct':<16}" + "".join(f"{f'{kb} KB':>18}" for kb in args.sizes))
        for case, (name, make) in enumerate(CASES.items()):
            cells: list[str] = []
            for kb in args.sizes:
                path = root / f"case{case}-{kb}.md"
                path.write_text(make(kb * 1024), encoding="utf-8")
                (root / f"out{case}-{kb}").mkdir()
                seconds = max(_build(path, root / f"out{case}-{kb}", args.repeat) - fixed, 0.0)
                cells.append(f"{seconds:7.2f}s {seconds / kb * 1000:6.2f}ms/KB")
            print(f"{name:<16}" + "".join(f"{c:>18}" for c in cells))


if __name__ == "__main__":
    main()
