"""What the CHECK constraints of a table let each column hold, as far as a test-data factory needs to know.

Each CHECK (as the document writes it) is read with sqlglot's PostgreSQL dialect and split at its
top-level ANDs. A conjunct of one of these forms limits one column:

- `col IN (v, ...)`, `col = v`: the values listed (the factory takes the first that fits);
- `col > n`, `col >= n`, `col < n`, `col <= n` (the number on either side), `col BETWEEN a AND b`: bounds;
- `col <> v` (or `!=`): a value to avoid;
- `length(col)` / `char_length(col)` / `character_length(col)` compared with a number: length bounds;
- `col <> ''`, `trim(col) <> ''`: at least one character;
- `col IS NOT NULL`: the column must hold a value.

Casts and parentheses around a column or a literal are looked through. Any other conjunct, and a CHECK that
sqlglot cannot read, marks every column it names `unknown`: the factory cannot promise a valid value for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from specc.ir.model import Table
from specc.sql.lexer import Kind, tokenize

if TYPE_CHECKING:
    from sqlglot import exp

CheckValue = str | Decimal | bool
"""A literal from a CHECK: text, a number or a boolean."""

MAX_NESTING = 24
"""Brackets nested deeper than this are not handed to sqlglot (its parser recurses per level)."""


@dataclass
class ColumnLimits:
    """What the CHECKs of its table allow one column to hold."""

    choices: tuple[CheckValue, ...] | None = None
    """The only values allowed (IN / =), in the order written; None when not limited to a list."""
    lower: Decimal | None = None
    lower_inclusive: bool = True
    upper: Decimal | None = None
    upper_inclusive: bool = True
    min_length: int = 0
    max_length: int | None = None
    excluded: list[CheckValue] = field(default_factory=list)
    not_null: bool = False
    """`col IS NOT NULL`: the column must get a value even when it is nullable."""
    unknown: bool = False
    """Named by a CHECK specc does not understand."""

    def allows(self, value: CheckValue) -> bool:
        """Whether `value` passes the choices, exclusions and bounds (lengths are the caller's)."""
        if self.choices is not None and value not in self.choices:
            return False
        if value in self.excluded:
            return False
        if isinstance(value, Decimal) and not isinstance(value, bool):
            if self.lower is not None and (
                value < self.lower or (value == self.lower and not self.lower_inclusive)
            ):
                return False
            if self.upper is not None and (
                value > self.upper or (value == self.upper and not self.upper_inclusive)
            ):
                return False
        return True

    def has_bounds(self) -> bool:
        return self.lower is not None or self.upper is not None


def column_limits(table: Table) -> dict[str, ColumnLimits]:
    """Column name → its limits, for every column of `table` (columns no CHECK names have none). The
    CHECKs are read as the document writes them (the models put them into the database so): the normalised
    spelling of `specc.db.lower` collapses blanks inside string literals too."""
    limits = {col.name: ColumnLimits() for col in table.columns}
    for expression in [*(c.check for c in table.columns if c.check), *(c.expression for c in table.checks)]:
        _apply_check(expression, limits)
    return limits


def _apply_check(expression: str, limits: dict[str, ColumnLimits]) -> None:
    tree = _parse(expression)
    if tree is None:
        for name in _named_columns_by_tokens(expression, limits):
            limits[name].unknown = True
        return
    for conjunct in _conjuncts(tree):
        if not _apply_conjunct(conjunct, limits):
            for name in _named_columns(conjunct, limits):
                limits[name].unknown = True


def _parse(expression: str) -> exp.Expression | None:
    """The CHECK as a sqlglot tree, or None when it is nested too deeply or sqlglot cannot read it."""
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import SqlglotError

    depth = deepest = 0
    for token in tokenize(expression):
        if token.kind is Kind.OPEN:
            depth += 1
            deepest = max(deepest, depth)
        elif token.kind is Kind.CLOSE:
            depth -= 1
    if deepest > MAX_NESTING:
        return None
    try:
        tree = sqlglot.parse_one(expression, read="postgres")
    except SqlglotError:
        return None
    return tree if isinstance(tree, exp.Expression) else None


def _named_columns_by_tokens(expression: str, limits: dict[str, ColumnLimits]) -> list[str]:
    """Columns a CHECK that sqlglot cannot read names, by its words and quoted identifiers."""
    found: list[str] = []
    for token in tokenize(expression):
        text = expression[token.start : token.end]
        if token.kind is Kind.QUOTED_IDENTIFIER:
            name: str | None = text[1:-1].replace('""', '"')
            name = name if name in limits else None
        elif token.kind is Kind.WORD:
            name = _resolve(text, quoted=False, limits=limits)
        else:
            continue
        if name is not None and name not in found:
            found.append(name)
    return found


def _conjuncts(tree: exp.Expression) -> list[exp.Expression]:
    from sqlglot import exp

    node = _unparen(tree)
    if isinstance(node, exp.And):
        return [*_conjuncts(node.this), *_conjuncts(node.expression)]
    return [node]


def _unparen(node: exp.Expression) -> exp.Expression:
    from sqlglot import exp

    while isinstance(node, exp.Paren):
        node = node.this
    return node


def _operand(node: exp.Expression) -> exp.Expression:
    """`node` without parentheses and casts around it."""
    from sqlglot import exp

    node = _unparen(node)
    while isinstance(node, exp.Cast):
        node = _unparen(node.this)
    return node


def _resolve(name: str, quoted: bool, limits: dict[str, ColumnLimits]) -> str | None:
    """The table's column a name in a CHECK refers to: quoted names exactly, others folded to lower case as
    PostgreSQL folds them."""
    if quoted:
        return name if name in limits else None
    if name.lower() in limits:
        return name.lower()
    return None


def _column(node: exp.Expression, limits: dict[str, ColumnLimits]) -> str | None:
    from sqlglot import exp

    node = _operand(node)
    if not isinstance(node, exp.Column) or not isinstance(node.this, exp.Identifier):
        return None
    return _resolve(node.this.this, bool(node.this.args.get("quoted")), limits)


def _named_columns(node: exp.Expression, limits: dict[str, ColumnLimits]) -> list[str]:
    from sqlglot import exp

    found: list[str] = []
    for column in node.find_all(exp.Column):
        name = _column(column, limits)
        if name is not None and name not in found:
            found.append(name)
    return sorted(found)


def _literal(node: exp.Expression) -> CheckValue | None:
    from sqlglot import exp

    node = _operand(node)
    negative = False
    if isinstance(node, exp.Neg):
        negative = True
        node = _operand(node.this)
    if isinstance(node, exp.Boolean) and not negative:
        return bool(node.this)
    if not isinstance(node, exp.Literal):
        return None
    if node.is_string:
        return None if negative else str(node.this)
    try:
        number = Decimal(str(node.this))
    except InvalidOperation:
        return None
    if not number.is_finite():
        return None
    return -number if negative else number


def _length_of(node: exp.Expression, limits: dict[str, ColumnLimits]) -> str | None:
    """The column of `length(col)` / `char_length(col)` / `character_length(col)`."""
    from sqlglot import exp

    node = _operand(node)
    if isinstance(node, exp.Length) and not node.args.get("binary"):
        return _column(node.this, limits)
    return None


def _trimmed(node: exp.Expression, limits: dict[str, ColumnLimits]) -> str | None:
    """The column of a plain `trim(col)`."""
    from sqlglot import exp

    node = _operand(node)
    if isinstance(node, exp.Trim) and node.args.get("expression") is None:
        return _column(node.this, limits)
    return None


_FLIPPED = {"GT": "LT", "GTE": "LTE", "LT": "GT", "LTE": "GTE", "EQ": "EQ", "NEQ": "NEQ"}


def _apply_conjunct(node: exp.Expression, limits: dict[str, ColumnLimits]) -> bool:
    """Record what the conjunct `node` says about one column; False when it is not a form specc reads."""
    from sqlglot import exp

    node = _unparen(node)
    if isinstance(node, exp.Is) and node.args.get("negate") and isinstance(node.expression, exp.Null):
        column = _column(node.this, limits)
        if column is None:
            return False
        limits[column].not_null = True
        return True
    if isinstance(node, exp.Not) and isinstance(_unparen(node.this), exp.Is):
        inner = _unparen(node.this)
        column = _column(inner.this, limits)
        if column is None or not isinstance(inner.expression, exp.Null):
            return False
        limits[column].not_null = True
        return True
    if isinstance(node, exp.In):
        return _apply_in(node, limits)
    if isinstance(node, exp.Between):
        column = _column(node.this, limits)
        low, high = _literal(node.args["low"]), _literal(node.args["high"])
        if column is None or not isinstance(low, Decimal) or not isinstance(high, Decimal):
            return False
        _bound(limits[column], "GTE", low)
        _bound(limits[column], "LTE", high)
        return True
    kind = type(node).__name__.upper()
    if kind not in _FLIPPED or not isinstance(node, exp.Binary):
        return False
    left, right = node.this, node.expression
    if _literal(left) is not None and _literal(right) is None:
        left, right, kind = right, left, _FLIPPED[kind]
    value = _literal(right)
    if value is None:
        return False
    return _apply_comparison(left, kind, value, limits)


def _apply_in(node: exp.In, limits: dict[str, ColumnLimits]) -> bool:
    column = _column(node.this, limits)
    if column is None or node.args.get("query") is not None or not node.expressions:
        return False
    values = [_literal(v) for v in node.expressions]
    listed = tuple(v for v in values if v is not None)
    if len(listed) != len(values):
        return False
    _choose(limits[column], listed)
    return True


def _choose(limit: ColumnLimits, values: tuple[CheckValue, ...]) -> None:
    if limit.choices is None:
        limit.choices = values
    else:
        limit.choices = tuple(v for v in limit.choices if v in values)


def _apply_comparison(
    left: exp.Expression, kind: str, value: CheckValue, limits: dict[str, ColumnLimits]
) -> bool:
    column = _column(left, limits)
    if column is not None:
        limit = limits[column]
        if kind == "EQ":
            _choose(limit, (value,))
        elif kind == "NEQ":
            if value == "":
                limit.min_length = max(limit.min_length, 1)
            limit.excluded.append(value)
        elif isinstance(value, Decimal):
            _bound(limit, kind, value)
        else:
            return False
        return True
    trimmed = _trimmed(left, limits)
    if trimmed is not None and kind == "NEQ" and value == "":
        limits[trimmed].min_length = max(limits[trimmed].min_length, 1)
        return True
    measured = _length_of(left, limits)
    if measured is None or not isinstance(value, Decimal) or kind in ("EQ", "NEQ"):
        return False
    _length_bound(limits[measured], kind, value)
    return True


def _bound(limit: ColumnLimits, kind: str, value: Decimal) -> None:
    if kind in ("GT", "GTE"):
        inclusive = kind == "GTE"
        if limit.lower is None or value > limit.lower or (value == limit.lower and not inclusive):
            limit.lower, limit.lower_inclusive = value, inclusive
    else:
        inclusive = kind == "LTE"
        if limit.upper is None or value < limit.upper or (value == limit.upper and not inclusive):
            limit.upper, limit.upper_inclusive = value, inclusive


def _length_bound(limit: ColumnLimits, kind: str, value: Decimal) -> None:
    whole = int(value.to_integral_value(rounding="ROUND_FLOOR"))
    if kind == "GT":
        limit.min_length = max(limit.min_length, whole + 1)
    elif kind == "GTE":
        limit.min_length = max(limit.min_length, whole if value == whole else whole + 1)
    elif kind in ("LT", "LTE"):
        most = whole - 1 if kind == "LT" and value == whole else whole
        limit.max_length = most if limit.max_length is None else min(limit.max_length, most)
