"""The lock file (`<out>/specc.lock.json`): the database schema at each revision specc wrote, file hashes.

With it, planning the next revision needs no database (diff lock head × the spec's schema), an edited or
deleted revision file is detected (hash mismatch) instead of silently regenerated, and `migrate verify` can
check the schema after every single downgrade step.

Format (version 2): `revisions` lists each revision's id, parent, file, sha256 and the keys of its tables
and enum types; `tables` and `enums` are pools of database-level objects (`specc.db.model`: columns with
canonical types, every constraint and index with its name) keyed by a hash of their JSON, shared between
revisions, so a revision that changes one table of a thousand adds one table to the file, not a thousand.
The lock stores what the database holds, not the spec's tables: a later specc that lowers a spec
differently does not re-interpret recorded history. Each revision and each pooled object takes one line
(compact JSON), which keeps the file fast to write and its diffs readable.

Version 1 (specc before the database layer) pooled the spec's own tables. It is read and upgraded on the
fly by lowering each revision's tables (`specc.db.lower`) with the rules that wrote it; the next build
writes version 2. The upgrade plans no revision by itself: the lowered head is exactly what was diffed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from specc import commit
from specc.db.model import DbEnum, DbNode, DbSchema, DbTable
from specc.ir.model import Spec, Table
from specc.limits import MAX_LOCK_DEPTH, MAX_LOCK_NUMBER_LENGTH

LOCK_FILE = "specc.lock.json"
LOCK_VERSION = 2
SUPPORTED_VERSIONS = (1, LOCK_VERSION)


class LockRevision(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    down_revision: str | None
    file: str
    """Path relative to the output folder (`migrations/versions/0002_add_rooms_topic.py`)."""
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    tables: tuple[str, ...]
    """Keys (in `Lock.tables`) of the tables of the schema after this revision, in order."""
    enums: tuple[str, ...] = ()
    """Keys (in `Lock.enums`) of the enum types of the schema after this revision, in order."""


class Lock(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    version: int = LOCK_VERSION
    revisions: tuple[LockRevision, ...] = ()
    tables: dict[str, DbTable] = {}
    enums: dict[str, DbEnum] = {}

    @property
    def head(self) -> LockRevision | None:
        return self.revisions[-1] if self.revisions else None

    def schema_at(self, revision: LockRevision) -> DbSchema:
        """The database schema after `revision`."""
        return DbSchema(
            tables=tuple(self.tables[key] for key in revision.tables),
            enums=tuple(self.enums[key] for key in revision.enums),
        )

    def head_schema(self) -> DbSchema:
        head = self.head
        return self.schema_at(head) if head is not None else DbSchema()

    def with_revision(
        self, id: str, down_revision: str | None, file: str, sha256: str, schema: DbSchema
    ) -> Lock:
        """This lock plus a revision whose database schema is `schema`."""
        tables, enums = dict(self.tables), dict(self.enums)
        table_keys = [_pooled(tables, table) for table in schema.tables]
        enum_keys = [_pooled(enums, enum) for enum in schema.enums]
        revision = LockRevision(
            id=id,
            down_revision=down_revision,
            file=file,
            sha256=sha256,
            tables=tuple(table_keys),
            enums=tuple(enum_keys),
        )
        return Lock(revisions=(*self.revisions, revision), tables=tables, enums=enums)


_Pooled = TypeVar("_Pooled", DbTable, DbEnum)


def _pooled(pool: dict[str, _Pooled], node: _Pooled) -> str:
    key = node_key(node)
    pool.setdefault(key, node)
    return key


class _LockV1(BaseModel):
    """Version 1: the spec's own tables (schema part), pooled."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: int
    revisions: tuple[LockRevision, ...] = ()
    """As in version 2, without `enums`."""
    tables: dict[str, Table] = {}


def _upgraded(old: _LockV1) -> Lock:
    """The version-2 form of a version-1 lock: each revision's tables lowered as its build lowered them."""
    from specc.db.lower import lower

    lock = Lock()
    for revision in old.revisions:
        missing = next((k for k in revision.tables if k not in old.tables), None)
        if missing is not None:
            raise LockError(f"table {missing[:40]} is referenced but not in the lock's tables")
        spec = Spec(tables=tuple(old.tables[key] for key in revision.tables))
        lock = lock.with_revision(
            revision.id, revision.down_revision, revision.file, revision.sha256, lower(spec)
        )
    return lock


class LockError(Exception):
    """The lock file exists but cannot be read."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


def sha256(text: str) -> str:
    """The SHA-256 hex digest of `text` in UTF-8 (`specc.commit.sha256` of its bytes)."""
    return commit.sha256(text.encode("utf-8"))


def _node_json(node: DbNode) -> str:
    data = node.model_dump(mode="json", exclude_defaults=True)
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def node_key(node: DbNode) -> str:
    """A pooled table's or enum's key: the start of the SHA-256 of its JSON."""
    return sha256(_node_json(node))[:20]


LOCK_MARKER = (
    "Generated by specc: the schema at each migration revision, used to plan the next one. Do not edit."
)


def _compact(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def dump_lock(lock: Lock) -> str:
    """Deterministic JSON text of the lock: one line per revision and per pooled table, keys sorted."""
    used_tables = sorted({key for revision in lock.revisions for key in revision.tables})
    used_enums = sorted({key for revision in lock.revisions for key in revision.enums})
    revisions = ",\n".join("    " + _compact(r.model_dump(mode="json")) for r in lock.revisions)
    tables = ",\n".join(f"    {_compact(key)}: {_node_json(lock.tables[key])}" for key in used_tables)
    enums = ",\n".join(f"    {_compact(key)}: {_node_json(lock.enums[key])}" for key in used_enums)
    head = _compact(lock.head.id if lock.head else None)
    return (
        "{\n"
        f'  "x-generated-by": {_compact(LOCK_MARKER)},\n'
        f'  "version": {lock.version},\n'
        f'  "head": {head},\n'
        f'  "revisions": [\n{revisions}\n  ],\n'
        f'  "tables": {{\n{tables}\n  }},\n'
        f'  "enums": {{\n{enums}\n  }}\n'
        "}\n"
    )


def _position(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+"', re.S)
_NUMBER = re.compile(r"-?[0-9][0-9.eE+\-]*+")


def _check_limits(text: str) -> None:
    """Raise LockError at the first place the text crosses a limit (nesting, number length): the standard
    library's reader would recurse without bound or refuse (or slowly convert) a long integer. One pass."""
    depth = 0
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == '"':
            m = _STRING.match(text, i)
            if m is None:
                return  # unterminated: the reader reports it
            i = m.end()
            continue
        if ch in "[{":
            depth += 1
            if depth > MAX_LOCK_DEPTH:
                raise LockError(f"nested more than {MAX_LOCK_DEPTH} levels deep", *_position(text, i))
        elif ch in "]}":
            depth -= 1
        elif ch == "-" or "0" <= ch <= "9":
            m = _NUMBER.match(text, i)
            if m is not None:
                if len(m.group(0)) > MAX_LOCK_NUMBER_LENGTH:
                    raise LockError(
                        f"a number of {len(m.group(0))} characters (specc writes at most "
                        f"{MAX_LOCK_NUMBER_LENGTH})",
                        *_position(text, i),
                    )
                i = m.end()
                continue
        i += 1


def _not_json(word: str) -> object:
    raise ValueError(f"{word} is not a JSON value")


def parse_lock(text: str) -> Lock:
    """The lock in `text`; LockError (located when possible) when it is not a lock specc can use."""
    _check_limits(text)
    try:
        data = json.loads(text, parse_constant=_not_json)
    except json.JSONDecodeError as exc:
        raise LockError(exc.msg, exc.lineno, exc.colno) from exc
    except ValueError as exc:
        raise LockError(str(exc)) from exc
    if not isinstance(data, dict):
        raise LockError("the lock file is not a JSON object")
    data.pop("x-generated-by", None)
    head = data.pop("head", None)
    version = data.get("version", LOCK_VERSION)
    if version not in SUPPORTED_VERSIONS or isinstance(version, bool):
        shown = str(version)[:20]
        raise LockError(f"lock file version {shown} is not supported (expected {LOCK_VERSION})")
    try:
        lock = _upgraded(_LockV1.model_validate(data)) if version == 1 else Lock.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise LockError(f"{where or 'the lock'}: {first['msg']}") from exc
    if head != (lock.head.id if lock.head else None):
        raise LockError(f"head {str(head)[:40]!r} is not the last revision")
    missing = sorted({k for r in lock.revisions for k in r.tables} - set(lock.tables))
    if missing:
        raise LockError(f"table {missing[0][:40]} is referenced but not in the lock's tables")
    missing = sorted({k for r in lock.revisions for k in r.enums} - set(lock.enums))
    if missing:
        raise LockError(f"enum {missing[0][:40]} is referenced but not in the lock's enums")
    return lock


def read_lock_text(out: Path) -> str | None:
    """The lock file's text under `out`, None when there is none; LockError when it cannot be read."""
    path = out / LOCK_FILE
    if not path.exists():
        return None
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LockError(f"cannot read it: {exc.strerror or exc}") from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise LockError(f"byte 0x{data[exc.start]:02x} is not valid UTF-8", line, column) from exc


# --- the revision chain ----------------------------------------------------------------------------------

REVISION_ID = re.compile(r"[0-9]{4,}_[a-z0-9_]*")
"""What `revision_id` writes: a sequence number of at least 4 digits and a slug."""


@dataclass(frozen=True)
class ChainProblem:
    index: int
    """Position of the revision in the lock's list (0-based)."""
    message: str


def chain_problems(lock: Lock, versions: str) -> list[ChainProblem]:
    """What is wrong with the order of the lock's revisions (first problem per revision).

    specc writes revisions one after the other: the n-th has the id `<n as 4 digits>_<slug>`, revises the
    (n-1)-th (the first revises nothing) and lives in `<versions>/<id>.py`. A lock that says otherwise was
    edited or badly merged, and a revision planned on its head could fork the Alembic history."""
    problems: list[ChainProblem] = []
    previous: str | None = None
    for index, revision in enumerate(lock.revisions):
        number = f"{index + 1:04d}"
        shown = repr(revision.id[:40])
        if not REVISION_ID.fullmatch(revision.id) or len(revision.id) > 32:
            problems.append(ChainProblem(index, f"revision {shown} is not an id specc writes"))
        elif revision.id.split("_", 1)[0] != number:
            problems.append(
                ChainProblem(index, f"revision {index + 1} is {shown}; its number should be {number}")
            )
        elif revision.down_revision != previous:
            expected = repr(previous) if previous is not None else "nothing (it is the first)"
            problems.append(
                ChainProblem(
                    index,
                    f"revision {shown} revises {str(revision.down_revision)[:40]!r}, "
                    f"but the revision before it is {expected}",
                )
            )
        elif revision.file != f"{versions}/{revision.id}.py":
            problems.append(
                ChainProblem(
                    index, f"revision {shown} is recorded in {revision.file[:80]!r}, not in its own file"
                )
            )
        previous = revision.id
    return problems


_DECLARED = re.compile(r"^(revision|down_revision)[ \t]*+(?::[^=\n]*+)?=[ \t]*+(.*)$", re.M)


def declared_ids(text: str) -> dict[str, str]:
    """The right-hand sides of the first `revision = ...` and `down_revision = ...` lines of a revision file
    (`'"0001_initial"'`, `'None'`)."""
    found: dict[str, str] = {}
    for m in _DECLARED.finditer(text):
        found.setdefault(m.group(1), m.group(2).strip())
    return found
