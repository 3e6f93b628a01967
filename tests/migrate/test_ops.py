"""Operation rendering: typed change → exact Alembic code (no database)."""

from __future__ import annotations

from specc.db.model import DbColumn, DbIndex
from specc.diff.changes import (
    AlterColumnNullable,
    AlterColumnType,
    AlterEnumValues,
    CreateIndex,
    EnumUsage,
    RenameColumn,
)
from specc.migrate.ops import Context, render_change


def render(change: object) -> str:
    ctx = Context()
    render_change(change, ctx)  # type: ignore[arg-type]
    return "\n".join(ctx.lines) + "\n"


def test_render_alter_column_type_boolean_to_bigint_casts_through_text_and_moves_default() -> None:
    # Arrange
    old = DbColumn(name="flag", type="BOOLEAN", nullable=False, default="false")
    new = DbColumn(name="flag", type="BIGINT", nullable=False, default="0")
    # Act
    text = render(AlterColumnType(table="items", old=old, new=new))
    # Assert
    assert text == (
        '    op.alter_column("items", "flag", server_default=None)\n'
        "    op.alter_column(\n"
        '        "items",\n'
        '        "flag",\n'
        "        type_=sa.BigInteger(),\n"
        "        existing_type=sa.Boolean(),\n"
        "        existing_nullable=False,\n"
        "        postgresql_using='\"flag\"::text::BIGINT',\n"
        "    )\n"
        '    op.alter_column("items", "flag", server_default=sa.text("0"))\n'
    )


def test_render_alter_column_type_varchar_widening_needs_no_cast() -> None:
    # Arrange
    old = DbColumn(name="title", type="VARCHAR(50)")
    new = DbColumn(name="title", type="VARCHAR(200)")
    # Act
    text = render(AlterColumnType(table="items", old=old, new=new))
    # Assert
    assert "postgresql_using" not in text
    assert "type_=sa.String(200)" in text and "existing_type=sa.String(50)" in text


def test_render_alter_enum_values_recreates_type_and_converts_columns() -> None:
    # Arrange
    change = AlterEnumValues(
        name="items_state",
        old_values=("new", "done"),
        new_values=("new", "doing", "done"),
        usages=(EnumUsage(table="items", column="state", default="'new'"),),
    )
    # Act
    text = render(change)
    # Assert
    assert text.splitlines() == [
        '    op.execute(\'ALTER TYPE "items_state" RENAME TO "items_state__old"\')',
        '    postgresql.ENUM("new", "doing", "done", name="items_state").create(op.get_bind())',
        '    op.execute(\'ALTER TABLE "items" ALTER COLUMN "state" DROP DEFAULT\')',
        "    op.execute(",
        '        \'ALTER TABLE "items" ALTER COLUMN "state" TYPE "items_state" '
        'USING "state"::text::"items_state"\',',
        "    )",
        "    op.execute('ALTER TABLE \"items\" ALTER COLUMN \"state\" SET DEFAULT \\'new\\'')",
        "    op.execute('DROP TYPE \"items_state__old\"')",
    ]


def test_render_create_index_gin_unique_and_final_name() -> None:
    # Arrange
    change = CreateIndex(table="docs", index=DbIndex(name="ix_docs_body", columns=("body",), method="gin"))
    # Act
    text = render(change)
    # Assert
    assert text == '    op.create_index(op.f("ix_docs_body"), "docs", ["body"], postgresql_using="gin")\n'


def test_render_rename_column_keeps_data_with_alter_column() -> None:
    # Arrange
    column = DbColumn(name="full_name", type="VARCHAR(100)", nullable=False)
    change = RenameColumn(table="users", old_name="display_name", new_name="full_name", column=column)
    # Act
    text = render(change)
    # Assert
    assert text == (
        "    op.alter_column(\n"
        '        "users",\n'
        '        "display_name",\n'
        '        new_column_name="full_name",\n'
        "        existing_type=sa.String(100),\n"
        "        existing_nullable=False,\n"
        "    )\n"
    )


def test_render_alter_column_nullable_not_null_with_default_fills_nulls_first() -> None:
    # Arrange
    column = DbColumn(name="topic", type="TEXT", nullable=False, default="'general'")
    change = AlterColumnNullable(table="rooms", column=column, old_nullable=True)
    # Act
    text = render(change)
    # Assert
    assert text.splitlines() == [
        '    op.execute(sa.text(\'UPDATE "rooms" SET "topic" = \\\'general\\\' WHERE "topic" IS NULL\'))',
        '    op.alter_column("rooms", "topic", existing_type=sa.Text(), nullable=False)',
    ]


def test_render_alter_column_nullable_reverse_to_nullable_has_no_update() -> None:
    # Arrange
    column = DbColumn(name="topic", type="TEXT", nullable=False, default="'general'")
    change = AlterColumnNullable(table="rooms", column=column, old_nullable=True)
    # Act
    text = render(change.reverse())
    # Assert
    assert text == '    op.alter_column("rooms", "topic", existing_type=sa.Text(), nullable=True)\n'


def test_render_alter_column_nullable_not_null_without_default_has_no_update() -> None:
    # Arrange
    column = DbColumn(name="topic", type="TEXT", nullable=False)
    change = AlterColumnNullable(table="rooms", column=column, old_nullable=True)
    # Act
    text = render(change)
    # Assert
    assert "UPDATE" not in text
    assert text == '    op.alter_column("rooms", "topic", existing_type=sa.Text(), nullable=False)\n'
