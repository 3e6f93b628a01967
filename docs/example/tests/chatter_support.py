"""What the tests share besides fixtures: constants, helpers and the types of conftest.py's factories.

Tests import this module, never conftest.py: with test folders that are not packages, `conftest` is not a
unique module name in the repository's suite.
"""

import json
import uuid
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncConnection

from generated.models import Message, Room, RoomMember, User

UserFactory = Callable[..., Awaitable[User]]
RoomFactory = Callable[..., Awaitable[Room]]
MemberFactory = Callable[..., Awaitable[RoomMember]]
MessageFactory = Callable[..., Awaitable[Message]]
RefreshTokenFactory = Callable[..., Awaitable[str]]
HeadersFor = Callable[[User], dict[str, str]]

ROOT = Path(__file__).resolve().parents[3]
ALEMBIC_INI = ROOT / "generated" / "migrations" / "alembic.ini"
PASSWORD = "correct horse battery"
TEST_BCRYPT_ROUNDS = 4  # the app's default is 12; test_register checks that one


def unique_email() -> str:
    return f"test-{uuid.uuid4().hex[:8]}@example.com"


@dataclass
class Committed:
    """An app whose requests commit for real (races between concurrent requests) and its email prefix."""

    app: FastAPI
    client: AsyncClient
    prefix: str

    def email(self) -> str:
        return f"{self.prefix}{uuid.uuid4().hex[:8]}@example.com"


@dataclass(frozen=True)
class Executed:
    """One statement sent to PostgreSQL (as the driver got it, `$1` placeholders) and its parameters."""

    statement: str
    parameters: tuple[object, ...]

    @property
    def sql(self) -> str:
        """The statement on one line."""
        return " ".join(self.statement.split())


SAVEPOINT_PREFIXES = ("SAVEPOINT ", "RELEASE SAVEPOINT ", "ROLLBACK TO SAVEPOINT ")


def data_statements(trace: Sequence[Executed]) -> list[Executed]:
    """The statements of `trace` that read or write data: without the savepoints of the test's transaction."""
    return [executed for executed in trace if not executed.statement.startswith(SAVEPOINT_PREFIXES)]


@dataclass(frozen=True)
class PlanNode:
    """One node of a PostgreSQL query plan (EXPLAIN (FORMAT JSON))."""

    node_type: str
    relation: str | None
    index: str | None
    scan_direction: str | None
    actual_rows: float | None
    """Rows the node returned (EXPLAIN ANALYZE only), per loop."""
    sort_method: str | None
    """How a Sort node sorted (EXPLAIN ANALYZE only), e.g. "top-N heapsort"."""


def _plan_nodes(plan: dict[str, Any]) -> Iterator[PlanNode]:
    yield PlanNode(
        node_type=plan["Node Type"],
        relation=plan.get("Relation Name"),
        index=plan.get("Index Name"),
        scan_direction=plan.get("Scan Direction"),
        actual_rows=plan.get("Actual Rows"),
        sort_method=plan.get("Sort Method"),
    )
    for child in plan.get("Plans", []):
        yield from _plan_nodes(child)


async def explain(
    connection: AsyncConnection, executed: Executed, *, analyze: bool = False
) -> list[PlanNode]:
    """The plan PostgreSQL chooses for a statement the app sent (same text, same parameters), every node
    depth first. With `analyze` the statement runs (use it for reads only) and the nodes carry actual rows."""
    options = "ANALYZE, FORMAT JSON" if analyze else "FORMAT JSON"
    result = await connection.exec_driver_sql(
        f"EXPLAIN ({options}) {executed.statement}", executed.parameters
    )
    document = result.scalar_one()
    plans: list[dict[str, Any]] = json.loads(document) if isinstance(document, str) else document
    return list(_plan_nodes(plans[0]["Plan"]))


def scans_of(plan: Sequence[PlanNode], relation: str) -> list[PlanNode]:
    """The nodes of `plan` that read `relation` (a Seq Scan, an Index Scan, ...)."""
    return [node for node in plan if node.relation == relation]


async def analyze(connection: AsyncConnection, *tables: str) -> None:
    """Fresh planner statistics for `tables`, as autovacuum keeps them in production, so that a plan depends
    on the test's rows only, not on what earlier tests left in the estimates. ANALYZE inside the test's
    transaction counts the test's own uncommitted rows; its column statistics roll back with the test (the
    row and page estimates in pg_class are updated in place and stay: they only inform later plans)."""
    for table in tables:
        await connection.execute(sa.text(f"ANALYZE {table}"))


async def insert_users(connection: AsyncConnection, count: int) -> None:
    """`count` filler users in one INSERT ... SELECT generate_series (they cannot log in: no bcrypt hash)."""
    await connection.execute(
        sa.text(
            "INSERT INTO users (email, password_hash, display_name) "
            "SELECT :prefix || n || '@example.com', 'not-a-bcrypt-hash', 'Filler ' || n "
            "FROM generate_series(1, :count) AS n"
        ),
        {"prefix": f"filler-{uuid.uuid4().hex[:8]}-", "count": count},
    )


async def insert_members(connection: AsyncConnection, room_id: int, count: int) -> None:
    """`count` new users who are all members of the room, in one statement (INSERT ... SELECT generate_series
    into users, its RETURNING feeding the INSERT into room_members)."""
    await connection.execute(
        sa.text(
            "WITH joined AS ("
            " INSERT INTO users (email, password_hash, display_name)"
            " SELECT :prefix || n || '@example.com', 'not-a-bcrypt-hash', 'Member ' || n"
            " FROM generate_series(1, :count) AS n RETURNING id"
            ") INSERT INTO room_members (room_id, user_id, role) SELECT :room_id, id, 'member' FROM joined"
        ),
        {"prefix": f"member-{uuid.uuid4().hex[:8]}-", "count": count, "room_id": room_id},
    )


async def insert_rooms(connection: AsyncConnection, owner_id: int, count: int) -> None:
    """`count` public rooms created by the owner (named "bulk room <n>"), in one INSERT ... SELECT
    generate_series; as rooms written outside the API they have no owner membership."""
    await connection.execute(
        sa.text(
            "INSERT INTO rooms (name, created_by) "
            "SELECT 'bulk room ' || n, :owner_id FROM generate_series(1, :count) AS n"
        ),
        {"owner_id": owner_id, "count": count},
    )


async def insert_messages(
    connection: AsyncConnection, room_ids: Sequence[int], author_id: int, count: int
) -> None:
    """`count` messages by the author, dealt round-robin over the rooms (so the rooms' messages interleave in
    id order, as in a busy system), in one INSERT ... SELECT generate_series."""
    await connection.execute(
        sa.text(
            "INSERT INTO messages (room_id, user_id, content) "
            "SELECT rooms.ids[1 + n % cardinality(rooms.ids)], :author_id, 'bulk ' || n "
            "FROM (SELECT CAST(:room_ids AS bigint[]) AS ids) AS rooms, generate_series(1, :count) AS n"
        ),
        {"room_ids": list(room_ids), "author_id": author_id, "count": count},
    )


async def insert_refresh_tokens(connection: AsyncConnection, owner_id: int, count: int) -> None:
    """`count` active refresh tokens of the owner (64 hex digits each, like SHA-256 digests, distinct), in one
    INSERT ... SELECT generate_series."""
    await connection.execute(
        sa.text(
            "INSERT INTO refresh_tokens (user_id, token_hash, expires_at) "
            "SELECT :owner_id, md5('filler ' || n) || md5('token ' || n), now() + interval '7 days' "
            "FROM generate_series(1, :count) AS n"
        ),
        {"owner_id": owner_id, "count": count},
    )
