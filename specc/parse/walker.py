"""The walk over one document's markdown-it block tokens that reads tables, indexes, relationships,
endpoints and prose into parser records (`RawTable`, ...), and their assembly into the IR. `parse_spec`
(`specc.parse`) runs it over a whole document; `specc.parse.incremental` runs it section by section, and its
one hook into the walk is the `Entangled` exception (a section that adds to an earlier section's table).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass

from specc.diagnostics import Suppression
from specc.ir.model import (
    CheckConstraint,
    Column,
    Decision,
    Endpoint,
    ForeignKey,
    Index,
    Relationship,
    Spec,
    Table,
    TechChoice,
    construct,
)
from specc.ir.types import read_type
from specc.parse import codes
from specc.parse.api import ENDPOINT_HEADING, read_endpoints
from specc.parse.constraints import read_facts
from specc.parse.ddl import looks_like_schema_sql, read_create_tables
from specc.parse.document import Cell, Document, is_delimiter_row, plain, split_row
from specc.parse.headers import Role, TableKind, classify
from specc.parse.indexes import IndexRow, read_index_row, read_inline_indexes
from specc.parse.mermaid import looks_like_er_diagram, read_er_diagram
from specc.parse.names import NameProblem
from specc.parse.relationships import read_relationship
from specc.parse.tables import (
    RawTable,
    listed_names,
    ox_table,
    read_column_row,
    read_rows,
    table_name_from_heading,
)

_SUPPRESS = re.compile(r"<!--\s*specc:\s*(ignore-file|ignore)\s+([A-Z]\d{3}(?:\s*[, ]\s*[A-Z]\d{3})*)\s*-->")
_SECTION_WORDS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?i)\b(relationships?|relations|связи|relaciones|relacionamentos)\b"), "relationships"),
    (re.compile(r"(?i)^(indexes|indices|index|индексы|índices)\b"), "indexes"),
    (re.compile(r"(?i)\bdiagram\b"), "diagram"),
    (
        re.compile(
            r"(?i)^(constraints|triggers|ограничения|contraintes|restricciones|约束|제약\s*조건|制約)$"
        ),
        "constraints",
    ),
    (re.compile(r"(?i)system\s+overview|^overview$"), "overview"),
]
_NOT_TABLE_NAMES = frozenset(
    "database schema,database,schema,data model,tables,database tables,entities,models,overview,"
    "indexes,relationships,api contracts,api,key decisions,tech stack,system overview,core tables,"
    "database design,entity definitions,tables and columns,columns,база данных,схема базы данных,"
    "таблицы,модель данных,esquema,base de datos,tablas,modelo de datos".replace(" ", "_").split(",")
)
_CAPTION = re.compile(
    r"^\s*(\*\*[^*]+\*\*|__[^_]+__|`[A-Za-z_][\w.]*`)\s*[:：]?\s*$|^(?i:table|таблица|tabla)\s*:"
)
_CHECK_LABEL = re.compile(r"^\s*\*\*\s*check(?:\s*\(([^)]*)\))?\s*:?\s*\*\*\s*:?\s*(.+)$", re.I | re.S)
r"""Group 2 (the expression) is stripped by its user; a lazy `(.+?)\s*$` was quadratic in a run of blanks."""
_MARKS_PER_EXCEPTION = 5
"""P041: a document marks only its nullable columns when it marks no column NOT NULL, or at least three
nullable and at least this many nullable marks for each NOT NULL one (an exception to its convention)."""
_FENCED_ENDPOINT = re.compile(r"\s*(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+/\S*\s*(\n|$)")
"""A fence that starts with `POST /auth/login`: the section documents an endpoint (its heading is a title)."""
_PAYLOAD_CAPTION = re.compile(
    r"(?i)^\W*(request|response|success\s+response|error\s+responses?|query|path|body|parameters?|params|"
    r"payload|요청|응답|파라미터|请求|响应|参数|返回|リクエスト|レスポンス|パラメータ|requête|réponse|paramètres|"
    r"anfrage|antwort|parameter|solicitud|respuesta|parámetros|requisição|resposta|parâmetros|запрос|ответ|"
    r"параметры)"
    r"(\s+(body|bodies|parameters?|params|fields?|schema|example|payload|headers?|본문|体|ボディ|corps|cuerpo|"
    r"corpo|тело))?"
    r"\s*(\(?\s*`?\d{3}`?[^)\n]{0,30}\)?)?\W*$"
)
"""`**Request Body**`, `**Response (200)**`, `**Query parameters:**`: a caption over an API payload."""
_INDEX_LABEL = re.compile(r"(?i)^\s*\**\s*(indexes|indices|index|индексы)\s*\**\s*:")


@dataclass
class Heading:
    level: int
    text: str
    line0: int
    section: str | None
    inherited: bool = False
    """An enclosing heading from an earlier section (section-by-section parsing); `line0` means nothing."""
    has_table: bool = False
    """For inherited headings: a table was defined under it."""


class Entangled(Exception):
    """Section-by-section parsing met a section that adds to a table defined in an earlier section (columns
    or notes under a sub-heading of the table's heading); the document is then read whole."""


class Walker:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.stack: list[Heading] = []
        self.tables: list[RawTable] = []
        self.tables_by_heading: dict[int, RawTable] = {}
        self.index_rows: list[IndexRow] = []
        self.relationships: list[Relationship] = []
        self.endpoints: list[Endpoint] = []
        self.decisions: list[Decision] = []
        self.tech: list[TechChoice] = []
        self.overview: list[str] = []
        self.diagram: str | None = None
        self.title: str | None = None
        self.heading_lines: list[int] = []
        self.comments: list[tuple[int, str, frozenset[str]]] = []
        self.first_paragraph: str | None = None
        self.last_paragraph: tuple[str, int] | None = None
        self.inline_index_list = False
        self.bullets: list[tuple[str, int]] = []
        """The first paragraph of each item of the top-level list being walked (content, line)."""
        self.payload = False
        """Since the last heading, a request/response caption or an endpoint line in a fence was seen: a
        name/type table here describes an API payload, not a database table."""

    # -- sections -------------------------------------------------------------------------------------

    def section(self) -> str | None:
        for heading in reversed(self.stack):
            if heading.section is not None:
                return heading.section
        return None

    def innermost_section(self) -> str | None:
        return self.stack[-1].section if self.stack else None

    def owning_table(self) -> RawTable | None:
        for heading in reversed(self.stack):
            if heading.inherited:
                if heading.has_table:
                    raise Entangled
                continue
            table = self.tables_by_heading.get(heading.line0)
            if table is not None:
                return table
        return None

    # -- the walk -------------------------------------------------------------------------------------

    def walk(self) -> None:
        tokens = self.doc.tokens
        n = len(tokens)
        i = 0
        depth = 0
        while i < n:
            tok = tokens[i]
            ttype = tok.type
            if ttype == "heading_open" and tok.map is not None:
                i = self.heading(i)
                depth = 0
                continue
            if ttype == "table_open" and tok.map is not None:
                self.table(tok.map[0], tok.map[1])
                while i < n and tokens[i].type != "table_close":
                    i += 1
                self.last_paragraph = None
            elif ttype in ("bullet_list_open", "ordered_list_open"):
                depth += 1
                if depth == 1:
                    self.bullets = []
            elif ttype in ("bullet_list_close", "ordered_list_close"):
                depth -= 1
                if depth == 0:
                    self.inline_index_list = False
                    self.column_bullets(self.bullets)
            elif ttype == "paragraph_open":
                inline = tokens[i + 1]
                if depth == 1 and inline.map is not None:
                    self.bullets.append((inline.content, inline.map[0]))
                self.paragraph(inline.content, inline.map[0] if inline.map else 0, tok.map, depth)
                i += 3
                continue
            elif ttype == "fence" and tok.map is not None:
                if self.section() == "diagram" and self.diagram is None:
                    self.diagram = tok.content.rstrip("\n")
                if _FENCED_ENDPOINT.match(tok.content):
                    self.payload = True
                self.schema_fence(tok.info, tok.content, tok.map[0] + 1)
                self.last_paragraph = None
            elif ttype == "html_block" and tok.map is not None:
                self.comment(tok.content, tok.map[0])
            i += 1

    def heading(self, i: int) -> int:
        tokens = self.doc.tokens
        tok = tokens[i]
        assert tok.map is not None
        line0 = tok.map[0]
        level = int(tok.tag[1:])
        raw = tokens[i + 1].content if i + 1 < len(tokens) else ""
        self.comment(raw, line0)
        text = plain(raw)
        self.heading_lines.append(line0)
        if level == 1 and self.title is None:
            self.title = text or None
        while self.stack and self.stack[-1].level >= level:
            self.stack.pop()
        section = None
        for pattern, name in _SECTION_WORDS:
            if pattern.search(text):
                section = name
                break
        self.stack.append(Heading(level=level, text=raw, line0=line0, section=section))
        self.first_paragraph = None
        self.last_paragraph = None
        self.inline_index_list = False
        self.payload = False
        if ENDPOINT_HEADING.match(text):
            j = i + 3
            while j < len(tokens) and tokens[j].type != "heading_open":
                if (tokens[j].type == "html_block" and tokens[j].map is not None) or (
                    tokens[j].type == "inline" and tokens[j].map is not None
                ):
                    self.comment(tokens[j].content, tokens[j].map[0])  # type: ignore[index]
                j += 1
            self.endpoints.extend(read_endpoints(self.doc, line0, raw, tokens[i + 3 : j]))
            return j
        return i + 3

    def paragraph(self, content: str, line0: int, block_map: list[int] | None, depth: int) -> None:
        self.comment(content, line0)
        text = plain(content)
        if depth == 0 and self.first_paragraph is None:
            self.first_paragraph = text
        section = self.section()
        if section == "overview" and depth == 0:
            self.overview.append(text)
        elif section == "relationships" and depth == 1:
            rel = read_relationship(self.doc, content.split("\n", 1)[0], line0)
            if rel is not None:
                self.relationships.append(rel)
        elif _CHECK_LABEL.match(content) and depth >= 1:
            self.table_check(content, line0)
        elif (
            _INDEX_LABEL.match(content)
            or (self.inline_index_list and depth >= 1)
            or (self.innermost_section() == "indexes" and depth >= 1)
        ):
            self.inline_indexes(content, line0, depth)
        end = block_map[1] if block_map else line0 + 1
        self.last_paragraph = (content, end)  # in a list item too: `* **Users table**:` over its table
        if (
            depth == 0
            and _PAYLOAD_CAPTION.match(text)
            and (_CAPTION.match(content.strip()) or text.endswith(":"))
        ):
            self.payload = True  # a caption (`**Request Body**`, `Response (200):`), not prose or a list item

    def inline_indexes(self, content: str, line0: int, depth: int) -> None:
        table = self.owning_table()
        if table is None:
            return
        label_only = _INDEX_LABEL.match(content) is not None and not re.sub(_INDEX_LABEL, "", content).strip(
            " *"
        )
        if label_only:
            self.inline_index_list = True
            return
        for columns, unique, method in read_inline_indexes(content):
            table.inline_indexes.append(
                (columns, unique, method, self.doc.span(line0, self.doc.line_column(line0)))
            )

    def table_check(self, content: str, line0: int) -> None:
        table = self.owning_table()
        m = _CHECK_LABEL.match(content)
        if table is None or m is None:
            return
        expression = m.group(2).strip()
        if expression.startswith("`") and expression.endswith("`"):
            expression = expression[1:-1].strip()
        if expression:
            table.checks.append(
                construct(
                    CheckConstraint,
                    expression=expression,
                    name=(m.group(1) or "").strip() or None,
                    span=self.doc.span(line0, self.doc.line_column(line0)),
                )
            )

    def comment(self, content: str, line0: int) -> None:
        if "specc:" not in content:
            return
        for m in _SUPPRESS.finditer(content):
            offset = content.count("\n", 0, m.start())
            codes_found = frozenset(re.split(r"[\s,]+", m.group(2).strip()))
            self.comments.append((line0 + offset, m.group(1), codes_found))

    # -- tables ---------------------------------------------------------------------------------------

    def table(self, start: int, end: int) -> None:
        doc = self.doc
        header = split_row(doc.lines[start])
        kind, roles = classify([c.text for c in header])
        if kind is TableKind.OTHER:
            self.unread_table(start, end, header)
            return
        _, rows = read_rows(doc, start, end)
        if kind is TableKind.COLUMNS:
            if self.column_table(start, roles, rows):
                self.unused_columns(start, header, roles)
        elif kind is TableKind.INDEXES:
            for line0, cells in rows:
                row = read_index_row(doc, line0, cells, roles)
                if row is not None:
                    self.index_rows.append(row)
        elif kind is TableKind.TECH_STACK:
            for line0, cells in rows:
                get = _getter(cells, roles)
                self.tech.append(
                    construct(
                        TechChoice,
                        layer=get(Role.LAYER) or "",
                        technology=get(Role.TECHNOLOGY) or "",
                        why=get(Role.WHY),
                        span=doc.span(line0, doc.line_column(line0)),
                    )
                )
        elif kind is TableKind.DECISIONS:
            for line0, cells in rows:
                get = _getter(cells, roles)
                self.decisions.append(
                    construct(
                        Decision,
                        decision=get(Role.DECISION) or "",
                        choice=get(Role.CHOICE),
                        alternatives=get(Role.ALTERNATIVES),
                        why=get(Role.WHY),
                        span=doc.span(line0, doc.line_column(line0)),
                    )
                )

    def unread_table(self, start: int, end: int, header: list[Cell]) -> None:
        """P040 at a table whose header specc does not read but whose cells look like a column table: a
        column of names beside a column of SQL types (never silent, issue 15 item 14)."""
        if self.payload or self.innermost_section() in ("constraints", "indexes") or len(header) < 2:
            return
        if _NOT_COLUMNS_HEADER.match(plain(header[0].text)):
            return  # `| Parameter | Type |`, `| Variable | Type | Default |`: parameters and settings
        body = [line for line in self.doc.lines[start + 2 : end] if line.strip()]
        if len(body) < 2:
            return  # (split here, not by read_rows: a table that is not read reports nothing about its rows)
        found = _name_and_type_columns(
            [[plain(c.text).strip("` ") for c in split_row(line)[: len(header)]] for line in body]
        )
        if found is None:
            return
        names, types = found
        self.doc.report(
            codes.TABLE_NOT_READ,
            f"this table looks like a column table (names under {plain(header[names].text)!r}, SQL types "
            f"under {plain(header[types].text)!r}) but was not read: specc does not know those header words "
            "for a name and a type column",
            start,
            header[0].column,
            hint="use a header such as `| Column | Type | Constraints |`, or ignore P040 here if it is not a "
            "database table",
        )

    def column_bullets(self, items: list[tuple[str, int]]) -> None:
        """A list whose items each define a column in code (`` - `organization_id uuid not null fk
        organizations(id)` `` under `### profiles`) is a column table: name, then type and constraints,
        then any prose after the code as its description."""
        rows: list[tuple[int, list[Cell]]] = []
        for content, line0 in items:
            row = _column_bullet(self.doc, content, line0)
            if row is not None:
                rows.append((line0, row))
        if len(rows) < 2 or len(rows) * 5 < len(items) * 4 or self.payload:
            return
        roles = {Role.NAME: 0, Role.TYPE: 1, Role.DESCRIPTION: 2}
        self.last_paragraph = None  # the list's own items are no caption
        self.column_table(items[0][1], roles, rows)

    def schema_fence(self, info: str, content: str, line0: int) -> None:
        """Tables a ```sql fence (CREATE TABLE) or a mermaid erDiagram defines: schema sources too."""
        if looks_like_schema_sql(info, content):
            read, source = read_create_tables(self.doc, line0, content), "sql"
        elif looks_like_er_diagram(info, content):
            read, source = read_er_diagram(self.doc, line0, content), "diagram"
        else:
            return
        for raw in read:
            raw.source = source
            self.tables.append(raw)

    def unused_columns(self, start: int, header: list[Cell], roles: dict[Role, int]) -> None:
        """P039 (info) for each column of a column table's header that specc does not read."""
        used = set(roles.values())
        for index, cell in enumerate(header):
            if index in used or not plain(cell.text):
                continue
            self.doc.report(
                codes.COLUMN_NOT_USED,
                f"column {plain(cell.text)!r} of this table is not read: specc does not know its heading",
                start,
                cell.column,
                hint="rename the heading if the column holds constraints (Constraints, Key, Nullable, "
                "Default, References, Notes)",
            )

    def column_table(self, start: int, roles: dict[Role, int], rows: list[tuple[int, list[Cell]]]) -> bool:
        """Read a column table into the table its heading or caption names; False when it is not read."""
        doc = self.doc
        if self.payload:
            return False  # the fields of a request or response body (read with the endpoint, if any)
        if self.innermost_section() in ("constraints", "indexes") and not _types_in_rows(rows, roles):
            return False  # `## Constraints` / `## Indexes` listing names and kinds (`| Name | Type |`)
        name: str | None = None
        renamed: str | None = None
        heading_line = -1
        problem: NameProblem | None = None
        caption = self.last_paragraph
        if caption is not None and caption[1] >= start - 1 and _CAPTION.match(caption[0].strip()):
            read = table_name_from_heading(caption[0])
            if read.problem is None or read.name is not None:  # a caption that is no name: the heading names
                name, renamed, problem = read.name, read.renamed, read.problem
                heading_line = start - 1
        description = None
        if name is None and problem is None:
            for heading in reversed(self.stack):
                if heading.section is not None and heading.section != "constraints":
                    continue  # (a column table under `### constraints` is a table of that name)
                read = table_name_from_heading(heading.text)
                if read.prose and heading.level > 1:
                    break  # a prose heading names no table, and the headings above it name none either
                if read.problem is not None or (read.name is not None and read.name not in _NOT_TABLE_NAMES):
                    if heading.inherited:
                        raise Entangled
                    name, renamed, problem = read.name, read.renamed, read.problem
                    heading_line = heading.line0
                    if heading is self.stack[-1]:
                        description = self.first_paragraph
                    break
        if problem is not None:
            self._report_name(problem, heading_line if heading_line >= 0 else start)
        if name is None and problem is not None:
            return False
        if name is None:
            doc.report(
                codes.UNTABLED_COLUMNS,
                "column table without a table name above it",
                start,
                doc.line_column(start),
            )
            return False
        existing = self.tables_by_heading.get(heading_line)
        if existing is not None and existing.name == name:
            raw_table = existing
        else:
            column = 1
            if 0 <= heading_line < len(doc.lines):
                found = doc.lines[heading_line].lower().find(name)
                column = found + 1 if found >= 0 else doc.line_column(heading_line)
            raw_table = RawTable(
                name=name,
                span=doc.span(heading_line if heading_line >= 0 else start, column),
                renamed_from=renamed,
                description=description,
            )
            self.tables.append(raw_table)
            self.tables_by_heading[heading_line] = raw_table
        name_at = roles.get(Role.NAME, -1)
        ox = frozenset(
            role
            for role in (Role.NULLABLE, Role.REQUIRED, Role.PRIMARY, Role.UNIQUE)
            if role in roles and ox_table([c[roles[role]].text for _, c in rows if roles[role] < len(c)])
        )
        for line0, cells in rows:
            listed: list[tuple[str | None, int]] = []
            if 0 <= name_at < len(cells):
                listed.extend(listed_names(cells[name_at].text))
            for name, offset in listed or [(None, 0)]:
                row = cells
                if name is not None:  # `created_at, updated_at`: one column per name, the rest shared
                    row = [
                        *cells[:name_at],
                        Cell(name, cells[name_at].column + offset),
                        *cells[name_at + 1 :],
                    ]
                raw = read_column_row(doc, line0, row, roles, ox)
                if raw is not None:
                    raw_table.columns.append(raw)
        return True

    def _report_name(self, problem: NameProblem, line0: int) -> None:
        """Report a name problem at the first place on `line0` that shows its text."""
        doc = self.doc
        line = doc.lines[line0] if 0 <= line0 < len(doc.lines) else ""
        found = line.find(problem.needle)
        column = found + 1 if found >= 0 else doc.line_column(line0)
        doc.report(problem.code, problem.message, line0, column, hint=problem.hint)

    # -- assembly -------------------------------------------------------------------------------------

    def _one_definition_each(self) -> None:
        """A table defined by several schema sources keeps the first by precedence (column table, SQL,
        diagram); what another says differently is reported (P037) at that definition."""
        rank = {"table": 0, "sql": 1, "diagram": 2}
        kept: dict[str, RawTable] = {}
        for raw in sorted(self.tables, key=lambda t: rank[t.source]):
            first = kept.get(raw.name)
            if first is None or raw.source == first.source:
                kept.setdefault(raw.name, raw)
                continue
            for difference in _differences(first, raw):
                self.doc.reporter.report(
                    codes.TABLE_DEFINED_TWICE,
                    f"table {raw.name!r} is also defined by a {_SOURCE_WORDS[first.source]} "
                    f"(line {first.span.line}), which wins: {difference}",
                    self.doc.file,
                    raw.span.line,
                    raw.span.column,
                    hint="make the definitions agree, or keep one",
                )
            _adopt_references(first, raw)
            raw.columns = []
            raw.source = "dropped"
        self.tables = [t for t in self.tables if t.source != "dropped"]
        self.tables.sort(key=lambda t: t.span.line)

    def spec(self) -> Spec:
        doc = self.doc
        self._one_definition_each()
        table_names = {t.name for t in self.tables}
        tables: list[Table] = []
        indexes_by_table: dict[str, list[Index]] = {}
        for row in self.index_rows:
            if row.table not in table_names:
                doc.reporter.report(
                    codes.INDEX_UNKNOWN_TABLE,
                    f"index on {', '.join(row.columns)} names table {row.table!r}, which is not defined",
                    doc.file,
                    row.table_span.line,
                    row.table_span.column,
                    hint="define the table or fix the name",
                )
                continue
            indexes_by_table.setdefault(row.table, []).append(
                construct(
                    Index,
                    columns=row.columns,
                    unique=row.unique,
                    method=row.method,
                    name=row.name,
                    description=row.description,
                    span=row.span,
                )
            )
        self._unclear_references(table_names)
        self._nullability_rule()
        for raw in self.tables:
            columns = tuple(_resolve_fk(rc.column, table_names) for rc in raw.columns)
            inline = [
                construct(
                    Index, columns=cols, unique=unique, method=method, name=None, description=None, span=span
                )
                for cols, unique, method, span in raw.inline_indexes
            ]
            tables.append(
                construct(
                    Table,
                    name=raw.name,
                    columns=columns,
                    indexes=tuple(inline + indexes_by_table.get(raw.name, [])),
                    checks=tuple(raw.checks),
                    description=raw.description,
                    renamed_from=raw.renamed_from,
                    span=raw.span,
                )
            )
        return construct(
            Spec,
            version=1,
            source=doc.file,
            title=self.title,
            overview="\n\n".join(self.overview) or None,
            tech_stack=tuple(self.tech),
            system_diagram=self.diagram,
            tables=tuple(tables),
            relationships=tuple(self.relationships),
            endpoints=tuple(self.endpoints),
            decisions=tuple(self.decisions),
            test_plan=None,
        )

    def _unclear_references(self, table_names: set[str]) -> None:
        """A reference read from prose (`References the invoice this pays`) is a foreign key only when it
        names a table of the document; otherwise it is dropped with an info (never an invented table)."""
        for raw in self.tables:
            for rc in raw.columns:
                fk = rc.column.foreign_key
                if not rc.fk_weak or fk is None:
                    continue
                target = _resolve_fk(rc.column, table_names).foreign_key
                if target is not None and target.table in table_names:
                    continue
                span = fk.span or rc.column.span
                self.doc.reporter.report(
                    codes.UNCLEAR_REFERENCE,
                    f"column {raw.name}.{rc.column.name} mentions {fk.table!r}, which is no table of the "
                    "document; no foreign key made",
                    self.doc.file,
                    span.line if span else 1,
                    span.column if span else 1,
                    hint=f"write `FK → <table>.<column>` in the Constraints cell of {rc.column.name!r}",
                )
                rc.column = rc.column.model_copy(update={"foreign_key": None})
                rc.fk_target = rc.fk_column = None

    def _nullability_rule(self) -> None:
        """Documents that mark only the nullable columns (P041): the unmarked ones are NOT NULL."""
        tables = [raw for raw in self.tables if raw.source == "table"]  # SQL and diagrams say it themselves
        stated = [rc for raw in tables for rc in raw.columns if rc.stated_null is not None]
        nullable = [rc for rc in stated if rc.stated_null]
        not_null = len(stated) - len(nullable)
        if not nullable or (
            not_null and (len(nullable) < 3 or len(nullable) < _MARKS_PER_EXCEPTION * not_null)
        ):
            return
        first = nullable[0].column.span
        self.doc.reporter.report(
            codes.NULLABILITY_RULE,
            f"the document marks {len(nullable)} column(s) nullable (this is the first) and {not_null} "
            "NOT NULL; columns that say nothing are read as NOT NULL",
            self.doc.file,
            first.line if first else 1,
            first.column if first else 1,
            hint="mark columns NOT NULL or required where they are, to read unmarked ones as nullable",
        )
        for raw in tables:
            for rc in raw.columns:
                if rc.stated_null is None and rc.column.nullable:
                    rc.column = rc.column.model_copy(update={"nullable": False})

    def suppressions(self) -> list[Suppression]:
        result: list[Suppression] = []
        last = len(self.doc.lines)
        lines = sorted(self.heading_lines)
        for line0, kind, found in self.comments:
            if kind == "ignore-file":
                result.append(Suppression(codes=found, file=self.doc.file, first_line=1, last_line=last))
                continue
            nxt = bisect.bisect_right(lines, line0)
            start = lines[nxt - 1] + 1 if nxt > 0 else 1
            end = lines[nxt] if nxt < len(lines) else last
            result.append(Suppression(codes=found, file=self.doc.file, first_line=start, last_line=end))
        return result


_BULLET = re.compile(r"\s*`([^`\n]+)`\s*[:,;.\-–—]?\s*(.*)$", re.S)
_BULLET_NAME = re.compile(r"([^\W\d][\w$]*)\s+(\S.*)$", re.S)


def _column_bullet(doc: Document, content: str, line0: int) -> list[Cell] | None:
    """Name, type-and-constraints and description cells of a list item that defines a column in code, or
    None: the code must be a name then a type specc reads (`uuid`, `varchar(50) not null`), or a name,
    a type name and constraints (`role user_role not null`)."""
    if "\n" in content.strip():
        return None
    m = _BULLET.match(content)
    if m is None:
        return None
    named = _BULLET_NAME.match(m.group(1).strip())
    if named is None:
        return None
    rest = named.group(2).strip()
    read = read_type(rest)
    if read is None or read.problem is not None:
        words = rest.split(maxsplit=1)
        if len(words) < 2 or read_facts(words[1]).unknown or not _IDENTIFIER.fullmatch(words[0]):
            return None
    elif read.rest and read_facts(read.rest).unknown:
        return None
    line = doc.lines[line0] if 0 <= line0 < len(doc.lines) else ""
    code_at = line.find("`") + 2 if "`" in line else doc.line_column(line0)
    return [
        Cell(named.group(1), code_at),
        Cell(rest, code_at + m.group(1).find(rest)),
        Cell(m.group(2).strip(), code_at + len(m.group(1)) + 1),
    ]


def _types_in_rows(rows: list[tuple[int, list[Cell]]], roles: dict[Role, int]) -> bool:
    """True when most Type cells are column types (a table named `triggers`, not a list of constraints
    whose kinds are `n`, `FOREIGN KEY`, `CHECK`)."""
    at = roles.get(Role.TYPE, -1)
    cells = [plain(cells[at].text).strip("`") for _, cells in rows if 0 <= at < len(cells)]
    typed = sum(1 for c in cells if (read := read_type(c)) is not None and read.problem is None)
    return bool(cells) and typed * 2 > len(cells)


_NOT_COLUMNS_HEADER = re.compile(
    r"(?i)\W*(param(eter)?s?|arg(ument)?s?|var(iable)?s?|env|environment|settings?|options?|headers?|query|"
    r"flags?|props?|inputs?|outputs?|fields?\s+of\s+the\s+request|파라미터|参数|パラメータ|параметр\w*|"
    r"paramètres?|parámetros?|parâmetros?|variablen?)\W*$"
)
_JSON_WORDS = frozenset({"string", "integer", "int", "boolean", "bool", "number", "float", "double", "text"})
_IDENTIFIER = re.compile(r"[A-Za-z_][\w.]*")


def _name_and_type_columns(rows: list[list[str]]) -> tuple[int, int] | None:
    """(name column, type column) when at least 80% of the rows hold an identifier in one column and a
    SQL type (read whole) in another, and some type is more than a JSON word (`string`, `integer`). Each
    cell is looked at once (a table of any width is linear)."""
    width = min(len(r) for r in rows)
    need = max(2, -(-len(rows) * 4 // 5))
    names = [n for n in range(width) if sum(1 for r in rows if _IDENTIFIER.fullmatch(r[n])) >= need]
    if not names:
        return None
    for t in range(width):
        cells = [r[t] for r in rows]
        if all(c.lower() in _JSON_WORDS for c in cells if c):
            continue
        typed = 0
        for c in cells:
            read = read_type(c) if len(c) <= 64 else None
            typed += read is not None and not read.rest and read.problem is None
        if typed >= need:
            name = next((n for n in names if n != t), None)
            if name is not None:
                return name, t
    return None


_SOURCE_WORDS = {"table": "column table", "sql": "CREATE TABLE statement", "diagram": "diagram entity"}


def _adopt_references(first: RawTable, other: RawTable) -> None:
    """What the other definition adds without contradicting the kept one is kept: a foreign key on a
    column the kept one gives none (a diagram's `FK` under a row that says only `INTEGER`), and the SQL's
    table CHECKs, composite UNIQUEs and indexes on the kept table's columns."""
    theirs = {rc.column.name.lower(): rc for rc in other.columns}
    for rc in first.columns:
        source = theirs.get(rc.column.name.lower())
        if rc.column.foreign_key is not None or source is None or source.column.foreign_key is None:
            continue
        rc.column = rc.column.model_copy(update={"foreign_key": source.column.foreign_key})
        rc.fk_target, rc.fk_column, rc.fk_span = source.fk_target, source.fk_column, source.fk_span
        rc.fk_weak = source.fk_weak
    names = {rc.column.name.lower() for rc in first.columns}
    expressions = {" ".join(c.expression.split()) for c in first.checks}
    first.checks += [c for c in other.checks if " ".join(c.expression.split()) not in expressions]
    indexed = {(tuple(c.lower() for c in cols), unique) for cols, unique, _, _ in first.inline_indexes}
    first.inline_indexes += [
        index
        for index in other.inline_indexes
        if (tuple(c.lower() for c in index[0]), index[1]) not in indexed
        and all(c.lower() in names for c in index[0])
    ]


def _differences(first: RawTable, other: RawTable) -> list[str]:
    """What `other` says about a table differently from `first`: columns only one has, and for SQL also a
    different type, key or nullability (a diagram's types are generic, so only its columns and keys count)."""
    mine = {rc.column.name.lower(): rc.column for rc in first.columns}
    theirs = {rc.column.name.lower(): rc.column for rc in other.columns}
    found = [f"column {name!r} is only here" for name in theirs if name not in mine]
    found += [f"column {name!r} is missing here" for name in mine if name not in theirs]
    for name, column in theirs.items():
        kept = mine.get(name)
        if kept is None:
            continue
        if column.primary_key != kept.primary_key:
            found.append(f"column {name!r} is {'' if column.primary_key else 'not '}a primary key here")
        if other.source == "sql" and column.type != kept.type:
            found.append(f"column {name!r} is {column.type} here, {kept.type} there")
        if other.source == "sql" and column.nullable != kept.nullable:
            found.append(f"column {name!r} is {'nullable' if column.nullable else 'NOT NULL'} here")
    return found


def _getter(cells: list[Cell], roles: dict[Role, int]) -> Callable[[Role], str | None]:
    def get(role: Role) -> str | None:
        idx = roles.get(role)
        if idx is None or idx >= len(cells):
            return None
        return plain(cells[idx].text) or None

    return get


def _resolve_fk(column: Column, table_names: set[str]) -> Column:
    """Interpret `a.b` / `a.b.c` FK targets once every table name is known."""
    fk = column.foreign_key
    if fk is None:
        return column
    parts = fk.table.split(".")
    table = parts[0].lower()
    target_column = fk.column
    if len(parts) >= 3:
        table, target_column = parts[-2].lower(), parts[-1]
    elif len(parts) == 2:
        first, second = parts[0].lower(), parts[1]
        if first in table_names or second.lower() not in table_names:
            table, target_column = first, target_column or second
        else:
            table = second.lower()
    return column.model_copy(
        update={
            "foreign_key": construct(
                ForeignKey,
                table=table,
                column=target_column,
                on_delete=fk.on_delete,
                on_update=fk.on_update,
                span=fk.span,
            )
        }
    )


def broken_tables(doc: Document) -> None:
    """Header + delimiter lines that markdown did not accept as a table (cell counts differ)."""
    lines = doc.lines
    in_table_lines: set[int] = set()
    for tok in doc.tokens:
        if tok.type == "table_open" and tok.map is not None:
            in_table_lines.update(range(tok.map[0], tok.map[1]))
    for tok in doc.tokens:
        if tok.type != "paragraph_open" or tok.map is None:
            continue
        for line0 in range(tok.map[0] + 1, tok.map[1]):
            if line0 in in_table_lines or "|" not in lines[line0] or "-" not in lines[line0]:
                continue
            if is_delimiter_row(lines[line0]) and "|" in lines[line0 - 1]:
                header = len(split_row(lines[line0 - 1]))
                delim = len(split_row(lines[line0]))
                if header != delim:
                    doc.report(
                        codes.BROKEN_TABLE,
                        f"header row has {header} cells but the delimiter row has {delim}",
                        line0,
                        doc.line_column(line0),
                    )
