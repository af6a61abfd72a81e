"""Sampled n-grams of text works and perceptual hashes of image works (matching engine).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "work_texts",
        sa.Column("work_id", sa.Integer(), nullable=False),
        sa.Column("sample_bits", sa.Integer(), nullable=False),
        sa.Column("length", sa.Integer(), nullable=False),
        sa.Column("folded_length", sa.Integer(), nullable=False),
        sa.Column("keys", sa.LargeBinary(), nullable=False),
        sa.Column("positions", sa.LargeBinary(), nullable=False),
        sa.Column("levels", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["work_id"], ["works.id"]),
        sa.PrimaryKeyConstraint("work_id"),
    )
    with op.batch_alter_table("works", schema=None) as batch_op:
        batch_op.add_column(sa.Column("image_hash", sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f("ix_works_image_hash"), ["image_hash"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("works", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_works_image_hash"))
        batch_op.drop_column("image_hash")
    op.drop_table("work_texts")
