"""`specc build`: run the front end, ask every target for its files, and write them safely.

Ownership: `<out>/.specc-manifest.json` lists every file specc wrote, with its sha256. specc never writes over
a file it does not own (B001) or a file it wrote that was edited since (B005). It removes an owned file the
spec no longer produces only when that is provably the file specc wrote: a canonical path inside a target's
area (`path_refusal`), reached without links, a regular file with the generated-file header and the sha256
the manifest recorded; anything else is kept and reported (B002-B004). Migration revisions are never removed.
Below the output folder nothing is read, written or deleted through a symbolic link (`specc.fsio`). The
commit is crash-safe: a journal makes it all or nothing across a crash, and the next run finishes or undoes
an interrupted one (`specc.commit`).

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
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from specc import __version__
from specc.check import filter_diagnostics
from specc.commit import (
    CommitFailed,
    Removal,
    Write,
    commit,
    is_digest,
    legacy_staging,
    locked,
    pending,
    recover,
    sha256,
)
from specc.config import Config
from specc.diagnostics import Diagnostic, Reporter, Severity, register_code
from specc.emit.base import GENERATED_MARKER, GeneratedFiles
from specc.frontend import FrontEnd, display_path, load, run_pending_checks
from specc.fsio import OutputTree, UnsafeOutput, path_problem, project_file
from specc.gcpause import paused_gc
from specc.ir.model import Spec
from specc.jsontext import dumps_indented
from specc.selfhash import code_fingerprint


@dataclass(frozen=True)
class BuildContext:
    """What every target renders from. Read-only: a target reports into a reporter of its own and returns
    what it made (`Rendered`), which the build merges."""

    spec: Spec
    source: str
    """The spec's path as shown in headers (relative to the project root)."""
    root: Path
    out: Path
    config: Config
    allow_destructive: bool
    validated: frozenset[str] = frozenset()
    """Hashes of OpenAPI units validated by earlier builds (kept in the manifest; unchanged parts skip
    re-checks)."""

    @property
    def line_length(self) -> int:
        """The line length every writer lays generated Python out for: the receiving project's
        (`[tool.specc] line_length`, else `[tool.ruff]` / `[tool.black]` `line-length`, else 88)."""
        return self.config.line_length


@dataclass(frozen=True)
class Rendered:
    """What one target produced. A target rendered in a forked child sends this record back whole."""

    files: GeneratedFiles
    diagnostics: tuple[Diagnostic, ...] = ()
    """What the target reported, in order."""
    validated: frozenset[str] = frozenset()
    """The `api` target: every OpenAPI unit digest known valid after its check (`BuildContext.validated`
    and the ones it added). Empty for the other targets."""


Renderer = Callable[[BuildContext], Rendered]


@dataclass(frozen=True)
class Target:
    name: str
    render: Renderer
    areas: tuple[str, ...]
    """The folders (ending in `/`) and files this target may write: a path outside them is refused (B007)."""
    permanent_prefix: str | None = None
    """Files under this prefix are never deleted by a build (applied migrations)."""


_TARGETS: dict[str, Target] = {}


def _overlap(a: str, b: str) -> bool:
    return a == b or (a.endswith("/") and b.startswith(a)) or (b.endswith("/") and a.startswith(b))


def register_target(target: Target) -> None:
    if target.name in _TARGETS:
        raise ValueError(f"build target {target.name} is registered twice")
    for other in _TARGETS.values():
        if any(_overlap(a, b) for a in target.areas for b in other.areas):
            raise ValueError(f"build targets {other.name} and {target.name} share a folder or file")
    _TARGETS[target.name] = target


def targets() -> list[Target]:
    """Every registered target, in registration order (the order a build renders and reports them in)."""
    return list(_TARGETS.values())


def in_areas(rel: str, areas: tuple[str, ...]) -> bool:
    """`rel` is one of `areas` or inside one of its folders (ending in `/`)."""
    return any(rel == area or (area.endswith("/") and rel.startswith(area)) for area in areas)


def areas() -> tuple[str, ...]:
    """Every path a build may write or delete starts with one of these (a folder ending in `/`) or is one."""
    return tuple(area for target in targets() for area in target.areas)


def path_refusal(rel: str) -> str | None:
    """Why `rel` may not be written or deleted by a build (None: it may). A path must be canonical
    (`specc.fsio.path_problem`) and inside a build target's area (`models/`, `openapi.json`, ...): so an
    edited manifest, lock or journal can never name a hand-written file next to the generated ones."""
    problem = path_problem(rel)
    if problem is not None:
        return problem
    if not in_areas(rel, areas()):
        return f"is not in a folder or file specc generates ({', '.join(areas())})"
    return None


def _models(ctx: BuildContext) -> Rendered:
    from specc.emit.models import render_models

    return Rendered(render_models(ctx.spec, ctx.source, ctx.line_length))


def _api(ctx: BuildContext) -> Rendered:
    """Pydantic schemas, openapi.json and the runtime modules (settings, database, error handlers, security,
    route contracts), all from one schema plan."""
    from specc.emit import schemas
    from specc.emit.openapi import render_api_plan
    from specc.emit.runtime import runtime_files

    prefix = ctx.config.api_prefix
    reporter = Reporter()
    validated = set(ctx.validated)  # the check adds what it validates
    plan = schemas.plan(ctx.spec, ctx.source, ctx.root, reporter, prefix)
    files, document = render_api_plan(
        ctx.spec, plan, ctx.source, reporter, prefix, validated=validated, line_length=ctx.line_length
    )
    return Rendered(
        {**files, **runtime_files(ctx.spec, ctx.source, plan, prefix, ctx.line_length, document)},
        tuple(reporter.diagnostics),
        frozenset(validated),
    )


def _migrations(ctx: BuildContext) -> Rendered:
    from specc.migrate import plan_build

    reporter = Reporter()
    files = plan_build(
        ctx.spec,
        ctx.out,
        source=ctx.source,
        allow_destructive=ctx.allow_destructive,
        reporter=reporter,
        line_length=ctx.line_length,
    )
    return Rendered(files, tuple(reporter.diagnostics))


register_target(Target("models", _models, areas=("models/",)))
register_target(
    Target(
        "api",
        _api,
        areas=(
            "schemas/",
            "openapi.json",
            "config.py",
            "database.py",
            "errors.py",
            "security.py",
            "contracts.py",
        ),
    )
)
register_target(
    Target(
        "migrations",
        _migrations,
        areas=("migrations/", "specc.lock.json"),
        permanent_prefix="migrations/versions/",
    )
)


MANIFEST = ".specc-manifest.json"

MANIFEST_REFUSED = register_code(
    "B002",
    Severity.WARNING,
    "Manifest entry ignored",
    "An entry of `.specc-manifest.json` names a path specc would never write: not canonical (`//`, `.`, "
    "`..`, a backslash, an absolute path, a control character), outside the folders and files specc "
    "generates (`models/`, `schemas/`, `openapi.json`, `migrations/`, `specc.lock.json`), or without a valid "
    "sha256. The manifest is a committed file; such an entry was written by hand (or by a pull request). "
    "specc ignores it: the path is neither deleted nor treated as owned, and the next manifest no longer "
    "lists it. Look at who changed the manifest.",
    '"files": {"NOTES.md": "…"} or {"migrations//versions/0001_initial.py": "…"}',
)
MANIFEST_UNREADABLE = register_code(
    "B006",
    Severity.WARNING,
    "Manifest unreadable",
    "`.specc-manifest.json` is not a JSON object specc can read (not UTF-8, not JSON, nested too deeply). "
    "Without it specc cannot tell which files it owns: the build deletes nothing, overwrites only files that "
    "carry specc's generated-file header, and writes a new manifest. `specc build --check` reports the "
    "output as stale (exit 1): with an unreadable manifest the state of the output folder is unknown.",
    "a merge conflict marker in .specc-manifest.json",
)


def fingerprint(paths: list[Path | None], config: Config, allow_destructive: bool) -> str:
    digest = hashlib.sha256(code_fingerprint().encode())
    for path in paths:
        digest.update(b"\x00")
        if path is not None and path.is_file():
            digest.update(path.read_bytes())
    settings = (
        sorted(config.disable),
        sorted(config.severity.items()),
        config.api_prefix,
        config.line_length,
    )
    digest.update(repr(settings).encode())
    digest.update(b"destructive" if allow_destructive else b"safe")
    return digest.hexdigest()


@dataclass
class Manifest:
    fingerprint: str = ""
    files: dict[str, str] = field(default_factory=dict)
    validated: frozenset[str] = frozenset()
    """OpenAPI unit hashes openapi-spec-validator has accepted (a cache: losing it only costs time)."""
    inputs: dict[str, str] = field(default_factory=dict)
    """Other files the build read (external JSON Schemas of bodies), relative to the project root → sha256."""
    problem: str | None = None
    """Why the manifest file could not be read (None: read, or there is none)."""
    refused: dict[str, str] = field(default_factory=dict)
    """Entries of `files` that were ignored → why (not canonical, outside specc's areas, no valid sha256)."""
    exists: bool = False
    lines: dict[str, int] = field(default_factory=dict)
    """Line of each refused entry in the file (for diagnostics)."""

    @classmethod
    def read(cls, out: Path, tree: OutputTree | None = None) -> Manifest:
        """The manifest under `out`. Never raises for its content (an unreadable manifest has a `problem`);
        raises UnsafeOutput when it is a link or not a file."""
        data = (tree or OutputTree(out, str(out))).read(MANIFEST)
        if data is None:
            return cls()
        try:
            body = json.loads(data.decode("utf-8"))
        except UnicodeDecodeError as exc:
            return cls(exists=True, problem=f"byte {exc.start} is not UTF-8")
        except RecursionError:
            return cls(exists=True, problem="it is nested too deeply")
        except ValueError as exc:  # JSONDecodeError, or an integer too long to convert
            return cls(exists=True, problem=f"it is not valid JSON ({str(exc).splitlines()[0][:200]})")
        if not isinstance(body, dict) or not isinstance(body.get("files", {}), dict):
            return cls(exists=True, problem="it is not an object with a `files` object")
        fingerprint = body.get("fingerprint", "")
        manifest = cls(exists=True, fingerprint=fingerprint if isinstance(fingerprint, str) else "")
        for rel, digest in body.get("files", {}).items():
            problem = path_refusal(rel) if is_digest(digest) else "has no valid sha256"
            if problem is None:
                manifest.files[rel] = digest
            else:
                manifest.refused[rel] = problem
                at = data.find(json.dumps(rel, ensure_ascii=False).encode("utf-8", "replace") + b":")
                manifest.lines[rel] = data.count(b"\n", 0, at) + 1 if at >= 0 else 1
        validated = body.get("validated_openapi_units", [])
        if isinstance(validated, list):
            manifest.validated = frozenset(h for h in validated if isinstance(h, str))
        inputs = body.get("inputs", {})
        if isinstance(inputs, dict):
            manifest.inputs = {k: v for k, v in inputs.items() if isinstance(v, str)}
        return manifest

    def text(self) -> str:
        body = {
            "generated_by": f"specc {__version__}",
            "fingerprint": self.fingerprint,
            "files": dict(sorted(self.files.items())),
            "inputs": dict(sorted(self.inputs.items())),
            "validated_openapi_units": sorted(self.validated),
        }
        return dumps_indented(body) + "\n"

    def intact(self, tree: OutputTree, root: Path) -> bool:
        """Every file it lists, and every input it records, is on disk with the recorded sha256 (and the
        manifest itself was read whole)."""
        if not self.files or self.refused or self.problem:
            return False
        for rel, digest in self.files.items():
            data = tree.read(rel)
            if data is None or sha256(data) != digest:
                return False
        for rel, digest in self.inputs.items():
            data, _ = project_file(root, rel)
            if data is None or sha256(data) != digest:
                return False
        return True

    def report(self, shown: str, reporter: Reporter) -> None:
        """Report an unreadable manifest (B006) and the entries it ignored (B002)."""
        if self.problem is not None:
            reporter.report(
                MANIFEST_UNREADABLE,
                f"cannot read the manifest: {self.problem}; nothing is deleted, and only files with specc's "
                "generated-file header are replaced",
                shown,
                1,
            )
        for rel, problem in sorted(self.refused.items()):
            reporter.report(
                MANIFEST_REFUSED,
                f"manifest entry {rel!r} is ignored: it {problem}",
                shown,
                self.lines.get(rel, 1),
                hint="the manifest is written by specc; look at who edited it",
            )


def external_inputs(spec: Spec, root: Path) -> dict[str, str]:
    """sha256 of every JSON Schema file a body references (missing files hash as empty)."""
    refs = {
        body.schema_ref
        for endpoint in spec.endpoints
        for body in (endpoint.request_body, *(r.body for r in endpoint.responses))
        if body is not None and body.schema_ref
    }
    digests: dict[str, str] = {}
    for ref in sorted(refs):
        data, _ = project_file(root, ref)
        digests[ref] = "" if data is None else sha256(data)
    return digests


def manifest_differences(old: Manifest, new: Manifest) -> list[str]:
    """How the ownership record on disk differs from the one this build writes (for `--check`)."""
    if old.problem is not None:
        return [f"{MANIFEST}: unreadable ({old.problem}); the state of the output folder is unknown"]
    if not old.exists:
        return [f"missing: {MANIFEST}"]
    lines = [
        f"{MANIFEST}: lists {rel}, which it should not ({why})" for rel, why in sorted(old.refused.items())
    ]
    for rel in sorted(old.files.keys() | new.files.keys()):
        if rel not in new.files:
            lines.append(f"{MANIFEST}: lists {rel}, which the spec does not produce")
        elif rel not in old.files:
            lines.append(f"{MANIFEST}: does not list {rel}")
        elif old.files[rel] != new.files[rel]:
            lines.append(f"{MANIFEST}: records another sha256 for {rel}")
    return lines


NOT_OWNED = register_code(
    "B001",
    Severity.ERROR,
    "Output path holds a file specc does not own",
    "`specc build` would write a file that already exists in the output folder, was not written by specc "
    "(it is not in the manifest and has no generated-file header). specc never overwrites hand-written "
    "files: move the file, or choose another `--out`.",
)
KEPT_CHANGED = register_code(
    "B003",
    Severity.WARNING,
    "Generated file kept: changed since specc wrote it",
    "The spec no longer produces a file specc wrote, but its content is not what specc recorded: someone "
    "edited it. specc deletes only files whose content it wrote, so the file is kept and is no longer owned "
    "by specc (the new manifest does not list it). Delete it by hand if the change is not needed.",
    "models/orders.py edited by hand, then the `orders` table removed from the spec",
)
KEPT_NOT_FILE = register_code(
    "B004",
    Severity.WARNING,
    "Manifest entry kept: not a file specc wrote",
    "The manifest lists a path the spec no longer produces, but what is there is not a regular file with "
    "specc's generated-file header (a folder, a symbolic link, a path through a symbolic link, a device, or "
    "a file without the header). specc never deletes folders, never deletes through or by way of links and "
    "never deletes files it did not generate, so it is kept and no longer listed in the manifest.",
    "models -> ../elsewhere (a link), with models/users.py in the manifest",
)
EDITED = register_code(
    "B005",
    Severity.ERROR,
    "Generated file edited by hand",
    "`specc build` would replace a file it wrote, but the file's content is not what specc recorded: it was "
    "edited after specc wrote it. specc does not overwrite the edit (it would be lost). Put the change into "
    "the spec (or the code that uses the generated files), then delete the file or restore it from version "
    "control, and build again. Nothing is written until then.",
    "a method added by hand to models/users.py",
)
NOT_ENCODABLE = register_code(
    "B008",
    Severity.ERROR,
    "Generated text is not valid Unicode",
    "A generated file would hold text that cannot be written as UTF-8 (a lone surrogate such as `\\ud800` "
    "from a JSON example in the document). Nothing is written. Fix the text in the document.",
    '{ "name": "\\ud800" }',
)


def _owned(rel: str, current: bytes | None, manifest: Manifest) -> bool:
    if current is None or rel in manifest.files:
        return True
    return GENERATED_MARKER in current[:400].decode("utf-8", errors="replace")


def _edited(current: bytes, recorded: str) -> bool:
    """The file is not what specc recorded (line endings a checkout converted do not count)."""
    return sha256(current) != recorded and sha256(current.replace(b"\r\n", b"\n")) != recorded


@dataclass
class Plan:
    write: dict[str, str]
    delete: list[str]
    unchanged: list[str]
    current: dict[str, bytes | None] = field(default_factory=dict)
    """What is on disk now at every path in `write` (None: missing)."""
    kept: list[str] = field(default_factory=list)
    """Owned files the spec no longer produces that are not deleted (B003, B004)."""
    digests: dict[str, str] = field(default_factory=dict)
    """sha256 of every produced file's new content (what the new manifest records)."""
    removing: dict[str, str] = field(default_factory=dict)
    """sha256 of each file in `delete` as it is now (checked again just before it is deleted)."""


def plan_writes(tree: OutputTree, files: GeneratedFiles, manifest: Manifest, reporter: Reporter) -> Plan:
    """What to write, delete and keep. Reports hand-written files in the way (B001), edited generated files
    (B005) and owned files that cannot be deleted (B003, B004). Raises UnsafeOutput for links."""
    permanent = tuple(t.permanent_prefix for t in targets() if t.permanent_prefix)
    plan = Plan(write={}, delete=[], unchanged=[])
    for rel, content in sorted(files.items()):
        current = tree.read(rel)
        try:
            new = content.encode("utf-8")
        except UnicodeEncodeError as exc:
            reporter.report(
                NOT_ENCODABLE, f"{rel} holds text that is not valid Unicode ({exc.reason})", tree.show(rel), 1
            )
            continue
        plan.digests[rel] = sha256(new)
        if current == new:
            plan.unchanged.append(rel)
            continue
        plan.write[rel] = content
        plan.current[rel] = current
        if current is None:
            continue
        if not _owned(rel, current, manifest):
            reporter.report(NOT_OWNED, f"{rel} exists and was not written by specc", tree.show(rel), 1, 1)
        elif rel in manifest.files and _edited(current, manifest.files[rel]):
            reporter.report(
                EDITED,
                f"{rel} was edited after specc wrote it; specc will not overwrite the edit",
                tree.show(rel),
                1,
                1,
                hint="move the change into the spec, then delete the file (or restore it from version "
                "control)",
            )
    for rel, digest in sorted(manifest.files.items()):
        if rel in files or rel.startswith(permanent):
            continue
        try:
            current = tree.read(rel)
        except UnsafeOutput as exc:
            reporter.report(KEPT_NOT_FILE, f"{rel} is not deleted: {exc.problem}", exc.path, 1, 1)
            plan.kept.append(rel)
            continue
        if current is None:
            continue
        if _edited(current, digest):
            reporter.report(
                KEPT_CHANGED,
                f"{rel} is no longer produced by the spec but was changed since specc wrote it: kept, and no "
                "longer owned by specc",
                tree.show(rel),
                1,
                1,
            )
            plan.kept.append(rel)
        elif GENERATED_MARKER not in current[:400].decode("utf-8", errors="replace"):
            reporter.report(
                KEPT_NOT_FILE,
                f"{rel} is not deleted: it has no generated-file header, so specc did not write it",
                tree.show(rel),
                1,
                1,
            )
            plan.kept.append(rel)
        else:
            plan.delete.append(rel)
            plan.removing[rel] = sha256(current)
    return plan


def unified_diff(plan: Plan) -> str:
    chunks: list[str] = []
    for rel, content in plan.write.items():
        current = plan.current.get(rel)
        if current is None:
            chunks.append(f"missing: {rel}\n")
            continue
        old = current.decode("utf-8", errors="replace").splitlines(keepends=True)
        new = content.splitlines(keepends=True)
        chunks.append("".join(difflib.unified_diff(old, new, f"a/{rel}", f"b/{rel}")))
    for rel in plan.delete:
        chunks.append(f"extra: {rel} (no longer produced by the spec)\n")
    return "".join(chunks)


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
    return Generated(files, frozenset(validated), from_child is not None)


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
    (`PARALLEL_MIN_ITEMS`), True always, False never; the output is the same either way.
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
    )
    if request.check:
        return _compare(request, manifest, new_manifest, plan, bool(problems), generated.forked)
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
        return BuildResult(exit_code=1, forked=forked)
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
