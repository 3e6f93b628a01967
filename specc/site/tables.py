"""The table pages: the list of tables, and a page per table (columns, indexes, checks, enum values, foreign
keys out and in, relationships, the table's neighbourhood diagram, where the document defines it)."""

from __future__ import annotations

from specc.ir.model import Column, ForeignKey, Table
from specc.ir.types import sql_type
from specc.site.context import Site, markdown_table, page
from specc.site.diagrams import table_diagram
from specc.site.escape import cell, code, paragraphs, text
from specc.site.layout import ER, TABLES, md_link


def tables_index(site: Site) -> str:
    body = [f"The ER diagrams are on [their own page]({md_link(TABLES, ER)})."]
    if not site.layout.tables:
        body.append("The document defines no tables.")
        return page(site.source, "Tables", body)
    rows = []
    for table, target in site.layout.tables:
        link = f"[{text(table.name)}]({md_link(TABLES, target)})"
        rows.append([link, str(len(table.columns)), cell(_first_sentence(table.description))])
    body.append(markdown_table(["Table", "Columns", "Description"], rows))
    return page(site.source, "Tables", body)


def _first_sentence(description: str | None) -> str | None:
    if not description:
        return None
    first = description.strip().split("\n", 1)[0]
    return first if len(first) <= 200 else first[:199] + "…"


def _reference(site: Site, here: str, fk: ForeignKey) -> str:
    """`users.id` linked to the column's row on the referenced table's page (text when it is unknown)."""
    target = site.layout.table_page(fk.table)
    shown = fk.table + (f".{fk.column}" if fk.column else "")
    table = site.spec.table(fk.table)
    if target is None or table is None:
        return code(shown)
    anchor = site.layout.column_anchors(table).get(fk.column) if fk.column else None
    return f"[{code(shown)}]({md_link(here, target, anchor or 'columns')})"


def _key(site: Site, here: str, column: Column) -> str:
    parts = []
    if column.primary_key:
        parts.append("PK")
    if column.foreign_key is not None:
        parts.append("FK → " + _reference(site, here, column.foreign_key))
    if column.unique:
        parts.append("unique")
    if column.indexed:
        parts.append("indexed")
    if column.autoincrement:
        parts.append("auto-increment")
    return ", ".join(parts)


def _columns(site: Site, here: str, table: Table) -> list[str]:
    anchors = site.layout.column_anchors(table)
    rows = []
    named: set[str] = set()
    for column in table.columns:
        name = code(column.name)
        if column.name not in named:  # a repeated column name: the anchor is on the first one
            named.add(column.name)
            name = f'<span id="{anchors[column.name]}"></span>{name}'
        rows.append(
            [
                name,
                code(column.type),
                "yes" if column.nullable else "no",
                _key(site, here, column),
                code(column.default) if column.default else "",
                cell(column.description),
            ]
        )
    header = ["Column", "Type", "Nullable", "Key", "Default", "Description"]
    return ["## Columns {#columns}", markdown_table(header, rows)]


def _indexes(table: Table) -> list[str]:
    if not table.indexes:
        return []
    rows = [
        [
            code(index.name) if index.name else "",
            ", ".join(code(c) for c in index.columns),
            "yes" if index.unique else "no",
            text(index.method),
            cell(index.description),
        ]
        for index in table.indexes
    ]
    return ["## Indexes {#indexes}", markdown_table(["Name", "Columns", "Unique", "Method", "Why"], rows)]


def _checks(table: Table) -> list[str]:
    rows = [[code(c.name), code(c.check)] for c in table.columns if c.check]
    rows += [[code(check.name) if check.name else "", code(check.expression)] for check in table.checks]
    if not rows:
        return []
    return ["## Checks {#checks}", markdown_table(["Column or name", "Expression"], rows)]


def _enums(table: Table) -> list[str]:
    rows = []
    for column in table.columns:
        if "ENUM" not in column.type.upper():
            continue
        values = sql_type(column.type).enum_values
        if values:
            rows.append([code(column.name), ", ".join(code(v) for v in values)])
    if not rows:
        return []
    return ["## Enum values {#enum-values}", markdown_table(["Column", "Values"], rows)]


def _foreign_keys(site: Site, here: str, table: Table) -> list[str]:
    out = [
        [
            code(c.name),
            _reference(site, here, c.foreign_key),
            text(c.foreign_key.on_delete or ""),
            text(c.foreign_key.on_update or ""),
        ]
        for c in table.columns
        if c.foreign_key is not None
    ]
    incoming = []
    for other, column in site.incoming.get(table.name, []):
        target = site.layout.table_page(other.name)
        shown = code(f"{other.name}.{column.name}")
        anchor = site.layout.column_anchors(other)[column.name]
        link = f"[{shown}]({md_link(here, target, anchor)})" if target is not None else shown
        fk = column.foreign_key
        incoming.append(
            [
                link,
                code(fk.column) if fk is not None and fk.column else "primary key",
                text(fk.on_delete or "") if fk else "",
            ]
        )
    if not out and not incoming:
        return []
    body = ["## Foreign keys {#foreign-keys}"]
    if out:
        body += [
            "References to other tables:",
            markdown_table(["Column", "References", "On delete", "On update"], out),
        ]
    if incoming:
        body += ["Referenced by:", markdown_table(["Column", "References column", "On delete"], incoming)]
    return body


def _relationships(site: Site, here: str, table: Table) -> list[str]:
    rows = []
    for relationship in site.spec.relationships:
        if table.name not in (relationship.from_, relationship.to, relationship.through):
            continue
        rows.append(
            [
                text(relationship.kind),
                _table_link(site, here, relationship.from_),
                _table_link(site, here, relationship.to),
                _table_link(site, here, relationship.through) if relationship.through else "",
                cell(relationship.description),
            ]
        )
    if not rows:
        return []
    header = ["Kind", "From", "To", "Through", "Description"]
    return ["## Relationships {#relationships}", markdown_table(header, rows)]


def _table_link(site: Site, here: str, name: str) -> str:
    target = site.layout.table_page(name)
    shown = code(name)
    return f"[{shown}]({md_link(here, target)})" if target is not None and target != here else shown


def table_page(site: Site, table: Table, here: str) -> str:
    body = [site.source_ref(table.span, "Defined in ")]
    if table.renamed_from:
        body.append(f"Renamed from {code(table.renamed_from)}.")
    if table.description:
        body.append(paragraphs(table.description))
    body += _columns(site, here, table)
    body += _indexes(table)
    body += _checks(table)
    body += _enums(table)
    body += _foreign_keys(site, here, table)
    body += _relationships(site, here, table)
    body += ["## Diagram {#diagram}", table_diagram(site.spec, site.layout, here, table.name)]
    return page(site.source, table.name, body)
