"""The seed's own §2 examples (WORKFLOW.md), taken out of their ```markdown fences, parse as specified."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from specc.diagnostics import Reporter
from specc.parse import parse_spec
from tests.conftest import IN_CI

SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seed" / "WORKFLOW.md"


def unfenced_section_2() -> str:
    """§2 of the seed with every ```markdown / ````markdown wrapper removed (contents kept)."""
    text = SEED.read_text(encoding="utf-8")
    section = text[
        text.index("## 2. Architecture-First Design") : text.index("## 3. Test-Driven Development")
    ]
    out: list[str] = []
    closing: int | None = None
    for line in section.split("\n"):
        opener = re.fullmatch(r"(`{3,})markdown", line)
        if opener is not None and closing is None:
            closing = len(opener.group(1))
            continue
        if closing is not None and re.fullmatch("`{" + str(closing) + ",}", line):
            closing = None
            continue
        out.append(line)
    return "\n".join(out)


@pytest.fixture(scope="module")
def seed_text() -> str:
    if not SEED.exists():
        (pytest.fail if IN_CI else pytest.skip)(f"seed not found at {SEED}")
    return unfenced_section_2()


def line_of(text: str, needle: str) -> int:
    for number, line in enumerate(text.split("\n"), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in text")


def test_seed_tables_parse_with_seed_columns(seed_text: str) -> None:
    # Arrange
    reporter = Reporter()

    # Act
    spec = parse_spec(seed_text, "seed.md", reporter).spec

    # Assert
    assert [t.name for t in spec.tables] == ["users", "rooms"]
    users = spec.tables[0]
    assert [c.name for c in users.columns] == [
        "id",
        "email",
        "password_hash",
        "display_name",
        "created_at",
        "updated_at",
    ]
    email = users.column("email")
    assert email is not None and email.type == "VARCHAR(255)" and email.unique and email.indexed
    assert not email.nullable
    created_by = spec.tables[1].column("created_by")
    assert created_by is not None and created_by.foreign_key is not None
    assert (created_by.foreign_key.table, created_by.foreign_key.column) == ("users", "id")
    assert created_by.foreign_key.on_delete == "CASCADE"


def test_seed_relationships_and_register_contract_parse(seed_text: str) -> None:
    # Arrange
    reporter = Reporter()

    # Act
    spec = parse_spec(seed_text, "seed.md", reporter).spec

    # Assert
    assert [(r.from_, r.to, r.kind, r.through) for r in spec.relationships] == [
        ("users", "rooms", "one-to-many", None),
        ("users", "rooms", "many-to-many", "room_members"),
    ]
    register = next(e for e in spec.endpoints if e.path == "/api/auth/register")
    assert register.method == "POST" and register.auth == "public"
    assert register.request_body is not None and register.request_body.shape is not None
    assert [r.status for r in register.responses] == [201, 422, 409]
    success = register.responses[0]
    assert success.body is not None and success.body.shape is not None


def test_seed_indexes_table_reports_undefined_tables_at_their_lines(seed_text: str) -> None:
    # Arrange
    reporter = Reporter()

    # Act
    parse_spec(seed_text, "seed.md", reporter)

    # Assert
    p009 = [(d.line, d.message) for d in reporter.sorted() if d.code == "P009"]
    assert [line for line, _ in p009] == [
        line_of(seed_text, "| messages "),
        line_of(seed_text, "| room_members "),
    ]
    assert "'messages'" in p009[0][1] and "'room_members'" in p009[1][1]
