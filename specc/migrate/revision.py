"""Rendering one revision file from a list of changes: upgrade runs them, downgrade runs their inverses."""

from __future__ import annotations

import re
import textwrap

from specc.diff.changes import (
    AddCheck,
    AddColumn,
    AddForeignKey,
    AddPrimaryKey,
    AddUnique,
    AlterColumnAutoincrement,
    AlterColumnDefault,
    AlterColumnNullable,
    AlterColumnType,
    AlterEnumValues,
    BaseChange,
    Change,
    CreateEnum,
    CreateIndex,
    CreateTable,
    DropCheck,
    DropColumn,
    DropEnum,
    DropForeignKey,
    DropIndex,
    DropPrimaryKey,
    DropTable,
    DropUnique,
    RenameColumn,
    RenameTable,
    reverse_all,
)
from specc.emit.base import marker_lines
from specc.emit.sqltypes import PG_TYPE_SOURCE, PG_TYPE_SOURCE_IMPORTS
from specc.migrate.ops import RAW_TYPE_MODULE, Context, render_change
from specc.pycode.imports import PyImport, import_lines
from specc.pycode.layout import LINE_LENGTH, too_long
from specc.pycode.literals import comment_text, docstring_text, py_str

MAX_REVISION_ID = 32
"""Alembic stores the revision id in `alembic_version.version_num VARCHAR(32)`."""

_SEQUENCE = PyImport("collections.abc", "Sequence")


def _slug_text(text: str) -> str:
    return re.sub(r"_+", "_", re.sub(r"[^a-z0-9]+", "_", text.lower())).strip("_")


def revision_id(number: int, changes: list[Change]) -> str:
    """`0001_initial` for the first revision, else `NNNN_<slug of its most significant change>`, at most 32
    characters (Alembic's version table holds 32)."""
    prefix = f"{number:04d}_"
    slug = "initial" if number == 1 else (_slug_text(_naming_change(changes).slug()) if changes else "empty")
    return (prefix + slug)[:MAX_REVISION_ID].rstrip("_")


# Which change names a revision: the most significant kind present (tables, then columns, then keys and
# indexes); enum types, renamed constraints and dropped keys mostly follow from one of those.
_NAMING_ORDER: tuple[type[BaseChange], ...] = (
    CreateTable,
    DropTable,
    RenameTable,
    AddColumn,
    DropColumn,
    RenameColumn,
    AlterColumnType,
    AlterColumnNullable,
    AlterColumnDefault,
    AlterColumnAutoincrement,
    AlterEnumValues,
    AddForeignKey,
    AddPrimaryKey,
    AddUnique,
    AddCheck,
    CreateIndex,
    DropForeignKey,
    DropPrimaryKey,
    DropUnique,
    DropCheck,
    DropIndex,
    CreateEnum,
    DropEnum,
)


def _naming_change(changes: list[Change]) -> Change:
    rank = {kind: i for i, kind in enumerate(_NAMING_ORDER)}
    return min(changes, key=lambda c: rank.get(type(c), len(rank)))


def _body(changes: list[Change], ctx: Context) -> str:
    inner = Context(imports=ctx.imports, width=ctx.width)
    for change in changes:
        render_change(change, inner)
    return "\n".join(inner.lines) if inner.lines else "    pass"


def _noqa_long_lines(text: str, width: int) -> str:
    """Literal SQL or long names can exceed the line length; mark those code lines instead of breaking them
    (comment lines are wrapped, see `_comment_lines`)."""
    out = []
    for line in text.split("\n"):
        if too_long(line, width) and not line.startswith("#") and not line.rstrip().endswith("# noqa: E501"):
            line += "  # noqa: E501"
        out.append(line)
    return "\n".join(out)


def _comment_lines(text: str, width: int) -> list[str]:
    """`# - text` wrapped at `width` (a name longer than a line is broken across lines). No `noqa` comment:
    it would be an unused one where E501 is not enabled (ruff's default rules report that)."""
    words = textwrap.wrap(comment_text(text), width - 4, break_on_hyphens=False)
    return [("# - " if index == 0 else "#   ") + line for index, line in enumerate(words)]


def revision_message(number: int, changes: list[Change]) -> str:
    """One line saying what a revision does (what `alembic history` shows): the initial schema, else its most
    significant change and how many more there are."""
    if number == 1:
        tables = sum(isinstance(c, CreateTable) for c in changes)
        return f"Initial schema: {tables} table{'s' if tables != 1 else ''}"
    if not changes:
        return "No schema change"
    first = _naming_change(changes).describe()
    more = len(changes) - 1
    text = first[:1].upper() + first[1:]
    return text + (f" (and {more} more change{'s' if more != 1 else ''})" if more else "")


def revision_docstring(message: str, rev_id: str, down_revision: str | None, source: str, width: int) -> str:
    """The revision's module docstring: the message first (Alembic shows the docstring's first paragraph as
    the revision's message), then the ids and specc's generated-file marker. Every line fits in `width`; a
    message that does not is cut (the full list of changes follows in comments)."""
    first = docstring_text(message)
    if len(first) + 3 > width:
        first = first[: max(width - 6, 10)].rstrip() + "..."
    marker = marker_lines(source, width)
    lines = [
        f'"""{first}',
        "",
        f"Revision ID: {rev_id}",
        f"Revises: {down_revision or 'nothing (first revision)'}",
    ]
    return "\n".join([*lines, *marker, '"""']) + "\n"


def render_revision(
    rev_id: str,
    down_revision: str | None,
    changes: list[Change],
    source: str,
    number: int | None = None,
    width: int = LINE_LENGTH,
) -> str:
    """The full text of a revision file (formatted as `ruff format` would, passes `mypy --strict`).
    `number`: the revision's position in the history (1 for the first), read from `rev_id` when not given."""
    if number is None:
        number = int(rev_id.split("_", 1)[0]) if rev_id[:4].isdigit() else 0
    ctx = Context(imports={_SEQUENCE}, width=width)
    upgrade = _body(changes, ctx)
    downgrade = _body(reverse_all(changes), ctx)
    raw_type = PyImport(RAW_TYPE_MODULE, "PgType")
    helper = ""
    if raw_type in ctx.imports:
        ctx.imports.discard(raw_type)
        ctx.imports.update(PG_TYPE_SOURCE_IMPORTS)
        helper = "\n\n" + PG_TYPE_SOURCE
    summary = "\n".join(line for change in changes for line in _comment_lines(change.describe(), width))
    down = py_str(down_revision) if down_revision is not None else "None"
    docstring = revision_docstring(revision_message(number, changes), rev_id, down_revision, source, width)
    text = (
        "\n# Changes:\n"
        + summary
        + "\n\n"
        + "\n".join(import_lines(ctx.imports, width))
        + "\n\n"
        + f"revision: str = {py_str(rev_id)}\n"
        + f"down_revision: str | None = {down}\n"
        + "branch_labels: str | Sequence[str] | None = None\n"
        + "depends_on: str | Sequence[str] | None = None\n"
        + helper
        + "\n\ndef upgrade() -> None:\n"
        + upgrade
        + "\n\n\ndef downgrade() -> None:\n"
        + downgrade
        + "\n"
    )
    return docstring + _noqa_long_lines(text, width)
