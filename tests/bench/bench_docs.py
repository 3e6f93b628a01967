"""Benchmark: `specc docs` versus the `mkdocs build --strict` that follows on its output, side by side in one
run; plus the no-op rerun, a rerun after one description changed, and the size of what was made.

    .venv/bin/python -m tests.bench.bench_docs [--tables 1000] [--repeat 1]

specc runs as the CLI does (fresh interpreter, imports included) on the synthetic spec
(`tests/bench/synth.py`: N tables, 4N endpoints) with no output folder and no `.specc_cache/` (cold). mkdocs
then builds the site (`python -m mkdocs build --strict`, Material for MkDocs with its search index). Targets:
specc's part at most 0.5x mkdocs'; the no-op rerun under 0.1x the cold run. Reported: pages (markdown files),
the largest page (source and built HTML) and the size of the built site.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.bench.common import Sample, run
from tests.bench.synth import synth_spec

DOCS = """
from pathlib import Path
from specc.config import Config
from specc.site.command import DocsRequest, docs
from specc.site.settings import DocsSettings
root = Path({root!r})
request = DocsRequest(root / "ARCHITECTURE.md", None, root / "site-src", Config(root=root), DocsSettings())
result = docs(request, echo=lambda _: None)
assert result.exit_code == 0, result
"""


def _mkdocs(out: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(out / "mkdocs.yml")],
        cwd=out,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=True,
    )
    return time.perf_counter() - start


def _size(folder: Path) -> tuple[int, int, int]:
    """Files, bytes, and the largest file's bytes under `folder`."""
    sizes = [p.stat().st_size for p in folder.rglob("*") if p.is_file()]
    return len(sizes), sum(sizes), max(sizes, default=0)


def _mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tables", type=int, nargs="+", default=[1000])
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    for n in args.tables:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            spec = root / "ARCHITECTURE.md"
            spec.write_text(synth_spec(n), encoding="utf-8")
            out = root / "site-src"
            cold: Sample | None = None
            for _ in range(args.repeat):
                shutil.rmtree(out, ignore_errors=True)
                shutil.rmtree(root / ".specc_cache", ignore_errors=True)
                sample = run(DOCS.format(root=str(root)), repeat=1)
                cold = sample if cold is None or sample.seconds < cold.seconds else cold
            assert cold is not None
            noop = run(DOCS.format(root=str(root)), repeat=args.repeat)
            mkdocs = min(_mkdocs(out) for _ in range(args.repeat))
            spec.write_text(
                synth_spec(n).replace("| Parent entity |", "| The parent entity |", 1), encoding="utf-8"
            )
            edited = run(DOCS.format(root=str(root)), repeat=1)
            pages, _, largest_md = _size(out / "docs")
            files, site_bytes, _ = _size(out / "site")
            largest_html = max(p.stat().st_size for p in (out / "site").rglob("*.html"))
            search = (out / "site" / "search" / "search_index.json").stat().st_size
            print(f"N = {n:,} tables, {4 * n:,} endpoints ({spec.stat().st_size / 1e6:.2f} MB spec)")
            print(f"  specc docs, cold            {cold.seconds:7.2f} s  (peak {cold.peak_mb:.0f} MB)")
            print(f"  mkdocs build --strict       {mkdocs:7.2f} s")
            print(f"  specc / mkdocs              {cold.seconds / mkdocs:7.2f}    (target <= 0.5)")
            share = noop.seconds / cold.seconds
            print(f"  specc docs, no-op rerun     {noop.seconds:7.2f} s  ({share:.3f} of cold)")
            print(f"  specc docs, one description {edited.seconds:7.2f} s")
            print(f"  pages                       {pages:7,}    (largest source {_mb(largest_md)})")
            built = f"{files:7,} files, {_mb(site_bytes)} (largest page {_mb(largest_html)}, search index "
            print(f"  built site                  {built}{_mb(search)})")


if __name__ == "__main__":
    main()
