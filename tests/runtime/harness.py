"""Build a spec into a uniquely named package, import its runtime modules, and forget them afterwards.

The generated folder is written as `<tmp>/<package>/` (no `__init__.py`: a namespace package, as `generated/`
is in a project), so its modules import each other relatively, as in an app (`from .models import User`).
"""

from __future__ import annotations

import datetime
import importlib
import inspect
import json
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from specc.build import build
from specc.config import Config


@dataclass(frozen=True)
class Built:
    root: Path
    """The folder put on sys.path."""
    package: str
    out: Path

    def module(self, name: str) -> ModuleType:
        return importlib.import_module(f"{self.package}.{name}")

    def openapi(self) -> dict[str, Any]:
        document: dict[str, Any] = json.loads((self.out / "openapi.json").read_text(encoding="utf-8"))
        return document


def build_package(spec: Path, root: Path) -> tuple[str, Path]:
    """Build `spec` into `root/<unique package>`; returns (package, output folder)."""
    package = f"gen_runtime_{uuid.uuid4().hex[:10]}"
    out = root / package
    result = build(
        spec, None, out, Config(root=spec.parent), cache=False, echo=lambda _: None, echo_err=lambda _: None
    )
    assert result.exit_code == 0
    return package, out


@contextmanager
def imported(spec: Path, root: Path) -> Iterator[Built]:
    """Build `spec` under `root`, make it importable, and remove it from sys.path and sys.modules after."""
    package, out = build_package(spec, root)
    sys.path.insert(0, str(root))
    importlib.invalidate_caches()
    try:
        yield Built(root=root, package=package, out=out)
    finally:
        sys.path.remove(str(root))
        for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
            del sys.modules[name]


_PYTHON_TYPES: dict[str, type] = {"integer": int, "number": float, "boolean": bool, "string": str}
_FORMATS: dict[str, type] = {"uuid": uuid.UUID, "date-time": datetime.datetime, "date": datetime.date}
_CONSTRAINTS = {
    "minimum": "ge",
    "maximum": "le",
    "exclusiveMinimum": "gt",
    "exclusiveMaximum": "lt",
    "minLength": "min_length",
    "maxLength": "max_length",
    "pattern": "pattern",
}


def _python_type(schema: dict[str, Any]) -> Any:
    variants = schema.get("anyOf")
    if isinstance(variants, list):
        inner = [v for v in variants if v != {"type": "null"}]
        return _python_type({**schema, **inner[0], "anyOf": None}) | None
    if schema.get("format") in _FORMATS:
        return _FORMATS[schema["format"]]
    return _PYTHON_TYPES[schema["type"]]


def _constraints(schema: dict[str, Any]) -> dict[str, Any]:
    """FastAPI `Path` / `Query` keyword arguments for the schema's validation keywords."""
    return {argument: schema[key] for key, argument in _CONSTRAINTS.items() if key in schema}


def operation_of(document: dict[str, Any], contract: dict[str, Any]) -> dict[str, Any]:
    operation: dict[str, Any] = document["paths"][contract["path"]][contract["methods"][0].lower()]
    return operation


def handler_for(built: Built, document: dict[str, Any], contract: dict[str, Any]) -> Any:
    """A minimal handler for `contract`: its parameters typed as the document's operation says (path and
    query parameters, the request body class its `$ref` names, imported from the generated `schemas`), and
    `CurrentUser` and `DbSession` for an authenticated operation, as an app writes them."""
    from fastapi import Path as PathParameter
    from fastapi import Query

    schemas = built.module("schemas")
    operation = operation_of(document, contract)
    keyword = inspect.Parameter.KEYWORD_ONLY
    parameters: list[inspect.Parameter] = []
    for parameter in operation.get("parameters", []):
        schema = parameter["schema"]
        python_type = _python_type(schema)
        if parameter["in"] == "path":
            path = PathParameter(description=parameter.get("description"), **_constraints(schema))
            parameters.append(
                inspect.Parameter(parameter["name"], keyword, annotation=python_type, default=path)
            )
            continue
        default = schema.get("default")
        required = parameter.get("required", False)
        annotation = python_type if default is not None or required else python_type | None
        query = Query(
            ... if required else default, description=parameter.get("description"), **_constraints(schema)
        )
        parameters.append(inspect.Parameter(parameter["name"], keyword, annotation=annotation, default=query))
    body = operation.get("requestBody")
    if body is not None:
        name = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
        parameters.append(inspect.Parameter("body", keyword, annotation=getattr(schemas, name)))
    if contract["dependencies"]:
        security = built.module("security")
        database = built.module("database")
        parameters.append(inspect.Parameter("user", keyword, annotation=security.CurrentUser))
        parameters.append(inspect.Parameter("db", keyword, annotation=database.DbSession))

    async def handler(**kwargs: Any) -> None:
        return None

    handler.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    handler.__name__ = f"handle_{contract['operation_id']}"
    return handler


def contracts_of(built: Built) -> dict[str, dict[str, Any]]:
    """Every `RouteContract` constant of the generated `contracts` module, by name."""
    module = built.module("contracts")
    return {
        name: value
        for name, value in vars(module).items()
        if isinstance(value, dict) and "operation_id" in value and not name.startswith("_")
    }


def app_for(built: Built) -> Any:
    """A FastAPI app whose router uses every contract, with the generated error handlers."""
    from fastapi import APIRouter, FastAPI

    contracts = built.module("contracts")
    errors = built.module("errors")
    document = built.openapi()
    router = APIRouter()
    for contract in contracts_of(built).values():
        router.api_route(**contract)(handler_for(built, document, contract))
    app = FastAPI(**contracts.APP_OPTIONS)
    app.include_router(router)
    errors.install_error_handlers(app)
    return app
