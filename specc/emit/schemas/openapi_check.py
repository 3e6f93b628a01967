"""Incremental validation of a generated OpenAPI document.

openapi-spec-validator costs milliseconds per operation, so a large document is validated in units:

- one unit per path item: the document's top level (`openapi`, `info`, `security`, ...; `tags` cut down to
  the tags its operations use) with only that path item and the component schemas it references,
  transitively, plus every non-schema component;
- the component schemas no path references, in content-defined chunks (`_chunks`) of a few each, with the
  same top level and no paths;
- one `top level` unit: the top level with every tag, no paths and no component schemas.

Each unit is a valid OpenAPI document on its own exactly when its part of the whole is valid. Its hash
(SHA-256 of its canonical JSON, salted with the validator's version) goes into a cache of validated hashes
(`validated`, kept by the caller between builds), so a rebuild validates only the units that changed.

A cold build of a large document validates in a few worker processes (`check_document`'s `workers`).

What splitting cannot see is checked on the whole document in plain Python: operation ids are unique and
every `$ref` resolves.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from typing import Any

from openapi_spec_validator import validate

SCHEMA_PREFIX = "#/components/schemas/"
HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})


@dataclass(frozen=True)
class Unit:
    """One independently validated part of the document."""

    label: str
    """`path /api/rooms`, `components A..B` (schemas no path references), `top level`, or `document`."""
    document: dict[str, Any]
    digest: str


@cache
def _salt() -> str:
    try:
        version = metadata.version("openapi-spec-validator")
    except metadata.PackageNotFoundError:
        version = "unknown"
    return f"openapi-spec-validator {version}\n"


def digest(document: dict[str, Any]) -> str:
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((_salt() + text).encode()).hexdigest()


def _refs(value: Any) -> Iterator[str]:
    """Every `$ref` string below `value`."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str):
                yield ref
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _schema_name(ref: str) -> str | None:
    return ref[len(SCHEMA_PREFIX) :] if ref.startswith(SCHEMA_PREFIX) else None


class _Closure:
    """Component schemas reachable from a value, memoised per component."""

    def __init__(self, schemas: dict[str, Any]) -> None:
        self.schemas = schemas
        self._direct: dict[str, frozenset[str]] = {}

    def direct(self, name: str) -> frozenset[str]:
        if name not in self._direct:
            found = (_schema_name(ref) for ref in _refs(self.schemas.get(name)))
            self._direct[name] = frozenset(n for n in found if n is not None)
        return self._direct[name]

    def of(self, value: Any) -> set[str]:
        pending = [n for n in (_schema_name(ref) for ref in _refs(value)) if n is not None]
        seen: set[str] = set()
        while pending:
            name = pending.pop()
            if name in seen:
                continue
            seen.add(name)
            pending.extend(self.direct(name) - seen)
        return seen


def units(document: dict[str, Any]) -> list[Unit]:
    """The document split into validation units (see the module docstring), in path order."""
    raw_components, raw_paths = document.get("components") or {}, document.get("paths") or {}
    if not (
        isinstance(raw_paths, dict)
        and isinstance(raw_components, dict)
        and isinstance(raw_components.get("schemas") or {}, dict)
    ):
        return [Unit("document", document, digest(document))]  # not splittable: validated whole
    top = {key: value for key, value in document.items() if key not in ("paths", "components")}
    components: dict[str, Any] = dict(raw_components)
    schemas: dict[str, Any] = dict(components.pop("schemas", None) or {})
    paths: dict[str, Any] = dict(raw_paths)
    closure = _Closure(schemas)
    result: list[Unit] = []
    referenced: set[str] = set()

    tag_index = _tags_by_name(top.get("tags"))

    def unit(label: str, unit_paths: dict[str, Any], names: set[str], tags: Any = None) -> Unit:
        part: dict[str, Any] = {**top, "paths": unit_paths}
        if "tags" in top:
            part["tags"] = tags if tags is not None else _used_tags(top["tags"], unit_paths, tag_index)
        picked = {name: schemas[name] for name in sorted(names) if name in schemas}
        if components or picked:
            part["components"] = {**components, "schemas": picked} if picked else dict(components)
        return Unit(label, part, digest(part))

    for path in sorted(paths):
        names = closure.of(paths[path])
        referenced |= names
        result.append(unit(f"path {path}", {path: paths[path]}, names))
    for chunk in _chunks(sorted(set(schemas) - referenced)):
        label = f"components {chunk[0]}..{chunk[-1]}"
        result.append(unit(label, {}, closure.of({n: schemas[n] for n in chunk}) | set(chunk)))
    result.append(unit("top level", {}, set(), top.get("tags")))
    return result


def _used_tags(tags: Any, paths: dict[str, Any], by_name: dict[str, Any] | None) -> Any:
    """The tag objects the operations of `paths` name (all tags go into the `top level` unit only)."""
    if not isinstance(tags, list):
        return tags
    used: set[str] = set()
    for item in paths.values():
        for operation in item.values() if isinstance(item, dict) else ():
            if isinstance(operation, dict) and isinstance(operation.get("tags"), list):
                used.update(t for t in operation["tags"] if isinstance(t, str))
    if by_name is None:
        return [tag for tag in tags if not isinstance(tag, dict) or tag.get("name") in used]
    return [by_name[name] for name in sorted(used) if name in by_name]


def _tags_by_name(tags: Any) -> dict[str, Any] | None:
    """Tag objects by name when the list is sorted by unique names (as specc writes it), else None."""
    if not isinstance(tags, list):
        return None
    names = [t.get("name") if isinstance(t, dict) else None for t in tags]
    strings = [n for n in names if isinstance(n, str)]
    if len(strings) != len(names) or strings != sorted(set(strings)):
        return None
    return dict(zip(strings, tags, strict=True))


CHUNK_BOUNDARY = 8
"""A component whose name hash is divisible by this starts a new chunk (chunks average this many)."""
CHUNK_MAX = 32


def _chunks(names: list[str]) -> list[list[str]]:
    """Content-defined chunks of sorted component names: a boundary depends only on the name at it, so
    adding or changing one component changes one chunk (two at a boundary), not every chunk after it."""
    chunks: list[list[str]] = []
    for name in names:
        boundary = hashlib.sha256(name.encode()).digest()[0] % CHUNK_BOUNDARY == 0
        if not chunks or boundary or len(chunks[-1]) >= CHUNK_MAX:
            chunks.append([])
        chunks[-1].append(name)
    return chunks


def whole_document_problem(document: dict[str, Any]) -> str | None:
    """What unit validation cannot see: duplicate operation ids and `$ref`s that resolve to nothing."""
    seen: dict[str, str] = {}
    paths = document.get("paths") or {}
    for path in sorted(paths) if isinstance(paths, dict) else ():
        item = paths[path]
        if not isinstance(item, dict):
            continue
        for method in sorted(item):
            operation = item[method]
            if method not in HTTP_METHODS or not isinstance(operation, dict):
                continue
            op_id = operation.get("operationId")
            if not isinstance(op_id, str):
                continue
            where = f"{method.upper()} {path}"
            if op_id in seen:
                return f"operationId {op_id!r} is used by both {seen[op_id]} and {where}"
            seen[op_id] = where
    for ref in sorted(set(_refs(document))):
        if not _resolves(document, ref):
            return f"$ref {ref!r} does not resolve"
    return None


def _resolves(document: dict[str, Any], ref: str) -> bool:
    if not ref.startswith("#/"):
        return False
    node: Any = document
    for raw in ref[2:].split("/"):
        key = raw.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or key not in node:
            return False
        node = node[key]
    return True


def _validator_problem(document: dict[str, Any]) -> str | None:
    try:
        validate(document)
    except Exception as exc:  # the validator raises several unrelated exception types
        text = str(exc)
        return text.splitlines()[0] if text else type(exc).__name__
    return None


@dataclass(frozen=True)
class CheckResult:
    problem: str | None
    """None when the document is valid."""
    validated_units: int
    """Units run through openapi-spec-validator (the others were in the cache)."""
    total_units: int


BATCH = 16
"""Units not in the cache are validated this many at a time, merged into one document (fewer validator
start-ups; small enough to avoid the validator's quadratic bookkeeping on big documents)."""


def merge(parts: list[Unit]) -> dict[str, Any]:
    """One document holding the paths and component schemas of `parts` (which share their top level)."""
    merged: dict[str, Any] = dict(parts[0].document)
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for part in parts:
        paths.update(part.document.get("paths") or {})
        schemas.update((part.document.get("components") or {}).get("schemas") or {})
    merged["paths"] = paths
    if "components" in merged or schemas:
        components = dict(merged.get("components") or {})
        components["schemas"] = dict(sorted(schemas.items()))
        merged["components"] = components
    return merged


PARALLEL_MIN_UNITS = 256
"""A cold build with at least this many units to validate uses a process pool (spawned workers cost about a
second to start; this many units cost several seconds on one core)."""
MAX_WORKERS = 4


def check_document(
    document: dict[str, Any], validated: set[str] | None = None, workers: int | None = None
) -> CheckResult:
    """Validates `document`; `validated` holds digests of units known valid and gains the new valid ones.

    `workers`: processes for openapi-spec-validator; None picks 1, or up to `MAX_WORKERS` (one per core) when
    `PARALLEL_MIN_UNITS` or more units need validating."""
    problem = whole_document_problem(document)
    parts = units(document)
    if problem is not None:
        return CheckResult(problem, 0, len(parts))
    cache = validated if validated is not None else set()
    pending = [part for part in parts if part.digest not in cache]
    batches = [pending[start : start + BATCH] for start in range(0, len(pending), BATCH)]
    if workers is None:
        workers = min(os.cpu_count() or 1, MAX_WORKERS) if len(pending) >= PARALLEL_MIN_UNITS else 1
    documents = [merge(batch) if len(batch) > 1 else batch[0].document for batch in batches]
    results = _in_pool(documents, workers) if workers > 1 and len(batches) > 1 else None
    if results is None:
        results = []
        for doc in documents:
            results.append(_validator_problem(doc))
            if results[-1] is not None:
                break
    for batch, found in zip(batches, results, strict=False):
        if found is not None:
            return CheckResult(_culprit(batch, found), len(pending), len(parts))
        cache.update(part.digest for part in batch)
    return CheckResult(None, len(pending), len(parts))


def _in_pool(documents: list[dict[str, Any]], workers: int) -> list[str | None] | None:
    """Problems of `documents` validated in worker processes; None when no pool can be had (then the caller
    validates in this process)."""
    context = multiprocessing.get_context("spawn")  # not fork: the caller may have threads
    try:
        with ProcessPoolExecutor(max_workers=min(workers, len(documents)), mp_context=context) as pool:
            return list(pool.map(_validator_problem, documents))
    except (OSError, BrokenProcessPool):
        return None


def _culprit(batch: list[Unit], found: str) -> str:
    """The problem of the first invalid unit of a batch that failed as a whole."""
    if len(batch) > 1:
        for part in batch:
            problem = _validator_problem(part.document)
            if problem is not None:
                return f"{part.label}: {problem}"
    return f"{batch[0].label}: {found}" if len(batch) == 1 else found
