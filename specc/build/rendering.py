"""Rendering every target, the `api` target (the longest) optionally in a forked child while this process
renders the others. Each target returns a `Rendered` record; `generate` merges them explicitly: files
(refusing a path outside its target's areas, B007), diagnostics in target order, validated OpenAPI units."""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

from specc.build.registry import BuildContext, Rendered, Target, in_areas
from specc.diagnostics import Reporter, Severity, register_code
from specc.emit.base import GeneratedFiles
from specc.fsio import path_problem

UNSAFE_PATH = register_code(
    "B007",
    Severity.ERROR,
    "Build target produced an unsafe path",
    "A build target produced a path that is not canonical or not inside its own folders (the migrations "
    "target takes revision paths from specc.lock.json, so an edited lock can name any path, such as "
    "`../../outside.py` or `models/users.py`). Nothing is written. Restore specc.lock.json from version "
    "control.",
    '"file": "../../outside.py" in a revision of specc.lock.json',
)


PARALLEL_TARGET = "api"
PARALLEL_MIN_ITEMS = 300
"""A spec with at least this many tables and endpoints renders the `api` target (the longest) in a forked
process while this one renders the others. Below it, forking costs more than it saves."""


class Forked:
    """One target rendered in a forked child (Linux only; never when other threads run, since a fork copies
    locks they may hold). The child sends back its `Rendered` record, pickled through a pipe."""

    def __init__(self, target: Target, ctx: BuildContext) -> None:
        self.target = target
        read_end, write_end = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # pragma: no cover - runs in the child, which leaves through os._exit
            os.close(read_end)
            status = 1
            try:
                payload = pickle.dumps(target.render(ctx), protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(write_end, "wb") as pipe:
                    pipe.write(payload)
                status = 0
            finally:
                os._exit(status)
        os.close(write_end)
        self.read_end = read_end

    def join(self) -> Rendered | None:
        """What the child rendered; None when anything went wrong (the child failed, died or sent nothing):
        the caller then renders the target itself, so the result never depends on whether the fork worked."""
        payload = b""
        status = -1
        try:
            with os.fdopen(self.read_end, "rb") as pipe:
                payload = pipe.read()
        finally:
            _, status = os.waitpid(self.pid, 0)
        if status != 0 or not payload:
            return None
        rendered = pickle.loads(payload)
        return rendered if isinstance(rendered, Rendered) else None

    def abandon(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except OSError:
            pass
        with contextlib.suppress(OSError):
            os.close(self.read_end)


def start_fork(ctx: BuildContext, targets: Sequence[Target], parallel: bool | None = None) -> Forked | None:
    """Start rendering `PARALLEL_TARGET` (when it is among `targets`) in a child when that is safe (Linux, no
    other thread) and `parallel` asks for it: True always, None when the spec has `PARALLEL_MIN_ITEMS` tables
    and endpoints or more (where it pays off), False never."""
    if parallel is False or sys.platform != "linux" or threading.active_count() != 1:
        return None
    if parallel is None and len(ctx.spec.tables) + len(ctx.spec.endpoints) < PARALLEL_MIN_ITEMS:
        return None
    target = next((t for t in targets if t.name == PARALLEL_TARGET), None)
    return None if target is None else Forked(target, ctx)


@dataclass(frozen=True)
class Generated:
    """Every target's output, merged."""

    files: GeneratedFiles
    validated: frozenset[str]
    """`BuildContext.validated` and every OpenAPI unit digest a target added (the new manifest's cache)."""
    forked: bool
    """The forked target's files came from the child (False: no fork, or the parent rendered it after all)."""
    seeds: dict[str, str] = field(default_factory=dict)
    """User-owned files to create when absent (project-relative), from every target."""


def generate(
    ctx: BuildContext, targets: Sequence[Target], reporter: Reporter, forked: Forked | None = None
) -> Generated:
    """Render `targets` and merge what they return: their diagnostics go to `reporter` in target order, and
    their files into one mapping; a path outside its target's areas is reported (B007) and dropped.
    `forked`: one of `targets` already being rendered in a child (joined here; on any exception the caller
    abandons it)."""
    rendered: dict[str, Rendered] = {}
    for target in targets:
        if forked is None or target is not forked.target:
            rendered[target.name] = target.render(ctx)
    from_child: Rendered | None = None
    if forked is not None:
        from_child = forked.join()
        rendered[forked.target.name] = from_child if from_child is not None else forked.target.render(ctx)
    validated = set(ctx.validated)
    for target in targets:
        reporter.diagnostics.extend(rendered[target.name].diagnostics)
        validated.update(rendered[target.name].validated)
    files: GeneratedFiles = {}
    for target in targets:
        for rel, content in rendered[target.name].files.items():
            problem = path_problem(rel)
            if problem is None and not in_areas(rel, target.areas):
                problem = f"is not in the target's folders and files ({', '.join(target.areas)})"
            if problem is not None:
                reporter.report(
                    UNSAFE_PATH, f"the {target.name} target produced {rel!r}, which {problem}", ctx.source, 1
                )
            else:  # targets' areas do not overlap (register_target), so no two targets produce one path
                files[rel] = content
    seeds = {rel: text for target in targets for rel, text in rendered[target.name].seeds}
    return Generated(files, frozenset(validated), from_child is not None, seeds)
