"""The walk over one document's markdown-it block tokens that reads tables, indexes, relationships,
endpoints and prose into parser records (a `Reading`, assembled into the IR by `specc.parse.assembly`).

`parse_spec` (`specc.parse`) walks a whole document. The walker has one hook for reading a document in parts
(`specc.parse.incremental` does, section by section): a walk can continue one over the text before it.

- `Walker(doc, enclosing=...)` starts the walk under the headings the earlier text left open
  (`OpenHeading`: level, text, kind of section, whether a table was defined under it), as if it had just
  read them; `doc` is then that part of the file (`Document(..., line_offset=...)`).
- Where the walk would need more of the earlier text than those headings tell, it raises `Entangled`:
  a column table, check or index notation that belongs to a table defined under an enclosing heading. The
  caller then reads the document whole.
- `left_open()` after the walk says which headings are open at its end (`LeftOpen`): the `enclosing` of the
  next part.

A walk that starts under no headings (the default) never raises `Entangled`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from specc.ir.model import CheckConstraint, Decision, Endpoint, Relationship, TechChoice, construct
from specc.parse import codes
from specc.parse.api import ENDPOINT_HEADING, read_endpoints
from specc.parse.columnrows import listed_names, ox_table, read_column_row
from specc.parse.ddl import looks_like_schema_sql, read_create_tables
from specc.parse.document import Cell, Document, plain, split_row
from specc.parse.headers import Role, TableKind, classify
from specc.parse.headingnames import table_name_from_heading
from specc.parse.indexes import IndexRow, read_index_row, read_inline_indexes
from specc.parse.mermaid import looks_like_er_diagram, read_er_diagram
from specc.parse.names import NameProblem
from specc.parse.reading import LeftOpen, OpenHeading, Reading, SuppressionComment
from specc.parse.relationships import read_relationship
from specc.parse.tables import InlineIndex, RawTable, Row, read_rows
from specc.parse.tableshapes import NOT_COLUMNS_HEADER, column_bullet, name_and_type_columns, types_in_rows

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
    """An enclosing heading the walk started under (`Walker(enclosing=...)`); `line0` means nothing."""
    has_table: bool = False
    """For inherited headings: a table was defined under it."""


@dataclass(slots=True)
class Paragraph:
    content: str
    """The raw inline content."""
    line0: int
    end: int
    """The line after the paragraph's block (a list item's paragraph: after the paragraph)."""


class Entangled(Exception):
    """A walk started under enclosing headings (`Walker(enclosing=...)`) met text that adds to a table
    defined under one of them (columns or notes under a sub-heading of the table's heading); the document is
    then read whole."""


class Walker:
    def __init__(self, doc: Document, enclosing: tuple[OpenHeading, ...] = ()) -> None:
        self.doc = doc
        self.stack: list[Heading] = [
            Heading(
                level=h.level, text=h.text, line0=-1, section=h.section, inherited=True, has_table=h.has_table
            )
            for h in enclosing
        ]
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
        self.comments: list[SuppressionComment] = []
        self.first_paragraph: str | None = None
        self.last_paragraph: Paragraph | None = None
        self.inline_index_list = False
        self.bullets: list[Paragraph] = []
        """The first paragraph of each item of the top-level list being walked."""
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

    def walk(self) -> Reading:
        """Walk the document's tokens; what was read."""
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
                line0 = inline.map[0] if inline.map else 0
                paragraph = Paragraph(inline.content, line0, tok.map[1] if tok.map else line0 + 1)
                if depth == 1 and inline.map is not None:
                    self.bullets.append(paragraph)
                self.paragraph(paragraph, depth)
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
        return Reading(
            tables=self.tables,
            index_rows=self.index_rows,
            relationships=self.relationships,
            endpoints=self.endpoints,
            decisions=self.decisions,
            tech=self.tech,
            overview=self.overview,
            diagram=self.diagram,
            title=self.title,
            heading_lines=self.heading_lines,
            comments=self.comments,
        )

    def left_open(self) -> LeftOpen:
        """The headings open at the walk's end: how many of the enclosing ones, and those it opened."""
        return LeftOpen(
            kept=sum(1 for heading in self.stack if heading.inherited),
            opened=tuple(
                OpenHeading(
                    level=h.level, text=h.text, section=h.section, has_table=h.line0 in self.tables_by_heading
                )
                for h in self.stack
                if not h.inherited
            ),
        )

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

    def paragraph(self, paragraph: Paragraph, depth: int) -> None:
        content, line0 = paragraph.content, paragraph.line0
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
        self.last_paragraph = paragraph  # in a list item too: `* **Users table**:` over its table
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
        for notation in read_inline_indexes(content):
            table.inline_indexes.append(
                InlineIndex(
                    notation.columns,
                    notation.unique,
                    notation.method,
                    self.doc.span(line0, self.doc.line_column(line0)),
                )
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
            self.comments.append(SuppressionComment(line0 + offset, m.group(1), codes_found))

    # -- tables ---------------------------------------------------------------------------------------

    def table(self, start: int, end: int) -> None:
        doc = self.doc
        header = split_row(doc.lines[start])
        found = classify([c.text for c in header])
        kind, roles = found.kind, found.roles
        if kind is TableKind.OTHER:
            self.unread_table(start, end, header)
            return
        rows = read_rows(doc, start, end)
        if kind is TableKind.COLUMNS:
            if self.column_table(start, roles, rows):
                self.unused_columns(start, header, roles)
        elif kind is TableKind.INDEXES:
            for row in rows:
                index_row = read_index_row(doc, row.line0, row.cells, roles)
                if index_row is not None:
                    self.index_rows.append(index_row)
        elif kind is TableKind.TECH_STACK:
            for row in rows:
                get = _getter(row.cells, roles)
                self.tech.append(
                    construct(
                        TechChoice,
                        layer=get(Role.LAYER) or "",
                        technology=get(Role.TECHNOLOGY) or "",
                        why=get(Role.WHY),
                        span=doc.span(row.line0, doc.line_column(row.line0)),
                    )
                )
        elif kind is TableKind.DECISIONS:
            for row in rows:
                get = _getter(row.cells, roles)
                self.decisions.append(
                    construct(
                        Decision,
                        decision=get(Role.DECISION) or "",
                        choice=get(Role.CHOICE),
                        alternatives=get(Role.ALTERNATIVES),
                        why=get(Role.WHY),
                        span=doc.span(row.line0, doc.line_column(row.line0)),
                    )
                )

    def unread_table(self, start: int, end: int, header: list[Cell]) -> None:
        """P040 at a table whose header specc does not read but whose cells look like a column table: a
        column of names beside a column of SQL types (never silent, issue 15 item 14)."""
        if self.payload or self.innermost_section() in ("constraints", "indexes") or len(header) < 2:
            return
        if NOT_COLUMNS_HEADER.match(plain(header[0].text)):
            return  # `| Parameter | Type |`, `| Variable | Type | Default |`: parameters and settings
        body = [line for line in self.doc.lines[start + 2 : end] if line.strip()]
        if len(body) < 2:
            return  # (split here, not by read_rows: a table that is not read reports nothing about its rows)
        found = name_and_type_columns(
            [[plain(c.text).strip("` ") for c in split_row(line)[: len(header)]] for line in body]
        )
        if found is None:
            return
        names, types = found.names, found.types
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

    def column_bullets(self, items: list[Paragraph]) -> None:
        """A list whose items each define a column in code (`` - `organization_id uuid not null fk
        organizations(id)` `` under `### profiles`) is a column table: name, then type and constraints,
        then any prose after the code as its description."""
        rows: list[Row] = []
        for item in items:
            cells = column_bullet(self.doc, item.content, item.line0)
            if cells is not None:
                rows.append(Row(item.line0, cells))
        if len(rows) < 2 or len(rows) * 5 < len(items) * 4 or self.payload:
            return
        roles = {Role.NAME: 0, Role.TYPE: 1, Role.DESCRIPTION: 2}
        self.last_paragraph = None  # the list's own items are no caption
        self.column_table(items[0].line0, roles, rows)

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

    def column_table(self, start: int, roles: dict[Role, int], rows: list[Row]) -> bool:
        """Read a column table into the table its heading or caption names; False when it is not read."""
        doc = self.doc
        if self.payload:
            return False  # the fields of a request or response body (read with the endpoint, if any)
        if self.innermost_section() in ("constraints", "indexes") and not types_in_rows(rows, roles):
            return False  # `## Constraints` / `## Indexes` listing names and kinds (`| Name | Type |`)
        name: str | None = None
        renamed: str | None = None
        heading_line = -1
        problem: NameProblem | None = None
        caption = self.last_paragraph
        if caption is not None and caption.end >= start - 1 and _CAPTION.match(caption.content.strip()):
            read = table_name_from_heading(caption.content)
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
            if role in roles
            and ox_table([r.cells[roles[role]].text for r in rows if roles[role] < len(r.cells)])
        )
        for row in rows:
            cells = row.cells
            listed = listed_names(cells[name_at].text) if 0 <= name_at < len(cells) else []
            if not listed:
                raw = read_column_row(doc, row.line0, cells, roles, ox)
                if raw is not None:
                    raw_table.columns.append(raw)
            for one in listed:  # `created_at, updated_at`: one column per name, the rest shared
                named = [
                    *cells[:name_at],
                    Cell(one.name, cells[name_at].column + one.offset),
                    *cells[name_at + 1 :],
                ]
                raw = read_column_row(doc, row.line0, named, roles, ox)
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


def _getter(cells: list[Cell], roles: dict[Role, int]) -> Callable[[Role], str | None]:
    def get(role: Role) -> str | None:
        idx = roles.get(role)
        if idx is None or idx >= len(cells):
            return None
        return plain(cells[idx].text) or None

    return get
