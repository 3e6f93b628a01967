"""The differ: IR × IR → typed changes (no database)."""

from __future__ import annotations

from collections.abc import Sequence

from specc.diff import diff_schemas, reverse_all
from specc.diff.changes import (
    AddCheck,
    AddColumn,
    AddForeignKey,
    AlterColumnType,
    AlterEnumValues,
    CreateEnum,
    CreateTable,
    DropCheck,
    DropColumn,
    DropEnum,
    DropForeignKey,
    DropTable,
    RenameColumn,
    RenameConstraint,
    RenameEnum,
    RenameIndex,
    RenameTable,
    is_widening,
)
from specc.diff.differ import rename_order, resolve_moves
from specc.ir.model import Column, ForeignKey, Spec
from tests.migrate.samples import add_column, chat, drop_column, drop_table, edit_column, edit_table


def kinds(changes: Sequence[object]) -> list[str]:
    return [type(c).__name__ for c in changes]


def test_diff_schemas_identical_specs_no_changes() -> None:
    # Arrange
    spec = chat()
    # Act
    changes = diff_schemas(spec, spec)
    # Assert
    assert changes == []


def test_diff_schemas_from_empty_enums_then_tables_then_foreign_keys() -> None:
    # Arrange
    spec = chat()
    # Act
    changes = diff_schemas(Spec(), spec)
    # Assert
    order = kinds(changes)
    assert order[0] == "CreateEnum"
    last_table = max(i for i, k in enumerate(order) if k == "CreateTable")
    first_fk = min(i for i, k in enumerate(order) if k == "AddForeignKey")
    assert last_table < first_fk
    assert {c.table.name for c in changes if isinstance(c, CreateTable)} == {
        "messages",
        "room_members",
        "rooms",
        "users",
    }


def test_diff_schemas_to_empty_drops_foreign_keys_before_tables_and_enum_last() -> None:
    # Arrange
    spec = chat()
    # Act
    changes = diff_schemas(spec, Spec())
    # Assert
    order = kinds(changes)
    assert order[-1] == "DropEnum"
    first_table = min(i for i, k in enumerate(order) if k == "DropTable")
    last_fk = max(i for i, k in enumerate(order) if k == "DropForeignKey")
    assert last_fk < first_table


def test_diff_schemas_column_renamed_from_hint_renames_not_drop_add() -> None:
    # Arrange
    old = chat()
    new = edit_column(old, "users", "display_name", name="full_name", renamed_from="display_name")
    # Act
    changes = diff_schemas(old, new)
    # Assert
    assert changes == [
        RenameColumn(
            table="users",
            old_name="display_name",
            new_name="full_name",
            column=changes[0].column,  # type: ignore[union-attr]
        )
    ]
    assert not any(isinstance(c, DropColumn | AddColumn) for c in changes)


def test_diff_schemas_column_renamed_without_hint_drops_and_adds() -> None:
    # Arrange
    old = chat()
    new = edit_column(old, "users", "display_name", name="full_name")
    # Act
    changes = diff_schemas(old, new)
    # Assert
    assert kinds(changes) == ["AddColumn", "DropColumn"]
    assert changes[1].risk() is not None


def test_diff_schemas_hint_after_rename_landed_is_harmless() -> None:
    # Arrange
    renamed = edit_column(chat(), "users", "display_name", name="full_name", renamed_from="display_name")
    # Act
    changes = diff_schemas(renamed, renamed)
    # Assert
    assert changes == []


def test_diff_schemas_table_renamed_renames_constraints_indexes_and_enum() -> None:
    # Arrange
    old = chat()
    new = edit_table(old, "users", name="people", renamed_from="users")
    for table, column in (("rooms", "created_by"), ("room_members", "user_id"), ("messages", "user_id")):
        fk = new.table(table).column(column).foreign_key  # type: ignore[union-attr]
        new = edit_column(new, table, column, foreign_key=fk.model_copy(update={"table": "people"}))  # type: ignore[union-attr]
    # Act
    changes = diff_schemas(old, new)
    # Assert
    assert changes[0] == RenameTable(old_name="users", new_name="people")
    assert RenameEnum(old_name="users_role", new_name="people_role") in changes
    assert RenameConstraint(table="people", old_name="pk_users", new_name="pk_people") in changes
    assert RenameIndex(table="people", old_name="ix_users_prefs", new_name="ix_people_prefs") in changes
    assert (
        RenameConstraint(
            table="rooms", old_name="fk_rooms_created_by_users", new_name="fk_rooms_created_by_people"
        )
        in changes
    )
    assert not any(isinstance(c, DropTable | CreateTable | DropForeignKey | AddForeignKey) for c in changes)
    assert all(c.risk() is None for c in changes)


def test_diff_schemas_on_delete_change_replaces_foreign_key() -> None:
    # Arrange
    old = chat()
    new = edit_column(old, "rooms", "created_by", foreign_key=ForeignKey(table="users", on_delete="CASCADE"))
    # Act
    changes = diff_schemas(old, new)
    # Assert
    assert kinds(changes) == ["DropForeignKey", "AddForeignKey"]
    assert changes[1].foreign_key.on_delete == "CASCADE"  # type: ignore[union-attr]


def test_diff_schemas_enum_value_added_alters_enum_with_usages() -> None:
    # Arrange
    old = chat()
    new = edit_column(old, "users", "role", type="ENUM('admin','member','guest')")
    # Act
    changes = diff_schemas(old, new)
    # Assert
    assert len(changes) == 1
    change = changes[0]
    assert isinstance(change, AlterEnumValues)
    assert change.new_values == ("admin", "member", "guest")
    assert [(u.table, u.column, u.default) for u in change.usages] == [("users", "role", "'member'")]
    assert change.risk() is None
    assert change.reverse().risk() is not None


def test_diff_schemas_enum_column_dropped_drops_type_after_column() -> None:
    # Arrange
    old = chat()
    new = drop_column(old, "users", "role")
    # Act
    changes = diff_schemas(old, new)
    # Assert
    assert kinds(changes) == ["DropColumn", "DropEnum"]


def test_diff_schemas_text_to_enum_creates_type_before_altering_column() -> None:
    # Arrange
    old = add_column(chat(), "rooms", Column(name="kind", type="TEXT"))
    new = edit_column(old, "rooms", "kind", type="ENUM('public','private')")
    # Act
    changes = diff_schemas(old, new)
    # Assert
    assert kinds(changes) == ["CreateEnum", "AlterColumnType"]
    assert isinstance(changes[0], CreateEnum)
    assert changes[0].enum.name == "rooms_kind"


def test_diff_schemas_type_narrowing_is_destructive_widening_is_not() -> None:
    # Arrange
    old = chat()
    wider = edit_column(old, "users", "email", type="VARCHAR(320)")
    narrower = edit_column(old, "users", "email", type="VARCHAR(50)")
    # Act
    widen = [c for c in diff_schemas(old, wider) if isinstance(c, AlterColumnType)]
    narrow = [c for c in diff_schemas(old, narrower) if isinstance(c, AlterColumnType)]
    # Assert
    assert len(widen) == 1 and widen[0].risk() is None
    assert len(narrow) == 1
    assert narrow[0].risk() == (
        "values of users.email that do not fit VARCHAR(50) (narrowing from VARCHAR(255))"
    )


def test_diff_schemas_not_null_without_default_is_destructive() -> None:
    # Arrange
    old = add_column(chat(), "rooms", Column(name="topic", type="TEXT"))
    required = edit_column(old, "rooms", "topic", nullable=False)
    defaulted = edit_column(old, "rooms", "topic", nullable=False, default="''")
    # Act
    required_changes = diff_schemas(old, required)
    defaulted_changes = diff_schemas(old, defaulted)
    # Assert
    assert [c.risk() is not None for c in required_changes] == [True]
    assert all(c.risk() is None for c in defaulted_changes)


def test_diff_schemas_drop_table_names_table_at_risk() -> None:
    # Arrange
    old = chat()
    new = drop_table(old, "messages")
    # Act
    changes = diff_schemas(old, new)
    # Assert
    risks = [c.risk() for c in changes if c.risk() is not None]
    assert risks == ["table messages and every row in it"]


def test_reverse_all_twice_is_identity() -> None:
    # Arrange
    changes = diff_schemas(Spec(), chat())
    # Act
    twice = reverse_all(reverse_all(changes))
    # Assert
    assert twice == changes


def test_is_widening_pairs() -> None:
    # Arrange
    pairs = {
        ("INTEGER", "BIGINT"): True,
        ("BIGINT", "INTEGER"): False,
        ("VARCHAR(10)", "TEXT"): True,
        ("TEXT", "VARCHAR(10)"): False,
        ("NUMERIC(10,2)", "NUMERIC(12,2)"): True,
        ("NUMERIC(10,2)", "NUMERIC(10,3)"): False,
        ("INTEGER", "NUMERIC(12,2)"): True,
        ("VARCHAR(10)", "INTEGER"): False,
        ("TIMESTAMP", "TIMESTAMPTZ"): True,
    }
    # Act
    results = {pair: is_widening(*pair) for pair in pairs}
    # Assert
    assert results == pairs


def test_diff_schemas_same_inputs_same_order() -> None:
    # Arrange
    old, new = chat(), drop_table(edit_table(chat(), "rooms", name="halls", renamed_from="rooms"), "x")
    # Act
    first = diff_schemas(old, new)
    second = diff_schemas(old.model_copy(), new.model_copy())
    # Assert
    assert first == second
    assert DropEnum not in [type(c) for c in first]


def test_resolve_moves_chain_is_a_rename_and_ordered_target_first() -> None:
    # Arrange
    old_names = {"alpha", "charlie"}
    new_items: list[tuple[str, str | None]] = [("delta", "alpha"), ("alpha", "charlie")]
    # Act
    moves = resolve_moves(old_names, new_items)
    order = rename_order(moves)
    # Assert
    assert moves == {"alpha": "delta", "charlie": "alpha"}
    assert order == [("alpha", "delta"), ("charlie", "alpha")]


def test_resolve_moves_swap_cycle_ignored() -> None:
    # Arrange
    new_items: list[tuple[str, str | None]] = [("a", "b"), ("b", "a")]
    # Act
    moves = resolve_moves({"a", "b"}, new_items)
    # Assert
    assert moves == {}


def test_resolve_moves_hint_to_kept_column_ignored() -> None:
    # Arrange
    new_items: list[tuple[str, str | None]] = [("a", None), ("b", "a")]
    # Act
    moves = resolve_moves({"a"}, new_items)
    # Assert
    assert moves == {}


def test_diff_schemas_foreign_key_to_missing_table_left_out_like_models() -> None:
    # Arrange
    spec = add_column(
        chat(), "rooms", Column(name="owner", type="BIGINT", foreign_key=ForeignKey(table="nowhere"))
    )
    # Act
    changes = diff_schemas(chat(), spec)
    # Assert
    assert kinds(changes) == ["AddColumn"]


def test_diff_schemas_type_change_recreates_checks_on_that_column_only() -> None:
    # Arrange
    old = chat()
    new = edit_column(old, "users", "email", type="TEXT")
    # Act
    changes = diff_schemas(old, new)
    # Assert
    assert kinds(changes) == ["DropCheck", "AlterColumnType", "AddCheck"]
    assert [c.describe() for c in changes if isinstance(c, DropCheck | AddCheck)] == [
        "drop check constraint ck_users_cd156504c of users",
        "add check constraint ck_users_cd156504c on users",
    ]


def test_diff_schemas_type_change_of_other_column_leaves_checks_alone() -> None:
    # Arrange
    old = chat()
    new = edit_column(old, "users", "display_name", type="TEXT")
    # Act
    changes = diff_schemas(old, new)
    # Assert
    assert kinds(changes) == ["AlterColumnType"]
