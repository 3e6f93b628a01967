"""What every page writer reads: the spec, the layout, the settings, the OpenAPI document, the case statuses
and the diagnostics, plus the pieces every page shares (the generated-file marker, links to the document's
lines, badges)."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

from specc.diagnostics import Diagnostic
from specc.emit.base import GENERATED_MARKER, header_source
from specc.ir.model import Column, Endpoint, Span, Spec, Table, TestCase
from specc.parse.testplan import matching_endpoints
from specc.plancoverage import CaseState
from specc.site.escape import attribute, line_start, text, yaml_string
from specc.site.layout import Layout
from specc.site.settings import DocsSettings
from specc.site.status import CaseStatuses

Pages = dict[str, str]
"""Path under the output folder → file content."""


def marker(source: str) -> str:
    """The generated-file marker of a page, naming the document (safe inside an HTML, YAML or CSS comment)."""
    safe = header_source(source).replace("--", "- -").replace("*/", "* /").replace("<", "‹").replace(">", "›")
    return f"{GENERATED_MARKER} from {safe}. Do not edit: edit the document and run `specc docs`."


def page(source: str, heading: str, body: list[str], *, meta_title: str | None = None) -> str:
    """A page: front matter (the marker as a YAML comment, the page's title), the title as its heading, then
    the markdown blocks of `body` separated by blank lines.

    The title is given in the front matter because mkdocs-material writes it into the page's `<title>` and
    header without escaping it (and the title mkdocs would read from the heading, through Jinja's
    `striptags`, has its character references turned back into `<` and `&`): so it is HTML-escaped there.
    `meta_title`: that title, when it is not the heading."""
    shown = html.escape(meta_title or heading, quote=True)
    front = f"---\n# {marker(source)}\ntitle: {yaml_string(shown)}\n---"
    blocks = [front, f"# {line_start(text(heading))}", *(block for block in body if block)]
    return "\n\n".join(blocks) + "\n"


def table_row(cells: list[str]) -> str:
    return "| " + " | ".join(cell or " " for cell in cells) + " |"


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    lines = [table_row(header), "| " + " | ".join("---" for _ in header) + " |"]
    lines.extend(table_row(row) for row in rows)
    return "\n".join(lines)


BADGE_CLASSES = {
    "public": "specc-badge specc-badge--public",
    "auth": "specc-badge specc-badge--auth",
    "implemented": "specc-badge specc-badge--ok",
    "stub": "specc-badge specc-badge--warn",
    "missing": "specc-badge specc-badge--bad",
    "error": "specc-badge specc-badge--bad",
    "warning": "specc-badge specc-badge--warn",
    "info": "specc-badge specc-badge--info",
    "none": "specc-badge specc-badge--info",
}


def badge(kind: str, label: str) -> str:
    """A badge: `label` (escaped) in a span styled by `assets/specc.css` (`kind` is one of specc's own)."""
    return f'<span class="{BADGE_CLASSES[kind]}">{text(label)}</span>'


@dataclass
class Site:
    spec: Spec
    source: str
    """The document's path as shown (relative to the project root)."""
    settings: DocsSettings
    layout: Layout
    openapi: dict[str, Any]
    statuses: CaseStatuses | None
    diagnostics: list[Diagnostic]
    incoming: dict[str, list[tuple[Table, Column]]] = field(default_factory=dict)
    """Table name → the columns of other tables (and its own) whose foreign key references it."""
    covering: dict[int, list[TestCase]] = field(default_factory=dict)
    """Index of an endpoint in `spec.endpoints` → the plan cases that name it."""

    @classmethod
    def of(
        cls,
        spec: Spec,
        source: str,
        settings: DocsSettings,
        layout: Layout,
        openapi: dict[str, Any],
        statuses: CaseStatuses | None,
        diagnostics: list[Diagnostic],
    ) -> Site:
        site = cls(spec, source, settings, layout, openapi, statuses, diagnostics)
        for table in spec.tables:
            for column in table.columns:
                if column.foreign_key is not None:
                    site.incoming.setdefault(column.foreign_key.table, []).append((table, column))
        if spec.test_plan is not None and spec.endpoints:
            index = {id(endpoint): i for i, endpoint in enumerate(spec.endpoints)}
            for feature in spec.test_plan.features:
                for case in feature.cases:
                    named: dict[int, None] = {}
                    for mention in case.endpoints:
                        for endpoint in matching_endpoints(mention, spec.endpoints):
                            named.setdefault(index[id(endpoint)], None)
                    for i in named:
                        site.covering.setdefault(i, []).append(case)
        return site

    def state(self, case_id: str) -> CaseState | None:
        return None if self.statuses is None else self.statuses.states.get(case_id)

    def source_ref(self, span: Span | None, label: str = "") -> str:
        """Where something is in the document: a link to the line when a repository is configured, else
        the path and line as text ("" without a span)."""
        if span is None:
            return ""
        shown = f"{label}{span.file}, line {span.line}"
        link = self.settings.line_link(span.file, span.line)
        if link is None:
            return f'<span class="specc-source">{text(shown)}</span>'
        return f'<a class="specc-source" href="{attribute(link)}">{text(shown)}</a>'

    @property
    def components(self) -> dict[str, Any]:
        found = self.openapi.get("components", {}).get("schemas", {})
        return found if isinstance(found, dict) else {}

    def operation(self, endpoint: Endpoint) -> dict[str, Any] | None:
        """The OpenAPI operation of `endpoint` (None when the document holds another contract there)."""
        path = endpoint.path if endpoint.path.startswith("/") else "/" + endpoint.path
        found = self.openapi.get("paths", {}).get(path, {}).get(endpoint.method.lower())
        return found if isinstance(found, dict) else None
