"""The site's ER diagrams, drawn by `specc.emit.site.erd` (inline SVG): the only module that calls it.

Every diagram holds at most `MAX_DIAGRAM_TABLES` tables: the ER overview is one diagram when the schema is
that small, else one diagram per relationship cluster (`clusters`), each on its own page; a table's page shows
its neighbourhood. Links inside the SVG are raw HTML, which mkdocs does not rewrite, so they are the target
pages' final addresses (`specc.site.layout.url`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from specc.emit.site.erd import MAX_DIAGRAM_TABLES, clusters, erd_from_spec, neighbourhood, render_erd
from specc.ir.model import Spec
from specc.site.layout import Layout, url

__all__ = ["MAX_DIAGRAM_TABLES", "TableLinks", "cluster_diagram", "overview_clusters", "table_diagram"]


class TableLinks(Mapping[str, str]):
    """Table name → the address of its page from page `source`, computed when asked (a diagram names a few
    tables; building the whole map for each of 1,000 pages would cost a million addresses)."""

    def __init__(self, layout: Layout, source: str) -> None:
        self._layout = layout
        self._source = source

    def __getitem__(self, name: str) -> str:
        page = self._layout.table_page(name)
        if page is None:
            raise KeyError(name)
        return url(self._source, page)

    def __iter__(self) -> Iterator[str]:
        return iter(self._layout.table_pages)

    def __len__(self) -> int:
        return len(self._layout.table_pages)


def wrap(svg: str) -> str:
    """An SVG as a raw HTML block of its own (a `<div>` is a block element: Python-Markdown passes it
    through whole)."""
    return f'<div class="specc-erd">\n{svg}\n</div>'


def overview_clusters(spec: Spec) -> list[list[str]]:
    """The table names of each overview diagram: all of them when they fit in one, else the clusters."""
    names = list(dict.fromkeys(table.name for table in spec.tables))
    if len(names) <= MAX_DIAGRAM_TABLES:
        return [names] if names else []
    return clusters(spec, MAX_DIAGRAM_TABLES)


def cluster_diagram(spec: Spec, layout: Layout, page: str, tables: list[str], title: str) -> str:
    nodes, edges = erd_from_spec(spec, tables)
    return wrap(render_erd(nodes, edges, title=title, links=TableLinks(layout, page)))


def table_diagram(spec: Spec, layout: Layout, page: str, table: str) -> str:
    nodes, edges = neighbourhood(spec, table)
    svg = render_erd(
        nodes, edges, title=f"Tables related to {table}", highlight=table, links=TableLinks(layout, page)
    )
    return wrap(svg)
