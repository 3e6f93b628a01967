"""The `specc build` command: lock the output folder, finish or undo an interrupted commit, skip the work when
nothing changed, render every target, plan the writes and commit them (or, with `--check`, compare)."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from specc.build.manifest import MANIFEST, Manifest, external_inputs, fingerprint, manifest_differences
from specc.build.registry import BuildContext, Target, areas, path_refusal, targets
from specc.build.rendering import Generated, generate, start_fork
from specc.build.seeds import create_seeds
from specc.build.writes import Plan, plan_writes, unified_diff
from specc.check import filter_diagnostics
from specc.commit import (
    CommitFailed,
    Removal,
    Write,
    commit,
    legacy_staging,
    locked,
    pending,
    recover,
    sha256,
)
from specc.config import Config
from specc.diagnostics import Reporter, Severity
from specc.frontend import FrontEnd, display_path, load, run_pending_checks
from specc.fsio import OutputTree, UnsafeOutput
from specc.gcpause import paused_gc

CACHE_DIR = ".specc_cache"
"""Under the project root: what the parser made of each section of the spec, reused by the next build."""
DURABLE = True
"""fsync staged files, the journal and the folders a commit touches (see `specc.commit`)."""
VERSIONS = "migrations/versions"

Echo = Callable[[str], None]


@dataclass
class BuildResult:
    exit_code: int
    written: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    up_to_date: bool = False
    forked: bool = False
    """The `api` target was rendered in a forked child (see `build`'s `parallel`)."""


@dataclass(frozen=True)
class _Request:
    """One `build` call's arguments."""

    spec_path: Path
    testplan: Path | None
    tree: OutputTree
    config: Config
    check: bool
    allow_destructive: bool
    cache: bool
    parallel: bool | None
    durable: bool
    targets: tuple[Target, ...]
    echo: Echo
    echo_err: Echo


def _journal_refusal(rel: str) -> str | None:
    return None if rel == MANIFEST else path_refusal(rel)


def _preflight(tree: OutputTree) -> None:
    """Fail fast on links at the top of specc's areas, and check what the migrations target reads before
    anything is planned (never through a link). Deeper paths are checked as they are read."""
    tree.lstat_file(MANIFEST)
    for area in areas():
        if area.endswith("/"):
            tree.check_folder(area[:-1])
        else:
            tree.lstat_file(area)
    if tree.check_folder(VERSIONS):
        for name in sorted(os.listdir(tree.path(VERSIONS))):
            if name.endswith(".py"):
                tree.lstat_file(f"{VERSIONS}/{name}")


@paused_gc()
def build(
    spec_path: Path,
    testplan: Path | None,
    out: Path,
    config: Config,
    *,
    check: bool = False,
    allow_destructive: bool = False,
    cache: bool = True,
    echo: Echo = print,
    echo_err: Echo = lambda s: print(s, file=sys.stderr),
    parallel: bool | None = None,
    durable: bool = DURABLE,
    render: Sequence[Target] | None = None,
) -> BuildResult:
    """Build into `out` (or compare with it: `check`). The output folder is locked for the whole build, and an
    interrupted earlier commit is finished or undone first (`specc.commit`). A link, a folder where a file
    should be, or a staging folder that is not specc's is an environment error (exit 2): nothing is
    written.

    `parallel`: render the `api` target in a forked child while this process renders the others (only on
    Linux with no other thread running): None when the spec is large enough for it to pay off
    (`specc.build.rendering.PARALLEL_MIN_ITEMS`), True always, False never; the output is the same either way.
    `durable`: flush what a commit writes to disk (False only to measure what that costs). `render`: the
    targets to render, in order (default: every registered target); a path the others would produce counts
    as no longer produced."""
    shown = display_path(out, config.root)
    tree = OutputTree(out, shown)
    request = _Request(
        spec_path=spec_path,
        testplan=testplan,
        tree=tree,
        config=config,
        check=check,
        allow_destructive=allow_destructive,
        cache=cache,
        parallel=parallel,
        durable=durable,
        targets=tuple(targets() if render is None else render),
        echo=echo,
        echo_err=echo_err,
    )
    try:
        with contextlib.ExitStack() as stack:
            if out.is_dir():
                stack.enter_context(locked(out, shared=check))
            elif out.exists() or out.is_symlink():
                raise UnsafeOutput(shown, "is not a folder")
            return _build(request, stack)
    except UnsafeOutput as exc:
        echo_err(f"specc: {exc}")
        echo_err(f"specc build: {'nothing was compared' if check else 'nothing was written'}")
        return BuildResult(exit_code=2)
    except CommitFailed as exc:
        echo_err(f"specc: {exc}")
        return BuildResult(exit_code=2)


def _recover(
    tree: OutputTree, echo: Echo, echo_err: Echo, command: str = "specc build", *, durable: bool
) -> None:
    outcome = recover(tree, _journal_refusal, durable=durable)
    if outcome.action == "rolled back":
        echo(
            f"{command}: removed the staging folder of an interrupted build in {tree.shown} (it had not "
            "changed anything yet)"
        )
    elif outcome.action == "finished":
        echo(f"{command}: finished an interrupted build in {tree.shown}")
    for rel in outcome.kept:
        echo_err(
            f"{command}: kept {tree.show(rel)}: it changed after the interrupted build planned to delete it"
        )


def recover_output(out: Path, root: Path, echo: Echo, echo_err: Echo) -> bool:
    """Finish or undo an interrupted build in `out` before something reads it (`specc migrate verify`).
    False (after saying why) when that is not safely possible."""
    if not out.is_dir():
        return True
    tree = OutputTree(out, display_path(out, root))
    try:
        with locked(out):
            _recover(tree, echo, echo_err, "specc", durable=DURABLE)
    except (UnsafeOutput, CommitFailed) as exc:
        echo_err(f"specc: {exc}")
        return False
    return True


def _render(request: _Request, front: FrontEnd, ctx: BuildContext, reporter: Reporter) -> Generated | None:
    """Every target's output, the `api` target perhaps in a forked child while the front end's remaining
    checks run here. None (after showing them) when the spec has errors."""
    from specc.report import render

    forked = start_fork(ctx, request.targets, request.parallel)
    try:
        run_pending_checks(front)  # while the forked target renders
        if front.errors:
            request.echo_err(render(front.diagnostics, "text", front.sources))
            request.echo_err("specc build: the spec has errors; nothing was written")
            return None
        generated = generate(ctx, request.targets, reporter, forked)
        forked = None
    finally:
        if forked is not None:
            forked.abandon()
    return generated


def _build(request: _Request, stack: contextlib.ExitStack) -> BuildResult:
    from specc.report import render

    tree, config, echo, echo_err = request.tree, request.config, request.echo, request.echo_err
    out = tree.root
    for folder in legacy_staging(tree):
        echo_err(
            f"specc build: {folder} was left by an interrupted build of an older specc; it may hold files "
            "that were moved aside. Restore what you need from it, then delete it"
        )
    if request.check:
        interrupted = pending(tree)
        if interrupted is not None:
            echo(
                f"specc build --check: {interrupted} holds an interrupted build: run `specc build` to "
                "finish it"
            )
            return BuildResult(exit_code=1)
    elif out.is_dir():
        _recover(tree, echo, echo_err, durable=request.durable)
    manifest = Manifest.read(out, tree)
    current = fingerprint([request.spec_path, request.testplan], config, request.allow_destructive)
    if not request.check and manifest.fingerprint == current and manifest.intact(tree, config.root):
        echo(f"specc build: {tree.shown} is up to date")
        return BuildResult(exit_code=0, up_to_date=True)
    _preflight(tree)

    front = load(
        request.spec_path,
        request.testplan,
        config,
        cache_dir=config.root / CACHE_DIR if request.cache else None,
        check=False,
    )
    ctx = BuildContext(
        spec=front.spec,
        source=display_path(request.spec_path, config.root),
        root=config.root,
        out=out,
        config=config,
        allow_destructive=request.allow_destructive,
        validated=manifest.validated,
        seeded=manifest.seeded,
    )
    reporter = Reporter()
    generated = _render(request, front, ctx, reporter)
    if generated is None:
        return BuildResult(exit_code=1)
    manifest.report(tree.show(MANIFEST), reporter)
    plan = plan_writes(tree, generated.files, manifest, reporter)
    build_diagnostics = filter_diagnostics(reporter.diagnostics, config, [])
    problems = [d for d in build_diagnostics if d.severity is Severity.ERROR]
    if build_diagnostics:
        echo_err(render(build_diagnostics, "text", front.sources))
    if problems and not request.check:
        echo_err("specc build: nothing was written")
        return BuildResult(exit_code=1, forked=generated.forked)
    new_manifest = Manifest(
        fingerprint=current,
        files=plan.digests,
        validated=generated.validated,
        inputs=external_inputs(front.spec, config.root),
        seeded=manifest.seeded,
    )
    if request.check:
        if generated.seeds:
            echo(f"specc build --check: would write test-plan stubs: {', '.join(sorted(generated.seeds))}")
            return BuildResult(exit_code=1, forked=generated.forked)
        return _compare(request, manifest, new_manifest, plan, bool(problems), generated.forked)
    created = create_seeds(config.root, generated.seeds, durable=request.durable)
    for rel in created:
        echo(f"specc build: wrote the test-plan stubs {rel} (yours from now on: specc never writes it again)")
    new_manifest.seeded = manifest.seeded | set(created)
    if created:  # the team's tests folder now holds them: the next build is up to date only with them
        new_manifest.fingerprint = fingerprint(
            [request.spec_path, request.testplan], config, request.allow_destructive
        )
    _write(request, stack, plan, new_manifest)
    echo(
        f"specc build: wrote {len(plan.write)}, removed {len(plan.delete)}, unchanged {len(plan.unchanged)} "
        f"file(s) in {tree.shown}"
    )
    return BuildResult(exit_code=0, written=sorted(plan.write), deleted=plan.delete, forked=generated.forked)


def _compare(
    request: _Request, manifest: Manifest, new_manifest: Manifest, plan: Plan, problems: bool, forked: bool
) -> BuildResult:
    """`--check`: show how the output folder differs from what this build would write."""
    echo = request.echo
    if problems:  # what is planned may be partial (a target reported errors): show only what differs
        echo(unified_diff(dataclasses.replace(plan, delete=[])).rstrip("\n"))
        echo("specc build --check: the build reports errors (above); the output is not current")
        return BuildResult(exit_code=1, forked=forked)
    stale = manifest_differences(manifest, new_manifest)
    if plan.write or plan.delete or stale:
        echo("\n".join([unified_diff(plan).rstrip("\n"), *stale]).strip("\n"))
        echo(f"specc build --check: {len(plan.write) + len(plan.delete)} file(s) out of date")
        return BuildResult(exit_code=1, written=sorted(plan.write), deleted=list(plan.delete), forked=forked)
    echo(f"specc build --check: {request.tree.shown} is current")
    return BuildResult(exit_code=0, up_to_date=True, forked=forked)


def _write(request: _Request, stack: contextlib.ExitStack, plan: Plan, new_manifest: Manifest) -> None:
    """Commit `plan` and the new manifest (last), unless nothing changes."""
    tree = request.tree
    out = tree.root
    manifest_bytes = new_manifest.text().encode("utf-8")
    old_manifest = tree.read(MANIFEST)
    if not (plan.write or plan.delete or old_manifest != manifest_bytes):
        return
    if not out.is_dir():
        out.mkdir(parents=True, exist_ok=True)
        stack.enter_context(locked(out))
        _recover(tree, request.echo, request.echo_err, durable=request.durable)
    place = [
        Write(rel, None if (now := plan.current[rel]) is None else sha256(now), text.encode())
        for rel, text in plan.write.items()
    ]
    place.append(Write(MANIFEST, None if old_manifest is None else sha256(old_manifest), manifest_bytes))
    remove = [Removal(rel, digest) for rel, digest in sorted(plan.removing.items())]
    outcome = commit(tree, place, remove, durable=request.durable)
    for rel in outcome.kept:
        request.echo_err(f"specc build: kept {tree.show(rel)}: it changed while specc was building")


def run_build(
    spec_path: Path,
    testplan: Path | None,
    out: Path,
    config: Config,
    *,
    check: bool,
    allow_destructive: bool,
    cache: bool = True,
) -> int:
    return build(
        spec_path, testplan, out, config, check=check, allow_destructive=allow_destructive, cache=cache
    ).exit_code
