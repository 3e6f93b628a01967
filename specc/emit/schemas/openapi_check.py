"""Incremental, shape-deduplicated validation of a generated OpenAPI document.

openapi-spec-validator costs milliseconds per operation, so a large document is validated in units:

- one unit per path item: the document's top level (`openapi`, `info`, `security`, ...; `tags` cut down to
  the tags its operations use) with only that path item and the component schemas it references,
  transitively, plus every non-schema component;
- one unit per component schema no path references (with the schemas it references), with the same top
  level and no paths;
- one `top level` unit: the top level with every tag, no paths and no component schemas.

Each unit is a valid OpenAPI document on its own exactly when its part of the whole is valid.

Shapes, not names, are validated. Each unit is canonicalised (`canonical`): inside the unit, consistently
and injectively, component schema names (and every `$ref` to them) become `S0, S1, ...`, `properties` keys
and the `required` entries naming them become `p0, p1, ...`, literal path segments `s0, ...`, path-template
parameter names together with the `name` of every `in: path` parameter `v0, ...`, operationIds `o0, ...`,
tag names (in operations and in the top-level `tags`) `t0, ...`; free text (string `title`, `description`,
`summary`, `x-*` values) becomes a placeholder. Everything else is kept as it is: every keyword, types,
formats, enums, defaults, examples, `const`, numeric limits, `in`, `required` booleans, security
requirements, status codes, media types. Fresh names are numbered in first-seen order of a walk that visits
the paths first and the entries of `properties` and `components.schemas` in the order of their own canonical
shapes (names only break ties), so the numbering seldom depends on how the names sort; when it does, two
units merely hash apart (and are validated separately). Units of one shape (one per table in a typical spec)
then hash equal and the canonical document, exactly what was hashed, is validated once.

Why validation cannot depend on what is renamed: openapi-spec-validator (the OAS 3.1 meta-schema, then its
own checks) looks at these names only through (a) equality between them: `$ref` targets, `required` entries
against `properties` keys (allOf bookkeeping), path-template names against `in: path` parameter names,
duplicate operationIds, tags and parameters; a per-unit bijection per kind of name preserves every equality
and inequality; (b) counts (`minProperties`, `uniqueItems` of `required`), which a bijection preserves; and
(c) the spelling of component names (`^[a-zA-Z0-9._-]+$`) and of path keys (`^/`, template syntax). The
fresh names always pass (c), and only paths made of brace-free literals and whole `{name}` segments (no `:`
or `!`, which `str.format` parsing would split) are renamed, keeping `/` and `{}` where they were; so (c) is
checked on the real document instead
(`whole_document_problem`), together with what splitting cannot see at all: operationIds unique over the
whole document, every path-template parameter declared as a required `in: path` parameter and vice versa,
every `$ref` resolves. Free text is only ever type-checked (it must be a string; non-strings are kept).
Names not listed (security scheme names, query/header/cookie parameter names, media types, status codes,
`$defs` keys) are kept, so they need no argument. Defaults stay and are still validated against their
(renamed) schema: a scalar default's validity cannot depend on property or component names.

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
import json
import multiprocessing
import os
import re
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from typing import Any

from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from specc.jsontext import dumps_compact

SCHEMA_PREFIX = "#/components/schemas/"
HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})
COMPONENT_NAME = re.compile(r"^[a-zA-Z0-9._-]+$")
_TEMPLATE = re.compile(r"\{([^{}]*)\}")


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


PLACEHOLDER = "T"
"""What free text becomes in a canonical unit."""
FREE_TEXT = frozenset({"title", "description", "summary"})
VERBATIM = frozenset({"default", "const", "enum", "example", "examples", "security", "securitySchemes"})
"""Keys whose values are kept exactly as they are (values validated as data, or names not renamed)."""
NAME_SENSITIVE_VALUES = frozenset({"default", "const", "enum"})
"""Verbatim values that may not hold a non-empty object (its keys would have to match renamed properties)."""
MAPS = frozenset(
    {"responses", "content", "headers", "encoding", "$defs", "definitions", "variables", "webhooks", "scopes"}
    | {"requestBodies", "pathItems", "parameters"}
)
"""Keys whose object values map free keys (status codes, media types, names) to objects: keys kept."""
UNSUPPORTED = frozenset(
    {"$id", "$anchor", "$dynamicAnchor", "$dynamicRef", "$recursiveRef", "$recursiveAnchor", "discriminator"}
    | {"patternProperties", "propertyNames", "dependentRequired", "dependentSchemas", "dependencies"}
    | {"callbacks", "links"}
)
"""Keywords whose meaning depends on names in a way renaming does not follow: such a unit is not renamed."""
_PATH_PARAMETER = re.compile(r"\{([^{}:!]+)\}")


class _NotRenamable(Exception):
    """The unit uses a construct canonicalisation does not rename soundly."""


class _Fresh:
    """A bijection from the names of one kind seen in a unit to `prefix0, prefix1, ...` (first seen first)."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.names: dict[str, str] = {}

    def __call__(self, name: str) -> str:
        fresh = self.names.get(name)
        if fresh is None:
            fresh = self.names[name] = f"{self.prefix}{len(self.names)}"
        return fresh


class _Canon:
    """Renames one unit (see the module docstring); raises `_NotRenamable`."""

    def __init__(self) -> None:
        self.schemas = _Fresh("S")
        self.properties = _Fresh("p")
        self.literals = _Fresh("s")
        self.path_parameters = _Fresh("v")
        self.operations = _Fresh("o")
        self.tags = _Fresh("t")

    def document(self, document: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        paths = document.get("paths")
        if isinstance(paths, dict):  # first, so names are numbered in the order the operations use them
            result["paths"] = {self.path(key): self.entry(key, paths[key]) for key in _sorted_keys(paths)}
        for key in _sorted_keys(document):
            if key == "paths" and isinstance(paths, dict):
                continue
            if key == "components" and isinstance(document[key], dict):
                result[key] = self.components(document[key])
            else:
                result[key] = self.entry(key, document[key])
        return result

    def components(self, components: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key in _sorted_keys(components):
            value = components[key]
            if key == "schemas" and isinstance(value, dict):
                result[key] = {self.schemas(name): self.value(value[name]) for name in _by_shape(value)}
            else:
                result[key] = self.entry(key, value)
        return result

    def path(self, key: str) -> str:
        if not key.startswith("/"):
            return key  # an extension (`x-...`) or invalid either way
        segments: list[str] = []
        for segment in key.split("/"):
            if "{" not in segment and "}" not in segment:
                segments.append(self.literals(segment) if segment else segment)
                continue
            match = _PATH_PARAMETER.fullmatch(segment)
            if match is None:
                raise _NotRenamable(f"path segment {segment!r}")
            segments.append("{" + self.path_parameters(match.group(1)) + "}")
        return "/".join(segments)

    def value(self, value: Any) -> Any:
        """`value` in keyword context: object keys are keywords, not names."""
        if isinstance(value, list):
            return [self.value(item) for item in value]
        if not isinstance(value, dict):
            return value
        return {key: self.entry(key, value[key]) for key in _sorted_keys(value)}

    def entry(self, key: str, value: Any) -> Any:
        if key in UNSUPPORTED:
            raise _NotRenamable(key)
        if key in VERBATIM:
            if key in NAME_SENSITIVE_VALUES and _has_object(value):
                raise _NotRenamable(f"{key} holds an object")
            return value
        if key.startswith("x-"):
            return PLACEHOLDER if isinstance(value, str) else value
        if key in FREE_TEXT and isinstance(value, str):
            return PLACEHOLDER
        return self._renamed(key, value)

    def _renamed(self, key: str, value: Any) -> Any:
        if key == "$ref":
            return self.ref(value)
        if key == "properties" and isinstance(value, dict):
            return {self.properties(name): self.value(value[name]) for name in _by_shape(value)}
        if key == "required" and isinstance(value, list):
            return [self.properties(name) if isinstance(name, str) else name for name in value]
        if key == "operationId" and isinstance(value, str):
            return self.operations(value)
        if key == "tags" and isinstance(value, list):
            return [self.tag(item) for item in value]
        if key == "parameters" and isinstance(value, list):
            return [self.parameter(item) for item in value]
        if key in MAPS and isinstance(value, dict):
            return {name: self.value(value[name]) for name in _sorted_keys(value)}
        return self.value(value)

    def ref(self, ref: Any) -> Any:
        if not isinstance(ref, str):
            return ref
        name = _schema_name(ref)
        if name is None or "/" in name:
            raise _NotRenamable(f"$ref {ref!r}")
        return SCHEMA_PREFIX + self.schemas(name.replace("~1", "/").replace("~0", "~"))

    def tag(self, item: Any) -> Any:
        if isinstance(item, str):
            return self.tags(item)
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            renamed = self.value({key: value for key, value in item.items() if key != "name"})
            return {"name": self.tags(item["name"]), **renamed}
        return self.value(item)

    def parameter(self, item: Any) -> Any:
        renamed = self.value(item)
        if isinstance(item, dict) and item.get("in") == "path" and isinstance(item.get("name"), str):
            renamed["name"] = self.path_parameters(item["name"])
        return renamed


def _sorted_keys(mapping: dict[str, Any]) -> list[str]:
    keys = list(mapping)
    if not all(isinstance(key, str) for key in keys):
        raise _NotRenamable("a key that is not a string")
    return sorted(keys)


def _by_shape(mapping: dict[str, Any]) -> list[str]:
    """The keys of a name → schema map in the order of their values' shapes (names only break ties), so
    fresh names are numbered alike in units whose names sort differently."""
    return sorted(_sorted_keys(mapping), key=lambda name: _shape_key(mapping[name]))


def _shape_key(value: Any) -> str:
    """A text equal for values that differ only in names (used as an order: need not tell shapes apart)."""
    return json.dumps(
        _skeleton(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )


def _skeleton(value: Any) -> Any:
    """`value` without names: property names and `$ref` targets dropped, `required` counted, no free text."""
    if isinstance(value, list):
        return [_skeleton(item) for item in value]
    if not isinstance(value, dict):
        return value
    result: dict[str, Any] = {}
    for key, item in value.items():
        if not isinstance(key, str) or key.startswith("x-") or (key in FREE_TEXT and isinstance(item, str)):
            continue
        if key == "properties" and isinstance(item, dict):
            result[key] = sorted(_shape_key(schema) for schema in item.values())
        elif key == "required" and isinstance(item, list):
            result[key] = len(item)
        elif key == "$ref":
            result[key] = None
        else:
            result[key] = item if key in VERBATIM else _skeleton(item)
    return result


def _has_object(value: Any) -> bool:
    if isinstance(value, dict):
        return bool(value) or any(_has_object(item) for item in value.values())
    if isinstance(value, list):
        return any(_has_object(item) for item in value)
    return False


def canonical(document: dict[str, Any]) -> dict[str, Any]:
    """`document` with names renamed and free text replaced (see the module docstring); `document` itself
    when it uses a construct renaming does not follow."""
    try:
        return _Canon().document(document)
    except _NotRenamable:
        return document


def _refs(value: Any) -> Iterator[str]:
    """Every `$ref` string below `value`.

    Found in the compact JSON text (orjson writes it many times faster than a walk of the values in
    Python): outside a string, `"$ref":"` can only be a `$ref` key with a string value, because an escaped
    quote never ends a string and a closing quote is never followed by `$`."""
    try:
        text = dumps_compact(value)
    except (TypeError, ValueError):
        yield from _walk_refs(value)
        return
    if '"$ref"' not in text:
        return
    for match in _REF_KEY.finditer(text):
        yield json.loads(match.group(1))


_REF_KEY = re.compile(r'"\$ref":("(?:[^"\\]|\\.)*")')


def _walk_refs(value: Any) -> Iterator[str]:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str):
                yield ref
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
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


def whole_document_problem(document: dict[str, Any]) -> str | None:
    """What unit validation cannot see (splitting or renaming hides it), checked on the whole document:
    component names, path keys and their template parameters, unique operation ids, `$ref`s that resolve."""
    for check in (_component_name_problem, _path_problem, _operation_id_problem, _ref_problem):
        problem = check(document)
        if problem is not None:
            return problem
    return None


def _component_name_problem(document: dict[str, Any]) -> str | None:
    components = document.get("components")
    if not isinstance(components, dict):
        return None
    for section in sorted(k for k in components if isinstance(k, str) and not k.startswith("x-")):
        entries = components[section]
        for name in sorted(map(str, entries)) if isinstance(entries, dict) else ():
            if not COMPONENT_NAME.match(name):
                return (
                    f"component name {name!r} in components.{section} does not match {COMPONENT_NAME.pattern}"
                )
    return None


def _operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    """(path, method, operation, path item) for every operation, in path and method order."""
    raw = document.get("paths")
    paths: dict[str, Any] = raw if isinstance(raw, dict) else {}
    for path in sorted(paths):
        item = paths[path]
        if not isinstance(item, dict) or not isinstance(path, str) or path.startswith("x-"):
            continue
        for method in sorted(item):
            operation = item[method]
            if method in HTTP_METHODS and isinstance(operation, dict):
                yield path, method, operation, item


def _path_problem(document: dict[str, Any]) -> str | None:
    paths = document.get("paths")
    for path in sorted(paths) if isinstance(paths, dict) else ():
        if isinstance(path, str) and not path.startswith(("/", "x-")):
            return f"path {path!r} does not start with '/'"
    for path, method, operation, item in _operations(document):
        where = f"{method.upper()} {path}"
        template = set(_TEMPLATE.findall(path))
        declared: set[str] = set()
        for parameter in _parameters(document, item) + _parameters(document, operation):
            if parameter.get("in") != "path":
                continue
            name = parameter.get("name")
            if parameter.get("required") is not True:
                return f"path parameter {name!r} of {where} is not `required: true`"
            if isinstance(name, str):
                declared.add(name)
        for name in sorted(template - declared):
            return f"path parameter {name!r} of {where} is not declared as an `in: path` parameter"
        for name in sorted(declared - template):
            return f"path parameter {name!r} of {where} is not in the path template"
    return None


def _parameters(document: dict[str, Any], owner: dict[str, Any]) -> list[dict[str, Any]]:
    """The parameter objects of a path item or operation, local `$ref`s followed."""
    found: list[dict[str, Any]] = []
    raw = owner.get("parameters")
    for parameter in raw if isinstance(raw, list) else ():
        ref = parameter.get("$ref") if isinstance(parameter, dict) else None
        if isinstance(ref, str):
            parameter = _resolve(document, ref)
        if isinstance(parameter, dict):
            found.append(parameter)
    return found


def _operation_id_problem(document: dict[str, Any]) -> str | None:
    seen: dict[str, str] = {}
    for path, method, operation, _ in _operations(document):
        op_id = operation.get("operationId")
        if not isinstance(op_id, str):
            continue
        where = f"{method.upper()} {path}"
        if op_id in seen:
            return f"operationId {op_id!r} is used by both {seen[op_id]} and {where}"
        seen[op_id] = where
    return None


def _ref_problem(document: dict[str, Any]) -> str | None:
    for ref in sorted(set(_refs(document))):
        if _resolve(document, ref) is _MISSING:
            return f"$ref {ref!r} does not resolve"
    return None


_MISSING = object()


def _resolve(document: dict[str, Any], ref: str) -> Any:
    """The value a local `$ref` points to, or `_MISSING`."""
    if not ref.startswith("#/"):
        return _MISSING
    node: Any = document
    for raw in ref[2:].split("/"):
        key = raw.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or key not in node:
            return _MISSING
        node = node[key]
    return node


def _validator_problem(document: dict[str, Any]) -> str | None:
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
            results.append(_validator_problem(doc))
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
            return list(pool.map(_validator_problem, documents, chunksize=chunk))
    except (OSError, BrokenProcessPool):
        return None


def _culprit(shape: _Shape, found: str) -> str:
    """The problem of an invalid shape, in the real names of its first unit when it says so too."""
    first = shape.parts[0]
    real = _validator_problem(first.document)
    return f"{first.label}: {real if real is not None else found}"
