"""The runtime writer: the modules every FastAPI app on the generated code needs, written next to `models/`
and `schemas/` in the output folder (importable as `generated.config`, ...).

- `config.py`: `Settings` (pydantic-settings) and `get_settings()`;
- `database.py`: the async engine and sessions, the `get_db` dependency (`DbSession`);
- `errors.py`: `install_error_handlers(app)`: every error body is `{"detail": "<text>"}`;
- `security.py` (only when an operation requires authentication): the bearer scheme and the
  `get_current_user` dependency (`CurrentUser`), fed by a loader the app registers;
- `contracts.py`: `api_route` keyword arguments per operation and `FastAPI` options (`APP_OPTIONS`), read
  from the OpenAPI document, so an app built on them serves that document (see
  `specc.read.fastapi_openapi.comparable`).

The modules import each other and the generated packages relatively (`from .models import User`).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from specc.diagnostics import Reporter
from specc.emit.base import GeneratedFiles, python_header
from specc.emit.runtime.contracts import render_contracts
from specc.emit.runtime.security import render_security
from specc.emit.runtime.templates import CONFIG, DATABASE, ERRORS
from specc.emit.schemas.plan import SchemaPlan
from specc.ir.model import Spec

MODULES = ("config.py", "database.py", "errors.py", "security.py", "contracts.py")
"""Every file this writer may produce (the build target's areas)."""


def render_runtime(
    spec: Spec, source: str, root: Path | None, api_prefix: str, line_length: int
) -> GeneratedFiles:
    """The runtime modules of `spec`, planning its schemas (problems are reported by the `api` target, not
    here). `specc build` plans once for both: see `runtime_files`."""
    from specc.emit import schemas

    plan = schemas.plan(spec, source, root, Reporter(), api_prefix)
    return runtime_files(spec, source, plan, api_prefix, line_length)


def runtime_files(
    spec: Spec,
    source: str,
    plan: SchemaPlan,
    api_prefix: str,
    line_length: int,
    document: dict[str, Any] | None = None,
) -> GeneratedFiles:
    """The runtime modules for a schema plan (the `api` target's, so both agree on every class name), and
    its OpenAPI document when it is made already (else its operations are made here)."""
    from specc.emit.openapi import SECURITY_SCHEME, document_from_plan

    if document is None:
        # The operations are what the contracts need; without the modules, no component schema is computed.
        document = document_from_plan(spec, dataclasses.replace(plan, modules=()), api_prefix)
    success: dict[tuple[str, str], int] = {}
    for op in plan.operations:
        path = op.endpoint.path if op.endpoint.path.startswith("/") else "/" + op.endpoint.path
        if op.endpoint.success is not None:
            success.setdefault((path, op.endpoint.method.lower()), op.endpoint.success.status)
    header = python_header(source, line_length)
    files: GeneratedFiles = {
        "config.py": header + CONFIG,
        "database.py": header + DATABASE,
        "errors.py": header + ERRORS,
        "contracts.py": header + render_contracts(document, success, line_length),
    }
    if any(endpoint.auth != "public" for endpoint in spec.endpoints):
        files["security.py"] = header + render_security(spec, SECURITY_SCHEME, line_length)
    return dict(sorted(files.items()))


__all__ = ["MODULES", "render_runtime", "runtime_files"]
