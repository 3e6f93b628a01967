"""API contracts: `### METHOD /path` sections with Auth, Query Parameters, Request Body, Success Response and
Error Responses bullets (or paragraphs), bodies in fenced JSON inside or after the list."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import cast

from markdown_it.token import Token

from specc.ir.model import (
    AuthMode,
    Body,
    BodyField,
    Endpoint,
    HttpMethod,
    QueryParam,
    Response,
    construct,
)
from specc.limits import MAX_BODY_LENGTH
from specc.parse import codes
from specc.parse.document import Document, plain
from specc.parse.shapes import parse_json_body

ENDPOINT_HEADING = re.compile(
    r"^(?:\d+(?:\.\d+)*[.)]?\s+)?`?(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)`?\s+`?(/[^\s`]*)`?\s*(.*)$"
)
"""`### POST /x`, `` ### `POST /x` ``, `### 1. POST /x` (a section number first); words after it allowed."""
_LIST_TOKEN = re.compile(
    r"\s*(?:(?P<method>GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)(?![\w])|(?P<path>/[^\s,;·|]*)|"
    r"(?P<sep>[/·,;&|+–—-]|and(?![\w])|or(?![\w])))"
)
_ESCAPED_BLOCK_START = re.compile(r"^(\d{1,9})?\\([.)\-+*#>])")
r"""`204\. Deleted`, `\- note`: a marker escaped so the paragraph is not a list item; the text is `204.`."""
_LABEL = re.compile(r"^\*\*([^*]+?)\*\*\s*:?\s*(.*)$|^([A-Za-z][A-Za-z ]{1,30}?)(\s*\(\d{3}\))?\s*:\s*(.*)$")
_STATUS_IN_LABEL = re.compile(r"\((\d{3})[^)]*\)")
_STATUS_LINE = re.compile(r"^\**`?(\d{3})`?\**\s*(?:[:\-–—]\s*)?(.*)$")
_QUERY_LINE = re.compile(r"^`?([A-Za-z_][\w\-\[\]]*)`?\s*(?:\(([^)]*)\))?\s*[:\-–—]?\s*(.*)$")
_PUBLIC = re.compile(
    r"^(none|no\b|public|not required|no auth|anonymous|unauthenticated|false|n/a|open\b|nobody)", re.I
)
_JSON_INFO = frozenset({"", "json", "json5", "jsonc", "javascript", "js"})
_PATH_PARAM = re.compile(r"\{([^{}]*)\}|\{[^{}]*$")
"""`{name}`, or an unclosed `{` (up to the end). Neither part may hold a brace, so every attempt stops at the
next brace: linear in the length of the path."""
SCHEMA_REF = re.compile(r"`?(?<![\w./\-])([\w./\-]+\.json)`?")
"""A `.json` path. Tried only where a run of path characters starts (a match inside a run would start at the
run's start anyway): without the look-behind every suffix of a long word was rescanned."""

_FIELD_WORDS: dict[str, str] = {
    "auth": "auth",
    "authentication": "auth",
    "authorization": "auth",
    "auth required": "auth",
    "request body": "request",
    "request": "request",
    "body": "request",
    "payload": "request",
    "request payload": "request",
    "success response": "response",
    "response": "response",
    "success": "response",
    "returns": "response",
    "response body": "response",
    "error responses": "errors",
    "error response": "errors",
    "errors": "errors",
    "error codes": "errors",
    "query parameters": "query",
    "query params": "query",
    "query": "query",
    "path parameters": "path",
    "path params": "path",
    "description": "summary",
    "fields": "fields",
    "request fields": "fields",
    "body fields": "fields",
}
_RANGE = re.compile(
    r"^(?:(\d{1,18})\s*(?:–|—|-|\.\.|to)\s*(\d{1,18})|(at least|min(?:imum)?|>=|≥)\s*(\d{1,18})"
    r"|(at most|max(?:imum)?|up to|<=|≤)\s*(\d{1,18}))(?:\s+(?:characters|chars|items))?$",
    re.I,
)
"""A range in a parameter's or field's parentheses: `1–100`, `8-128 characters`, `at least 1`, `max 500`."""
_TRAILING_RANGE = re.compile(r"\((\d{1,18})\s*(?:–|—|-|\.\.|to)\s*(\d{1,18})\)\s*\.?$")
"""A range at the end of a description: `Max rooms per page (1–100)`."""


def parse_range(text: str) -> tuple[int | None, int | None] | None:
    """(minimum, maximum) of a range part (`1–100`, `at least 8`, `max 500`), None when `text` is not one."""
    m = _RANGE.match(text.strip())
    if m is None:
        return None
    if m.group(1) is not None:
        return int(m.group(1)), int(m.group(2))
    if m.group(4) is not None:
        return int(m.group(4)), None
    return None, int(m.group(6))


def _description_range(description: str) -> tuple[int | None, int | None]:
    m = _TRAILING_RANGE.search(description)
    return (int(m.group(1)), int(m.group(2))) if m is not None else (None, None)


@dataclass
class _Building:
    method: HttpMethod
    path: str
    line0: int
    column: int
    summary: str | None = None
    auth_text: str | None = None
    auth_line: int | None = None
    query: list[QueryParam] = field(default_factory=list)
    request: Body | None = None
    responses: list[Response] = field(default_factory=list)
    current: str | None = None
    open_response: int | None = None
    """Index in `responses` of a success response still waiting for its body fence."""
    request_waiting: bool = False
    fields: list[BodyField] = field(default_factory=list)
    fields_depth: int = 0


def _label(text: str) -> tuple[str, str | None, str] | None:
    """(field kind, status from the label, rest of the line) when text starts with a known label."""
    m = _LABEL.match(text)
    if m is None:
        return None
    if m.group(1) is not None:
        label, rest = m.group(1), m.group(2)
        if label.rstrip().endswith(":"):
            label = label.rstrip()[:-1]
    else:
        label = m.group(3) + (m.group(4) or "")
        rest = m.group(5)
    # `(201 ...)` counts only when a `)` follows somewhere; searching before the last `)` only keeps every
    # attempt from rescanning the rest of a long label (linear, same matches)
    last = label.rfind(")")
    status_match = _STATUS_IN_LABEL.search(label, 0, last + 1) if last >= 0 else None
    status = status_match.group(1) if status_match else None
    unlabelled = _STATUS_IN_LABEL.sub("", label[: last + 1]) + label[last + 1 :]
    key = " ".join(unlabelled.lower().split()).rstrip(":")
    kind = _FIELD_WORDS.get(key)
    if kind is None:
        return None
    return kind, status, rest.strip()


@dataclass
class _Param:
    name: str
    type: str = "string"
    required: bool | None = None
    default: str | None = None
    minimum: int | None = None
    maximum: int | None = None
    description: str | None = None


def _param_line(text: str) -> _Param | None:
    """`` `name` (type, required|optional, default x, 1–100): description `` (shared by query parameters
    and request body fields)."""
    m = _QUERY_LINE.match(plain(text) if "`" not in text else text.replace("**", ""))
    if m is None:
        return None
    param = _Param(name=m.group(1), description=plain(m.group(3)) or None)
    for part in (p.strip() for p in (m.group(2) or "").split(",")):
        lower = part.lower()
        if not part:
            continue
        bounds = parse_range(part)
        if lower == "optional":
            param.required = False
        elif lower == "required":
            param.required = True
        elif lower.startswith("default"):
            param.default = part[7:].strip(" :=") or None
        elif bounds is not None:
            param.minimum, param.maximum = bounds
        else:
            param.type = part
    if param.minimum is None and param.maximum is None and param.description is not None:
        param.minimum, param.maximum = _description_range(param.description)
    return param


def _query_param(doc: Document, text: str, line0: int) -> QueryParam | None:
    param = _param_line(text)
    if param is None:
        return None
    return construct(
        QueryParam,
        name=param.name,
        type=param.type,
        required=bool(param.required),
        default=param.default,
        minimum=param.minimum,
        maximum=param.maximum,
        description=param.description,
        span=doc.span(line0, doc.line_column(line0)),
    )


def _body_field(doc: Document, text: str, line0: int) -> BodyField | None:
    param = _param_line(text)
    if param is None:
        return None
    return construct(
        BodyField,
        name=param.name,
        type=param.type,
        required=param.required is not False,
        default=param.default,
        minimum=param.minimum,
        maximum=param.maximum,
        description=param.description,
        span=doc.span(line0, doc.line_column(line0)),
    )


def _fence_body(doc: Document, token: Token) -> Body:
    assert token.map is not None
    line0 = token.map[0]
    indent = doc.line_column(line0) - 1
    if len(token.content) > MAX_BODY_LENGTH:
        doc.report(
            codes.OVER_LIMIT,
            f"body of {len(token.content):,} characters (the limit is {MAX_BODY_LENGTH:,}); not read",
            line0,
            indent + 1,
            hint="an example needs only the shape of each field: shorten it",
        )
        return construct(Body, shape=None, schema_ref=None, span=doc.span(line0, indent + 1))
    read = parse_json_body(token.content)
    for problem in read.problems:
        message = problem.message
        if problem.code is codes.INVALID_JSON:
            message = f"body is not valid JSON: {message}"
        doc.report(problem.code, message, line0 + 1 + problem.line, problem.column + indent, problem.hint)
    return construct(Body, shape=read.shape, schema_ref=None, span=doc.span(line0, indent + 1))


def _without_query(path: str) -> str:
    """`/api/v1/items?limit=50` → `/api/v1/items`: a query string in a heading is an example, not the path."""
    return path.split("?", 1)[0] or path


def endpoint_list(text: str) -> list[tuple[HttpMethod, str]] | None:
    """The endpoints a heading that is only a list of them names, or None when it holds other words.

    `GET /a` / `GET /b`; `GET` / `POST` `/a` (methods sharing a path); `GET /a` · `/b` (a bare path takes
    the method before it and continues the path before it: `/api/x` · `/resumo` → `/api/x/resumo`, and
    `/api/notices` · `/notices/summary` → `/api/notices/summary`)."""
    text = plain(text.replace("`", " ").replace("**", ""))
    pos, n = 0, len(text)
    pending: list[HttpMethod] = []
    found: list[tuple[HttpMethod, str]] = []
    separator = base = ""
    """The last separator read, and the last path written with its method (bare paths continue it)."""
    while pos < n:
        if text[pos:].strip() == "":
            break
        m = _LIST_TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            return None
        pos = m.end()
        if m.group("method"):
            pending.append(cast(HttpMethod, m.group("method")))
        elif m.group("sep") is not None:
            separator = m.group("sep").strip().lower()
        elif m.group("path") is not None:
            raw = m.group("path").rstrip(".,:")
            following = _LIST_TOKEN.match(text, pos) if raw == "/" else None
            if raw == "/" and (not pending or (following is not None and following.group("method"))):
                separator = "/"
                continue  # `GET / POST /x`, `GET /a` / `/b`: a separator, not the root path
            path = _without_query(raw)
            if pending:
                found.extend((method, path) for method in pending)
                pending, base = [], path
            elif found:
                found.append((found[-1][0], _continued(base, path, separator)))
            else:
                return None
    if pending or not found:
        return None
    return list(dict.fromkeys(found))


def _continued(previous: str, path: str, separator: str) -> str:
    """A bare path listed after a full one (see `endpoint_list`): one that repeats a segment of the one
    before continues it from there (`/api/notices` · `/notices/summary`); one segment after `·` or `/`
    continues it (`/api/x` · `/resumo`); anything else is a path of its own (`/v1/users` · `/v2/users`,
    `/users and /orders`)."""
    segments = [p for p in path.split("/") if p]
    parts = previous.split("/")
    if segments and segments[0] in parts[1:]:
        return "/".join(parts[: parts.index(segments[0], 1)]) + path
    if len(segments) == 1 and separator in ("·", "/"):
        return previous.rstrip("/") + path
    return path


def read_endpoints(doc: Document, heading_line0: int, heading: str, tokens: list[Token]) -> list[Endpoint]:
    """The endpoint a heading names with its contract, and one more with the same contract for each further
    endpoint the heading lists (`` ### `GET /reports/daily` / `GET /reports/weekly` ``)."""
    m = ENDPOINT_HEADING.match(plain(heading) if "`" not in heading else heading.replace("**", ""))
    if m is None:
        return []
    method = cast(HttpMethod, m.group(1))
    path = _without_query(m.group(2).rstrip(".,:"))
    raw_line = doc.lines[heading_line0] if heading_line0 < len(doc.lines) else ""
    column = raw_line.find(method) + 1 or 1
    b = _Building(method=method, path=path, line0=heading_line0, column=column)
    trailing = plain(m.group(3))
    listed = endpoint_list(heading[heading.find(method) :]) if trailing else None
    more: list[tuple[HttpMethod, str]] = []
    if listed is not None and len(listed) > 1:
        (method, path), *more = listed
        b.method, b.path = method, path
        trailing = ""
    if trailing and not trailing.startswith("<!--"):
        b.summary = trailing.strip(" -–—:()") or None

    depth = 0
    for token in tokens:
        ttype = token.type
        if ttype in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif ttype in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif ttype == "inline" and token.map is not None:
            _inline(doc, b, token.content, token.map[0], depth)
        elif ttype == "fence" and token.map is not None:
            if token.info.strip().lower() not in _JSON_INFO:
                continue
            if b.request_waiting:
                b.request = _fence_body(doc, token)
                b.request_waiting = False
            elif b.open_response is not None:
                resp = b.responses[b.open_response]
                b.responses[b.open_response] = resp.model_copy(update={"body": _fence_body(doc, token)})
                b.open_response = None

    path_params = _path_params(doc, method, path, heading_line0, column)
    request = b.request
    if request is not None and b.fields:
        request = request.model_copy(update={"fields": tuple(b.fields)})
    auth_text = b.auth_text
    auth: AuthMode = "public" if auth_text is not None and _PUBLIC.match(auth_text) else "required"
    first = construct(
        Endpoint,
        method=method,
        path=path,
        auth=auth,
        auth_explicit=auth_text is not None,
        auth_text=auth_text,
        summary=b.summary,
        path_params=tuple(path_params),
        query_params=tuple(b.query),
        request_body=request,
        responses=tuple(b.responses),
        span=doc.span(heading_line0, column),
    )
    endpoints = [first]
    for extra_method, extra_path in more:
        extra_column = raw_line.find(extra_path) + 1 or column
        endpoints.append(
            first.model_copy(
                update={
                    "method": extra_method,
                    "path": extra_path,
                    "path_params": tuple(
                        _path_params(doc, extra_method, extra_path, heading_line0, extra_column)
                    ),
                    "span": doc.span(heading_line0, extra_column),
                }
            )
        )
    return endpoints


def _path_params(doc: Document, method: str, path: str, line0: int, column: int) -> list[str]:
    """The names of `path`'s parameters; an empty `{}` is reported at its place (P008)."""
    names: list[str] = []
    for pm in _PATH_PARAM.finditer(path):
        name = (pm.group(1) or "").strip()
        if not name:
            doc.report(
                codes.EMPTY_PATH_PARAM,
                f"path parameter without a name in {path}",
                line0,
                column + len(method) + 1 + pm.start(),
            )
            continue
        names.append(name)
    return names


def _inline(doc: Document, b: _Building, content: str, line0: int, depth: int) -> None:
    text = content.strip()
    first_line = text.split("\n", 1)[0]
    # A list item's text may wrap onto continuation lines: one logical line for its description.
    joined = " ".join(part.strip() for part in text.split("\n") if part.strip())
    label = _label(first_line)
    if label is not None and label[0] == "fields" and depth <= 2:
        b.current = "fields"
        b.fields_depth = depth
        return
    if label is not None and depth <= 1:
        kind, status, rest = label
        b.current = kind
        b.request_waiting = False
        b.open_response = None
        rest_plain = plain(rest)
        if kind == "auth":
            b.auth_text = rest_plain or None
            b.auth_line = line0
            if b.auth_text is None:
                b.auth_text = ""
        elif kind == "summary":
            b.summary = rest_plain or b.summary
        elif kind == "request":
            ref = SCHEMA_REF.search(rest)
            if ref is not None:
                b.request = construct(
                    Body, shape=None, schema_ref=ref.group(1), span=doc.span(line0, doc.line_column(line0))
                )
            else:
                b.request_waiting = True
        elif kind == "response":
            code = int(status) if status else 200
            no_content = bool(re.match(r"(?i)(no content|empty|none|-)\b", rest_plain)) or code == 204
            ref = SCHEMA_REF.search(rest)
            description = SCHEMA_REF.sub("", rest).strip() if ref is not None else rest
            description_plain = plain(description)
            b.responses.append(
                construct(
                    Response,
                    status=code,
                    description=None if no_content or not description_plain else description_plain,
                    body=construct(
                        Body,
                        shape=None,
                        schema_ref=ref.group(1),
                        span=doc.span(line0, doc.line_column(line0)),
                    )
                    if ref is not None
                    else None,
                    span=doc.span(line0, doc.line_column(line0)),
                )
            )
            if not no_content and ref is None:
                b.open_response = len(b.responses) - 1
        elif kind == "errors":
            for code_match in re.finditer(r"\b([1-5]\d\d)\b", rest_plain):
                b.responses.append(
                    construct(
                        Response,
                        status=int(code_match.group(1)),
                        description=None,
                        body=None,
                        span=doc.span(line0, doc.line_column(line0)),
                    )
                )
        return
    if b.current == "errors" and depth >= 1:
        sm = _STATUS_LINE.match(plain(joined))
        if sm is None:
            doc.report(codes.BAD_STATUS, f"error response without a status: {plain(first_line)!r}", line0)
            return
        b.responses.append(
            construct(
                Response,
                status=int(sm.group(1)),
                description=sm.group(2).strip() or None,
                body=None,
                span=doc.span(line0, doc.line_column(line0)),
            )
        )
        return
    if b.current == "fields" and depth > b.fields_depth:
        body_field = _body_field(doc, joined, line0)
        if body_field is not None:
            b.fields.append(body_field)
        return
    if b.current == "query" and depth >= 1:
        param = _query_param(doc, joined, line0)
        if param is not None:
            b.query.append(param)
        return
    if b.current is None and depth == 0 and b.summary is None:
        b.summary = _ESCAPED_BLOCK_START.sub(r"\1\2", plain(text)) or None
