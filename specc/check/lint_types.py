"""Lint: column types (timezones, string lengths, money)."""

from __future__ import annotations

from collections.abc import Iterator

from specc.check.registry import Finding, check_rule
from specc.check.util import name_tokens
from specc.diagnostics import Severity
from specc.ir.model import Spec
from specc.ir.types import sql_type

_NAIVE = {"TIMESTAMP": "TIMESTAMPTZ", "TIME": "TIMESTAMPTZ (or TIMETZ for a time of day)"}


@check_rule(
    "L003",
    Severity.WARNING,
    "Timestamp without time zone",
    "TIMESTAMP (and TIME) store wall-clock values with no time zone, so the same instant reads differently "
    "depending on the server and client settings. WORKFLOW.md §7: use TIMESTAMPTZ for every datetime "
    "column. If a column really is a time of day independent of zones (opening hours), suppress the code "
    "on that line.",
    "### events\n\n| Column | Type | Constraints |\n| --- | --- | --- |\n"
    "| starts_at | TIMESTAMP | NOT NULL |",
)
def naive_timestamp(spec: Spec) -> Iterator[Finding]:
    for table in spec.tables:
        for column in table.columns:
            base = sql_type(column.type).base
            if base in _NAIVE:
                yield Finding(
                    f"column {table.name}.{column.name} is {column.type}, a time without time zone",
                    (column.type_span, column.span, table.span),
                    hint=f"use {_NAIVE[base]}",
                )


_LENGTH_HINT = {"VARCHAR": "VARCHAR(n) with an explicit n, or TEXT", "CHAR": "CHAR(n) with an explicit n"}


@check_rule(
    "L004",
    Severity.WARNING,
    "String column without a length",
    "VARCHAR without a length is unbounded (and CHAR without one is CHAR(1), usually a mistake). "
    "WORKFLOW.md §8 asks for explicit maximum lengths on string input; the length also becomes the "
    "`max_length` of the generated Pydantic field. Give the length, or use TEXT on purpose.",
    "### users\n\n| Column | Type | Constraints |\n| --- | --- | --- |\n| email | VARCHAR | NOT NULL |",
)
def string_without_length(spec: Spec) -> Iterator[Finding]:
    for table in spec.tables:
        for column in table.columns:
            structured = sql_type(column.type)
            if structured.known and structured.base in _LENGTH_HINT and structured.length is None:
                yield Finding(
                    f"column {table.name}.{column.name} is {column.type} without a length",
                    (column.type_span, column.span, table.span),
                    hint=f"use {_LENGTH_HINT[structured.base]}",
                )


_MONEY_WORDS = frozenset(
    {"price", "amount", "cost", "subtotal", "balance", "fee", "fees", "salary", "wage", "tax",
     "discount", "revenue", "payment", "refund", "budget", "charge", "money", "tip", "payout", "prices"}
)  # fmt: skip
_FLOATS = frozenset({"REAL", "DOUBLE PRECISION"})


@check_rule(
    "L005",
    Severity.WARNING,
    "Money stored as floating point",
    "A money-like column (price, amount, total, balance, fee…) is REAL or DOUBLE PRECISION. Binary "
    "floating point cannot represent most decimal fractions, so sums drift by cents. Use NUMERIC(12,2) (or "
    "an integer number of cents).",
    "### orders\n\n| Column | Type | Constraints |\n| --- | --- | --- |\n| total_price | DOUBLE | NOT NULL |",
)
def money_as_float(spec: Spec) -> Iterator[Finding]:
    for table in spec.tables:
        for column in table.columns:
            if sql_type(column.type).base in _FLOATS and _MONEY_WORDS.intersection(name_tokens(column.name)):
                yield Finding(
                    f"column {table.name}.{column.name} looks like money but is {column.type}",
                    (column.type_span, column.span, table.span),
                    hint="use NUMERIC(12,2) or an integer amount in cents",
                )
