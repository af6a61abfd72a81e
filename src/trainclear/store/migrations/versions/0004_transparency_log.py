"""Provenance: the transparency log (state, leaves, nodes, signed heads), dataset
versions, the works found in them, and models trained on them.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from trainclear.store.types import UTCDateTime

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "log_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("frontier", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "log_entries",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"]),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("event_id"),
    )
    op.create_table(
        "log_nodes",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("hash", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "log_heads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tree_size", sa.Integer(), nullable=False),
        sa.Column("root_hash", sa.LargeBinary(), nullable=False),
        sa.Column("timestamp", UTCDateTime(), nullable=False),
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_log_heads_tree_size"), "log_heads", ["tree_size"])
    _datasets()
    _backfill(op.get_bind())


def _datasets() -> None:
    op.create_table(
        "dataset_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("developer_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("manifest_root", sa.String(length=64), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("added", sa.Integer(), nullable=False),
        sa.Column("removed", sa.Integer(), nullable=False),
        sa.Column("characters", sa.Integer(), nullable=False),
        sa.Column("snapshot_id", sa.String(length=64), nullable=True),
        sa.Column("sketch_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["developer_id"], ["parties.id"]),
        sa.ForeignKeyConstraint(["parent_id"], ["dataset_versions.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("developer_id", "name", "version"),
    )
    op.create_index(op.f("ix_dataset_versions_developer_id"), "dataset_versions", ["developer_id"])
    op.create_table(
        "dataset_works",
        sa.Column("dataset_version_id", sa.Integer(), nullable=False),
        sa.Column("work_id", sa.Integer(), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("characters", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["dataset_version_id"], ["dataset_versions.id"]),
        sa.ForeignKeyConstraint(["work_id"], ["works.id"]),
        sa.PrimaryKeyConstraint("dataset_version_id", "work_id"),
    )
    op.create_index(op.f("ix_dataset_works_work_id"), "dataset_works", ["work_id"])
    op.create_table(
        "models",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("developer_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("registered_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["developer_id"], ["parties.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("developer_id", "name"),
    )
    op.create_index(op.f("ix_models_developer_id"), "models", ["developer_id"])
    op.create_table(
        "model_datasets",
        sa.Column("model_id", sa.Integer(), nullable=False),
        sa.Column("dataset_version_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["dataset_version_id"], ["dataset_versions.id"]),
        sa.ForeignKeyConstraint(["model_id"], ["models.id"]),
        sa.PrimaryKeyConstraint("model_id", "dataset_version_id"),
    )
    op.create_index(
        op.f("ix_model_datasets_dataset_version_id"), "model_datasets", ["dataset_version_id"]
    )


def _backfill(conn: sa.Connection) -> None:
    """Put the events recorded before the log existed into it, in id order."""
    from trainclear.ledger.entries import LogRecord
    from trainclear.ledger.merkle import MerkleAppender, leaf_hash

    events = sa.table(
        "events",
        sa.column("id", sa.Integer()),
        sa.column("at", UTCDateTime()),
        sa.column("kind", sa.String()),
        sa.column("subject", sa.String()),
        sa.column("actor_id", sa.Integer()),
        sa.column("payload", sa.JSON()),
    )
    appender = MerkleAppender()
    entries, nodes = [], []
    rows = conn.execute(sa.select(events).order_by(events.c.id))
    for seq, row in enumerate(rows):
        record = LogRecord(seq, row.id, row.at, row.kind, row.subject, row.actor_id, row.payload)
        for level, index, digest in appender.append(leaf_hash(record.canonical())):
            nodes.append({"id": (level << 48) | index, "hash": digest})
        entries.append({"seq": seq, "event_id": row.id})
    if entries:
        op.bulk_insert(sa.table("log_entries", sa.column("seq"), sa.column("event_id")), entries)
        op.bulk_insert(sa.table("log_nodes", sa.column("id"), sa.column("hash")), nodes)
    state = sa.table("log_state", sa.column("id"), sa.column("size"), sa.column("frontier"))
    frontier = b"".join(appender.frontier)
    op.bulk_insert(state, [{"id": 1, "size": len(entries), "frontier": frontier}])


def downgrade() -> None:
    op.drop_index(op.f("ix_model_datasets_dataset_version_id"), table_name="model_datasets")
    op.drop_table("model_datasets")
    op.drop_index(op.f("ix_models_developer_id"), table_name="models")
    op.drop_table("models")
    op.drop_index(op.f("ix_dataset_works_work_id"), table_name="dataset_works")
    op.drop_table("dataset_works")
    op.drop_index(op.f("ix_dataset_versions_developer_id"), table_name="dataset_versions")
    op.drop_table("dataset_versions")
    op.drop_index(op.f("ix_log_heads_tree_size"), table_name="log_heads")
    op.drop_table("log_heads")
    op.drop_table("log_nodes")
    op.drop_table("log_entries")
    op.drop_table("log_state")
