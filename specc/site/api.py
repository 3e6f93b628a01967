"""The API reference: the list of resources, and a page per resource (the first fixed segment of the path
after the API prefix, the OpenAPI tag) with every endpoint: method, path, auth badge, parameters, request and
response bodies as field tables with their JSON example, the documented errors and the plan cases that name
it."""

from __future__ import annotations

from typing import Any

from specc.ir.model import Endpoint
from specc.site.context import Site, badge, markdown_table, page
from specc.site.escape import cell, code, paragraphs, text
from specc.site.fields import body_blocks, parameters_table
from specc.site.layout import API, TESTPLAN, case_anchors, md_link


def api_index(site: Site) -> str:
    body: list[str] = []
    if not site.layout.endpoints:
        body.append("The document defines no API endpoints.")
        return page(site.source, "API reference", body)
    by_tag: dict[str, list[Endpoint]] = {}
    for endpoint, tag, _, _ in site.layout.endpoints:
        by_tag.setdefault(tag, []).append(endpoint)
    rows = []
    for tag, target in site.layout.tag_pages.items():
        methods = ", ".join(sorted({e.method for e in by_tag[tag]}))
        rows.append([f"[{text(tag)}]({md_link(API, target)})", str(len(by_tag[tag])), methods])
    body.append(f"{len(site.layout.endpoints)} endpoint(s) in {len(rows)} resource(s).")
    body.append(markdown_table(["Resource", "Endpoints", "Methods"], rows))
    return page(site.source, "API reference", body)


def _auth(endpoint: Endpoint) -> str:
    if endpoint.auth == "public":
        return badge("public", "public")
    return badge("auth", "auth required")


def _schema(content: object) -> dict[str, Any] | None:
    """The JSON schema of an OpenAPI `content` map."""
    if not isinstance(content, dict):
        return None
    media = content.get("application/json")
    schema = media.get("schema") if isinstance(media, dict) else None
    return schema if isinstance(schema, dict) else None


def _responses(site: Site, endpoint: Endpoint, operation: dict[str, Any] | None) -> list[str]:
    blocks: list[str] = []
    found = operation.get("responses") if operation is not None else None
    documented: dict[str, Any] = found if isinstance(found, dict) else {}
    success = endpoint.success
    for response in endpoint.responses:
        if response.status >= 400:
            continue
        entry = documented.get(str(response.status))
        schema = _schema(entry.get("content")) if isinstance(entry, dict) else None
        label = f"**Response {response.status}**" + (
            f": {cell(response.description)}" if response.description else ""
        )
        if response is success or response.body is not None:
            blocks += body_blocks(label, schema, site.components, response.body)
        else:
            blocks.append(label)
    errors = [[code(str(r.status)), cell(r.description)] for r in endpoint.responses if r.status >= 400]
    if errors:
        blocks += ["**Errors**", markdown_table(["Status", "Description"], errors)]
    return blocks


def _cases(site: Site, index: int, anchors: dict[str, str], here: str) -> list[str]:
    cases = site.covering.get(index, [])
    if not cases:
        return ["**Test-plan cases**: none names this endpoint."] if site.spec.test_plan is not None else []
    rows = []
    for case in cases:
        link = f"[{code(case.id)}]({md_link(here, TESTPLAN, anchors[case.id])})"
        state = site.state(case.id)
        rows.append(
            [
                link,
                text(case.category.replace("_", " ")),
                cell(case.text),
                badge(state, state) if state else "",
            ]
        )
    return ["**Test-plan cases**", markdown_table(["Case", "Category", "Text", "Status"], rows)]


def _endpoint(
    site: Site, index: int, endpoint: Endpoint, anchor: str, anchors: dict[str, str], here: str
) -> list[str]:
    operation = site.operation(endpoint)
    blocks = [
        f"## {text(endpoint.method)} {text(endpoint.path)} {{#{anchor}}}",
        " ".join(
            part
            for part in (
                _auth(endpoint),
                cell(endpoint.auth_text),
                site.source_ref(endpoint.span, "Defined in "),
            )
            if part
        ),
        paragraphs(endpoint.summary) if endpoint.summary else "",
    ]
    parameters = operation.get("parameters") if operation is not None else None
    if isinstance(parameters, list) and parameters:
        described = {q.name: q.description for q in endpoint.query_params}
        blocks += [
            "**Parameters**",
            parameters_table([p for p in parameters if isinstance(p, dict)], described),
        ]
    if endpoint.request_body is not None:
        found = operation.get("requestBody") if operation is not None else None
        schema = _schema(found.get("content")) if isinstance(found, dict) else None
        blocks += body_blocks("**Request body**", schema, site.components, endpoint.request_body)
    blocks += _responses(site, endpoint, operation)
    blocks += _cases(site, index, anchors, here)
    return blocks


def api_pages(site: Site) -> dict[str, str]:
    """Every resource's page, by path."""
    plan = site.spec.test_plan
    anchors = case_anchors([c.id for f in plan.features for c in f.cases]) if plan is not None else {}
    index = {id(endpoint): i for i, endpoint in enumerate(site.spec.endpoints)}
    grouped: dict[str, tuple[str, list[tuple[Endpoint, str]]]] = {}
    for endpoint, tag, target, anchor in site.layout.endpoints:
        grouped.setdefault(target, (tag, []))[1].append((endpoint, anchor))
    pages: dict[str, str] = {}
    for target, (tag, endpoints) in grouped.items():
        overview = [
            [f"[{text(e.method)} {text(e.path)}](#{anchor})", _auth(e), cell(e.summary)]
            for e, anchor in endpoints
        ]
        body = [markdown_table(["Endpoint", "Auth", "Summary"], overview)]
        for endpoint, anchor in endpoints:
            body += _endpoint(site, index[id(endpoint)], endpoint, anchor, anchors, target)
        pages[target] = page(site.source, tag, body)
    return pages
