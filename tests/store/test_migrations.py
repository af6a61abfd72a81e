"""The Alembic migrations build exactly the tables the models declare, on both backends."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from trainclear.store.db import Database, alembic_config
from trainclear.store.models import Base


def test_migrations_match_the_models(database: Database) -> None:
    with database.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_upgrade_is_idempotent(database: Database) -> None:
    database.upgrade()
    database.upgrade()
    with database.engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    head = ScriptDirectory.from_config(alembic_config(database)).get_current_head()
    assert current == head == "0003"


def test_downgrade_to_base_and_back(database: Database) -> None:
    config = alembic_config(database)
    command.downgrade(config, "base")
    with database.engine.connect() as conn:
        assert sa.inspect(conn).get_table_names() == ["alembic_version"]
    database.upgrade()
    with database.engine.connect() as conn:
        assert "objections" in sa.inspect(conn).get_table_names()
