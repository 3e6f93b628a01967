"""Planning a build: which migration files should exist, and the new revision when the schema changed.

No database and no generated models are touched: the schema at head comes from the lock file, the new
schema from the spec, and the revision from the differ. Problems (an edited or deleted revision, a
destructive change without permission, an unreadable lock) are reported and nothing is planned.
"""

from __future__ import annotations

import re
from pathlib import Path

from specc.db.lower import lower
from specc.db.model import DbSchema
from specc.diagnostics import Reporter
from specc.diff import Change, Renames, diff_db_schemas, locate
from specc.emit.base import GeneratedFiles
from specc.ir.model import Spec
from specc.migrate import codes
from specc.migrate.environment import MIGRATIONS, environment_files
from specc.migrate.lock import (
    LOCK_FILE,
    Lock,
    LockError,
    chain_problems,
    declared_ids,
    dump_lock,
    parse_lock,
    read_lock_text,
    sha256,
)
from specc.migrate.revision import render_revision, revision_id
from specc.pycode.layout import LINE_LENGTH
from specc.pycode.literals import py_str

VERSIONS = f"{MIGRATIONS}/versions"


def _read_text(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace")


def file_hash(text: str) -> str:
    """Hash of a revision file's text; line endings do not count (a checkout may convert them)."""
    return sha256(text.replace("\r\n", "\n"))


def _revision_lines(text: str, count: int) -> list[int]:
    """The line of each revision in the lock's text (specc writes one per line); 1s when it cannot tell."""
    lines = [text.count("\n", 0, m.start()) + 1 for m in _REVISION_LINE.finditer(text)]
    return lines if len(lines) == count else [1] * count


_REVISION_LINE = re.compile(r'^[ \t]*\{[ \t]*"id"[ \t]*:', re.M)


def _lock_sql_safe(lock: Lock, text: str, shown: str, reporter: Reporter) -> bool:
    """Check every recorded table's SQL with the document's safety rules; M011 at the table's line."""
    from specc.check.safety import recorded_sql_problems

    safe = True
    for key, table in lock.tables.items():
        messages = list(recorded_sql_problems(table))
        if not messages:
            continue
        at = text.find(f'"{key}":')
        line = text.count("\n", 0, at) + 1 if at >= 0 else 1
        for message in messages:
            reporter.report(codes.LOCK_UNSAFE_SQL, f"the lock file: {message}", shown, line)
            safe = False
    return safe


def check_integrity(out: Path, reporter: Reporter) -> tuple[Lock, GeneratedFiles] | None:
    """The lock and every recorded revision's current text; None (after reporting) when anything is off."""
    versions = out / VERSIONS
    on_disk = sorted(p for p in versions.glob("*.py")) if versions.is_dir() else []
    lock_path = out / LOCK_FILE
    try:
        text = read_lock_text(out)
        lock = parse_lock(text) if text is not None else None
    except LockError as exc:
        reporter.report(
            codes.LOCK_UNREADABLE, f"cannot read the lock file: {exc}", str(lock_path), exc.line, exc.column
        )
        return None
    if lock is None or text is None:
        if on_disk:
            reporter.report(
                codes.LOCK_MISSING,
                f"{len(on_disk)} revision file(s) exist but {LOCK_FILE} is missing",
                str(lock_path),
                1,
                hint="restore the lock file from version control",
            )
            return None
        lock = Lock()
        text = ""
    lines = _revision_lines(text, len(lock.revisions))
    chain = chain_problems(lock, VERSIONS)
    for problem in chain:
        reporter.report(
            codes.LOCK_CHAIN_BROKEN,
            f"the lock's revision history is broken: {problem.message}",
            str(lock_path),
            lines[problem.index],
            hint="restore specc.lock.json from version control; specc plans no revision on a broken history",
        )
    if chain:
        return None
    if not _lock_sql_safe(lock, text, str(lock_path), reporter):
        return None
    ok = True
    existing: GeneratedFiles = {}
    previous: str | None = None
    for index, revision in enumerate(lock.revisions):
        path = out / revision.file
        if not path.is_file():
            reporter.report(
                codes.REVISION_DELETED,
                f"revision {revision.id} was deleted ({revision.file})",
                str(path),
                1,
                hint="restore it from version control; specc never regenerates an applied revision",
            )
            ok = False
            continue
        text = _read_text(path)
        if file_hash(text) != revision.sha256:
            reporter.report(
                codes.REVISION_EDITED,
                f"revision {revision.id} was edited after specc wrote it",
                str(path),
                1,
                hint="restore the file and change the spec instead: the next build writes a new revision",
            )
            ok = False
            continue
        declared = declared_ids(text)
        wanted = {"revision": py_str(revision.id), "down_revision": py_str(previous) if previous else "None"}
        if declared != wanted:
            reporter.report(
                codes.LOCK_CHAIN_BROKEN,
                f"the lock's revision history is broken: {revision.file} does not declare revision "
                f"{revision.id} revising {previous or 'nothing'}",
                str(lock_path),
                lines[index],
                hint="restore specc.lock.json and the revision files from version control",
            )
            ok = False
        existing[revision.file] = text
        previous = revision.id
    recorded = {out / r.file for r in lock.revisions}
    head = lock.head
    for path in on_disk:
        if path not in recorded and path.name != "__init__.py":
            reporter.report(
                codes.REVISION_UNKNOWN,
                f"{path.name} is not a revision specc wrote; it is left alone",
                str(path),
                1,
            )
            if head is not None and _revises(_read_text(path), head.id):
                reporter.report(
                    codes.REVISION_FORKS,
                    f"{path.name} revises specc's head revision {head.id}; a revision from specc would "
                    "give Alembic two heads",
                    str(path),
                    1,
                    hint="put its changes into the spec and delete it, or move it out of migrations/versions",
                )
                ok = False
    return (lock, existing) if ok else None


def _revises(text: str, revision: str) -> bool:
    """Whether a revision file's `down_revision` names `revision` (alone or in a merge tuple)."""
    right = declared_ids(text).get("down_revision", "")
    return f'"{revision}"' in right or f"'{revision}'" in right


def _report_destructive(spec: Spec, changes: list[Change], source: str, reporter: Reporter) -> bool:
    """Report every change with a risk. A table created in this revision comes as one CreateTable (never
    AddColumn), so its NOT NULL columns without defaults are not flagged: it has no rows yet."""
    found = False
    for change in changes:
        risk = change.risk()
        if risk is None:
            continue
        found = True
        at = locate(spec, change, source)
        reporter.report(
            codes.DESTRUCTIVE_CHANGE,
            f"{change.describe()} puts data at risk: {risk}",
            at.file,
            at.line,
            at.column,
            hint="run `specc build --allow-destructive` if this is intended; for a rename, write "
            "`renamed from <old_name>` in the spec",
        )
    return found


def plan_changes(spec: Spec, schema: DbSchema, lock: Lock) -> list[Change]:
    """The changes from the lock's head revision to `schema` (the spec's, lowered), renames from its hints."""
    head = lock.head_schema()
    return diff_db_schemas(head, schema, Renames.from_spec(head, spec))


def plan_build(
    spec: Spec,
    out: Path,
    *,
    source: str,
    allow_destructive: bool,
    reporter: Reporter,
    line_length: int = LINE_LENGTH,
) -> GeneratedFiles:
    """Every migration file that should exist under `out`, with its content (relative posix paths).

    Environment files, every existing revision read back unchanged, the new revision when the schema part of
    the spec changed since the lock's head, and the lock file. New files are laid out for `line_length` (the
    receiving project's, from the build); existing revisions are never rewritten, whatever their layout. On
    any error: reported, and {} returned.
    """
    state = check_integrity(out, reporter)
    if state is None:
        return {}
    lock, existing = state
    files = environment_files(source, line_length)
    files.update(existing)
    schema = lower(spec)
    changes = plan_changes(spec, schema, lock)
    if changes:
        if not allow_destructive and _report_destructive(spec, changes, source, reporter):
            return {}
        head = lock.head
        rev = revision_id(len(lock.revisions) + 1, changes)
        path = f"{VERSIONS}/{rev}.py"
        number = len(lock.revisions) + 1
        text = render_revision(rev, head.id if head else None, changes, source, number, line_length)
        files[path] = text
        lock = lock.with_revision(
            id=rev,
            down_revision=head.id if head else None,
            file=path,
            sha256=file_hash(text),
            schema=schema,
        )
    files[LOCK_FILE] = dump_lock(lock)
    return files
