"""Remuneration (issue 5): tariffs, CMO distribution settings, usage reports, invoices,
attribution submissions, distribution runs with their result rows, and the reserve; a
notice's tariff; the images a scan found of an image work in a dataset version.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from trainclear.store.types import UTCDateTime

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MONEY = sa.BigInteger()


def upgrade() -> None:
    _existing_tables()
    _tariffs_and_settings()
    _usage_and_invoices()
    _distribution()


def _existing_tables() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a column with a REFERENCES clause in place (its default is NULL);
        # a separate ADD CONSTRAINT, or a batch copy of the notices table, is not needed.
        op.execute("ALTER TABLE notices ADD COLUMN tariff_cmo_id INTEGER REFERENCES parties (id)")
    else:
        op.add_column("notices", sa.Column("tariff_cmo_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            "notices_tariff_cmo_id_fkey", "notices", "parties", ["tariff_cmo_id"], ["id"]
        )
    op.add_column("notices", sa.Column("tariff_code", sa.String(length=64), nullable=True))
    op.add_column(
        "dataset_works",
        sa.Column("images", sa.Integer(), nullable=False, server_default=sa.text("0")),
    )


def _tariffs_and_settings() -> None:
    op.create_table(
        "tariffs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cmo_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("effective_to", sa.Date(), nullable=True),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["cmo_id"], ["parties.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("cmo_id", "code", "effective_from"),
    )
    op.create_index(op.f("ix_tariffs_cmo_id"), "tariffs", ["cmo_id"])
    op.create_index(op.f("ix_tariffs_code"), "tariffs", ["code"])
    op.create_table(
        "cmo_settings",
        sa.Column("cmo_id", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("fee_schedule", sa.JSON(), nullable=False),
        sa.Column("minimum_payout", MONEY, nullable=False),
        sa.Column("reserve_claim_years", sa.Integer(), nullable=False),
        sa.Column("reserve_policy", sa.String(length=32), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["cmo_id"], ["parties.id"]),
        sa.PrimaryKeyConstraint("cmo_id"),
    )


def _usage_and_invoices() -> None:
    op.create_table(
        "usage_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("developer_id", sa.Integer(), nullable=False),
        sa.Column("dataset_version_id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("model", sa.String(length=500), nullable=False),
        sa.Column("epochs", sa.Integer(), nullable=False),
        sa.Column("tariff_id", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("submitted_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["dataset_version_id"], ["dataset_versions.id"]),
        sa.ForeignKeyConstraint(["developer_id"], ["parties.id"]),
        sa.ForeignKeyConstraint(["tariff_id"], ["tariffs.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dataset_version_id", "period_start", "period_end"),
    )
    op.create_index(op.f("ix_usage_reports_developer_id"), "usage_reports", ["developer_id"])
    op.create_index(
        op.f("ix_usage_reports_dataset_version_id"), "usage_reports", ["dataset_version_id"]
    )
    op.create_table(
        "usage_report_lines",
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("work_id", sa.Integer(), nullable=False),
        sa.Column("records", MONEY, nullable=False),
        sa.Column("characters", MONEY, nullable=False),
        sa.Column("images", MONEY, nullable=False),
        sa.Column("minutes", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["report_id"], ["usage_reports.id"]),
        sa.ForeignKeyConstraint(["work_id"], ["works.id"]),
        sa.PrimaryKeyConstraint("report_id", "work_id"),
    )
    op.create_index(op.f("ix_usage_report_lines_work_id"), "usage_report_lines", ["work_id"])
    op.create_table(
        "invoices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("usage_report_id", sa.Integer(), nullable=False),
        sa.Column("developer_id", sa.Integer(), nullable=False),
        sa.Column("cmo_id", sa.Integer(), nullable=False),
        sa.Column("tariff_id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("total", MONEY, nullable=False),
        sa.Column("charges", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("issued_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["cmo_id"], ["parties.id"]),
        sa.ForeignKeyConstraint(["developer_id"], ["parties.id"]),
        sa.ForeignKeyConstraint(["tariff_id"], ["tariffs.id"]),
        sa.ForeignKeyConstraint(["usage_report_id"], ["usage_reports.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
        sa.UniqueConstraint("usage_report_id", "cmo_id"),
    )
    for column in ("usage_report_id", "developer_id", "cmo_id", "state"):
        op.create_index(op.f(f"ix_invoices_{column}"), "invoices", [column])
    op.create_table(
        "invoice_lines",
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("work_id", sa.Integer(), nullable=False),
        sa.Column("work_type", sa.String(length=16), nullable=False),
        sa.Column("unit", sa.String(length=32), nullable=False),
        sa.Column("quantity", sa.String(length=64), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.ForeignKeyConstraint(["invoice_id"], ["invoices.id"]),
        sa.ForeignKeyConstraint(["work_id"], ["works.id"]),
        sa.PrimaryKeyConstraint("invoice_id", "work_id"),
    )
    op.create_index(op.f("ix_invoice_lines_work_id"), "invoice_lines", ["work_id"])
    op.create_table(
        "attribution_submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("developer_id", sa.Integer(), nullable=False),
        sa.Column("cmo_id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("submitted_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["cmo_id"], ["parties.id"]),
        sa.ForeignKeyConstraint(["developer_id"], ["parties.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("developer_id", "cmo_id", "period_start", "period_end"),
    )
    for column in ("developer_id", "cmo_id"):
        op.create_index(
            op.f(f"ix_attribution_submissions_{column}"), "attribution_submissions", [column]
        )


def _distribution() -> None:
    op.create_table(
        "distribution_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cmo_id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("input_hash", sa.String(length=64), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("header", sa.JSON(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("run_by", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["cmo_id"], ["parties.id"]),
        sa.ForeignKeyConstraint(["run_by"], ["parties.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("input_hash"),
    )
    op.create_index(op.f("ix_distribution_runs_cmo_id"), "distribution_runs", ["cmo_id"])
    op.create_table(
        "distribution_collections",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("work_id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.ForeignKeyConstraint(["invoice_id"], ["invoices.id"]),
        sa.ForeignKeyConstraint(["run_id"], ["distribution_runs.id"]),
        sa.PrimaryKeyConstraint("run_id", "work_id", "invoice_id"),
    )
    op.create_index(
        op.f("ix_distribution_collections_invoice_id"), "distribution_collections", ["invoice_id"]
    )
    op.create_table(
        "distribution_works",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("work_id", sa.Integer(), nullable=False),
        *(
            sa.Column(name, MONEY, nullable=False)
            for name in (
                "use_weight",
                "use_amount",
                "score",
                "attribution_amount",
                "total",
                "reserved",
            )
        ),
        sa.ForeignKeyConstraint(["run_id"], ["distribution_runs.id"]),
        sa.PrimaryKeyConstraint("run_id", "work_id"),
    )
    op.create_table(
        "distribution_shares",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("work_id", sa.Integer(), nullable=False),
        sa.Column("holder_id", sa.Integer(), nullable=False),
        sa.Column("share_num", MONEY, nullable=False),
        sa.Column("share_den", MONEY, nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["distribution_runs.id"]),
        sa.PrimaryKeyConstraint("run_id", "work_id", "holder_id"),
    )
    op.create_index(op.f("ix_distribution_shares_holder_id"), "distribution_shares", ["holder_id"])
    op.create_table(
        "distribution_holders",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("holder_id", sa.Integer(), nullable=False),
        *(
            sa.Column(name, MONEY, nullable=False)
            for name in ("carried_in", "shares", "released", "balance", "payout", "carried_out")
        ),
        sa.ForeignKeyConstraint(["run_id"], ["distribution_runs.id"]),
        sa.PrimaryKeyConstraint("run_id", "holder_id"),
    )
    op.create_index(
        op.f("ix_distribution_holders_holder_id"), "distribution_holders", ["holder_id"]
    )
    op.create_table(
        "reserve_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("cmo_id", sa.Integer(), nullable=False),
        sa.Column("work_id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("claimed_by", sa.Integer(), nullable=True),
        sa.Column("claimed_on", sa.Date(), nullable=True),
        sa.Column("released_on", sa.Date(), nullable=True),
        sa.Column("released_into", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["claimed_by"], ["parties.id"]),
        sa.ForeignKeyConstraint(["cmo_id"], ["parties.id"]),
        sa.ForeignKeyConstraint(["released_into"], ["distribution_runs.id"]),
        sa.ForeignKeyConstraint(["run_id"], ["distribution_runs.id"]),
        sa.ForeignKeyConstraint(["work_id"], ["works.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("run_id", "work_id"),
    )
    for column in ("cmo_id", "work_id", "state"):
        op.create_index(op.f(f"ix_reserve_entries_{column}"), "reserve_entries", [column])


TABLES = (
    "reserve_entries",
    "distribution_holders",
    "distribution_shares",
    "distribution_works",
    "distribution_collections",
    "distribution_runs",
    "attribution_submissions",
    "invoice_lines",
    "invoices",
    "usage_report_lines",
    "usage_reports",
    "cmo_settings",
    "tariffs",
)
"""Created by this revision, in an order that drops each before what it refers to."""


def downgrade() -> None:
    for table in TABLES:
        op.drop_table(table)  # its indexes go with it
    with op.batch_alter_table("dataset_works") as batch:
        batch.drop_column("images")
    with op.batch_alter_table("notices") as batch:
        if op.get_bind().dialect.name != "sqlite":
            batch.drop_constraint("notices_tariff_cmo_id_fkey", type_="foreignkey")
        batch.drop_column("tariff_code")
        batch.drop_column("tariff_cmo_id")
