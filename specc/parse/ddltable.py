"""A parsed `CREATE TABLE` statement read from its syntax tree into a raw table; the text of types, defaults
and checks is taken from the statement as written."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast, get_args

from specc.ir.model import CheckConstraint, Column, ForeignKey, ReferentialAction, construct
from specc.ir.types import read_type, sql_type
from specc.parse import codes
from specc.parse.constraints import normalise_default, sql_default
from specc.parse.ddlparse import (
    Parsed,
    StatementTokens,
    TokenRange,
    identifiers,
    loose_rest,
    quote,
    read_column_type,
    render,
    table_parts,
)
from specc.parse.ddlsplit import FencePlaces, Statement
from specc.parse.names import NameProblem, source_name_problem
from specc.parse.tables import InlineIndex, RawColumn, RawTable
from specc.sql.expression import expression_problem

if TYPE_CHECKING:
    from sqlglot import exp

_ACTION = re.compile(
    r"ON\s+(DELETE|UPDATE)\s+(CASCADE|SET\s+NULL|SET\s+DEFAULT|RESTRICT|NO\s+ACTION)$", re.IGNORECASE
)


_DEFAULT_REFERENCE_OPTIONS = frozenset({"NOT DEFERRABLE", "INITIALLY IMMEDIATE", "MATCH SIMPLE"})
"""Foreign-key options that say what PostgreSQL does anyway: nothing is left out by not reading them."""


_MAX_LISTED = 6
"""How many left-out parts one P035 message names."""


@dataclass
class _Fk:
    target: str
    column: str | None
    on_delete: ReferentialAction | None
    on_update: ReferentialAction | None
    at: int


@dataclass
class _ColumnFacts:
    name: str
    at: int
    type: str
    type_at: int
    autoincrement: bool
    constraints_at: int | None
    not_null: bool = False
    primary_key: bool = False
    unique: bool = False
    default: str | None = None
    default_at: int = 0
    check: str | None = None
    fk: _Fk | None = None
    description: str | None = None

    @property
    def written_at(self) -> int:
        """Where the column's constraints are written (its name when it has none)."""
        return self.at if self.constraints_at is None else self.constraints_at


class TableReader(StatementTokens):
    def __init__(
        self, places: FencePlaces, statement: Statement, parsed: Parsed, enums: dict[str, str]
    ) -> None:
        super().__init__(statement, parsed)
        self.places = places
        self.enums = enums
        self.columns: dict[str, _ColumnFacts] = {}
        self.left_out: list[str] = []
        self.checks: list[CheckConstraint] = []
        self.indexes: list[InlineIndex] = []
        self.description: str | None = None

    # the statement

    def read(self) -> RawTable | None:
        from sqlglot import exp

        tree = self.parsed.tree
        where = self.statement.start
        schema = tree.this
        if not isinstance(schema, exp.Schema) or not isinstance(schema.this, exp.Table):
            source = "a query (CREATE TABLE ... AS)" if tree.args.get("expression") else "another table"
            self.places.report(
                codes.SQL_SCHEMA_NOT_READ,
                f"CREATE TABLE statement not read: its columns come from {source}, not from column "
                "definitions",
                where,
                hint="write the column definitions, or describe the table with a column table",
            )
            return None
        name = str(schema.this.name).lower()
        name_token = self.token_at(schema.this.this)
        table_problem = source_name_problem(name, "table name")
        if table_problem is not None:
            self._report_name(table_problem, name_token if name_token is not None else 0)
        found = self.items()
        items, stray = found.items, found.stray
        for token in stray:
            self.places.report(
                codes.SQL_SCHEMA_NOT_READ,
                f"CREATE TABLE {name}: this comma ends an empty definition, which PostgreSQL rejects; the "
                "other definitions are read",
                self.at(token),
                hint="remove the comma",
            )
        by_start = {self.parsed.starts[item.first]: item for item in items}
        claimed: set[TokenRange] = set()
        others: list[exp.Expression] = []
        for node in schema.expressions:
            if isinstance(node, exp.ColumnDef):
                start = node.this.meta.get("start") if isinstance(node.this, exp.Identifier) else None
                item = by_start.get(start) if isinstance(start, int) else None
                if item is None:
                    self.left_out.append(f"column {quote(render(node))}")
                    continue
                claimed.add(item)
                self._column(node, item)
            else:
                others.append(node)
        rest = [item for item in items if item not in claimed]
        for k, node in enumerate(others):
            self._table_item(node, rest[k] if len(rest) == len(others) else None)
        self._properties(tree)
        if tree.args.get("expression") is not None:
            self.left_out.append("the query after AS")
        if not self.columns:
            self.places.report(
                codes.SQL_SCHEMA_NOT_READ,
                f"CREATE TABLE {name} not read: no column definition could be read" + self._listed(),
                where,
                hint="write the column definitions, or describe the table with a column table",
            )
            return None
        if self.left_out:
            self.places.report(
                codes.SQL_SCHEMA_NOT_READ,
                f"CREATE TABLE {name}: left out" + self._listed(),
                where,
                hint="describe what was left out in prose, or remove it from the statement",
            )
        table = RawTable(
            name=name, span=self.places.span(where), renamed_from=None, description=self.description
        )
        table.columns.extend(self._build(facts) for facts in self.columns.values())
        table.checks.extend(self.checks)
        table.inline_indexes.extend(self.indexes)
        return table

    def _listed(self) -> str:
        """` <part>; <part>; and N more`: what `left_out` names, or nothing."""
        if not self.left_out:
            return ""
        shown = self.left_out[:_MAX_LISTED]
        more = len(self.left_out) - len(shown)
        return " " + "; ".join(shown) + (f"; and {more} more" if more else "")

    def _report_name(self, problem: NameProblem, token: int) -> None:
        written = self.source(token, token)
        found = written.find(problem.needle)
        self.places.report(problem.code, problem.message, self.at(token) + max(found, 0), problem.hint)

    # columns

    def _column(self, node: exp.ColumnDef, item: TokenRange) -> None:
        from sqlglot import exp

        first, last = item.first, item.last
        name = str(node.name)
        if name in self.columns:
            self.left_out.append(f"the second definition of column {name}")
            return
        problem = source_name_problem(name, "column name")
        if problem is not None:
            self._report_name(problem, first)
        kind = node.args.get("kind")
        tokens = self.scan_column(first, last)
        if not isinstance(kind, exp.DataType) or tokens.type_end <= first + 1:
            self.left_out.append(f"column {name}, which has no type")
            return
        type_text = self.source(first + 1, tokens.type_end - 1)
        type_at = self.at(first + 1)
        written = self._enum_spelling(type_text) or type_text
        known = read_type(written)
        alternative = render(kind) if known is None or loose_rest(known.rest) else None
        column_type = read_column_type(self.places, written, name, type_at, alternative)
        facts = _ColumnFacts(
            name=name,
            at=self.at(first),
            type=column_type.type,
            type_at=type_at,
            autoincrement=column_type.autoincrement,
            constraints_at=self.at(tokens.type_end) if tokens.type_end <= last else None,
        )
        defaults = iter(tokens.defaults)
        checks = iter(tokens.checks)
        references = iter(tokens.references)
        for constraint in node.args.get("constraints") or []:
            kind_node = constraint.args.get("kind") if isinstance(constraint, exp.ColumnConstraint) else None
            self._column_constraint(facts, kind_node, constraint, defaults, checks, references)
        self.columns[name] = facts

    def _enum_spelling(self, type_text: str) -> str | None:
        """`ENUM('a','b')` for a column typed with an enum created in the same fence (`mood`, `mood[]`)."""
        if read_type(type_text) is not None:
            return None
        stripped = type_text.strip()
        dims = 0
        while stripped.endswith("]") and "[" in stripped:
            stripped = stripped[: stripped.rindex("[")].rstrip()
            dims += 1
        key = stripped.rsplit(".", 1)[-1].strip('"`').lower()
        values = self.enums.get(key)
        return None if values is None else values + "[]" * dims

    def _column_constraint(
        self,
        facts: _ColumnFacts,
        kind: object,
        constraint: exp.Expression,
        defaults: Iterator[TokenRange],
        checks: Iterator[TokenRange],
        references: Iterator[int],
    ) -> None:
        from sqlglot import exp

        if isinstance(kind, exp.NotNullColumnConstraint):
            facts.not_null = not kind.args.get("allow_null")
        elif isinstance(kind, exp.PrimaryKeyColumnConstraint):
            facts.primary_key = True
        elif isinstance(kind, exp.UniqueColumnConstraint) and not kind.args.get("nulls"):
            facts.unique = True
        elif isinstance(kind, exp.DefaultColumnConstraint):
            span = next(defaults, None)
            if span is not None:
                facts.default = self.text(span).strip()
                facts.default_at = self.at(span.first)
            else:
                facts.default = render(kind.this)
                facts.default_at = facts.written_at
        elif isinstance(kind, exp.CheckColumnConstraint):
            span = next(checks, None)
            text = (
                self.text(span).strip() if span is not None and span.last >= span.first else render(kind.this)
            )
            if facts.check is None:
                facts.check = text
            else:
                name = constraint.args.get("this")
                self.checks.append(
                    construct(
                        CheckConstraint,
                        expression=text,
                        name=str(name.name) if isinstance(name, exp.Identifier) else None,
                        span=self.places.span(facts.at),
                    )
                )
        elif isinstance(kind, exp.Reference):
            at = next(references, facts.written_at)
            fk = self._reference(kind, at, f"column {facts.name}")
            if fk is not None:
                facts.fk = fk
        elif isinstance(kind, exp.AutoIncrementColumnConstraint) or (
            isinstance(kind, exp.GeneratedAsIdentityColumnConstraint) and kind.args.get("expression") is None
        ):
            facts.autoincrement = True
        elif isinstance(kind, exp.CommentColumnConstraint):
            facts.description = (
                str(kind.this.name) if isinstance(kind.this, exp.Literal) else render(kind.this)
            )
        elif isinstance(kind, exp.CharacterSetColumnConstraint):
            pass  # MySQL's character set: PostgreSQL stores every text column in the database encoding
        else:
            self.left_out.append(f"{quote(render(constraint))} of column {facts.name}")

    def _reference(self, node: exp.Reference, at: int, owner: str) -> _Fk | None:
        """The target of `REFERENCES t(c) ON DELETE ...` for a key of one column."""
        from sqlglot import exp

        target = node.this
        referenced: list[str] = []
        if isinstance(target, exp.Schema):
            referenced = identifiers(target.expressions) or []
            if len(referenced) != len(target.expressions):
                self.left_out.append(f"the foreign key of {owner}, which references expressions")
                return None
            target = target.this
        if not isinstance(target, exp.Table):
            self.left_out.append(f"the foreign key of {owner}")
            return None
        if len(referenced) > 1:
            self.left_out.append(f"the foreign key of {owner}, which references {len(referenced)} columns")
            return None
        actions: dict[str, ReferentialAction] = {}
        for option in node.args.get("options") or []:
            text = " ".join(str(option).upper().split())
            action = _ACTION.match(text)
            if action is not None:
                actions[action.group(1)] = cast(ReferentialAction, " ".join(action.group(2).split()))
            elif text not in _DEFAULT_REFERENCE_OPTIONS:
                self.left_out.append(f"{quote(text)} of the foreign key of {owner}")
        return _Fk(
            target=".".join(table_parts(target)),
            column=referenced[0] if referenced else None,
            on_delete=actions.get("DELETE"),
            on_update=actions.get("UPDATE"),
            at=at,
        )

    # table constraints

    def _table_item(self, node: exp.Expression, item: TokenRange | None) -> None:
        from sqlglot import exp

        at = self.at(item.first) if item is not None else self.statement.start
        if isinstance(node, exp.Constraint):
            name = str(node.name) or None
            for part in node.expressions:
                self._table_constraint(part, item, at, name)
        else:
            self._table_constraint(node, item, at, None)

    def _table_constraint(
        self, node: exp.Expression, item: TokenRange | None, at: int, name: str | None
    ) -> None:
        from sqlglot import exp

        if isinstance(node, exp.PrimaryKey):
            columns = self._key_columns(node.expressions, "PRIMARY KEY", node)
            for column in columns or []:
                self.columns[column].primary_key = True
        elif isinstance(node, exp.UniqueColumnConstraint) and isinstance(node.this, exp.Schema):
            if node.args.get("nulls"):
                self.left_out.append(f"{quote(self._written(node, item))}: NULLS NOT DISTINCT")
                return
            columns = self._key_columns(node.this.expressions, "UNIQUE", node)
            if columns is not None and len(columns) == 1:
                self.columns[columns[0]].unique = True
            elif columns is not None:
                self.indexes.append(InlineIndex(tuple(columns), True, "btree", self.places.span(at)))
        elif isinstance(node, exp.CheckColumnConstraint):
            text = self._check_text(item) or render(node.this)
            self.checks.append(
                construct(CheckConstraint, expression=text, name=name, span=self.places.span(at))
            )
        elif isinstance(node, exp.ForeignKey):
            self._foreign_key(node, item, at)
        elif isinstance(node, exp.IndexColumnConstraint) and not node.args.get("kind"):
            columns = self._key_columns(node.expressions, "index", node)
            if columns is not None:
                self.indexes.append(InlineIndex(tuple(columns), False, "btree", self.places.span(at)))
        else:
            self.left_out.append(quote(self._written(node, item)))

    def _written(self, node: exp.Expression, item: TokenRange | None) -> str:
        return self.text(item) if item is not None else render(node)

    def _key_columns(self, nodes: list[Any], what: str, node: exp.Expression) -> list[str] | None:
        names = identifiers(nodes)
        if names is None:
            self.left_out.append(f"{what} {quote(render(node))}, which lists expressions")
            return None
        unknown = [n for n in names if n not in self.columns]
        if unknown:
            self.left_out.append(f"{what} on {', '.join(unknown)}, which the statement does not define")
            return None
        return names

    def _check_text(self, item: TokenRange | None) -> str | None:
        if item is None:
            return None
        words = self.parsed.words
        first, last = item.first, item.last
        for j in range(first, last):
            if words[j] == "CHECK" and words[j + 1] == "(":
                close = self.close_of(j + 1, last + 1)
                return self.source(j + 2, close - 1).strip() if close - 1 >= j + 2 else None
        return None

    def _foreign_key(self, node: exp.ForeignKey, item: TokenRange | None, at: int) -> None:
        from sqlglot import exp

        local = identifiers(node.expressions)
        reference = node.args.get("reference")
        if local is None or not isinstance(reference, exp.Reference):
            self.left_out.append(quote(self._written(node, item)))
            return
        if len(local) != 1:
            self.left_out.append(f"the foreign key on ({', '.join(local)}): a key of several columns")
            return
        column = self.columns.get(local[0])
        if column is None:
            self.left_out.append(f"FOREIGN KEY on {local[0]}, which the statement does not define")
            return
        fk = self._reference(reference, at, f"column {column.name}")
        if fk is None:
            return
        for action, key in (("delete", "on_delete"), ("update", "on_update")):
            written = node.args.get(action)
            if written:
                match = " ".join(str(written).upper().split())
                if match in get_args(ReferentialAction):
                    setattr(fk, key, match)
        column.fk = fk

    def _properties(self, tree: exp.Create) -> None:
        from sqlglot import exp

        properties = tree.args.get("properties")
        if not isinstance(properties, exp.Properties):
            return
        harmless = (
            exp.EngineProperty,
            exp.CharacterSetProperty,
            exp.CollateProperty,
            exp.AutoIncrementProperty,
            exp.RowFormatProperty,
            exp.TableSpaceProperty,
        )
        for node in properties.expressions:
            if isinstance(node, exp.SchemaCommentProperty):
                self.description = str(node.this.name) if isinstance(node.this, exp.Literal) else None
            elif not isinstance(node, harmless):
                self.left_out.append(quote(render(node)))

    # the IR

    def _build(self, facts: _ColumnFacts) -> RawColumn:
        default = facts.default
        if default is not None:
            default = normalise_default(default)
            if default == "null":
                default = None
        if default is not None and expression_problem(default, "default") is None:
            sql = sql_type(facts.type)
            textual = not sql.known or (
                sql.base in ("VARCHAR", "CHAR", "TEXT", "ENUM") and not sql.array_dims
            )
            value, problem = sql_default(default, textual)
            if problem is not None:
                self.places.report(
                    codes.BAD_DEFAULT,
                    f"default {default!r} of column {facts.name!r} ignored: {problem}",
                    facts.default_at,
                )
            if value in ("0", "1") and sql.base == "BOOLEAN" and not sql.array_dims:
                value = "true" if value == "1" else "false"  # MySQL's TINYINT(1) flags default to 0 and 1
            default = value
        fk = facts.fk
        fk_span = self.places.span(fk.at) if fk is not None else None
        column = construct(
            Column,
            name=facts.name,
            type=facts.type,
            nullable=not (facts.primary_key or facts.not_null),
            primary_key=facts.primary_key,
            unique=facts.unique,
            autoincrement=facts.autoincrement,
            indexed=False,
            default=default,
            check=facts.check,
            foreign_key=None
            if fk is None
            else construct(
                ForeignKey,
                table=fk.target,
                column=fk.column,
                on_delete=fk.on_delete,
                on_update=fk.on_update,
                span=fk_span,
            ),
            description=facts.description,
            renamed_from=None,
            span=self.places.span(facts.at),
            type_span=self.places.span(facts.type_at),
            constraints_span=self.places.span(facts.constraints_at)
            if facts.constraints_at is not None
            else None,
        )
        return RawColumn(
            column=column,
            fk_target=fk.target if fk is not None else None,
            fk_column=fk.column if fk is not None else None,
            fk_span=fk_span,
        )
