"""Persistence: SQLAlchemy 2 tables, Alembic migrations, the Database handle."""

from trainclear.store.db import Database

__all__ = ["Database"]
