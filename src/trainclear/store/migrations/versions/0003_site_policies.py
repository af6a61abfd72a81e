"""Captured site-level policy files (robots.txt, tdmrep.json, ai.txt, RSL licences).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from trainclear.store.types import UTCDateTime

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "site_policies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("fetched_at", UTCDateTime(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("content_type", sa.String(length=200), nullable=True),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("captured_by", sa.Integer(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["captured_by"], ["parties.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_site_policies_origin_kind", "site_policies", ["origin", "kind", "fetched_at"]
    )
    op.create_index(op.f("ix_site_policies_captured_by"), "site_policies", ["captured_by"])


def downgrade() -> None:
    op.drop_index(op.f("ix_site_policies_captured_by"), table_name="site_policies")
    op.drop_index("ix_site_policies_origin_kind", table_name="site_policies")
    op.drop_table("site_policies")
