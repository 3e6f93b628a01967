"""Where every page of the site is, and the links between them.

The site's source is an mkdocs project: `<out>/mkdocs.yml` and the pages under `<out>/docs/`. Fixed pages
(`FIXED`) make the navigation, which is the same for every document; a page per table (`tables/<slug>.md`),
per API resource (`api/<slug>.md`) and per ER cluster (`er/cluster-NNN.md`) is reached from its section's
index page and from search, not listed in the navigation (mkdocs renders the navigation into every page: a
navigation of 1,000 tables would make the site quadratic in size).

Two kinds of link: a markdown link names the target page's source file (`../api/rooms.md#op-get_rooms`), which
mkdocs checks and rewrites; a link inside raw HTML (an SVG diagram) is left alone by mkdocs, so it is the
target's final address under `use_directory_urls` (`../../api/rooms/#op-get_rooms`).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from specc.emit.schemas import names
from specc.ir.model import Endpoint, Spec, Table
from specc.site.escape import slug

PAGES = "docs"
"""The mkdocs `docs_dir`, inside the output folder."""
HOME = "index.md"
ER = "er/index.md"
TABLES = "tables/index.md"
API = "api/index.md"
TESTPLAN = "testplan.md"
DIAGNOSTICS = "diagnostics.md"
CSS = "assets/specc.css"

FIXED: tuple[tuple[str, str], ...] = (
    ("Home", HOME),
    ("ER diagrams", ER),
    ("Tables", TABLES),
    ("API reference", API),
    ("Test plan", TESTPLAN),
    ("Diagnostics", DIAGNOSTICS),
)
"""The navigation: (title, page), in order."""
NOT_IN_NAV = ("/er/", "/tables/", "/api/")


def _directory(page: str) -> str:
    """The folder of `page`'s address under `use_directory_urls` (`tables/users.md` → `tables/users`)."""
    stem = page[: -len(".md")] if page.endswith(".md") else page
    if stem == "index":
        return ""
    return stem[: -len("/index")] if stem.endswith("/index") else stem


def md_link(source: str, target: str, anchor: str | None = None) -> str:
    """A markdown link target from page `source` to page `target` (both relative to the pages folder)."""
    if source == target:
        return f"#{anchor}" if anchor else posixpath.basename(target)
    path = posixpath.relpath(target, posixpath.dirname(source) or ".")
    return f"{path}#{anchor}" if anchor else path


def url(source: str, target: str, anchor: str | None = None) -> str:
    """The address of page `target` relative to page `source`'s address (for links in raw HTML)."""
    path = posixpath.relpath(_directory(target) or ".", _directory(source) or ".")
    address = "./" if path == "." else path + "/"
    return f"{address}#{anchor}" if anchor else address


@dataclass
class Layout:
    """The pages of one spec's site: file names from the names in the document (`escape.slug`), so two
    names never share a page, and anchors that are unique on their page."""

    spec: Spec
    api_prefix: str
    table_pages: dict[str, str] = field(default_factory=dict)
    """Table name → page (the first table of a name; a repeated name gets its own page, see `table_page`)."""
    tables: list[tuple[Table, str]] = field(default_factory=list)
    """Every table with its page, in document order."""
    tag_pages: dict[str, str] = field(default_factory=dict)
    endpoints: list[tuple[Endpoint, str, str, str]] = field(default_factory=list)
    """Every endpoint with its tag, page and anchor, in document order."""
    _columns: dict[int, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def of(cls, spec: Spec, api_prefix: str) -> Layout:
        layout = cls(spec, api_prefix)
        taken: set[str] = set()
        for table in spec.tables:
            page = f"tables/{slug(table.name, taken)}.md"
            layout.table_pages.setdefault(table.name, page)
            layout.tables.append((table, page))
        tag_taken: set[str] = set()
        anchors: dict[str, set[str]] = {}
        operation_ids = names.operation_ids(spec.endpoints, api_prefix)
        for endpoint, operation_id in zip(spec.endpoints, operation_ids, strict=True):
            tag = names.tag(endpoint, api_prefix)
            if tag not in layout.tag_pages:
                layout.tag_pages[tag] = f"api/{slug(tag, tag_taken)}.md"
            page = layout.tag_pages[tag]
            anchor = "op-" + slug(operation_id, anchors.setdefault(page, set()))
            layout.endpoints.append((endpoint, tag, page, anchor))
        return layout

    def table_page(self, name: str) -> str | None:
        return self.table_pages.get(name)

    def column_anchors(self, table: Table) -> dict[str, str]:
        """Column name → its row's anchor on the table's page (`col-<slug>`)."""
        found = self._columns.get(id(table))
        if found is None:
            taken: set[str] = set()
            found = {}
            for column in table.columns:
                if column.name not in found:
                    found[column.name] = "col-" + slug(column.name, taken)
            self._columns[id(table)] = found
        return found


def case_anchors(case_ids: list[str]) -> dict[str, str]:
    """Test-plan case id → its row's anchor on the test plan page (`case-<slug>`)."""
    taken: set[str] = set()
    found: dict[str, str] = {}
    for case_id in case_ids:
        if case_id not in found:
            found[case_id] = "case-" + slug(case_id, taken)
    return found


def feature_anchors(features: list[str]) -> dict[str, str]:
    taken: set[str] = set()
    return {name: "feature-" + slug(name, taken) for name in dict.fromkeys(features)}
