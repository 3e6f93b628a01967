"""The front end: read files, parse, check, filter. Every command starts here."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from specc.check import filter_diagnostics, run_checks
from specc.config import Config
from specc.diagnostics import Diagnostic, Reporter, Severity, Suppression
from specc.gcpause import paused_gc
from specc.ir.model import Spec
from specc.parse import codes, parse_spec, parse_testplan
from specc.parse.sectioncache import SectionCache, cache_file
from specc.parse.testplan import link_features


class InputError(Exception):
    """A file cannot be read at all (missing, a directory, permission): exit code 2."""


@dataclass(frozen=True)
class PendingChecks:
    """What `run_pending_checks` needs to finish a front end loaded with `check=False`."""

    reporter: Reporter
    """Holds the parse diagnostics; the checks add theirs."""
    suppressions: list[Suppression]
    """The documents' `<!-- specc: ignore ... -->` comments, applied when filtering."""
    config: Config


@dataclass
class FrontEnd:
    spec: Spec
    diagnostics: list[Diagnostic]
    sources: dict[str, str] = field(default_factory=dict)
    """Display path → text, for renderers that quote the source line."""
    pending: PendingChecks | None = None
    """Set when loaded with `check=False`: what `run_pending_checks` needs to finish the job."""

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity is Severity.WARNING)


def display_path(path: Path, root: Path) -> str:
    """`path` relative to the project root (never absolute, so generated headers match on every machine)."""
    try:
        return Path(os.path.relpath(path.resolve(), root.resolve())).as_posix()
    except ValueError:  # another drive (Windows)
        return path.as_posix()


def read_text(path: Path, shown: str, reporter: Reporter) -> str | None:
    """Decode a document. Returns None (with a diagnostic) when it is binary or not UTF-8."""
    try:  # messages name the path as the user gave it (`shown` is relative to the project root)
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such file") from exc
    except IsADirectoryError as exc:
        raise InputError(f"{path}: is a directory") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from exc
    if b"\x00" in data:
        at = data.index(b"\x00")
        line = data.count(b"\n", 0, at) + 1
        column = at - (data.rfind(b"\n", 0, at) + 1) + 1
        reporter.report(
            codes.INPUT_BINARY, "file contains NUL bytes; not a text document", shown, line, column
        )
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        reporter.report(
            codes.INPUT_NOT_UTF8, f"byte 0x{data[exc.start]:02x} is not valid UTF-8", shown, line, column
        )
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def default_testplan(spec_path: Path) -> Path | None:
    for candidate in (spec_path.parent / "TESTPLAN.md", spec_path.parent.parent / "TESTPLAN.md"):
        if candidate.is_file():
            return candidate
    return None


@paused_gc()
def load(
    spec_path: Path,
    testplan_path: Path | None,
    config: Config,
    cache_dir: Path | None = None,
    *,
    check: bool = True,
) -> FrontEnd:
    """Parse and check a spec (and its test plan). Raises InputError only for unreadable files.

    With `cache_dir`, the spec is parsed section by section and unchanged sections are reused from the
    previous parse kept there (`specc.parse.incremental`); the result is the same either way. With
    `check=False` only parsing is done: call `run_pending_checks` before using `diagnostics` (`specc build`
    starts rendering in another process in between)."""
    reporter = Reporter()
    shown = display_path(spec_path, config.root)
    sources: dict[str, str] = {}
    suppressions: list[Suppression] = []
    text = read_text(spec_path, shown, reporter)
    if text is None:
        spec = Spec(source=shown)
    else:
        sources[shown] = text
        cache = SectionCache(cache_file(cache_dir, shown)) if cache_dir is not None else None
        result = parse_spec(text, shown, reporter, cache)
        if cache is not None:
            cache.save()
        spec = result.spec
        suppressions.extend(result.suppressions)
    if testplan_path is not None:
        plan_shown = display_path(testplan_path, config.root)
        plan_text = read_text(testplan_path, plan_shown, reporter)
        if plan_text is not None:
            sources[plan_shown] = plan_text
            spec = link_features(
                spec.model_copy(update={"test_plan": parse_testplan(plan_text, plan_shown, reporter)})
            )
    front = FrontEnd(
        spec=spec, diagnostics=[], sources=sources, pending=PendingChecks(reporter, suppressions, config)
    )
    if check:
        run_pending_checks(front)
    return front


def run_pending_checks(front: FrontEnd) -> None:
    """Run the checks of a front end loaded with `check=False` and filter its diagnostics (once)."""
    if front.pending is None:
        return
    pending = front.pending
    front.pending = None
    with paused_gc():
        run_checks(front.spec, pending.reporter)
    front.diagnostics = filter_diagnostics(
        _unrepeated(pending.reporter.diagnostics), pending.config, pending.suppressions
    )


def _unrepeated(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Drop a safety (S) finding where the parser already reported an error at the same place: the safety
    rules re-check the final IR (whatever produced it), so for text the parser read they repeat its P017."""
    parse_errors = {
        (d.file, d.line, d.column)
        for d in diagnostics
        if d.code.startswith("P") and d.severity is Severity.ERROR
    }
    return [
        d for d in diagnostics if not (d.code.startswith("S") and (d.file, d.line, d.column) in parse_errors)
    ]
