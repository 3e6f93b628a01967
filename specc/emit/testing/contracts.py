"""The generated contract tests: per operation of the OpenAPI document, what its contract promises and a
test can check without knowing the app's business rules.

- an authenticated operation without a token answers 401; a public one is reached without one;
- with a valid request otherwise (`samples.valid`), each required body field missing, each string over its
  maximum or under its minimum length, each field of a wrong JSON type, an email that is not one, and each
  query parameter outside its bounds or of a wrong type answers 422 (when the contract documents 422);
- a happy path where the arrange is derivable: a create (`POST` without path parameters, documented 201,
  no `..._id` field in the body) or a read (`GET` without path parameters or required query): the documented
  status, a body the response model validates, and the server-set fields present;
- an operation on `{id}` paths documenting 404 answers it for ids that do not exist;
- no response carries a secret-like field: the app's own OpenAPI schema of each success response, and the
  body of each happy path, hold none the contract does not document.

Test names follow the seed (`test_create_room_returns_422_when_name_exceeds_100_chars`): the operation is
named after the test-plan feature that names it first, else its operationId. Plan cases a test answers are
linked to it (`specc.emit.testing.caselinks`)."""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass, field
from typing import Any, Protocol

from specc.emit.testing import samples
from specc.emit.testing.names import feature_slug, snake
from specc.ir.model import Spec
from specc.pycode.layout import Call, Expr, Split, layout, text_width
from specc.pycode.literals import py_str

MISSING_INT = "2147483647"
"""An integer id no test row has (the largest `integer`; rows of a test database start at 1)."""
MISSING_TEXT = "missing-0f9e8d7c"
NAME_LIMIT = 64
"""Longest test-function name (so `async def <name>(` fits in 79 columns)."""


@dataclass
class Operation:
    """One operation of the document, with what its tests need."""

    operation_id: str
    method: str
    path: str
    """The path as served (`/api/rooms/{room_id}`)."""
    spec_key: str
    """`METHOD /path` as the contract writes it (the test plan's features name endpoints so)."""
    name: str
    tag: str
    secured: bool
    statuses: frozenset[int]
    success: int | None
    path_params: list[tuple[str, dict[str, Any]]]
    query_params: list[tuple[str, dict[str, Any], bool]]
    body: dict[str, Any] | None
    body_required: bool
    response: dict[str, Any] | None
    """The success response's JSON schema (may be a `$ref`)."""


@dataclass
class ContractTest:
    name: str
    operation: Operation
    kind: str
    """`401`, `public`, `422-missing`, `422-max`, `422-min`, `422-type`, `422-email`, `422-query-min`,
    `422-query-max`, `422-query-type`, `happy`, `404`, `secret-schema`, `secret-body`."""
    target: str | None = None
    """The field or parameter a 422 test is about."""
    bound: int | None = None
    """The length or value bound a 422 test crosses."""
    fixture: str = "client"
    lines: list[str] = field(default_factory=list)
    """The body, laid out (indented one level)."""
    cases: list[str] = field(default_factory=list)
    """Plan case ids the test answers (filled by `caselinks`)."""
    helpers: set[str] = field(default_factory=set)
    schema_class: str | None = None


def operation_names(spec: Spec, operation_ids: dict[str, str]) -> dict[str, str]:
    """`METHOD /path` → the name its tests start with: the slug of the first plan feature that names it
    first, else its operationId; unique."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    plan = spec.test_plan
    for index, feature in enumerate(plan.features if plan is not None else ()):
        if not feature.endpoints:
            continue
        key = feature.endpoints[0]
        slug = feature_slug(feature, index)
        if key in operation_ids and key not in names and slug not in taken:
            names[key] = slug
            taken.add(slug)
    for key, operation_id in operation_ids.items():
        if key not in names:
            slug = snake(operation_id)[:40].strip("_") or "operation"
            while slug in taken:
                slug += "_op"
            names[key] = slug
            taken.add(slug)
    return names


def operations(document: dict[str, Any], spec: Spec) -> list[Operation]:
    """The document's operations in its order, named (see `operation_names`)."""
    found: list[tuple[str, str, dict[str, Any]]] = []
    for path, item in document.get("paths", {}).items():
        if not isinstance(item, dict):
            continue
        for method, op in item.items():
            if isinstance(op, dict) and "operationId" in op:
                found.append((str(path), method.upper(), op))
    ids = {f"{method} {path}": str(op["operationId"]) for path, method, op in found}
    spec_keys = _spec_keys(found, spec)
    names = operation_names(spec, {spec_keys[k]: v for k, v in ids.items()})
    result = []
    for path, method, op in found:
        key = f"{method} {path}"
        result.append(_operation(path, method, op, spec_keys[key], names[spec_keys[key]]))
    return result


def _spec_keys(found: list[tuple[str, str, dict[str, Any]]], spec: Spec) -> dict[str, str]:
    """Served `METHOD /path` → the contract's own spelling (the document adds the API prefix to a contract
    path without it)."""
    contracts = {f"{e.method} {e.path}" for e in spec.endpoints}
    keys: dict[str, str] = {}
    for path, method, _ in found:
        served = f"{method} {path}"
        keys[served] = served
        if served not in contracts:
            for contract in contracts:
                c_method, _, c_path = contract.partition(" ")
                if c_method == method and path.endswith(c_path) and c_path:
                    keys[served] = contract
                    break
    return keys


def _operation(path: str, method: str, op: dict[str, Any], spec_key: str, name: str) -> Operation:
    responses = op.get("responses", {})
    statuses = frozenset(int(s) for s in responses if str(s).isdigit())
    success = min((s for s in statuses if s < 400), default=None)
    response = None
    if success is not None:
        content = responses.get(str(success), {}).get("content", {})
        response = content.get("application/json", {}).get("schema")
    body = None
    body_required = False
    request = op.get("requestBody")
    if isinstance(request, dict):
        body = request.get("content", {}).get("application/json", {}).get("schema")
        body_required = bool(request.get("required"))
    params = [p for p in op.get("parameters", []) if isinstance(p, dict)]
    tags = op.get("tags") or ["default"]
    return Operation(
        operation_id=str(op["operationId"]),
        method=method,
        path=path,
        spec_key=spec_key,
        name=name,
        tag=snake(str(tags[0])) or "default",
        secured=op.get("security") != [],
        statuses=statuses,
        success=success,
        path_params=[(str(p["name"]), p.get("schema", {})) for p in params if p.get("in") == "path"],
        query_params=[
            (str(p["name"]), p.get("schema", {}), bool(p.get("required")))
            for p in params
            if p.get("in") == "query"
        ],
        body=body if isinstance(body, dict) else None,
        body_required=body_required,
        response=response if isinstance(response, dict) else None,
    )


# --- writing one test --------------------------------------------------------------------------------


def _missing_value(schema: Any, components: dict[str, Any]) -> str:
    kind = samples.resolve(schema, components).get("type")
    return MISSING_INT if kind == "integer" else MISSING_TEXT


def _url(op: Operation, components: dict[str, Any]) -> str:
    """The request path as a string literal, each path parameter replaced by a value no row has: a plain
    literal (no f-string), so no text of the document can become code."""
    text = op.path
    for name, schema in op.path_params:
        text = text.replace("{" + name + "}", _missing_value(schema, components))
    return py_str(text)


def _request(op: Operation, fixture: str, url: str, json: bool, params: bool, width: int) -> list[str]:
    args: list[Expr] = [url]
    if json:
        args.append("json=payload")
    if params:
        args.append("params=params")
    method = op.method.lower()
    if method not in ("get", "post", "put", "patch", "delete", "head", "options"):
        args.insert(0, py_str(op.method))
        method = "request"
    if method == "delete" and json:
        args.insert(0, '"DELETE"')
        method = "request"
    return layout("response = ", Call(f"await {fixture}.{method}(", tuple(args)), "", 1, width)


@dataclass(frozen=True)
class Arrange:
    payload: Expr | None = None
    params: Expr | None = None
    comment: str | None = None


def body_lines(
    arrange: Arrange, op: Operation, fixture: str, asserts: list[str], width: int, components: dict[str, Any]
) -> list[str]:
    lines = ["    # Arrange"]
    if arrange.comment:
        lines.append(f"    # {arrange.comment}")
    if arrange.payload is not None:
        lines += layout("payload: dict[str, object] = ", arrange.payload, "", 1, width)
    if arrange.params is not None:
        lines += layout("params: dict[str, str | int | float | bool | None] = ", arrange.params, "", 1, width)
    if arrange.payload is None and arrange.params is None and not arrange.comment:
        lines.append("    # (nothing to prepare)")
    lines += ["", "    # Act"]
    lines += _request(
        op, fixture, _url(op, components), arrange.payload is not None, arrange.params is not None, width
    )
    lines += ["", "    # Assert"]
    lines += asserts
    return lines


def function_text(test: ContractTest, width: int) -> str:
    decorators: list[str] = []
    if test.cases:
        marker = Call("@pytest.mark.spec(", tuple(py_str(c) for c in test.cases), split=Split.ARGUMENTS)
        decorators += layout("", marker, "", 0, width)
    annotation = "FastAPI" if test.fixture == "application" else "AsyncClient"
    one = f"async def {test.name}({test.fixture}: {annotation}) -> None:"
    if text_width(one) <= width:
        signature = [one]
    else:
        signature = [f"async def {test.name}(", f"    {test.fixture}: {annotation},", ") -> None:"]
    return "\n".join([*decorators, *signature, *test.lines]) + "\n"


# --- the tests of one operation ----------------------------------------------------------------------


def _test_name(op: Operation, rest: str, taken: set[str]) -> str:
    base = f"test_{op.name}_{rest}"
    if len(base) > NAME_LIMIT:
        base = base[:NAME_LIMIT].rstrip("_")
    name = base
    number = 2
    while name in taken:
        suffix = f"_{number}"
        name = base[: NAME_LIMIT - len(suffix)] + suffix
        number += 1
    taken.add(name)
    return name


def _field_words(name: str) -> str:
    return snake(name) or "field"


def _without(payload: Call, key: str) -> Call:
    prefix = f"{py_str(key)}: "
    kept = tuple(a for a in payload.args if not (a if isinstance(a, str) else a.head).startswith(prefix))
    return Call(payload.head, kept, payload.tail, payload.split)


def _with(payload: Call, key: str, value: Expr) -> Call:
    return Call(
        payload.head, (*_without(payload, key).args, samples.entry(key, value)), payload.tail, payload.split
    )


def _response_class(op: Operation) -> str | None:
    ref = op.response.get("$ref") if op.response else None
    if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
        name = ref.rsplit("/", 1)[1]
        return name if name.isidentifier() and not keyword.iskeyword(name) else None
    return None


def _query(op: Operation, components: dict[str, Any]) -> tuple[Call | None, set[str]] | None:
    """Valid values of the required query parameters (None: some cannot be derived)."""
    entries: list[Expr] = []
    helpers: set[str] = set()
    for name, schema, required in op.query_params:
        if not required:
            continue
        value = samples.valid(schema, components, name)
        if value is None:
            return None
        entries.append(samples.entry(name, value.expr))
        helpers |= value.helpers
    if not entries:
        return None, helpers
    return Call("{", tuple(entries), "}", split=Split.ELEMENTS), helpers


SECRET_WORDS = ("password", "passwd", "pwd", "secret", "salt", "hash", "hashed", "digest", "private_key")
"""Words of a field name that make it secret-like in a response (`password_hash`, `token_hash`,
`client_secret`); `token` is not one: a login answers with tokens by design."""


def secret_like(name: str) -> bool:
    words = snake(name).split("_")
    joined = "_".join(words)
    return any(w in words for w in SECRET_WORDS if "_" not in w) or "private_key" in joined


def documented_secrets(schema: Any, components: dict[str, Any], depth: int = 0) -> set[str]:
    """Secret-like property names a response schema documents itself (allowed by the contract)."""
    found: set[str] = set()
    if depth > samples.MAX_DEPTH:
        return found
    resolved = samples.resolve(schema, components)
    for key, sub in (resolved.get("properties") or {}).items():
        if secret_like(str(key)):
            found.add(str(key))
        found |= documented_secrets(sub, components, depth + 1)
    if isinstance(resolved.get("items"), dict):
        found |= documented_secrets(resolved["items"], components, depth + 1)
    return found


def operation_tests(
    op: Operation, components: dict[str, Any], has_auth: bool, width: int
) -> list[ContractTest]:
    """Every contract test of `op` (see the module docstring), in a fixed order."""
    taken: set[str] = set()
    tests: list[ContractTest] = []
    fixture = "auth_client" if op.secured and has_auth else "client"
    if op.secured and not has_auth:
        return tests  # no user table: no way to authenticate
    body = samples.resolve(op.body, components) if op.body is not None else None
    payload_value = samples.valid(op.body, components) if op.body is not None else None
    payload = payload_value.expr if payload_value is not None else None
    body_helpers = set(payload_value.helpers) if payload_value is not None else set()
    query = _query(op, components)
    params, query_helpers = query if query is not None else (None, set())
    derivable = (op.body is None or payload is not None) and query is not None
    all_helpers = body_helpers | query_helpers
    valid = Arrange(payload, params)

    def add(
        kind: str, rest: str, arrange: Arrange, asserts: list[str], use: str, helpers: set[str], **kw: Any
    ) -> ContractTest:
        name = _test_name(op, rest, taken)
        test = ContractTest(name, op, kind, fixture=use, helpers=set(helpers), **kw)
        test.lines = body_lines(arrange, op, use, asserts, width, components)
        tests.append(test)
        return test

    status = "    assert response.status_code == {}"
    if op.secured:
        arrange = valid if derivable else Arrange(Call("{", (), "}") if op.body is not None else None)
        add(
            "401",
            "returns_401_without_a_token",
            arrange,
            [status.format(401)],
            "client",
            all_helpers if derivable else set(),
        )
    elif op.body is not None and op.body_required and body and body.get("required"):
        arrange = Arrange(Call("{", (), "}"), params, "an empty body: validation runs, no auth refuses it")
        add("public", "is_reachable_without_a_token", arrange, [status.format(422)], "client", query_helpers)
    elif derivable:
        add(
            "public",
            "is_reachable_without_a_token",
            valid,
            ["    assert response.status_code not in (401, 403)"],
            "client",
            all_helpers,
        )
    if 422 in op.statuses and derivable:
        _invalid_tests(op, components, add, valid, payload, body, all_helpers, fixture)
    happy = _happy(op, components, derivable, payload, body, fixture, width, add, valid, all_helpers)
    if 404 in op.statuses and op.path_params and derivable:
        add(
            "404",
            f"returns_404_for_an_unknown_{_field_words(op.path_params[-1][0])}"
            if len(op.path_params) == 1
            else "returns_404_for_unknown_ids",
            valid,
            [status.format(404)],
            fixture,
            all_helpers,
        )
    if op.response is not None and op.success is not None:
        allowed = sorted(documented_secrets(op.response, components))
        check = (
            "assert secret_fields(documented) == []"
            if not allowed
            else (f"assert set(secret_fields(documented)) <= {_set_literal(allowed)}")
        )
        test = ContractTest(
            _test_name(op, "documents_no_secret_fields", taken),
            op,
            "secret-schema",
            fixture="application",
            helpers={"documented_fields", "secret_fields"},
        )
        test.lines = [
            "    # Arrange",
            f"    method, path, status = {py_str(op.method)}, {py_str(op.path)}, {op.success}",
            "",
            "    # Act",
            "    documented = documented_fields(application, method, path, status)",
            "",
            "    # Assert",
            f"    {check}",
        ]
        tests.append(test)
        if happy is not None:
            check = (
                "assert secret_fields(response.json()) == []"
                if not allowed
                else (f"assert set(secret_fields(response.json())) <= {_set_literal(allowed)}")
            )
            asserts = [status.format(op.success), f"    {check}"]
            add(
                "secret-body",
                "response_has_no_secret_fields",
                valid,
                asserts,
                fixture,
                all_helpers | {"secret_fields"},
            )
    return tests


def _set_literal(names: list[str]) -> str:
    if not names:
        return "set()"
    return "{" + ", ".join(py_str(n) for n in names) + "}"


class Add(Protocol):
    """`add` of `operation_tests`: makes one test of the operation and keeps it."""

    def __call__(
        self,
        kind: str,
        rest: str,
        arrange: Arrange,
        asserts: list[str],
        use: str,
        helpers: set[str],
        **kw: Any,
    ) -> ContractTest: ...


def _invalid_tests(
    op: Operation,
    components: dict[str, Any],
    add: Add,
    valid: Arrange,
    payload: Expr | None,
    body: dict[str, Any] | None,
    helpers: set[str],
    fixture: str,
) -> None:
    status = ["    assert response.status_code == 422"]
    if isinstance(payload, Call) and body is not None:
        properties = body.get("properties") or {}
        required = [k for k in body.get("required") or [] if k in properties]
        for key in required:
            words = _field_words(key)
            arrange = Arrange(_without(payload, key), valid.params)
            add(
                "422-missing",
                f"returns_422_when_{words}_is_missing",
                arrange,
                status,
                fixture,
                helpers,
                target=key,
            )
        for key, sub in properties.items():
            schema = samples.resolve(sub, components)
            words = _field_words(key)
            if schema.get("type") == "string" and schema.get("pattern") is None:
                high = samples.int_of(schema, "maxLength")
                low = samples.int_of(schema, "minLength") or 0
                if high is not None and high < 100_000:
                    value = f"{py_str('x')} * {high + 1}"
                    arrange = Arrange(_with(payload, key, value), valid.params)
                    add(
                        "422-max",
                        f"returns_422_when_{words}_exceeds_{high}_chars",
                        arrange,
                        status,
                        fixture,
                        helpers,
                        target=key,
                        bound=high,
                    )
                if low > 0 and low < 100_000:
                    value = '""' if low == 1 else f"{py_str('x')} * {low - 1}"
                    rest = (
                        f"returns_422_when_{words}_is_empty"
                        if low == 1
                        else f"returns_422_when_{words}_is_under_{low}_chars"
                    )
                    arrange = Arrange(_with(payload, key, value), valid.params)
                    add("422-min", rest, arrange, status, fixture, helpers, target=key, bound=low)
                if schema.get("format") == "email":
                    arrange = Arrange(_with(payload, key, '"not-an-email"'), valid.params)
                    add(
                        "422-email",
                        f"returns_422_when_{words}_is_not_an_email",
                        arrange,
                        status,
                        fixture,
                        helpers,
                        target=key,
                    )
            wrong = samples.wrong_type(sub, components)
            if wrong is not None:
                value, what = wrong
                arrange = Arrange(_with(payload, key, value), valid.params)
                add(
                    "422-type",
                    f"returns_422_when_{words}_is_not_{what}",
                    arrange,
                    status,
                    fixture,
                    helpers,
                    target=key,
                )
    base = valid.params if isinstance(valid.params, Call) else Call("{", (), "}", split=Split.ELEMENTS)
    for name, sub, _ in op.query_params:
        schema = samples.resolve(sub, components)
        words = _field_words(name)
        kind = schema.get("type")
        if kind not in ("integer", "number"):
            continue
        minimum = samples.int_of(schema, "minimum")
        maximum = samples.int_of(schema, "maximum")
        if minimum is not None:
            arrange = Arrange(valid.payload, _with(base, name, str(minimum - 1)))
            add(
                "422-query-min",
                f"returns_422_when_{words}_is_below_{minimum}".replace("-", "minus_"),
                arrange,
                status,
                fixture,
                helpers,
                target=name,
                bound=minimum,
            )
        if maximum is not None:
            arrange = Arrange(valid.payload, _with(base, name, str(maximum + 1)))
            add(
                "422-query-max",
                f"returns_422_when_{words}_is_above_{maximum}".replace("-", "minus_"),
                arrange,
                status,
                fixture,
                helpers,
                target=name,
                bound=maximum,
            )
        arrange = Arrange(valid.payload, _with(base, name, '"not-a-number"'))
        what = "an_integer" if kind == "integer" else "a_number"
        add(
            "422-query-type",
            f"returns_422_when_{words}_is_not_{what}",
            arrange,
            status,
            fixture,
            helpers,
            target=name,
        )


_REFERENCE = re.compile(r"(^|_)ids?$")


def _happy(
    op: Operation,
    components: dict[str, Any],
    derivable: bool,
    payload: Expr | None,
    body: dict[str, Any] | None,
    fixture: str,
    width: int,
    add: Add,
    valid: Arrange,
    helpers: set[str],
) -> ContractTest | None:
    """The happy path, when its arrange is derivable (see the module docstring)."""
    if not derivable or op.path_params or op.success is None:
        return None
    if op.method == "POST":
        if op.success != 201 or body is None:
            return None
        if any(_REFERENCE.search(str(k)) for k in (body.get("properties") or {})):
            return None  # a reference needs a row the contract cannot say how to make
        rest = "returns_201_with_valid_data"
    elif op.method == "GET":
        if op.success != 200:
            return None
        rest = "returns_200"
    else:
        return None
    response_class = _response_class(op)
    asserts = [f"    assert response.status_code == {op.success}", "    body = response.json()"]
    if response_class is not None:
        asserts.append(f"    schemas.{response_class}.model_validate(body)")
    response_schema = samples.resolve(op.response, components) if op.response else {}
    properties = response_schema.get("properties") or {}
    required = [str(k) for k in response_schema.get("required") or [] if k in properties]
    requested = {str(k) for k in (body or {}).get("required") or []}
    for key in required:
        if key in requested:
            asserts.append(f"    assert body[{py_str(key)}] == payload[{py_str(key)}]")
        elif samples.nullable(properties[key]):
            asserts.append(f"    assert {py_str(key)} in body")
        else:
            asserts.append(f"    assert body[{py_str(key)}] is not None")
    if response_class is None and not required:
        asserts.append("    assert body is not None")
    test: ContractTest = add("happy", rest, valid, asserts, fixture, helpers, schema_class=response_class)
    return test
