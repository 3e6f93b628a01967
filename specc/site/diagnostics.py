"""The diagnostics page: the findings of `specc check` (as filtered by the configuration and the document's
suppressions), each linked to the page that shows what it is about: the page and anchor of the nearest thing
the document defines at or before the finding's line (a column, an index, a table, an endpoint, a case)."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from specc.diagnostics import Severity
from specc.ir.model import Span
from specc.report import summary_line
from specc.site.context import Site, badge, markdown_table, page
from specc.site.escape import cell, code, text
from specc.site.layout import DIAGNOSTICS, HOME, TESTPLAN, case_anchors, feature_anchors, md_link


@dataclass(frozen=True)
class Place:
    page: str
    anchor: str | None
    label: str


def _places(site: Site) -> dict[str, tuple[list[tuple[int, int]], list[Place]]]:
    """File → the positions of what the site shows (sorted) and, in the same order, where it is shown."""
    found: list[tuple[Span, Place]] = []

    def add(span: Span | None, place: Place) -> None:
        if span is not None:
            found.append((span, place))

    spec = site.spec
    add(spec.tech_stack[0].span if spec.tech_stack else None, Place(HOME, "tech-stack", "Tech stack"))
    add(spec.decisions[0].span if spec.decisions else None, Place(HOME, "key-decisions", "Key decisions"))
    for table, target in site.layout.tables:
        add(table.span, Place(target, None, table.name))
        anchors = site.layout.column_anchors(table)
        for column in table.columns:
            add(column.span, Place(target, anchors[column.name], f"{table.name}.{column.name}"))
        for index in table.indexes:
            add(index.span, Place(target, "indexes", f"{table.name} indexes"))
        for check in table.checks:
            add(check.span, Place(target, "checks", f"{table.name} checks"))
    for relationship in spec.relationships:
        owner = site.layout.table_page(relationship.from_)
        if owner is not None:
            add(relationship.span, Place(owner, "relationships", f"{relationship.from_} relationships"))
    for endpoint, _, target, anchor in site.layout.endpoints:
        add(endpoint.span, Place(target, anchor, f"{endpoint.method} {endpoint.path}"))
    plan = spec.test_plan
    if plan is not None:
        features = feature_anchors([f.name for f in plan.features])
        cases = case_anchors([c.id for f in plan.features for c in f.cases])
        for feature in plan.features:
            add(feature.span, Place(TESTPLAN, features[feature.name], feature.name))
            for case in feature.cases:
                add(case.span, Place(TESTPLAN, cases[case.id], case.id))
    by_file: dict[str, list[tuple[tuple[int, int], Place]]] = {}
    for span, place in found:
        by_file.setdefault(span.file, []).append(((span.line, span.column), place))
    result: dict[str, tuple[list[tuple[int, int]], list[Place]]] = {}
    for file, entries in by_file.items():
        entries.sort(key=lambda entry: entry[0])
        result[file] = ([position for position, _ in entries], [place for _, place in entries])
    return result


def _place_of(
    places: dict[str, tuple[list[tuple[int, int]], list[Place]]], file: str, line: int, column: int
) -> Place:
    positions, targets = places.get(file, ([], []))
    at = bisect.bisect_right(positions, (line, column)) - 1
    return targets[at] if at >= 0 else Place(HOME, None, "Home")


_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def diagnostics_page(site: Site) -> str:
    body: list[str] = []
    if not site.diagnostics:
        body.append("`specc check` finds no problems in the document.")
        return page(site.source, "Diagnostics", body)
    body.append(f"`specc check` finds: {text(summary_line(site.diagnostics))}.")
    places = _places(site)
    rows = []
    ordered = sorted(site.diagnostics, key=lambda d: (_ORDER.get(d.severity, 3), *d.sort_key))
    for diagnostic in ordered:
        place = _place_of(places, diagnostic.file, diagnostic.line, diagnostic.column)
        where = site.source_ref(Span(file=diagnostic.file, line=diagnostic.line, column=diagnostic.column))
        message = cell(diagnostic.message) + (f" — hint: {cell(diagnostic.hint)}" if diagnostic.hint else "")
        rows.append(
            [
                badge(diagnostic.severity.value, diagnostic.severity.value),
                code(diagnostic.code),
                f"[{text(place.label) or '(unnamed)'}]({md_link(DIAGNOSTICS, place.page, place.anchor)})",
                where + (f", column {diagnostic.column}" if diagnostic.column > 1 else ""),
                message,
            ]
        )
    body.append(markdown_table(["Severity", "Code", "Page", "Where", "Message"], rows))
    return page(site.source, "Diagnostics", body)
