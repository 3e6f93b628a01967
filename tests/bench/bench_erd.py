"""Benchmark: ER diagrams of the documentation site on the synthetic spec (`tests.bench.synth`).

    .venv/bin/python -m tests.bench.bench_erd [--tables 1000] [--repeat 5] [--max-tables 40]

The spec is parsed once (not timed; the collector is then run once, so that a full collection of the parsed
IR does not land in the timed part: `specc build` pauses it the same way, `specc.gcpause`). Then, best of
`--repeat` runs each:

- clusters: `clusters(spec, max)`, including the first-call index of the spec's tables and edges;
- per cluster: `erd_from_spec(spec, cluster)` and `render_erd(...)`: mean, slowest, and the total;
- per table: `neighbourhood(spec, table)` and `render_erd(...)` with the table highlighted (every table page);
- the whole schema in one diagram (not what the site draws: the layout's cost at scale);
- a dense cluster: `--max-tables` tables referencing 2 random tables each (cycles, links across layers).

The synthetic schema is a chain (each table references the previous one), so its clusters are 40-table
chains, the deepest shape a cluster can have: the layout folds them into `MAX_COLUMNS` columns.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import time
from collections.abc import Callable
from functools import partial

from specc.diagnostics import Reporter
from specc.emit.site import erd
from specc.emit.site.erd import (
    ErdColumn,
    ErdEdge,
    ErdTable,
    clusters,
    erd_from_spec,
    neighbourhood,
    render_erd,
)
from specc.ir.model import Spec
from specc.parse import parse_spec
from tests.bench.synth import synth_spec


def best(repeat: int, job: Callable[[], object]) -> float:
    """Best wall time of `repeat` runs, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        job()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tables", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--max-tables", type=int, default=erd.MAX_DIAGRAM_TABLES)
    args = parser.parse_args()
    spec = parse_spec(synth_spec(args.tables), "synth.md", Reporter()).spec
    gc.collect()

    def fresh_clusters() -> list[list[str]]:
        erd._INDEXES.clear()  # the first call on a spec builds its index: count it
        return clusters(spec, args.max_tables)

    cluster_s = best(args.repeat, fresh_clusters)
    groups = clusters(spec, args.max_tables)
    per_cluster = [best(args.repeat, partial(draw, spec, group)) for group in groups]
    pages = best(1, lambda: [page(spec, t.name) for t in spec.tables])
    whole = best(1, lambda: render_erd(*erd_from_spec(spec), title="all"))
    dense = best(args.repeat, partial(render_erd, *dense_cluster(args.max_tables), title="dense"))
    total = cluster_s + sum(per_cluster)
    print(f"{args.tables} tables, {len(groups)} clusters of at most {args.max_tables}")
    print(f"clusters():                 {cluster_s * 1000:8.1f} ms")
    print(
        f"per cluster (build+render): {statistics.mean(per_cluster) * 1000:8.2f} ms mean, "
        f"{max(per_cluster) * 1000:.2f} ms slowest"
    )
    print(f"overview total:             {total * 1000:8.1f} ms (clusters + every cluster's diagram)")
    print(
        f"every table page:           {pages * 1000:8.1f} ms ({pages / args.tables * 1000:.2f} ms per table)"
    )
    print(f"whole schema in one:        {whole * 1000:8.1f} ms")
    print(f"dense {args.max_tables}-table cluster:    {dense * 1000:8.2f} ms (2 random references per table)")


def dense_cluster(n: int) -> tuple[list[ErdTable], list[ErdEdge]]:
    """n tables of 8 columns, each referencing 2 tables drawn at random (seeded): cycles, long edges."""
    rng = random.Random(7)
    columns = tuple(ErdColumn(f"col_{j}", "VARCHAR(100)", "FK" if j in (1, 2) else "") for j in range(8))
    tables = [ErdTable(f"table_{i:02d}", columns) for i in range(n)]
    edges = [
        ErdEdge(f"table_{i:02d}", (f"col_{j}",), f"table_{rng.randrange(n):02d}", "N:1", ("col_0",))
        for i in range(n)
        for j in (1, 2)
    ]
    return tables, edges


def draw(spec: Spec, group: list[str]) -> str:
    return render_erd(*erd_from_spec(spec, group), title="cluster")


def page(spec: Spec, table: str) -> str:
    return render_erd(*neighbourhood(spec, table), title=table, highlight=table)


if __name__ == "__main__":
    main()
