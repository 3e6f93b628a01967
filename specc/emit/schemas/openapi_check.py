"""Incremental, shape-deduplicated validation of a generated OpenAPI document.

openapi-spec-validator costs milliseconds per operation, so a large document is validated in units:

- one unit per path item: the document's top level (`openapi`, `info`, `security`, ...; `tags` cut down to
  the tags its operations use) with only that path item and the component schemas it references,
  transitively, plus every non-schema component;
- one unit per component schema no path references (with the schemas it references), with the same top
  level and no paths;
- one `top level` unit: the top level with every tag, no paths and no component schemas.

Each unit is a valid OpenAPI document on its own exactly when its part of the whole is valid.

Shapes, not names, are validated. Each unit is canonicalised (`specc.emit.schemas.openapi_canon`): inside the
unit, consistently and injectively, component schema names (and every `$ref` to them) become `S0, S1, ...`,
`properties` keys and the `required` entries naming them become `p0, p1, ...`, literal path segments
`s0, ...`, path-template parameter names together with the `name` of every `in: path` parameter `v0, ...`,
operationIds `o0, ...`, tag names (in operations and in the top-level `tags`) `t0, ...`; free text (string
`title`, `description`, `summary`, `x-*` values) becomes a placeholder. Everything else is kept as it is:
every keyword, types, formats, enums, defaults, examples, `const`, numeric limits, `in`, `required` booleans,
security requirements, status codes, media types. Fresh names are numbered in first-seen order of a walk that
visits the paths first and the entries of `properties` and `components.schemas` in the order of their own
canonical shapes (names only break ties), so the numbering seldom depends on how the names sort; when it does,
two units merely hash apart (and are validated separately). Units of one shape (one per table in a typical
spec) then hash equal and the canonical document, exactly what was hashed, is validated once.

Why validation cannot depend on what is renamed: openapi-spec-validator (the OAS 3.1 meta-schema, then its own
checks) looks at these names only through (a) equality between them: `$ref` targets, `required` entries
against `properties` keys (allOf bookkeeping), path-template names against `in: path` parameter names,
duplicate operationIds, tags and parameters; a per-unit bijection per kind of name preserves every equality
and inequality; (b) counts (`minProperties`, `uniqueItems` of `required`), which a bijection preserves; and
(c) the spelling of component names (`^[a-zA-Z0-9._-]+$`) and of path keys (`^/`, template syntax). The fresh
names always pass (c), and only paths made of brace-free literals and whole `{name}` segments (no `:` or `!`,
which `str.format` parsing would split) are renamed, keeping `/` and `{}` where they were; so (c) is checked
on the real document instead (`specc.emit.schemas.openapi_whole`), together with what splitting cannot see at
all: operationIds unique over the whole document, every path-template parameter declared as a required
`in: path` parameter and vice versa, every `$ref` resolves. Free text is only ever type-checked (it must be a
string; non-strings are kept). Names not listed (security scheme names, query/header/cookie parameter names,
media types, status codes, `$defs` keys) are kept, so they need no argument. Defaults stay and are still
validated against their (renamed) schema: a scalar default's validity cannot depend on property or component
names.

A unit that uses a construct whose meaning depends on names beyond that (a `$ref` to anything but
`#/components/schemas/<name>`; `$id`, `$anchor`, `$dynamicRef`, `discriminator`, `patternProperties`,
`propertyNames`, `dependentRequired`, `dependentSchemas`, `callbacks`, `links`; a `default`, `const` or
`enum` holding a non-empty object, which the validator checks against renamed properties; a path segment
other than a literal without braces or one whole `{name}`) is not renamed: it is validated as it is.

The cache `validated` (kept by the caller between builds) holds canonical digests (salted with the
validator's version) of validated shapes, and the raw digests of units whose shape was validated, so a
rebuild neither re-canonicalises nor re-validates unchanged units. A cold build of a large document with
many distinct shapes validates in a few worker processes (`check_document`'s `workers`).
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from typing import Any

from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from specc.emit.schemas.openapi_canon import canonical
from specc.emit.schemas.openapi_refs import refs, schema_name
from specc.emit.schemas.openapi_whole import whole_document_problem
from specc.jsontext import dumps_compact


@dataclass(frozen=True)
class Unit:
    """One independently validated part of the document."""

    label: str
    """`path /api/rooms`, `component A` (a schema no path references), `top level`, or `document`."""
    document: dict[str, Any]
    digest: str
    """Digest of `document` itself (the canonical one is computed only when this is not in the cache)."""


@cache
def _salt() -> str:
    try:
        version = metadata.version("openapi-spec-validator")
    except metadata.PackageNotFoundError:
        version = "unknown"
    return f"openapi-spec-validator {version}\n"


def digest(document: dict[str, Any], kind: str = "unit") -> str:
    """SHA-256 of the canonical JSON of `document`; `kind` separates raw (`unit`) from `canonical` digests."""
    text = dumps_compact(document, sort_keys=True)
    return hashlib.sha256(f"{_salt()}{kind}\n{text}".encode()).hexdigest()


class _Closure:
    """Component schemas reachable from a value, memoised per component."""

    def __init__(self, schemas: dict[str, Any]) -> None:
        self.schemas = schemas
        self._direct: dict[str, frozenset[str]] = {}

    def direct(self, name: str) -> frozenset[str]:
        if name not in self._direct:
            found = (schema_name(ref) for ref in refs(self.schemas.get(name)))
            self._direct[name] = frozenset(n for n in found if n is not None)
        return self._direct[name]

    def of(self, value: Any) -> set[str]:
        pending = [n for n in (schema_name(ref) for ref in refs(value)) if n is not None]
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
    for name in sorted(set(schemas) - referenced):
        result.append(unit(f"component {name}", {}, closure.of(schemas[name]) | {name}))
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


def validator_problem(document: dict[str, Any]) -> str | None:
    """None when `document` is valid, else what the validator found, in words for the user: the first line of
    validation error; for anything else (the validator itself failing, or an unresolvable reference, whose
    message dumps the whole document; `whole_document_problem` reports those first) no internal text."""
    try:
        validate(document)
    except RecursionError:
        return "it is nested too deeply to be validated"
    except OpenAPIValidationError as exc:
        text = str(exc)
        return text.splitlines()[0] if text else type(exc).__name__
    except Exception as exc:  # the validator failing (not a finding): its message is internal text
        return f"the validator could not check it ({type(exc).__name__})"
    return None


@dataclass(frozen=True)
class CheckResult:
    problem: str | None
    """None when the document is valid."""
    validated_units: int
    """Distinct canonical units run through openapi-spec-validator (the others were in the cache)."""
    total_units: int
    changed_units: int = 0
    """Units whose own digest was not in the cache (canonicalised and looked up by shape)."""


PARALLEL_MIN_UNITS = 256
"""A cold build with at least this many distinct shapes to validate uses a process pool (spawned workers cost
about a second to start; this many shapes cost a couple of seconds on one core)."""
MAX_WORKERS = 4


@dataclass
class _Shape:
    document: dict[str, Any]
    """The canonical document (what is hashed is what is validated)."""
    parts: list[Unit]
    """The units of the document with this shape."""


def check_document(
    document: dict[str, Any], validated: set[str] | None = None, workers: int | None = None
) -> CheckResult:
    """Validates `document`; `validated` holds digests known valid (see the module docstring) and gains the
    new ones.

    `workers`: processes for openapi-spec-validator; None picks 1, or up to `MAX_WORKERS` (one per core) when
    `PARALLEL_MIN_UNITS` or more shapes need validating."""
    problem = whole_document_problem(document)
    parts = units(document)
    if problem is not None:
        return CheckResult(problem, 0, len(parts))
    known = validated if validated is not None else set()
    pending = [part for part in parts if part.digest not in known]
    shapes: dict[str, _Shape] = {}
    for part in pending:
        canon = canonical(part.document)
        key = digest(canon, "canonical")
        if key in known:
            known.add(part.digest)
        elif key in shapes:
            shapes[key].parts.append(part)
        else:
            shapes[key] = _Shape(canon, [part])
    todo = list(shapes.items())
    if workers is None:
        workers = min(os.cpu_count() or 1, MAX_WORKERS) if len(todo) >= PARALLEL_MIN_UNITS else 1
    documents = [shape.document for _, shape in todo]
    results = _in_pool(documents, workers) if workers > 1 and len(todo) > 1 else None
    if results is None:
        results = []
        for doc in documents:
            results.append(validator_problem(doc))
            if results[-1] is not None:
                break
    for (key, shape), found in zip(todo, results, strict=False):
        if found is not None:
            return CheckResult(_culprit(shape, found), len(todo), len(parts), len(pending))
        known.add(key)
        known.update(part.digest for part in shape.parts)
    return CheckResult(None, len(todo), len(parts), len(pending))


def _in_pool(documents: list[dict[str, Any]], workers: int) -> list[str | None] | None:
    """Problems of `documents` validated in worker processes; None when no pool can be had (then the caller
    validates in this process)."""
    context = multiprocessing.get_context("spawn")  # not fork: the caller may have threads
    chunk = max(1, len(documents) // (workers * 8))
    try:
        with ProcessPoolExecutor(max_workers=min(workers, len(documents)), mp_context=context) as pool:
            return list(pool.map(validator_problem, documents, chunksize=chunk))
    except (OSError, BrokenProcessPool):
        return None


def _culprit(shape: _Shape, found: str) -> str:
    """The problem of an invalid shape, in the real names of its first unit when it says so too."""
    first = shape.parts[0]
    real = validator_problem(first.document)
    return f"{first.label}: {real if real is not None else found}"
