"""The Alembic migrations build exactly the tables the models declare, on both backends."""

from __future__ import annotations

from pathlib import Path

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
    assert head is not None
    assert current == head


def test_downgrade_to_base_and_back(database: Database) -> None:
    config = alembic_config(database)
    command.downgrade(config, "base")
    with database.engine.connect() as conn:
        assert sa.inspect(conn).get_table_names() == ["alembic_version"]
    database.upgrade()
    with database.engine.connect() as conn:
        assert "objections" in sa.inspect(conn).get_table_names()


def test_the_log_migration_puts_earlier_events_into_the_log(tmp_path: Path) -> None:
    from trainclear.services import log
    from trainclear.services.platform import Platform
    from trainclear.settings import Settings

    db = Database(f"sqlite:///{tmp_path / 'old.db'}")
    command.upgrade(alembic_config(db), "0003")
    with db.engine.begin() as conn:
        for i in range(5):
            conn.execute(
                sa.text(
                    "INSERT INTO events (at, kind, subject, actor_id, payload) "
                    "VALUES (:at, 'party.created', :subject, NULL, '{\"n\": 1}')"
                ),
                {"at": f"2026-01-0{i + 1} 00:00:00.000000", "subject": f"party:{i}"},
            )
    db.upgrade()
    platform = Platform(db=db, settings=Settings(home=tmp_path))
    assert log.current_head(platform).head.tree_size == 5
    assert log.audit_log(platform) == []
    db.dispose()
