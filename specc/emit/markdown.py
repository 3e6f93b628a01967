"""Markdown writer: IR → ARCHITECTURE.md and TESTPLAN.md in the seed's §2/§3 format.

The reader (`specc.parse`) and this writer are inverses: `parse(render_markdown(spec)) == spec` up to spans
for IRs in the reader's normal form (`tests/strategies.py` says what that is; `tests/test_roundtrip.py`
checks it). Empty sections are omitted; every spelling here is the canonical one the reader accepts.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Final

from specc.emit.base import GeneratedFiles
from specc.ir.model import (
    ArrayShape,
    Body,
    BodyField,
    CaseCategory,
    Column,
    Endpoint,
    Feature,
    Index,
    ObjectShape,
    QueryParam,
    Relationship,
    Response,
    ScalarShape,
    Shape,
    Spec,
    Table,
    TestCase,
    TestPlan,
)

DEFAULT_TITLE: Final = "Architecture"
TESTPLAN_TITLE: Final = "Test Plan"

# --- tables (markdown pipe tables) ------------------------------------------------------------------


def escape_cell(text: str | None) -> str:
    """Cell text: `|` escaped, newlines folded to spaces; None is an empty cell."""
    if text is None:
        return ""
    return " ".join(text.replace("|", "\\|").split())


_BLOCK_START = re.compile(r"^(\d{1,9})([.)])(\s)|^([-+*#>])(\s)")


def paragraph(text: str) -> str:
    """Prose as a paragraph: a start markdown would read as a list item or a heading (`204. Deleted`,
    `- note`) has its marker escaped, so the text reads back as the same prose."""
    return _BLOCK_START.sub(
        lambda m: f"{m.group(1)}\\{m.group(2)}{m.group(3)}" if m.group(1) else f"\\{m.group(4)}{m.group(5)}",
        text,
    )


def pipe_table(header: Sequence[str], rows: Iterable[Sequence[str | None]]) -> str:
    """A GitHub pipe table; empty cells render as `|  |`."""
    lines = [_row(header), _row(["---"] * len(header))]
    lines += [_row([escape_cell(cell) for cell in row]) for row in rows]
    return "\n".join(lines)


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


# --- JSON examples from body shapes -----------------------------------------------------------------

_STRING_PLACEHOLDERS: Final[dict[str | None, str]] = {
    None: "string",
    "email": "user@example.com",
    "date-time": "2024-01-01T00:00:00Z",
    "date": "2024-01-01",
    "time": "12:00:00",
    "uuid": "00000000-0000-0000-0000-000000000000",
    "uri": "https://example.com",
}
_SCALAR_PLACEHOLDERS: Final[dict[str, str | int | float | bool | None]] = {
    "integer": 1,
    "number": 1.5,
    "boolean": True,
    "null": None,
}


def scalar_example(shape: ScalarShape) -> str | int | float | bool | None:
    """The shape's example, or a placeholder per kind (and format, for strings)."""
    if shape.example is not None:
        return shape.example
    if shape.kind == "string":
        return _STRING_PLACEHOLDERS.get(shape.format, "string")
    return _SCALAR_PLACEHOLDERS[shape.kind]


def example_value(shape: Shape) -> Any:
    """The JSON value a body shape was read from (objects keep their field order)."""
    if isinstance(shape, ScalarShape):
        return scalar_example(shape)
    if isinstance(shape, ArrayShape):
        return [] if shape.items is None else [example_value(shape.items)]
    return _object_example(shape)


def _object_example(shape: ObjectShape) -> dict[str, Any]:
    return {field.name: example_value(field.shape) for field in shape.fields}


def example_json(shape: Shape) -> str:
    return json.dumps(example_value(shape), ensure_ascii=False)


# --- database schema --------------------------------------------------------------------------------


def column_constraints(column: Column) -> str:
    """The Constraints cell: PK, auto-increment, UNIQUE, NOT NULL, indexed, DEFAULT, CHECK, FK, actions,
    renamed from — in that order, comma separated."""
    parts: list[str] = []
    if column.primary_key:
        parts.append("PK")
    if column.autoincrement:
        parts.append("auto-increment")
    if column.unique:
        parts.append("UNIQUE")
    if not column.nullable and not column.primary_key:
        parts.append("NOT NULL")
    if column.indexed:
        parts.append("indexed")
    if column.default is not None:
        parts.append(f"DEFAULT {column.default}")
    if column.check is not None:
        parts.append(f"CHECK ({column.check})")
    fk = column.foreign_key
    if fk is not None:
        target = fk.table if fk.column is None else f"{fk.table}.{fk.column}"
        parts.append(f"FK → {target}")
        if fk.on_delete is not None:
            parts.append(f"ON DELETE {fk.on_delete}")
        if fk.on_update is not None:
            parts.append(f"ON UPDATE {fk.on_update}")
    if column.renamed_from is not None:
        parts.append(f"renamed from {column.renamed_from}")
    return ", ".join(parts)


def render_table(table: Table) -> str:
    heading = f"### {table.name}"
    if table.renamed_from is not None:
        heading += f" (renamed from {table.renamed_from})"
    blocks = [heading]
    if table.description is not None:
        blocks.append(table.description)
    if table.columns:
        described = any(c.description is not None for c in table.columns)
        header = ["Column", "Type", "Constraints"] + (["Description"] if described else [])
        rows: list[list[str | None]] = [
            [c.name, c.type, column_constraints(c), *([c.description] if described else [])]
            for c in table.columns
        ]
        blocks.append(pipe_table(header, rows))
    if table.checks:
        bullets = []
        for check in table.checks:
            label = "Check" if check.name is None else f"Check ({check.name})"
            bullets.append(f"- **{label}:** `{check.expression}`")
        blocks.append("\n".join(bullets))
    return "\n\n".join(blocks)


_ARROWS: Final[dict[str, str]] = {
    "one-to-one": "→",
    "one-to-many": "→",
    "many-to-one": "→",
    "many-to-many": "↔",
}


def render_relationship(rel: Relationship) -> str:
    text = f"- {rel.from_} {_ARROWS[rel.kind]} {rel.to}: {rel.kind}"
    if rel.kind == "many-to-many" and rel.through is not None:
        text += f" through {rel.through}"
    if rel.description is not None:
        text += f" ({rel.description})"
    return text


def index_type(index: Index) -> str:
    """`BTREE`, `GIN`, …; `UNIQUE` for a unique btree, `UNIQUE GIN` for other unique methods."""
    if index.unique:
        return "UNIQUE" if index.method == "btree" else f"UNIQUE {index.method.upper()}"
    return index.method.upper()


def render_indexes(tables: Sequence[Table]) -> str | None:
    pairs = [(table.name, index) for table in tables for index in table.indexes]
    if not pairs:
        return None
    named = any(index.name is not None for _, index in pairs)
    header = ["Table", "Column(s)", "Type"] + (["Name"] if named else []) + ["Why"]
    rows = [
        [name, ", ".join(index.columns), index_type(index)]
        + ([index.name] if named else [])
        + [index.description]
        for name, index in pairs
    ]
    return "### Indexes\n\n" + pipe_table(header, rows)


def _database_schema(spec: Spec) -> str | None:
    blocks = [render_table(table) for table in spec.tables]
    if spec.relationships:
        blocks.append("### Relationships\n\n" + "\n".join(render_relationship(r) for r in spec.relationships))
    indexes = render_indexes(spec.tables)
    if indexes is not None:
        blocks.append(indexes)
    if not blocks:
        return None
    return "## Database Schema\n\n" + "\n\n".join(blocks)


# --- API contracts ----------------------------------------------------------------------------------


def _auth_line(endpoint: Endpoint) -> str | None:
    if not endpoint.auth_explicit:
        return None
    if endpoint.auth_text is not None:
        text = endpoint.auth_text
    else:
        text = "None (public)" if endpoint.auth == "public" else "Required"
    return f"- **Auth:** {text}"


def _range_text(minimum: int | None, maximum: int | None) -> str | None:
    if minimum is not None and maximum is not None:
        return f"{minimum}–{maximum}"
    if minimum is not None:
        return f"at least {minimum}"
    if maximum is not None:
        return f"at most {maximum}"
    return None


def render_query_param(param: QueryParam | BodyField, indent: str = "  ") -> str:
    facts = [param.type, "required" if param.required else "optional"]
    if param.default is not None:
        facts.append(f"default {param.default}")
    bounds = _range_text(param.minimum, param.maximum)
    if bounds is not None:
        facts.append(bounds)
    text = f"{indent}- `{param.name}` ({', '.join(facts)})"
    if param.description is not None:
        text += f": {param.description}"
    return text


def _fenced_json(shape: Shape) -> str:
    return "  ```json\n  " + example_json(shape) + "\n  ```"


def _body_bullet(label: str, body: Body, description: str | None = None) -> str:
    """`- **<label>:** [description]` followed by the body: a schema reference or a fenced JSON example."""
    head = f"- **{label}:**"
    if description is not None:
        head += f" {description}"
    if body.schema_ref is not None:
        return f"{head} `{body.schema_ref}`"
    if body.shape is None:
        return head
    return head + "\n" + _fenced_json(body.shape)


def _success_bullet(response: Response) -> str:
    label = f"Success Response ({response.status})"
    if response.body is not None:
        return _body_bullet(label, response.body, response.description)
    return f"- **{label}:** {response.description or 'No content'}"


def _error_bullet(response: Response) -> str:
    if response.description is None:
        return f"  - {response.status}"
    return f"  - {response.status}: {response.description}"


def render_endpoint(endpoint: Endpoint) -> str:
    blocks = [f"### {endpoint.method} {endpoint.path}"]
    if endpoint.summary is not None:
        blocks.append(paragraph(endpoint.summary))
    bullets: list[str] = []
    auth = _auth_line(endpoint)
    if auth is not None:
        bullets.append(auth)
    if endpoint.query_params:
        bullets.append("- **Query Parameters:**")
        bullets += [render_query_param(p) for p in endpoint.query_params]
    if endpoint.request_body is not None:
        bullets.append(_body_bullet("Request Body", endpoint.request_body))
        if endpoint.request_body.fields:
            bullets.append("  - **Fields:**")
            bullets += [render_query_param(f, "    ") for f in endpoint.request_body.fields]
    bullets += [_success_bullet(r) for r in endpoint.responses if r.status < 400]
    errors = [r for r in endpoint.responses if r.status >= 400]
    if errors:
        bullets.append("- **Error Responses:**")
        bullets += [_error_bullet(r) for r in errors]
    if bullets:
        blocks.append("\n".join(bullets))
    return "\n\n".join(blocks)


def _api_contracts(spec: Spec) -> str | None:
    if not spec.endpoints:
        return None
    return "## API Contracts\n\n" + "\n\n".join(render_endpoint(e) for e in spec.endpoints)


# --- prose sections ---------------------------------------------------------------------------------


def _overview(spec: Spec) -> str | None:
    return None if spec.overview is None else f"## System Overview\n\n{spec.overview}"


def _tech_stack(spec: Spec) -> str | None:
    if not spec.tech_stack:
        return None
    rows = [[t.layer, t.technology, t.why] for t in spec.tech_stack]
    return "## Tech Stack\n\n" + pipe_table(["Layer", "Technology", "Why"], rows)


def _system_diagram(spec: Spec) -> str | None:
    if spec.system_diagram is None:
        return None
    return f"## System Diagram\n\n```\n{spec.system_diagram}\n```"


def _key_decisions(spec: Spec) -> str | None:
    if not spec.decisions:
        return None
    rows = [[d.decision, d.choice, d.alternatives, d.why] for d in spec.decisions]
    return "## Key Decisions\n\n" + pipe_table(["Decision", "Choice", "Alternatives Considered", "Why"], rows)


SectionWriter = Callable[[Spec], "str | None"]

SECTIONS: Final[tuple[tuple[str, SectionWriter], ...]] = (
    ("System Overview", _overview),
    ("Tech Stack", _tech_stack),
    ("System Diagram", _system_diagram),
    ("Database Schema", _database_schema),
    ("API Contracts", _api_contracts),
    ("Key Decisions", _key_decisions),
)
"""The document's `##` sections in order; each writer returns None when its section is empty."""


def render_markdown(spec: Spec) -> str:
    """ARCHITECTURE.md for `spec` (the test plan is a separate document: `render_testplan`)."""
    blocks = [f"# {spec.title or DEFAULT_TITLE}"]
    for _, writer in SECTIONS:
        block = writer(spec)
        if block is not None:
            blocks.append(block)
    return "\n\n".join(blocks) + "\n"


# --- test plan --------------------------------------------------------------------------------------

CATEGORY_HEADINGS: Final[tuple[tuple[CaseCategory, str], ...]] = (
    ("happy_path", "Happy Path"),
    ("error", "Error Cases"),
    ("edge", "Edge Cases"),
    ("security", "Security Cases"),
    ("performance", "Performance Considerations"),
)


def _case_line(case: TestCase) -> str:
    """A case's text, with its id when the id is an explicit one (derived ids hold a `/`)."""
    return case.text if "/" in case.id else f"{case.text} {{#{case.id}}}"


def render_feature(feature: Feature) -> str:
    blocks = [f"## Feature: {feature.name}"]
    for category, heading in CATEGORY_HEADINGS:
        texts = [_case_line(case) for case in feature.cases if case.category == category]
        if texts:
            blocks.append(f"### {heading}\n\n" + "\n".join(f"- {text}" for text in texts))
    return "\n\n".join(blocks)


def render_testplan(plan: TestPlan) -> str:
    """TESTPLAN.md: one `## Feature:` section per feature, cases grouped by category (explicit ids kept)."""
    blocks = [f"# {TESTPLAN_TITLE}"] + [render_feature(f) for f in plan.features]
    return "\n\n".join(blocks) + "\n"


def markdown_files(spec: Spec) -> GeneratedFiles:
    """`ARCHITECTURE.md` (and `TESTPLAN.md` when the spec has a test plan), for `specc init`-style output."""
    files: GeneratedFiles = {"ARCHITECTURE.md": render_markdown(spec)}
    if spec.test_plan is not None:
        files["TESTPLAN.md"] = render_testplan(spec.test_plan)
    return files
