"""Helpers for benchmarks: run a snippet in a fresh interpreter, report seconds and peak memory."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from dataclasses import dataclass

_WRAPPER = """
import time, resource, json
_t0 = time.perf_counter()
{body}
_elapsed = time.perf_counter() - _t0
_peak = max(  # the snippet's own process, or a larger child it waited for (specc build's forked api target)
    resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
) / 1024
print(json.dumps({{"seconds": _elapsed, "peak_mb": _peak}}))
"""


@dataclass(frozen=True)
class Sample:
    seconds: float
    peak_mb: float


def run(body: str, repeat: int = 3) -> Sample:
    """Best wall time of `repeat` fresh-interpreter runs of `body` (imports included), and its peak RSS."""
    best: Sample | None = None
    for _ in range(repeat):
        code = _WRAPPER.format(body=textwrap.dedent(body))
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        sample = Sample(**json.loads(done.stdout.strip().splitlines()[-1]))
        if best is None or sample.seconds < best.seconds:
            best = sample
    assert best is not None
    return best
