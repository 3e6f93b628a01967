"""Names in generated schemas: model names, operation ids, tags, field attributes, resource tables.

Rules (deterministic, collision-free):

- Operation id: the lowercase method, then every path segment after the API prefix in snake case, with
  `{param}` segments spelled `by_<param>`: `POST /api/auth/register` → `post_auth_register`,
  `GET /api/rooms/{id}/messages` → `get_rooms_by_id_messages`. A repeated id gets `_2`, `_3`, ...
- Contract models (built in `specc.emit.schemas.plan`): R = singular PascalCase name of the table whose
  columns cover the object's keys best (ties: the table the path names). Request body: POST answered with
  201 → `<R>Create`; PATCH/PUT → `<R>Update`; else `<Action>Request` (Action = PascalCase of the last static
  path segment). Response: covered at least half by a table → `<R>Response`, else `<Action>Response`; an
  `items` wrapper → `<R>Page` with pagination keys (`total`, `next_cursor`, `offset`, `page`, ...), else
  `<R>List` (also a bare array of objects); its items reuse `<R>Response` when identical, else
  `<R>ListItem`. Request and plain response bodies are named in document order first, then lists.
  Identical shapes share one class; a different shape whose name is taken gets `<R>DetailResponse` (GET on
  an item path) or `<Action><R>Response` / `<Action><R>Create` / ..., then the operation's PascalCase id
  appended, then (as a last resort) a numeric suffix. Nested objects append the PascalCase key
  (`LoginResponseUser`), array elements `Item`. Every name goes through one `NameRegistry` that starts with
  `ErrorResponse`, so no two generated models can share a name, whatever the tables and paths are called.
- Tag: the first path segment after the API prefix (`/api/rooms/{id}` → `rooms`); `root` when there is none.
- Resource table of an operation: walk the non-parameter path segments after the prefix from the last to the
  first; the first segment naming a table (same name, same snake-case name, or same singular) wins
  (`/api/rooms/{id}/messages` → `messages`, `/api/rooms/{id}` → `rooms`, `/api/auth/login` → none). A JSON key
  with no column in that table falls back to the columns of that name in all tables, only when they all give
  the same field type.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pydantic import BaseModel

from specc.emit.naming import is_identifier, pascal, singular, snake
from specc.emit.naming import module_name as ascii_module_name
from specc.ir.model import Column, Endpoint, Table

_PARAM = re.compile(r"^\{([^{}]*)\}$")

RESERVED_ATTRS: frozenset[str] = frozenset(
    {n for n in dir(BaseModel) if not n.startswith("_")}
    | {
        "datetime",
        "decimal",
        "uuid",
        "typing",
        "Any",
        "Literal",
        "EmailStr",
        "AwareDatetime",
        "AnyUrl",
        "Field",
        "BaseModel",
        "ConfigDict",
        "RootModel",
        "AliasChoices",
        "Annotated",
        "PlainSerializer",
        "WithJsonSchema",
        "DecimalNumber",
        "field_validator",
        "reject_null",
        "int",
        "str",
        "float",
        "bool",
        "bytes",
        "list",
        "dict",
    }
)
"""Attribute names a field must not take (they shadow BaseModel members or names the module uses)."""


class NameRegistry:
    """Hands out unique names: a taken name gets the smallest free numeric suffix (2, 3, ...)."""

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self._taken: set[str] = set(taken)

    def is_free(self, name: str) -> bool:
        return name not in self._taken

    def claim(self, base: str) -> str:
        candidate = base
        n = 2
        while candidate in self._taken:
            candidate = f"{base}{n}"
            n += 1
        self._taken.add(candidate)
        return candidate


def path_segments(path: str, api_prefix: str) -> list[str]:
    """Segments of `path` after `api_prefix` (all segments when the path does not start with it)."""
    prefix = api_prefix.rstrip("/")
    rest = path
    if prefix and (path == prefix or path.startswith(prefix + "/")):
        rest = path[len(prefix) :]
    return [s for s in rest.split("/") if s]


def param_name(segment: str) -> str | None:
    match = _PARAM.match(segment)
    return match.group(1) if match else None


def operation_base(endpoint: Endpoint, api_prefix: str) -> str:
    parts = [endpoint.method.lower()]
    for segment in path_segments(endpoint.path, api_prefix):
        param = param_name(segment)
        parts.append("by_" + snake(param) if param is not None else snake(segment))
    return "_".join(parts)


def operation_ids(endpoints: Iterable[Endpoint], api_prefix: str) -> list[str]:
    """Unique operation ids, one per endpoint, in the given order."""
    seen: set[str] = set()
    result: list[str] = []
    for endpoint in endpoints:
        base = operation_base(endpoint, api_prefix)
        candidate, n = base, 2
        while candidate in seen:
            candidate = f"{base}_{n}"
            n += 1
        seen.add(candidate)
        result.append(candidate)
    return result


def model_base(operation_id: str) -> str:
    return pascal(operation_id)


def tag(endpoint: Endpoint, api_prefix: str) -> str:
    for segment in path_segments(endpoint.path, api_prefix):
        if param_name(segment) is None:
            return segment
    return "root"


class TableIndex:
    """Tables looked up by the words that name them, and columns by name (built once per spec)."""

    def __init__(self, tables: Iterable[Table]) -> None:
        self.tables: tuple[Table, ...] = tuple(sorted(tables, key=lambda t: t.name))
        self._exact: dict[str, Table] = {}
        self._singular: dict[str, Table] = {}
        self._columns: dict[str, list[Column]] = {}
        self._owned: dict[str, list[tuple[Table, Column]]] = {}
        for table in self.tables:
            self._exact.setdefault(table.name, table)
            self._exact.setdefault(snake(table.name), table)
            self._singular.setdefault(singular(snake(table.name)), table)
            for column in table.columns:
                self._columns.setdefault(column.name, []).append(column)
                self._owned.setdefault(column.name, []).append((table, column))

    def for_word(self, word: str) -> Table | None:
        """The table a path segment or JSON key names: same name, same snake name, or same singular."""
        return (
            self._exact.get(word) or self._exact.get(snake(word)) or self._singular.get(singular(snake(word)))
        )

    def columns_named(self, name: str) -> list[Column]:
        return self._columns.get(name, [])

    def owned_columns_named(self, name: str) -> list[tuple[Table, Column]]:
        """(table, column) for every column called `name`, tables sorted by name."""
        return self._owned.get(name, [])


_INDEX_CACHE: list[tuple[tuple[Table, ...], TableIndex]] = []


def table_index(tables: tuple[Table, ...]) -> TableIndex:
    """The `TableIndex` of `tables`, shared by the writers and checks of one spec (the last one is kept)."""
    if _INDEX_CACHE and _INDEX_CACHE[0][0] is tables:
        return _INDEX_CACHE[0][1]
    index = TableIndex(tables)
    _INDEX_CACHE[:] = [(tables, index)]
    return index


def resource_table(index: TableIndex, endpoint: Endpoint, api_prefix: str) -> Table | None:
    segments = [s for s in path_segments(endpoint.path, api_prefix) if param_name(s) is None]
    for segment in reversed(segments):
        table = index.for_word(segment)
        if table is not None:
            return table
    return None


def param_owner(index: TableIndex, endpoint: Endpoint, api_prefix: str, param: str) -> Table | None:
    """The table named by the nearest non-parameter segment before `{param}`."""
    owner: Table | None = None
    for segment in path_segments(endpoint.path, api_prefix):
        name = param_name(segment)
        if name is None:
            owner = index.for_word(segment)
        elif name == param:
            return owner
    return None


def param_column(index: TableIndex, endpoint: Endpoint, api_prefix: str, param: str) -> Column | None:
    """The column a path parameter stands for: `{id}` → the owner's primary key, `{room_id}` → rooms.id."""
    owner = param_owner(index, endpoint, api_prefix, param)
    if owner is not None:
        column = owner.column(param)
        if column is not None:
            return column
        if param in ("id", f"{singular(owner.name)}_id") and len(owner.primary_key) == 1:
            return owner.column(owner.primary_key[0])
    if param.endswith("_id"):
        target = index.for_word(param[: -len("_id")])
        if target is not None and len(target.primary_key) == 1:
            return target.column(target.primary_key[0])
    return None


def attr_name(key: str, used: set[str], preferred: str | None = None) -> str:
    """A Python attribute for JSON key / column `key`, distinct from `used` (which it extends). `preferred`
    (a request field: the model attribute of its column, `metadata_` for `metadata`) is taken when pydantic
    allows it as a field name and it is free, so `model_dump()` gives the model's attribute names."""
    if (
        preferred is not None
        and is_identifier(preferred)
        and not preferred.startswith(("_", "model_"))
        and preferred not in RESERVED_ATTRS
        and preferred not in used
    ):
        used.add(preferred)
        return preferred
    candidate = key if is_identifier(key) and not key.startswith("_") else snake(key)
    if candidate in RESERVED_ATTRS or candidate.startswith("model_"):
        candidate += "_"
    base, n = candidate, 2
    while candidate in used:
        candidate = f"{base}_{n}"
        n += 1
    used.add(candidate)
    return candidate


def module_name(word: str, used: set[str]) -> str:
    base = ascii_module_name(word)
    candidate, n = base, 2
    while candidate in used:
        candidate = f"{base}_{n}"
        n += 1
    used.add(candidate)
    return candidate
