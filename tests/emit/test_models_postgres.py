"""Generated models on a real PostgreSQL: create_all works, the reflected database is the spec lowered
(`specc.db.lower`), and the ORM relationships persist rows."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from models_harness import chat_spec, create_all, import_tree, metadata_of, write_tree
from sqlalchemy.orm import Session
from strategies_schema import schema_specs

from specc.db.lower import lower
from specc.db.reflect import read_database
from specc.emit.models import render_models
from specc.ir.model import Column, Spec, Table
from tests.db.compare import schema_differences

pytestmark = pytest.mark.postgres


def test_models_chat_schema_reflects_back_as_the_lowered_spec(pg_url: str, tmp_path: Path) -> None:
    # Arrange
    spec = chat_spec()
    module = import_tree(tmp_path, write_tree(render_models(spec, "docs/ARCHITECTURE.md"), tmp_path))
    create_all(metadata_of(module), pg_url)
    # Act
    reflected = read_database(pg_url)
    # Assert
    assert schema_differences(reflected, lower(spec)) == []


def test_models_chat_orm_persists_many_to_many_and_server_defaults(pg_url: str, tmp_path: Path) -> None:
    # Arrange
    module = import_tree(tmp_path, write_tree(render_models(chat_spec(), "docs/ARCHITECTURE.md"), tmp_path))
    create_all(metadata_of(module), pg_url)
    engine = sa.create_engine(pg_url)
    # Act
    with Session(engine) as session:
        alice = module.User(email="alice@example.com", display_name="Alice")
        room = module.Room(name="general", created_by_user=alice)
        alice.rooms.append(room)
        session.add_all([alice, room])
        session.commit()
        membership = session.execute(sa.select(module.RoomMember)).scalar_one()
        stored_role, stored_tags = alice.role, alice.tags
        room_id = room.id
    engine.dispose()
    # Assert
    assert membership.room_id == room_id
    assert isinstance(room_id, uuid.UUID)
    assert stored_role == "member"
    assert stored_tags == []


def test_models_unknown_type_reflects_as_database_spelling(pg_url: str, tmp_path: Path) -> None:
    # Arrange
    spec = Spec(
        tables=(
            Table(
                name="places",
                columns=(
                    Column(name="id", type="INTEGER", nullable=False, primary_key=True),
                    Column(name="spot", type="POINT"),
                ),
            ),
        )
    )
    module = import_tree(tmp_path, write_tree(render_models(spec, "s.md"), tmp_path))
    create_all(metadata_of(module), pg_url)
    # Act
    reflected = read_database(pg_url)
    # Assert
    places = reflected.table("places")
    spot = places.column("spot") if places is not None else None
    assert spot is not None and spot.type == "point"
    assert schema_differences(reflected, lower(spec)) == []


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spec=schema_specs())
def test_models_random_schema_database_round_trip_is_identity(
    spec: Spec, pg_database_factory: object, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # Arrange
    assert callable(pg_database_factory)
    url: str = pg_database_factory()
    root = tmp_path_factory.mktemp("prop_db")
    module = import_tree(root, write_tree(render_models(spec, "s.md"), root))
    create_all(metadata_of(module), url)
    # Act
    reflected = read_database(url)
    # Assert
    assert schema_differences(reflected, lower(spec)) == []
