"""A scripted history of spec edits on the chat schema: every change kind, one revision per edit."""

from __future__ import annotations

from dataclasses import dataclass

from specc.ir.model import CheckConstraint, Column, ForeignKey, Index, Spec, Table
from tests.migrate.samples import (
    add_column,
    add_table,
    chat,
    drop_column,
    drop_table,
    edit_column,
    edit_table,
)


@dataclass(frozen=True)
class Step:
    name: str
    spec: Spec
    destructive: bool = False


def _reactions() -> Table:
    return Table(
        name="reactions",
        columns=(
            Column(
                name="message_id",
                type="BIGINT",
                nullable=False,
                primary_key=True,
                foreign_key=ForeignKey(table="messages", column="id", on_delete="CASCADE"),
            ),
            Column(
                name="user_id",
                type="BIGINT",
                nullable=False,
                primary_key=True,
                foreign_key=ForeignKey(table="users", column="id", on_delete="CASCADE"),
            ),
            Column(name="emoji", type="VARCHAR(16)", nullable=False, primary_key=True),
        ),
    )


def history() -> list[Step]:
    steps: list[Step] = []

    def step(name: str, spec: Spec, destructive: bool = False) -> Spec:
        steps.append(Step(name, spec, destructive))
        return spec

    s = step("initial", chat())
    s = step("add column", add_column(s, "rooms", Column(name="topic", type="VARCHAR(50)")))
    s = step(
        "rename column",
        edit_column(s, "users", "display_name", name="full_name", renamed_from="display_name"),
    )
    renamed = edit_table(s, "rooms", name="chat_rooms", renamed_from="rooms")
    renamed = edit_column(
        renamed,
        "room_members",
        "room_id",
        foreign_key=ForeignKey(table="chat_rooms", column="id", on_delete="CASCADE"),
    )
    renamed = edit_column(
        renamed,
        "messages",
        "room_id",
        foreign_key=ForeignKey(table="chat_rooms", column="id", on_delete="CASCADE"),
    )
    s = step("rename table", renamed)
    s = step(
        "widen types",
        edit_column(
            edit_column(s, "chat_rooms", "topic", type="TEXT"), "users", "email", type="VARCHAR(320)"
        ),
    )
    s = step("add score", add_column(s, "messages", Column(name="score", type="VARCHAR(10)")))
    s = step(
        "type without a SQLAlchemy class", add_column(s, "messages", Column(name="during", type="TSRANGE"))
    )
    s = step("cast type", edit_column(s, "messages", "score", type="INTEGER"), destructive=True)
    s = step("nullability", edit_column(s, "users", "prefs", nullable=False))
    s = step("server default", edit_column(s, "chat_rooms", "topic", default="'general'"))
    msgs = s.table("messages")
    assert msgs is not None
    s = step(
        "indexes",
        edit_table(
            edit_table(s, "users", indexes=()),
            "messages",
            indexes=(
                *msgs.indexes,
                Index(columns=("room_id", "user_id", "created_at"), unique=True),
                Index(columns=("tags",), method="gin"),
            ),
        ),
    )
    s = step(
        "constraints",
        edit_column(
            edit_table(s, "chat_rooms", checks=(CheckConstraint(expression="length(name) >= 2"),)),
            "users",
            "full_name",
            unique=True,
        ),
    )
    s = step(
        "on delete",
        edit_column(
            s,
            "chat_rooms",
            "created_by",
            foreign_key=ForeignKey(table="users", column="id", on_delete="CASCADE"),
        ),
    )
    s = step("composite primary key table", add_table(s, _reactions()))
    tags = Table(
        name="tags",
        columns=(
            Column(name="id", type="INTEGER", nullable=False, primary_key=True),
            Column(name="label", type="TEXT", nullable=False),
        ),
    )
    s = step("integer key without serial", add_table(s, tags))
    s = step("key becomes auto-increment", edit_column(s, "tags", "id", autoincrement=True))
    s = step(
        "text to enum",
        edit_column(s, "chat_rooms", "topic", type="ENUM('general','random')"),
        destructive=True,
    )
    s = step(
        "enum column",
        add_column(
            s, "messages", Column(name="kind", type="ENUM('text','image')", nullable=False, default="'text'")
        ),
    )
    s = step("enum value added", edit_column(s, "messages", "kind", type="ENUM('text','image','video')"))
    s = step("drop enum column", drop_column(s, "users", "role"), destructive=True)
    s = step("drop table", drop_table(s, "reactions"), destructive=True)
    return steps
