"""The home page: the document's title and overview, what the site holds, the tech stack, the system diagram
and the key decisions."""

from __future__ import annotations

from specc.site.context import Site, markdown_table, page
from specc.site.escape import attribute, cell, paragraphs, preformatted, text
from specc.site.layout import API, DIAGNOSTICS, ER, HOME, TABLES, TESTPLAN, md_link


def _counts(site: Site) -> str:
    spec = site.spec
    cases = sum(len(f.cases) for f in spec.test_plan.features) if spec.test_plan is not None else 0
    rows = [
        [f"[Tables]({md_link(HOME, TABLES)})", str(len(spec.tables))],
        [f"[ER diagrams]({md_link(HOME, ER)})", str(len(spec.relationships)) + " relationship(s)"],
        [f"[API endpoints]({md_link(HOME, API)})", str(len(spec.endpoints))],
        [f"[Test-plan cases]({md_link(HOME, TESTPLAN)})", str(cases)],
        [f"[Diagnostics]({md_link(HOME, DIAGNOSTICS)})", str(len(site.diagnostics))],
    ]
    return markdown_table(["Section", "Count"], rows)


def home_page(site: Site) -> str:
    spec = site.spec
    body = [
        _generated_from(site),
        paragraphs(spec.overview) if spec.overview else "",
        _counts(site),
    ]
    if spec.tech_stack:
        rows = [[cell(t.layer), cell(t.technology), cell(t.why)] for t in spec.tech_stack]
        body += ["## Tech stack {#tech-stack}", markdown_table(["Layer", "Technology", "Why"], rows)]
    if spec.system_diagram:
        body += ["## System diagram {#system-diagram}", preformatted(spec.system_diagram)]
    if spec.decisions:
        rows = [[cell(d.decision), cell(d.choice), cell(d.alternatives), cell(d.why)] for d in spec.decisions]
        body += [
            "## Key decisions {#key-decisions}",
            markdown_table(["Decision", "Choice", "Alternatives considered", "Why"], rows),
        ]
    return page(site.source, spec.title or "Architecture", body, meta_title="Home")


def _generated_from(site: Site) -> str:
    link = site.settings.line_link(site.source, 1)
    name = text(site.source)
    if link is None:
        return f"Generated from <code>{name}</code> by specc."
    return f'Generated from <a href="{attribute(link)}"><code>{name}</code></a> by specc.'
