"""Every file of a site, from the spec: `mkdocs.yml`, the stylesheet and the pages, by path under the output
folder. Deterministic: the same inputs give the same bytes (document order, or sorted; no time, no random)."""

from __future__ import annotations

from specc.site.api import api_index, api_pages
from specc.site.context import Pages, Site
from specc.site.diagnostics import diagnostics_page
from specc.site.er import er_pages
from specc.site.home import home_page
from specc.site.layout import API, CSS, DIAGNOSTICS, HOME, PAGES, TABLES, TESTPLAN
from specc.site.mkdocs_config import mkdocs_yml, stylesheet
from specc.site.tables import table_page, tables_index
from specc.site.testplan import testplan_page

MKDOCS_YML = "mkdocs.yml"


def render_site(site: Site) -> Pages:
    pages: dict[str, str] = {
        HOME: home_page(site),
        TABLES: tables_index(site),
        API: api_index(site),
        TESTPLAN: testplan_page(site),
        DIAGNOSTICS: diagnostics_page(site),
        CSS: stylesheet(site.source),
    }
    pages.update(er_pages(site))
    for table, target in site.layout.tables:
        pages[target] = table_page(site, table, target)
    pages.update(api_pages(site))
    files = {MKDOCS_YML: mkdocs_yml(site)}
    files.update((f"{PAGES}/{path}", content) for path, content in sorted(pages.items()))
    return files
