"""`alembic upgrade head` of the generated migrations creates the database the app runs on.

Every other test of this suite runs on that database (the session fixture `migrated_database` migrates it);
these tests check that it is at head and matches the generated models exactly.
"""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from chatter_support import ALEMBIC_INI
from sqlalchemy.pool import NullPool

from generated.models import Base


def test_migrations_bring_the_test_database_to_the_generated_head(migrated_database: str) -> None:
    # Arrange
    head = ScriptDirectory.from_config(Config(str(ALEMBIC_INI))).get_current_head()
    engine = sa.create_engine(migrated_database, poolclass=NullPool)

    # Act
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    engine.dispose()

    # Assert
    assert head is not None
    assert current == head


def test_migrations_create_exactly_the_schema_of_the_generated_models(migrated_database: str) -> None:
    # Arrange
    engine = sa.create_engine(migrated_database, poolclass=NullPool)

    # Act
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": True}
        )
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()

    # Assert
    assert differences == []
