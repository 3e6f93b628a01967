"""`specc build`: run the front end, ask every target for its files, and write them safely.

Ownership: `<out>/.specc-manifest.json` lists every file specc wrote, with its sha256. specc never
writes over a file it does not own, removes owned files the spec no longer produces, and writes all content
to a staging folder before moving anything into place, so an interrupted build leaves the previous output
intact.

Incremental: the manifest records a fingerprint of the inputs (spec, test plan, configuration and specc's own
code). When it matches and every owned file is unchanged on disk, the build does no generation work at all.
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import hashlib
import json
import os
import pickle
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import cast

from specc import __version__
from specc.check import filter_diagnostics
from specc.config import Config
from specc.diagnostics import Reporter, Severity, register_code
from specc.emit.base import GENERATED_MARKER, GeneratedFiles
from specc.frontend import display_path, load, run_pending_checks
from specc.gcpause import paused_gc
from specc.ir.model import Spec
from specc.jsontext import dumps_indented
from specc.selfhash import code_fingerprint

MANIFEST = ".specc-manifest.json"
CACHE_DIR = ".specc_cache"
"""Under the project root: what the parser made of each section of the spec, reused by the next build."""

NOT_OWNED = register_code(
    "B001",
    Severity.ERROR,
    "Output path holds a file specc does not own",
    "`specc build` would write a file that already exists in the output folder, was not written by specc "
    "(it is not in the manifest and has no generated-file header). specc never overwrites hand-written "
    "files: move the file, or choose another `--out`.",
)


@dataclass(frozen=True)
class BuildContext:
    spec: Spec
    source: str
    """The spec's path as shown in headers (relative to the project root)."""
    root: Path
    out: Path
    config: Config
    reporter: Reporter
    allow_destructive: bool
    validated: set[str] = field(default_factory=set)
    """Hashes of OpenAPI units already validated (kept in the manifest; unchanged parts skip re-checks)."""


Renderer = Callable[[BuildContext], GeneratedFiles]


@dataclass(frozen=True)
class Target:
    name: str
    render: Renderer
    permanent_prefix: str | None = None
    """Files under this prefix are never deleted by a build (applied migrations)."""


_TARGETS: dict[str, Target] = {}


def register_target(target: Target) -> None:
    if target.name in _TARGETS:
        raise ValueError(f"build target {target.name} is registered twice")
    _TARGETS[target.name] = target


def targets() -> list[Target]:
    return list(_TARGETS.values())


def _models(ctx: BuildContext) -> GeneratedFiles:
    from specc.emit.models import render_models

    return render_models(ctx.spec, ctx.source)


def _api(ctx: BuildContext) -> GeneratedFiles:
    """Pydantic schemas and openapi.json, planned once."""
    from specc.emit.openapi import render_api

    return render_api(
        ctx.spec, ctx.source, ctx.root, ctx.reporter, ctx.config.api_prefix, validated=ctx.validated
    )


def _migrations(ctx: BuildContext) -> GeneratedFiles:
    from specc.migrate import plan_build

    return plan_build(
        ctx.spec,
        ctx.out,
        source=ctx.source,
        allow_destructive=ctx.allow_destructive,
        reporter=ctx.reporter,
    )


register_target(Target("models", _models))
register_target(Target("api", _api))
register_target(Target("migrations", _migrations, permanent_prefix="migrations/versions/"))


# --- fingerprint and manifest ------------------------------------------------------------------------


def fingerprint(paths: list[Path | None], config: Config, allow_destructive: bool) -> str:
    digest = hashlib.sha256(code_fingerprint().encode())
    for path in paths:
        digest.update(b"\x00")
        if path is not None and path.is_file():
            digest.update(path.read_bytes())
    digest.update(repr((sorted(config.disable), sorted(config.severity.items()), config.api_prefix)).encode())
    digest.update(b"destructive" if allow_destructive else b"safe")
    return digest.hexdigest()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Manifest:
    fingerprint: str = ""
    files: dict[str, str] = field(default_factory=dict)
    validated: set[str] = field(default_factory=set)
    """OpenAPI unit hashes openapi-spec-validator has accepted (a cache: losing it only costs time)."""
    inputs: dict[str, str] = field(default_factory=dict)
    """Other files the build read (external JSON Schemas of bodies), relative to the project root → sha256."""

    @classmethod
    def read(cls, out: Path) -> Manifest:
        try:
            data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
            return cls(
                fingerprint=str(data.get("fingerprint", "")),
                files={str(k): str(v) for k, v in dict(data.get("files", {})).items() if _inside(str(k))},
                validated={str(h) for h in data.get("validated_openapi_units", [])},
                inputs={str(k): str(v) for k, v in dict(data.get("inputs", {})).items()},
            )
        except (OSError, ValueError, AttributeError, TypeError):
            return cls()

    def text(self) -> str:
        body = {
            "generated_by": f"specc {__version__}",
            "fingerprint": self.fingerprint,
            "files": dict(sorted(self.files.items())),
            "inputs": dict(sorted(self.inputs.items())),
            "validated_openapi_units": sorted(self.validated),
        }
        return dumps_indented(body) + "\n"


def _inside(rel: str) -> bool:
    """A manifest path may only name a file below the output folder (the manifest is a committed file)."""
    path = PurePosixPath(rel)
    return bool(rel) and not path.is_absolute() and ".." not in path.parts and "\\" not in rel


def _unchanged(base: Path, digests: dict[str, str]) -> bool:
    for rel, digest in digests.items():
        try:
            if sha256((base / rel).read_bytes()) != digest:
                return False
        except OSError:
            return False
    return True


def _intact(out: Path, root: Path, manifest: Manifest) -> bool:
    return bool(manifest.files) and _unchanged(out, manifest.files) and _unchanged(root, manifest.inputs)


def _external_inputs(spec: Spec, root: Path) -> dict[str, str]:
    """sha256 of every JSON Schema file a body references (missing files hash as empty)."""
    refs = {
        body.schema_ref
        for endpoint in spec.endpoints
        for body in (endpoint.request_body, *(r.body for r in endpoint.responses))
        if body is not None and body.schema_ref
    }
    digests: dict[str, str] = {}
    for ref in sorted(refs):
        try:
            digests[ref] = sha256((root / ref).read_bytes())
        except OSError:
            digests[ref] = ""
    return digests


# --- writing -----------------------------------------------------------------------------------------


def _owned(path: Path, rel: str, manifest: Manifest) -> bool:
    if rel in manifest.files or not path.exists():
        return True
    try:
        head = path.read_bytes()[:400].decode("utf-8", errors="replace")
    except OSError:
        return False
    return GENERATED_MARKER in head


@dataclass
class Plan:
    write: dict[str, str]
    delete: list[str]
    unchanged: list[str]


def plan_changes(out: Path, files: GeneratedFiles, manifest: Manifest) -> Plan:
    permanent = tuple(t.permanent_prefix for t in targets() if t.permanent_prefix)
    write: dict[str, str] = {}
    unchanged: list[str] = []
    for rel, content in sorted(files.items()):
        path = out / rel
        try:
            current = path.read_bytes()
        except OSError:
            current = None
        if current == content.encode("utf-8"):
            unchanged.append(rel)
        else:
            write[rel] = content
    delete = sorted(rel for rel in manifest.files if rel not in files and not rel.startswith(permanent))
    return Plan(write=write, delete=delete, unchanged=unchanged)


def commit(out: Path, plan: Plan, manifest_text: str) -> None:
    """Stage every new file, then move them into place; the manifest goes last.

    Files being replaced or removed are first moved aside into the staging folder; if anything fails while
    files are moved into place, they are moved back, so the previous output stays intact.
    """
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".specc-staging-", dir=out))
    try:
        new_dir = staging / "new"
        old_dir = staging / "old"
        for rel, content in plan.write.items():
            tmp = new_dir / rel
            tmp.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(content, encoding="utf-8")
        (new_dir / MANIFEST).parent.mkdir(parents=True, exist_ok=True)
        (new_dir / MANIFEST).write_text(manifest_text, encoding="utf-8")
        touched = [*plan.write, *plan.delete, MANIFEST]
        moved_aside: list[str] = []
        placed: list[str] = []
        try:
            for rel in touched:
                if (out / rel).exists():
                    (old_dir / rel).parent.mkdir(parents=True, exist_ok=True)
                    os.replace(out / rel, old_dir / rel)
                    moved_aside.append(rel)
            for rel in [*plan.write, MANIFEST]:
                (out / rel).parent.mkdir(parents=True, exist_ok=True)
                os.replace(new_dir / rel, out / rel)
                placed.append(rel)
        except BaseException:
            for rel in placed:
                (out / rel).unlink(missing_ok=True)
            for rel in moved_aside:
                os.replace(old_dir / rel, out / rel)
            raise
        for rel in plan.delete:
            parent = (out / rel).parent
            while parent != out and parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def unified_diff(out: Path, plan: Plan) -> str:
    chunks: list[str] = []
    for rel, content in plan.write.items():
        path = out / rel
        if not path.exists():
            chunks.append(f"missing: {rel}\n")
            continue
        old = path.read_text(encoding="utf-8", errors="replace").splitlines(keepends=True)
        new = content.splitlines(keepends=True)
        chunks.append("".join(difflib.unified_diff(old, new, f"a/{rel}", f"b/{rel}")))
    for rel in plan.delete:
        chunks.append(f"extra: {rel} (no longer produced by the spec)\n")
    return "".join(chunks)


# --- the command -------------------------------------------------------------------------------------


@dataclass
class BuildResult:
    exit_code: int
    written: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    up_to_date: bool = False


PARALLEL_TARGET = "api"
PARALLEL_MIN_ITEMS = 300
"""A spec with at least this many tables and endpoints renders the `api` target (the longest) in a forked
process while this one renders the others. Below it, forking costs more than it saves."""


class _Forked:
    """One target rendered in a forked child (Linux only; never when other threads run, since a fork copies
    locks they may hold). The child sends back its files, diagnostics and validated-unit digests, pickled
    through a pipe. Anything unexpected (the child failing, dying or sending nothing) makes the parent render
    the target itself, so the result never depends on whether the fork worked."""

    def __init__(self, target: Target, ctx: BuildContext) -> None:
        self.target = target
        self.ctx = ctx
        read_end, write_end = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # pragma: no cover - runs in the child, which leaves through os._exit
            os.close(read_end)
            status = 1
            try:
                reporter = Reporter()
                validated = set(ctx.validated)
                files = target.render(dataclasses.replace(ctx, reporter=reporter, validated=validated))
                payload = pickle.dumps(
                    (files, reporter.diagnostics, validated), protocol=pickle.HIGHEST_PROTOCOL
                )
                with os.fdopen(write_end, "wb") as pipe:
                    pipe.write(payload)
                status = 0
            finally:
                os._exit(status)
        os.close(write_end)
        self.read_end = read_end

    def join(self) -> GeneratedFiles:
        payload = b""
        status = -1
        try:
            with os.fdopen(self.read_end, "rb") as pipe:
                payload = pipe.read()
        finally:
            _, status = os.waitpid(self.pid, 0)
        if status != 0 or not payload:
            return self.target.render(self.ctx)
        files, diagnostics, validated = pickle.loads(payload)
        self.ctx.reporter.diagnostics.extend(diagnostics)
        self.ctx.validated.update(validated)
        return cast(GeneratedFiles, files)

    def abandon(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except OSError:
            pass
        with contextlib.suppress(OSError):
            os.close(self.read_end)


def _fork(ctx: BuildContext) -> _Forked | None:
    """Start rendering `PARALLEL_TARGET` in a child when it pays off and is safe (see `_Forked`)."""
    if (
        sys.platform == "linux"
        and threading.active_count() == 1
        and len(ctx.spec.tables) + len(ctx.spec.endpoints) >= PARALLEL_MIN_ITEMS
        and PARALLEL_TARGET in _TARGETS
    ):
        return _Forked(_TARGETS[PARALLEL_TARGET], ctx)
    return None


def generate(ctx: BuildContext, forked: _Forked | None = None) -> GeneratedFiles:
    """Every target's files. `forked`: a target already being rendered in a child (joined here; on any
    exception the caller abandons it)."""
    rendered: dict[str, GeneratedFiles] = {}
    for target in targets():
        if forked is None or target is not forked.target:
            rendered[target.name] = target.render(ctx)
    if forked is not None:
        rendered[forked.target.name] = forked.join()
    files: GeneratedFiles = {}
    for target in targets():
        for rel, content in rendered[target.name].items():
            if rel in files:
                raise ValueError(f"two build targets produce {rel}")
            files[rel] = content
    return files


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
    echo: Callable[[str], None] = print,
    echo_err: Callable[[str], None] = lambda s: print(s, file=sys.stderr),
) -> BuildResult:
    from specc.report import render

    manifest = Manifest.read(out)
    current = fingerprint([spec_path, testplan], config, allow_destructive)
    if not check and manifest.fingerprint == current and _intact(out, config.root, manifest):
        echo(f"specc build: {display_path(out, config.root)} is up to date")
        return BuildResult(exit_code=0, up_to_date=True)

    front = load(
        spec_path, testplan, config, cache_dir=config.root / CACHE_DIR if cache else None, check=False
    )
    reporter = Reporter()
    ctx = BuildContext(
        spec=front.spec,
        source=display_path(spec_path, config.root),
        root=config.root,
        out=out,
        config=config,
        reporter=reporter,
        allow_destructive=allow_destructive,
        validated=set(manifest.validated),
    )
    forked = _fork(ctx)
    try:
        run_pending_checks(front)  # while the forked target renders
        if front.errors:
            echo_err(render(front.diagnostics, "text", front.sources))
            echo_err("specc build: the spec has errors; nothing was written")
            return BuildResult(exit_code=1)
        files = generate(ctx, forked)
        forked = None
    finally:
        if forked is not None:
            forked.abandon()
    for rel in sorted(files):
        if not _owned(out / rel, rel, manifest):
            reporter.report(NOT_OWNED, f"{rel} exists and was not written by specc", ctx.source, 1, 1)
    build_diagnostics = filter_diagnostics(reporter.diagnostics, config, [])
    problems = [d for d in build_diagnostics if d.severity is Severity.ERROR]
    if build_diagnostics:
        echo_err(render(build_diagnostics, "text", front.sources))
    if problems:
        echo_err("specc build: nothing was written")
        return BuildResult(exit_code=1)
    plan = plan_changes(out, files, manifest)
    new_manifest = Manifest(
        fingerprint=current,
        files={rel: sha256(content.encode("utf-8")) for rel, content in files.items()},
        validated=ctx.validated,
        inputs=_external_inputs(front.spec, config.root),
    )
    if check:
        if plan.write or plan.delete:
            echo(unified_diff(out, plan).rstrip("\n"))
            echo(f"specc build --check: {len(plan.write) + len(plan.delete)} file(s) out of date")
            return BuildResult(exit_code=1)
        echo(f"specc build --check: {display_path(out, config.root)} is current")
        return BuildResult(exit_code=0, up_to_date=True)
    manifest_text = new_manifest.text()
    manifest_current = (out / MANIFEST).is_file() and (out / MANIFEST).read_text(
        encoding="utf-8"
    ) == manifest_text
    if plan.write or plan.delete or not manifest_current:
        commit(out, plan, manifest_text)
    echo(
        f"specc build: wrote {len(plan.write)}, removed {len(plan.delete)}, unchanged {len(plan.unchanged)} "
        f"file(s) in {display_path(out, config.root)}"
    )
    return BuildResult(exit_code=0, written=sorted(plan.write), deleted=plan.delete)


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
