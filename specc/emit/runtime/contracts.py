"""`contracts.py`: for every operation of `openapi.json`, the keyword arguments of `APIRouter.api_route`.

The contracts are read from the OpenAPI document itself (built from the same schema plan as the written
`openapi.json`), so what a router declares with `@router.api_route(**contracts.<operation_id>)` is what the
document says: path, method, success status and its description, response model (the class the success
response's `$ref` names, from the generated `schemas` package), every other documented response (error
responses with `ErrorResponse`), operation id, summary, tags, and for authenticated operations the bearer
scheme as a dependency (so FastAPI lists the security requirement). The route's `name` is the operation
id (`request.url_for("get_rooms_by_room_id", room_id=1)`; FastAPI also makes the summary of an operation
without one from it). A success response without a body
gets `response_class=Response`, so FastAPI does not invent a JSON body for it.

`APP_OPTIONS` holds `FastAPI(...)` keyword arguments: the document's title, version and tags.

The constants are named after the operation ids; one that is not a usable Python name (a keyword, a name
the module uses) gets a `_` suffix (`_2`, ... when taken). Every text from the document is a quoted literal
(`specc.pycode.literals.py_str`); a text too long for its line (a long summary or error description) is
split at spaces into parenthesised pieces, so ruff's default rules (which report an unused `noqa`) and
E501 both pass.
"""

from __future__ import annotations

import keyword
from dataclasses import dataclass
from typing import Any

from specc.pycode.imports import PyImport, import_lines
from specc.pycode.layout import text_width, too_long
from specc.pycode.literals import py_str

REF_PREFIX = "#/components/schemas/"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
INDENT = "    "
MODULE_NAMES = frozenset(
    {
        "APP_OPTIONS",
        "AppOptions",
        "Any",
        "Depends",
        "Enum",
        "JSONResponse",
        "Response",
        "RouteContract",
        "TypedDict",
        "get_current_user",
        "params",
        "schemas",
    }
)
"""Names `contracts.py` binds besides the contracts."""


@dataclass(frozen=True)
class Contract:
    name: str
    path: str
    method: str
    status: int
    response_model: str | None
    has_body: bool
    description: str
    responses: tuple[tuple[int | str, str, bool], ...]
    """(status, description, whether its body is `ErrorResponse`)."""
    operation_id: str
    summary: str | None
    tags: tuple[str, ...]
    authenticated: bool


def _ref_name(content: Any) -> str | None:
    if not isinstance(content, dict):
        return None
    media = content.get("application/json")
    schema = media.get("schema") if isinstance(media, dict) else None
    ref = schema.get("$ref") if isinstance(schema, dict) else None
    if isinstance(ref, str) and ref.startswith(REF_PREFIX):
        name = ref[len(REF_PREFIX) :]
        if name.isidentifier() and not keyword.iskeyword(name):
            return name
    return None


def _status_key(key: str) -> int | str:
    return int(key) if key.isdigit() else key


def _name(operation_id: str, taken: set[str]) -> str:
    base = operation_id if operation_id.isidentifier() else "operation"
    candidate, n = base, 2
    if keyword.iskeyword(candidate) or candidate in MODULE_NAMES or candidate in taken:
        candidate = f"{base}_"
    while keyword.iskeyword(candidate) or candidate in MODULE_NAMES or candidate in taken:
        candidate = f"{base}_{n}"
        n += 1
    taken.add(candidate)
    return candidate


def contracts_of(document: dict[str, Any], success: dict[tuple[str, str], int]) -> list[Contract]:
    """The contracts of `document`'s operations, sorted by path and method. `success`: (path, lower-case
    method) → the documented success status (else the lowest status below 400 the operation declares)."""
    global_security = document.get("security", [])
    result: list[Contract] = []
    taken: set[str] = set()
    for path in sorted(document.get("paths", {})):
        item = document["paths"][path]
        for method in METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            responses: dict[str, Any] = operation.get("responses", {})
            statuses = sorted(int(k) for k in responses if k.isdigit() and int(k) < 400)
            status = success.get((path, method), statuses[0] if statuses else 200)
            main = responses.get(str(status), {})
            others = tuple(
                (
                    _status_key(key),
                    str(value.get("description", "")),
                    _ref_name(value.get("content")) is not None,
                )
                for key, value in sorted(responses.items())
                if key != str(status)
            )
            security = operation.get("security", global_security)
            operation_id = str(operation.get("operationId", f"{method}_{path}"))
            summary = operation.get("summary")
            result.append(
                Contract(
                    name=_name(operation_id, taken),
                    path=path,
                    method=method.upper(),
                    status=status,
                    response_model=_ref_name(main.get("content")),
                    has_body="content" in main,
                    description=str(main.get("description", "")),
                    responses=others,
                    operation_id=operation_id,
                    summary=summary if isinstance(summary, str) else None,
                    tags=tuple(str(tag) for tag in operation.get("tags", [])),
                    authenticated=bool(security),
                )
            )
    return result


class _Writer:
    def __init__(self, line_length: int) -> None:
        self.line_length = line_length
        self.lines: list[str] = []

    def line(self, text: str) -> None:
        """A line that cannot be split further: marked when ruff would report it as too long."""
        if too_long(text, self.line_length):
            text += "  # noqa: E501"
        self.lines.append(text)

    def string(self, level: int, key: str, value: str) -> None:
        """`key` followed by the literal of `value` and a comma; a literal too long for its line is split at
        spaces into parenthesised pieces (implicit concatenation, the same value), so no line needs `noqa`."""
        pad = INDENT * level
        flat = f"{pad}{key}{py_str(value)},"
        if not too_long(flat, self.line_length):
            self.lines.append(flat)
            return
        inner = pad + INDENT
        self.lines.append(f"{pad}{key}(")
        self.lines += [
            f"{inner}{py_str(piece)}" for piece in _pieces(value, self.line_length - text_width(inner))
        ]
        self.lines.append(f"{pad}),")

    def string_list(self, level: int, key: str, values: tuple[str, ...]) -> None:
        pad = INDENT * level
        flat = f"{pad}{key}[{', '.join(py_str(v) for v in values)}],"
        if text_width(flat) <= self.line_length or not values:
            self.line(flat)
            return
        self.lines.append(f"{pad}{key}[")
        for value in values:
            self.line(f"{pad}{INDENT}{py_str(value)},")
        self.lines.append(f"{pad}],")


def _pieces(text: str, room: int) -> list[str]:
    """`text` cut after spaces into pieces whose literals fit in `room` columns (a word longer than that is a
    piece of its own, which ruff does not report: a line of one token)."""
    pieces: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if current and text_width(py_str(candidate + " ")) > room:
            pieces.append(current + " ")
            current = word
        else:
            current = candidate
    pieces.append(current)
    return pieces


def _response_class(contract: Contract) -> str:
    return "JSONResponse" if contract.has_body or contract.status in (204, 205, 304) else "Response"


def _uses_schemas(contract: Contract) -> bool:
    return contract.response_model is not None or any(error for _, _, error in contract.responses)


def _contract_lines(writer: _Writer, contract: Contract) -> None:
    writer.line(f"{contract.name} = RouteContract(")
    writer.line(f"{INDENT}path={py_str(contract.path)},")
    writer.line(f"{INDENT}methods=[{py_str(contract.method)}],")
    writer.line(f"{INDENT}status_code={contract.status},")
    model = f"schemas.{contract.response_model}" if contract.response_model else "None"
    writer.line(f"{INDENT}response_model={model},")
    writer.line(f"{INDENT}response_class={_response_class(contract)},")
    writer.string(1, "response_description=", contract.description)
    if not contract.responses:
        writer.line(f"{INDENT}responses={{}},")
    else:
        writer.line(f"{INDENT}responses={{")
        for status, description, error_body in contract.responses:
            key = str(status) if isinstance(status, int) else py_str(status)
            writer.line(f"{INDENT * 2}{key}: {{")
            if error_body:
                writer.line(f'{INDENT * 3}"model": schemas.ErrorResponse,')
            writer.string(3, '"description": ', description)
            writer.line(f"{INDENT * 2}}},")
        writer.line(f"{INDENT}}},")
    writer.line(f"{INDENT}operation_id={py_str(contract.operation_id)},")
    writer.line(f"{INDENT}name={py_str(contract.operation_id)},")
    if contract.summary is None:
        writer.line(f"{INDENT}summary=None,")
    else:
        writer.string(1, "summary=", contract.summary)
    writer.string_list(1, "tags=", contract.tags)
    dependencies = "[Depends(get_current_user)]" if contract.authenticated else "[]"
    writer.line(f"{INDENT}dependencies={dependencies},")
    writer.line(")")


_HEAD = '''
class RouteContract(TypedDict):
    """`APIRouter.api_route` keyword arguments of one operation:
    `@router.api_route(**contracts.<operation_id>)`."""

    path: str
    methods: list[str]
    status_code: int
    response_model: type[BaseModel] | None
    response_class: type[Response]
    response_description: str
    responses: dict[int | str, dict[str, Any]]
    operation_id: str
    name: str
    summary: str | None
    tags: list[str | Enum]
    dependencies: list[params.Depends]


class AppOptions(TypedDict):
    """`FastAPI(**contracts.APP_OPTIONS, ...)`: the document's title, version
    and tags."""

    title: str
    version: str
    openapi_tags: list[dict[str, Any]]
'''


def render_contracts(document: dict[str, Any], success: dict[tuple[str, str], int], line_length: int) -> str:
    """The module's text (without the header)."""
    contracts = contracts_of(document, success)
    authenticated = any(c.authenticated for c in contracts)
    responses = {_response_class(c) for c in contracts} | {"Response"}
    imports = {
        PyImport("enum", "Enum"),
        PyImport("typing", "Any"),
        PyImport("typing", "TypedDict"),
        PyImport("fastapi", "params"),
        PyImport("pydantic", "BaseModel"),
        *(PyImport("fastapi.responses", name) for name in responses),
    }
    if any(_uses_schemas(c) for c in contracts):
        imports.add(PyImport(".", "schemas"))
    if authenticated:
        imports |= {PyImport("fastapi", "Depends"), PyImport(".security", "get_current_user")}
    writer = _Writer(line_length)
    info = document.get("info", {})
    writer.line("APP_OPTIONS = AppOptions(")
    writer.string(1, "title=", str(info.get("title", "")))
    writer.string(1, "version=", str(info.get("version", "")))
    tags = [str(tag.get("name", "")) for tag in document.get("tags", []) if isinstance(tag, dict)]
    if tags:
        writer.line(f"{INDENT}openapi_tags=[")
        for tag in tags:
            writer.line(f'{INDENT * 2}{{"name": {py_str(tag)}}},')
        writer.line(f"{INDENT}],")
    else:
        writer.line(f"{INDENT}openapi_tags=[],")
    writer.line(")")
    for contract in contracts:
        writer.lines.append("")
        _contract_lines(writer, contract)
    import_block = "\n".join(import_lines(imports, line_length))
    return "\n" + import_block + "\n\n" + _HEAD + "\n\n" + "\n".join(writer.lines) + "\n"
