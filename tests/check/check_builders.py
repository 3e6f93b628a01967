"""Small IR builders for rule tests: every node gets a span on its own line so locations are checkable."""

from __future__ import annotations

from specc.check import run_checks
from specc.diagnostics import Diagnostic, Reporter
from specc.ir.model import (
    Body,
    Column,
    Endpoint,
    ForeignKey,
    HttpMethod,
    ObjectField,
    ObjectShape,
    ReferentialAction,
    Response,
    ScalarShape,
    Shape,
    Span,
    Spec,
    Table,
)

FILE = "docs/ARCHITECTURE.md"


def span(line: int, column: int = 1) -> Span:
    return Span(file=FILE, line=line, column=column)


def pk(name: str = "id", type_: str = "BIGINT", line: int = 2) -> Column:
    return Column(
        name=name, type=type_, nullable=False, primary_key=True, autoincrement=True, span=span(line)
    )


def col(name: str, type_: str = "TEXT", line: int = 3, **extra: object) -> Column:
    return Column.model_validate({"name": name, "type": type_, "span": span(line), **extra})


def fk_col(
    name: str,
    table: str,
    column: str | None = "id",
    on_delete: ReferentialAction | None = "CASCADE",
    type_: str = "BIGINT",
    line: int = 3,
    indexed: bool = True,
) -> Column:
    fk = ForeignKey(table=table, column=column, on_delete=on_delete, span=span(line, 20))
    return Column(name=name, type=type_, foreign_key=fk, indexed=indexed, span=span(line))


def table(name: str, *columns: Column, line: int = 1, **extra: object) -> Table:
    return Table.model_validate({"name": name, "columns": columns, "span": span(line), **extra})


def users(line: int = 1) -> Table:
    return table(
        "users", pk(line=line + 1), col("email", "VARCHAR(255)", line=line + 2, unique=True), line=line
    )


def obj(**fields: Shape) -> ObjectShape:
    return ObjectShape(fields=tuple(ObjectField(name=k, shape=v) for k, v in fields.items()))


def string() -> ScalarShape:
    return ScalarShape(kind="string", example="x")


def response(status: int, shape: Shape | None = None, line: int = 50) -> Response:
    body = Body(shape=shape, span=span(line + 1)) if shape is not None else None
    return Response(status=status, body=body, span=span(line))


def endpoint(
    method: HttpMethod,
    path: str,
    *statuses: int,
    auth_text: str | None = "Required",
    public: bool = False,
    request: Shape | None = None,
    line: int = 40,
) -> Endpoint:
    return Endpoint(
        method=method,
        path=path,
        auth="public" if public else "required",
        auth_explicit=auth_text is not None,
        auth_text=auth_text,
        request_body=Body(shape=request, span=span(line + 2)) if request is not None else None,
        responses=tuple(response(s, line=line + 5 + i) for i, s in enumerate(statuses)),
        span=span(line, 5),
    )


def spec(*tables: Table, endpoints: tuple[Endpoint, ...] = (), **extra: object) -> Spec:
    return Spec.model_validate({"source": FILE, "tables": tables, "endpoints": endpoints, **extra})


def check(s: Spec) -> list[Diagnostic]:
    reporter = Reporter()
    run_checks(s, reporter)
    return reporter.diagnostics


def found(s: Spec, code: str) -> list[Diagnostic]:
    """Diagnostics of one code for `s`."""
    return [d for d in check(s) if d.code == code]
