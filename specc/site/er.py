"""The ER overview: one diagram of every table when the schema fits in one (`MAX_DIAGRAM_TABLES`), else a list
of relationship clusters, each with its diagram on a page of its own (`er/cluster-NNN.md`)."""

from __future__ import annotations

from specc.site.context import Site, markdown_table, page
from specc.site.diagrams import MAX_DIAGRAM_TABLES, cluster_diagram, overview_clusters
from specc.site.escape import code
from specc.site.layout import ER, TABLES, md_link


def _tables(site: Site, here: str, names: list[str]) -> str:
    links = []
    for name in names:
        target = site.layout.table_page(name)
        links.append(f"[{code(name)}]({md_link(here, target)})" if target is not None else code(name))
    return ", ".join(links)


def er_pages(site: Site) -> dict[str, str]:
    """The overview page and the cluster pages, by path."""
    body: list[str] = []
    groups = overview_clusters(site.spec)
    pages: dict[str, str] = {}
    if not groups:
        body.append("The document defines no tables.")
    elif len(groups) == 1:
        body.append(
            f"Every table, with its foreign keys. The list is on the [Tables]({md_link(ER, TABLES)}) page."
        )
        body.append(cluster_diagram(site.spec, site.layout, ER, groups[0], "Every table"))
    else:
        body.append(
            f"The schema has {len(site.spec.tables)} tables: too many for one readable diagram, so it is "
            f"drawn in {len(groups)} parts of at most {MAX_DIAGRAM_TABLES} tables, each a cluster of tables "
            "joined by foreign keys (a large cluster is cut into parts)."
        )
        width = len(str(len(groups)))
        rows = []
        for number, names in enumerate(groups, start=1):
            target = f"er/cluster-{number:0{max(width, 3)}d}.md"
            label = f"Part {number}"
            rows.append(
                [
                    f"[{label}]({md_link(ER, target)})",
                    str(len(names)),
                    _tables(site, ER, names[:8]) + (", …" if len(names) > 8 else ""),
                ]
            )
            pages[target] = page(
                site.source,
                f"ER diagram, part {number} of {len(groups)}",
                [
                    f"Back to the [overview]({md_link(target, ER)}).",
                    cluster_diagram(site.spec, site.layout, target, names, f"ER diagram, part {number}"),
                    "Tables: " + _tables(site, target, names),
                ],
            )
        body.append(markdown_table(["Part", "Tables", "First tables"], rows))
    pages[ER] = page(site.source, "ER diagrams", body)
    return {ER: pages.pop(ER), **pages}
