"""Bodies given as external JSON Schema files (`Body.schema_ref`): read, check and compile them.

Reading happens while planning (problems become B040 diagnostics at the body's location); compiling uses
datamodel-code-generator, imported lazily (it is slow to import and only needed for such bodies). Its output
gets our header instead of its own and is otherwise kept as generated.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from specc.diagnostics import Reporter
from specc.emit.base import HEADER_WIDTH, python_header
from specc.emit.schemas.codes import SCHEMA_COMPILER_MISSING, SCHEMA_REF_UNREADABLE
from specc.emit.schemas.plan import ExternalLoader, ExternalModule
from specc.fsio import project_file
from specc.ir.model import Body, Endpoint


class CompileError(Exception):
    """datamodel-code-generator could not compile a schema."""


def file_loader(root: Path, reporter: Reporter, source: str) -> ExternalLoader:
    """A loader reading `Body.schema_ref` relative to the user's repository `root`."""

    def load(body: Body, name: str, endpoint: Endpoint) -> dict[str, object] | None:
        ref = body.schema_ref or ""
        span = body.span or endpoint.span
        file, line, column = (span.file, span.line, span.column) if span else (source, 1, 1)
        problem: str | None = None
        schema: Any = None
        data, problem = project_file(root, ref, what="schema file")
        try:
            schema = json.loads(data.decode("utf-8")) if data is not None else None
        except UnicodeDecodeError:
            problem = f"schema file {ref} is not UTF-8"
        except json.JSONDecodeError as exc:
            problem = f"schema file {ref} is not valid JSON: {exc.msg} at line {exc.lineno}"
        except (ValueError, RecursionError) as exc:
            problem = f"schema file {ref} cannot be read as JSON: {type(exc).__name__}"
        if problem is None and not isinstance(schema, dict):
            problem = f"schema file {ref} must contain a JSON object (a JSON Schema)"
        if problem is None:
            try:
                compile_external(ExternalModule(class_name=name, schema_path=ref, schema=schema), "check")
            except ImportError:
                reporter.report(
                    SCHEMA_COMPILER_MISSING, f"cannot compile {ref} for {name}", file, line, column
                )
                return None
            except CompileError as exc:
                problem = f"schema file {ref} cannot be compiled: {exc}"
        if problem is not None:
            reporter.report(
                SCHEMA_REF_UNREADABLE,
                problem,
                file,
                line,
                column,
                hint="fix the file or inline a JSON example",
            )
            return None
        result: dict[str, object] = schema
        return result

    return load


def compile_external(module: ExternalModule, source: str, line_length: int = HEADER_WIDTH) -> str:
    """Python source of the models for `module.schema`, root class named `module.class_name`.

    The compiler is slow and the same schema is compiled while planning (to report problems), while
    rendering `schemas/` and for OpenAPI components; the body is memoised, only the header differs."""
    body = _compiled_body(module.class_name, json.dumps(module.schema, sort_keys=True))
    return python_header(source, line_length) + "\n" + body + "\n"


@lru_cache(maxsize=256)
def _compiled_body(class_name: str, schema_json: str) -> str:
    from datamodel_code_generator import DatetimeClassType, InputFileType, PythonVersion, generate
    from datamodel_code_generator.enums import DataModelType
    from datamodel_code_generator.format import Formatter

    schema = json.loads(schema_json)
    schema.pop("title", None)
    try:
        output = generate(
            schema,
            input_file_type=InputFileType.JsonSchema,
            output_model_type=DataModelType.PydanticV2BaseModel,
            class_name=class_name,
            disable_timestamp=True,
            output_datetime_class=DatetimeClassType.Awaredatetime,
            field_constraints=True,
            use_annotated=True,
            use_union_operator=True,
            use_standard_collections=True,
            target_python_version=PythonVersion.PY_311,
            formatters=[Formatter.BUILTIN],
            builtin_format_line_length=110,
        )
    except Exception as exc:  # the compiler's own errors are varied; any of them means: unusable schema
        raise CompileError(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from exc
    if not isinstance(output, str):
        raise CompileError("unexpected multi-module output")
    return "\n".join(line for line in output.splitlines() if not line.startswith("#")).strip("\n")
