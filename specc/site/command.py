"""The `specc docs` command: lock the site's folder, finish or undo an interrupted write, skip the work when
nothing changed, render every page, plan the writes against the manifest of owned files and commit them.

The output folder is an mkdocs project (`mkdocs.yml`, the pages under `docs/`) and a manifest,
`.specc-docs-manifest.json`, of every file specc wrote there with its sha256, like `specc build`'s: specc
writes only files it owns (listed, or carrying its generated-file marker), never over a file edited since, and
deletes only listed files it wrote (a removed table's page); everything else in the folder is left alone. The
files are committed through `specc.commit` (a journal: a crash leaves the old site or the new one). A file
whose content is unchanged is not written, so its modification time is kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from specc.build.manifest import MANIFEST, Manifest
from specc.build.seeds import tests_digest
from specc.build.writes import plan_writes
from specc.check import filter_diagnostics
from specc.commit import CommitFailed, Removal, Write, commit, locked, recover, sha256
from specc.config import Config
from specc.diagnostics import Reporter, Severity
from specc.frontend import FrontEnd, display_path, load
from specc.fsio import OutputTree, UnsafeOutput, path_problem
from specc.selfhash import code_fingerprint
from specc.site.context import Site
from specc.site.layout import PAGES, Layout
from specc.site.render import MKDOCS_YML, render_site
from specc.site.settings import DocsSettings
from specc.site.status import CaseStatuses, StatusError, from_coverage, from_drift

DOCS_MANIFEST = ".specc-docs-manifest.json"
CACHE_DIR = ".specc_cache"
"""The parser's section cache under the project root, shared with `specc build` and `specc drift`."""

Echo = Callable[[str], None]


def docs_refusal(rel: str) -> str | None:
    """Why `rel` may not be written or deleted by `specc docs` (None: it may): a canonical path that is
    `mkdocs.yml` or under the pages folder."""
    problem = path_problem(rel)
    if problem is not None:
        return problem
    if rel != MKDOCS_YML and not rel.startswith(f"{PAGES}/"):
        return f"is not a file specc docs writes ({MKDOCS_YML} or {PAGES}/...)"
    return None


def _journal_refusal(rel: str) -> str | None:
    return None if rel == DOCS_MANIFEST else docs_refusal(rel)


@dataclass(frozen=True)
class DocsRequest:
    spec_path: Path
    testplan: Path | None
    out: Path
    config: Config
    settings: DocsSettings
    drift_report: Path | None = None
    """A `specc drift --format json` report: the case statuses come from it (else from plan coverage)."""
    generated: Path | None = None
    """`specc build`'s output folder, whose generated tests (`<generated>/tests`) count for plan coverage."""
    cache: bool = True
    durable: bool = True


@dataclass
class DocsResult:
    exit_code: int
    written: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    up_to_date: bool = False
    errors: int = 0
    """Errors `specc check` finds in the document (shown on the diagnostics page; the site is written)."""


class DocsError(Exception):
    """An input that cannot be used (the drift report, the output folder): exit 2."""


def _tests_source(request: DocsRequest) -> tuple[Path, str, tuple[Path, str] | None] | None:
    """The tests folder plan coverage reads (with its shown name) and the generated tests, when present."""
    config = request.config
    tests = config.root / config.tests
    if not tests.is_dir():
        return None
    generated = None
    if request.generated is not None:
        folder = request.generated / "tests"
        if folder.is_dir() and not folder.is_symlink():
            generated = (folder, display_path(folder, config.root).rstrip("/") + "/")
    return tests, display_path(tests, config.root), generated


def _read_report(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise DocsError(f"cannot read the drift report {path}: {exc.strerror or exc}") from exc


def fingerprint(request: DocsRequest) -> str:
    """Everything the site depends on: specc's code, the documents, the statuses' source, the settings."""
    digest = hashlib.sha256(code_fingerprint().encode())
    for path in (request.spec_path, request.testplan):
        digest.update(b"\x00")
        if path is not None and path.is_file():
            digest.update(path.read_bytes())
    if request.drift_report is not None:
        digest.update(b"drift\x00" + _read_report(request.drift_report))
    else:
        source = _tests_source(request)
        if source is not None:
            digest.update(f"tests\x00{source[1]}\x00{tests_digest(source[0])}".encode())
            if source[2] is not None:
                digest.update(f"\x00{source[2][1]}\x00{tests_digest(source[2][0])}".encode())
    config, settings = request.config, request.settings
    shown = (
        display_path(request.spec_path, config.root),
        None if request.testplan is None else display_path(request.testplan, config.root),
        sorted(config.disable),
        sorted(config.severity.items()),
    )
    chosen = (config.api_prefix, settings.repo_url, settings.line_url, settings.site_name)
    digest.update(repr((shown, chosen)).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _statuses(request: DocsRequest, front: FrontEnd) -> CaseStatuses | None:
    plan = front.spec.test_plan
    if plan is None:
        return None
    if request.drift_report is not None:
        shown = display_path(request.drift_report, request.config.root)
        try:
            return from_drift(plan, _read_report(request.drift_report), shown)
        except StatusError as exc:
            raise DocsError(str(exc)) from exc
    source = _tests_source(request)
    return None if source is None else from_coverage(plan, *source)


def _openapi(front: FrontEnd, config: Config, source: str) -> dict[str, Any]:
    """The OpenAPI document of a document without errors (a document with errors gets no field tables: its
    IR may be what no writer expects)."""
    if front.errors or not front.spec.endpoints:
        return {}
    from specc.emit.openapi import build_openapi

    return build_openapi(front.spec, config.api_prefix, config.root, Reporter(), source)


def render(request: DocsRequest) -> tuple[dict[str, str], FrontEnd]:
    """The site's files (path under the output folder → content) and the front end they came from."""
    config = request.config
    cache_dir = config.root / CACHE_DIR if request.cache else None
    front = load(request.spec_path, request.testplan, config, cache_dir=cache_dir)
    source = display_path(request.spec_path, config.root)
    layout = Layout.of(front.spec, config.api_prefix)
    statuses = _statuses(request, front)
    openapi = _openapi(front, config, source)
    site = Site.of(front.spec, source, request.settings, layout, openapi, statuses, front.diagnostics)
    return render_site(site), front


def docs(
    request: DocsRequest, echo: Echo = print, echo_err: Echo = lambda s: print(s, file=sys.stderr)
) -> DocsResult:
    """Write the site into `request.out` (see the module note). A link or a non-folder where the site goes,
    or a staging folder that is not specc's, is an environment error (exit 2): nothing is written."""
    out = request.out
    tree = OutputTree(out, display_path(out, request.config.root))
    try:
        with contextlib.ExitStack() as stack:
            if out.is_dir():
                stack.enter_context(locked(out))
                if tree.lstat_file(MANIFEST) is not None:
                    raise DocsError(
                        f"{tree.shown} is `specc build`'s output folder: give the site its own folder"
                    )
                _recover(tree, echo, echo_err, durable=request.durable)
            elif out.exists() or out.is_symlink():
                raise UnsafeOutput(tree.shown, "is not a folder")
            return _docs(request, tree, stack, echo, echo_err)
    except (UnsafeOutput, CommitFailed) as exc:
        echo_err(f"specc: {exc}")
        echo_err("specc docs: nothing was written")
        return DocsResult(exit_code=2)
    except DocsError as exc:
        echo_err(f"specc docs: {exc}; nothing was written")
        return DocsResult(exit_code=2)


def _recover(tree: OutputTree, echo: Echo, echo_err: Echo, *, durable: bool) -> None:
    outcome = recover(tree, _journal_refusal, durable=durable)
    if outcome.action:
        echo(f"specc docs: {outcome.action} an interrupted write of {tree.shown}")
    for rel in outcome.kept:
        echo_err(
            f"specc docs: kept {tree.show(rel)}: it changed after the interrupted write planned to delete it"
        )


def _docs(
    request: DocsRequest, tree: OutputTree, stack: contextlib.ExitStack, echo: Echo, echo_err: Echo
) -> DocsResult:
    from specc.report import render as render_diagnostics

    manifest = Manifest.read(tree.root, tree, name=DOCS_MANIFEST, refusal=docs_refusal)
    current = fingerprint(request)
    if manifest.fingerprint == current and manifest.intact(tree, request.config.root):
        echo(f"specc docs: {tree.shown} is up to date")
        return DocsResult(exit_code=0, up_to_date=True)
    files, front = render(request)
    reporter = Reporter()
    manifest.report(tree.show(DOCS_MANIFEST), reporter)
    plan = plan_writes(tree, files, manifest, reporter)
    problems = filter_diagnostics(reporter.diagnostics, request.config, [])
    if problems:
        echo_err(render_diagnostics(problems, "text", front.sources))
    if any(d.severity is Severity.ERROR for d in problems):
        echo_err("specc docs: nothing was written")
        return DocsResult(exit_code=1)
    new = Manifest(fingerprint=current, files=plan.digests)
    new_bytes = new.text().encode("utf-8")
    old_bytes = tree.read(DOCS_MANIFEST)
    if plan.write or plan.delete or old_bytes != new_bytes:
        if not tree.root.is_dir():
            tree.root.mkdir(parents=True, exist_ok=True)
            stack.enter_context(locked(tree.root))
            _recover(tree, echo, echo_err, durable=request.durable)
        place = [
            Write(rel, None if (now := plan.current[rel]) is None else sha256(now), content.encode("utf-8"))
            for rel, content in plan.write.items()
        ]
        place.append(Write(DOCS_MANIFEST, None if old_bytes is None else sha256(old_bytes), new_bytes))
        removals = [Removal(rel, digest) for rel, digest in sorted(plan.removing.items())]
        outcome = commit(tree, place, removals, durable=request.durable)
        for rel in outcome.kept:
            echo_err(f"specc docs: kept {tree.show(rel)}: it changed while specc was writing the site")
    echo(
        f"specc docs: wrote {len(plan.write)}, removed {len(plan.delete)}, unchanged {len(plan.unchanged)} "
        f"file(s) in {tree.shown}"
    )
    if front.errors:
        echo_err(f"specc docs: the document has {front.errors} error(s): the Diagnostics page lists them")
    return DocsResult(exit_code=0, written=sorted(plan.write), deleted=list(plan.delete), errors=front.errors)


def mkdocs_build(out: Path, echo: Echo, echo_err: Echo) -> int:
    """`python -m mkdocs build --strict` on the site (exit 0 built, 1 mkdocs failed, 2 mkdocs missing)."""
    import importlib.util

    if importlib.util.find_spec("mkdocs") is None or importlib.util.find_spec("material") is None:
        echo_err("specc docs --build: mkdocs-material is not installed (pip install 'specc[docs]')")
        return 2
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(out / MKDOCS_YML)]
    result = subprocess.run(
        command,
        cwd=out,
        env=environment,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        echo_err((result.stdout + result.stderr).rstrip())
        echo_err(f"specc docs --build: mkdocs build --strict failed (exit {result.returncode})")
        return 1
    echo(f"specc docs: built the site into {out / 'site'}")
    return 0
