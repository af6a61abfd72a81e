"""The registry's tables (SQLAlchemy 2 declarative, typed).

Enumerated values are stored as short strings (portable across SQLite and PostgreSQL);
their vocabularies live in :mod:`trainclear.domain`. Every change of a table here
needs an Alembic migration in ``store/migrations/versions`` (a test compares them).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from trainclear.store.types import UTCDateTime


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
    }


class Party(Base):
    """A rights holder, developer, CMO or the copyright administration."""

    __tablename__ = "parties"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    created_at: Mapped[datetime]


class ApiToken(Base):
    """An API token; only its SHA-256 is stored (tokens are 256-bit random)."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class Work(Base):
    """A registered work with its fingerprint and optional CMO mandate."""

    __tablename__ = "works"
    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(500), index=True)
    fingerprint: Mapped[str | None] = mapped_column(String(80), index=True)
    characters: Mapped[int | None]
    registered_by: Mapped[int] = mapped_column(ForeignKey("parties.id"))
    cmo_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id"), index=True)
    cmo_stance: Mapped[str | None] = mapped_column(String(32))
    image_hash: Mapped[str | None] = mapped_column(String(32), index=True)
    created_at: Mapped[datetime]
    holders: Mapped[list[WorkHolder]] = relationship(
        back_populates="work", cascade="all, delete-orphan", order_by="WorkHolder.holder_id"
    )
    identifiers: Mapped[list[WorkIdentifier]] = relationship(
        back_populates="work", cascade="all, delete-orphan", order_by="WorkIdentifier.id"
    )


class WorkText(Base):
    """The sampled n-grams of a text work (its text itself is never stored)."""

    __tablename__ = "work_texts"
    work_id: Mapped[int] = mapped_column(ForeignKey("works.id"), primary_key=True)
    sample_bits: Mapped[int]
    length: Mapped[int]
    folded_length: Mapped[int]
    keys: Mapped[bytes] = mapped_column(LargeBinary)
    """uint32 little-endian sampled n-gram keys."""
    positions: Mapped[bytes] = mapped_column(LargeBinary)
    """uint32 little-endian folded start positions, one per key."""
    levels: Mapped[bytes] = mapped_column(LargeBinary)
    """uint8 sampling levels, one per key, to derive sparser samples."""


class WorkHolder(Base):
    """A (co-)holder of a work with an exact rational share."""

    __tablename__ = "work_holders"
    work_id: Mapped[int] = mapped_column(ForeignKey("works.id"), primary_key=True)
    holder_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), primary_key=True, index=True)
    share_num: Mapped[int]
    share_den: Mapped[int]
    work: Mapped[Work] = relationship(back_populates="holders")


class WorkIdentifier(Base):
    """An identifier in canonical form; one registered work per identifier."""

    __tablename__ = "work_identifiers"
    __table_args__ = (UniqueConstraint("scheme", "value"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    work_id: Mapped[int] = mapped_column(ForeignKey("works.id"), index=True)
    scheme: Mapped[str] = mapped_column(String(8))
    value: Mapped[str] = mapped_column(String(1000))
    work: Mapped[Work] = relationship(back_populates="identifiers")


class OptOut(Base):
    """A rights reservation (选择退出) with its history: withdrawal only sets a timestamp."""

    __tablename__ = "opt_outs"
    id: Mapped[int] = mapped_column(primary_key=True)
    declared_by: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    scope: Mapped[str] = mapped_column(String(16))
    work_id: Mapped[int | None] = mapped_column(ForeignKey("works.id"), index=True)
    holder_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id"), index=True)
    target: Mapped[str | None] = mapped_column(String(1000))
    purpose: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(16))
    objection_id: Mapped[int | None] = mapped_column(ForeignKey("objections.id"))
    effective_from: Mapped[datetime]
    created_at: Mapped[datetime]
    withdrawn_at: Mapped[datetime | None]
    withdrawn_by: Mapped[int | None] = mapped_column(ForeignKey("parties.id"))


class Notice(Base):
    """One version of a developer's notice (公告); published versions never change content."""

    __tablename__ = "notices"
    __table_args__ = (UniqueConstraint("series_id", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int | None] = mapped_column(index=True)
    version: Mapped[int] = mapped_column(default=1)
    developer_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    state: Mapped[str] = mapped_column(String(16), index=True)
    purpose: Mapped[str] = mapped_column(String(32))
    model: Mapped[str] = mapped_column(String(500))
    other_sources: Mapped[str] = mapped_column(Text, default="")
    remuneration: Mapped[str] = mapped_column(Text, default="")
    scan_snapshot_id: Mapped[str | None] = mapped_column(String(64))
    window_start: Mapped[datetime | None]
    window_end: Mapped[datetime | None]
    created_at: Mapped[datetime]
    published_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    effective_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]
    superseded_by: Mapped[int | None] = mapped_column(ForeignKey("notices.id"))
    tariff_cmo_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id"))
    tariff_code: Mapped[str | None] = mapped_column(String(64))
    """The tariff the notice names as its remuneration standard (a CMO's code), if any."""
    works: Mapped[list[NoticeWork]] = relationship(
        back_populates="notice", cascade="all, delete-orphan", order_by="NoticeWork.work_id"
    )


class NoticeWork(Base):
    """A registered work listed in a notice version, with its own objection window."""

    __tablename__ = "notice_works"
    __table_args__ = (UniqueConstraint("notice_id", "work_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id"), index=True)
    work_id: Mapped[int] = mapped_column(ForeignKey("works.id"), index=True)
    added_in_version: Mapped[int]
    window_start: Mapped[datetime | None]
    window_end: Mapped[datetime | None]
    records: Mapped[int] = mapped_column(default=0)
    characters: Mapped[int] = mapped_column(default=0)
    notice: Mapped[Notice] = relationship(back_populates="works")


class Objection(Base):
    """An objection (异议) by a holder or mandated CMO to one work of a notice series."""

    __tablename__ = "objections"
    __table_args__ = (UniqueConstraint("series_id", "work_id", "objector_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id"), index=True)
    series_id: Mapped[int] = mapped_column(index=True)
    work_id: Mapped[int] = mapped_column(ForeignKey("works.id"), index=True)
    objector_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    filed_at: Mapped[datetime]
    in_window: Mapped[bool]
    reason: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(16))
    opt_out_id: Mapped[int | None] = mapped_column(
        ForeignKey("opt_outs.id", use_alter=True, name="fk_objections_opt_out_id_opt_outs")
    )


class Dispute(Base):
    """A developer's contest of an objection, decided by the administration (争议)."""

    __tablename__ = "disputes"
    id: Mapped[int] = mapped_column(primary_key=True)
    objection_id: Mapped[int] = mapped_column(ForeignKey("objections.id"), index=True)
    developer_id: Mapped[int] = mapped_column(ForeignKey("parties.id"))
    grounds: Mapped[str] = mapped_column(Text)
    filed_at: Mapped[datetime]
    decide_by: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(24), index=True)
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("parties.id"))
    decision: Mapped[str] = mapped_column(Text, default="")


class SnapshotRecord(Base):
    """An exported snapshot file; the id is the SHA-256 of its content."""

    __tablename__ = "snapshots"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    scope: Mapped[str] = mapped_column(String(16))
    notice_id: Mapped[int | None] = mapped_column(ForeignKey("notices.id"))
    purpose: Mapped[str] = mapped_column(String(32))
    as_of: Mapped[datetime]
    created_at: Mapped[datetime]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("parties.id"))
    works_count: Mapped[int]
    excluded_count: Mapped[int]
    url_rules_count: Mapped[int]


class Run(Base):
    """A scan or filter run and the snapshot it used."""

    __tablename__ = "runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    snapshot_id: Mapped[str] = mapped_column(ForeignKey("snapshots.id"), index=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime]
    output: Mapped[str] = mapped_column(Text, default="")
    stats: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Event(Base):
    """Every state change, appended in the same transaction (Merkle-hashed by the ledger)."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_subject", "subject"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(48), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id"))
    subject: Mapped[str] = mapped_column(String(128))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)


class SitePolicyCapture(Base):
    """A site-level policy file (robots.txt, tdmrep.json, ai.txt, RSL licence) as fetched.

    Captures are only ever added. A record is judged with each capturer's latest capture
    at or before the record's own fetch time, and the captures of different capturers
    combine most-restrictively, so nobody can weaken what another party captured.
    """

    __tablename__ = "site_policies"
    __table_args__ = (Index("ix_site_policies_origin_kind", "origin", "kind", "fetched_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    origin: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(16))
    url: Mapped[str] = mapped_column(String(2000))
    fetched_at: Mapped[datetime]
    status: Mapped[int | None]
    """Final HTTP status; None when the origin could not be reached."""
    error: Mapped[str | None] = mapped_column(Text)
    content_type: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    captured_by: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    recorded_at: Mapped[datetime]


class LogState(Base):
    """The transparency log's size and frontier (one row; updating it serialises appends)."""

    __tablename__ = "log_state"
    id: Mapped[int] = mapped_column(primary_key=True)
    size: Mapped[int]
    frontier: Mapped[bytes] = mapped_column(LargeBinary)
    """The roots of the log's maximal complete subtrees, left to right, 32 bytes each."""


class LogEntry(Base):
    """Leaf ``seq`` of the log: the event it commits to (its canonical bytes are hashed)."""

    __tablename__ = "log_entries"
    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), unique=True)


class LogNode(Base):
    """A complete subtree's hash, keyed ``level << 48 | index`` (level 0: leaf hashes)."""

    __tablename__ = "log_nodes"
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    hash: Mapped[bytes] = mapped_column(LargeBinary)


class LogHead(Base):
    """A signed tree head the platform issued (kept so any two can be proven consistent)."""

    __tablename__ = "log_heads"
    id: Mapped[int] = mapped_column(primary_key=True)
    tree_size: Mapped[int] = mapped_column(index=True)
    root_hash: Mapped[bytes] = mapped_column(LargeBinary)
    timestamp: Mapped[datetime]
    key_id: Mapped[str] = mapped_column(String(64))
    signature: Mapped[bytes] = mapped_column(LargeBinary)


class DatasetVersion(Base):
    """A filtered dataset version: a Merkle root over its records' content hashes.

    Versions of one name chain through ``parent_id``; the sorted content hashes and the
    membership sketch are content-addressed files under the data folder.
    """

    __tablename__ = "dataset_versions"
    __table_args__ = (UniqueConstraint("developer_id", "name", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    developer_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    version: Mapped[int]
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("dataset_versions.id"))
    manifest_root: Mapped[str] = mapped_column(String(64))
    records: Mapped[int]
    added: Mapped[int]
    removed: Mapped[int]
    characters: Mapped[int]
    snapshot_id: Mapped[str | None] = mapped_column(String(64))
    sketch_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]


class DatasetWork(Base):
    """A registered work a scan found in a dataset version (evidence for the affected query)."""

    __tablename__ = "dataset_works"
    dataset_version_id: Mapped[int] = mapped_column(
        ForeignKey("dataset_versions.id"), primary_key=True
    )
    work_id: Mapped[int] = mapped_column(ForeignKey("works.id"), primary_key=True, index=True)
    records: Mapped[int]
    characters: Mapped[int]
    images: Mapped[int] = mapped_column(default=0, server_default="0")
    """Images of an image work used (a record carries at most one image)."""


class TrainedModel(Base):
    """A model a developer registers against the dataset versions it was trained on."""

    __tablename__ = "models"
    __table_args__ = (UniqueConstraint("developer_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    developer_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    registered_at: Mapped[datetime]


class ModelDataset(Base):
    __tablename__ = "model_datasets"
    model_id: Mapped[int] = mapped_column(ForeignKey("models.id"), primary_key=True)
    dataset_version_id: Mapped[int] = mapped_column(
        ForeignKey("dataset_versions.id"), primary_key=True, index=True
    )


class WebAccount(Base):
    """A party's sign-in for the web pages: an e-mail address and an argon2 password hash."""

    __tablename__ = "web_accounts"
    id: Mapped[int] = mapped_column(primary_key=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), unique=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    """Lower-cased and trimmed, so one address is one account."""
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    last_sign_in_at: Mapped[datetime | None]
    """Failed sign-ins before this moment no longer count towards the limit."""


class WebSession(Base):
    """A signed-in browser. Only the SHA-256 of the cookie's random value is stored."""

    __tablename__ = "web_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("web_accounts.id"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    csrf_secret: Mapped[str] = mapped_column(String(64))
    """The token every form of this session carries back."""
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class SignInFailure(Base):
    """A failed sign-in, counted per address and per client address for the rate limit."""

    __tablename__ = "web_sign_in_failures"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    email: Mapped[str] = mapped_column(String(320), index=True)
    client_ip: Mapped[str] = mapped_column(String(64), index=True)


# Remuneration (issue 5): tariffs, usage reports, invoices, distribution runs, the reserve.
# Money columns are integer minor units (BigInteger); exact quantities, shares and scores
# are decimal or fraction strings, never floats. See docs/remuneration.md.


class TariffVersion(Base):
    """One version of a CMO's tariff (付酬标准); ``body`` is :func:`royalties.tariff_to_dict`."""

    __tablename__ = "tariffs"
    __table_args__ = (UniqueConstraint("cmo_id", "code", "effective_from"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    cmo_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    code: Mapped[str] = mapped_column(String(64), index=True)
    title: Mapped[str] = mapped_column(String(500), default="")
    currency: Mapped[str] = mapped_column(String(3))
    effective_from: Mapped[date] = mapped_column(Date)
    effective_to: Mapped[date | None] = mapped_column(Date)
    """The last day in force; None while open-ended."""
    body: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]


class CmoSettings(Base):
    """A CMO's distribution settings; a CMO without a row distributes with the defaults."""

    __tablename__ = "cmo_settings"
    cmo_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), primary_key=True)
    currency: Mapped[str] = mapped_column(String(3))
    fee_schedule: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    """Brackets ``[{"up_to": "20000" | None, "rate": "0.12"}, ...]`` (exact strings)."""
    minimum_payout: Mapped[int] = mapped_column(BigInteger)
    reserve_claim_years: Mapped[int]
    reserve_policy: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[datetime]


class UsageReportRecord(Base):
    """A developer's usage report (使用报告) for one dataset version and period."""

    __tablename__ = "usage_reports"
    __table_args__ = (UniqueConstraint("dataset_version_id", "period_start", "period_end"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    developer_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    dataset_version_id: Mapped[int] = mapped_column(ForeignKey("dataset_versions.id"), index=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    model: Mapped[str] = mapped_column(String(500))
    epochs: Mapped[int]
    tariff_id: Mapped[int] = mapped_column(ForeignKey("tariffs.id"))
    """The tariff version that priced the report."""
    content_hash: Mapped[str] = mapped_column(String(64))
    submitted_at: Mapped[datetime]


class UsageReportLine(Base):
    """Usage of one work in a report; ``minutes`` is an exact decimal or fraction string."""

    __tablename__ = "usage_report_lines"
    report_id: Mapped[int] = mapped_column(ForeignKey("usage_reports.id"), primary_key=True)
    work_id: Mapped[int] = mapped_column(ForeignKey("works.id"), primary_key=True, index=True)
    records: Mapped[int] = mapped_column(BigInteger)
    characters: Mapped[int] = mapped_column(BigInteger)
    images: Mapped[int] = mapped_column(BigInteger)
    minutes: Mapped[str] = mapped_column(String(64))


class InvoiceRecord(Base):
    """What one usage report owes one CMO (one invoice per report and CMO)."""

    __tablename__ = "invoices"
    __table_args__ = (UniqueConstraint("usage_report_id", "cmo_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    """SHA-256 of what the report's invoice charges, and the CMO: issued once."""
    usage_report_id: Mapped[int] = mapped_column(ForeignKey("usage_reports.id"), index=True)
    developer_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    cmo_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    tariff_id: Mapped[int] = mapped_column(ForeignKey("tariffs.id"))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3))
    total: Mapped[int] = mapped_column(BigInteger)
    charges: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    """How each work type of the whole report was priced (tiers, rounding, top-up)."""
    state: Mapped[str] = mapped_column(String(16), index=True)
    paid_on: Mapped[date | None] = mapped_column(Date)
    issued_at: Mapped[datetime]


class InvoiceLineRecord(Base):
    """One work's line of an invoice: its quantity in the tariff's unit and its amount."""

    __tablename__ = "invoice_lines"
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), primary_key=True)
    work_id: Mapped[int] = mapped_column(ForeignKey("works.id"), primary_key=True, index=True)
    work_type: Mapped[str] = mapped_column(String(16))
    unit: Mapped[str] = mapped_column(String(32))
    quantity: Mapped[str] = mapped_column(String(64))
    amount: Mapped[int] = mapped_column(BigInteger)


class AttributionSubmission(Base):
    """Output-attribution scores a licensee supplies to a CMO for a period, with the pool."""

    __tablename__ = "attribution_submissions"
    __table_args__ = (UniqueConstraint("developer_id", "cmo_id", "period_start", "period_end"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    developer_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    cmo_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    amount: Mapped[int] = mapped_column(BigInteger)
    scores: Mapped[dict[str, Any]]
    """``{"work id": "score"}`` with exact decimal or fraction strings."""
    submitted_at: Mapped[datetime]


class DistributionRun(Base):
    """A CMO's distribution of one period; its result rows are in the four tables below."""

    __tablename__ = "distribution_runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    cmo_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3))
    input_hash: Mapped[str] = mapped_column(String(64), unique=True)
    digest: Mapped[str] = mapped_column(String(64))
    header: Mapped[dict[str, Any]]
    """The input's scalars (fee schedule, threshold, pools, policy) as the engine hashed them."""
    summary: Mapped[dict[str, Any]]
    run_by: Mapped[int] = mapped_column(ForeignKey("parties.id"))
    created_at: Mapped[datetime]


class DistributionCollection(Base):
    """A paid invoice line a run distributed (each invoice is distributed by one run)."""

    __tablename__ = "distribution_collections"
    run_id: Mapped[int] = mapped_column(ForeignKey("distribution_runs.id"), primary_key=True)
    work_id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), primary_key=True, index=True)
    amount: Mapped[int] = mapped_column(BigInteger)


class DistributionWork(Base):
    """A work's allocation in a run: use pool, attribution pool, total, reserved."""

    __tablename__ = "distribution_works"
    run_id: Mapped[int] = mapped_column(ForeignKey("distribution_runs.id"), primary_key=True)
    work_id: Mapped[int] = mapped_column(primary_key=True)
    use_weight: Mapped[int] = mapped_column(BigInteger)
    use_amount: Mapped[int] = mapped_column(BigInteger)
    score: Mapped[int] = mapped_column(BigInteger)
    attribution_amount: Mapped[int] = mapped_column(BigInteger)
    total: Mapped[int] = mapped_column(BigInteger)
    reserved: Mapped[int] = mapped_column(BigInteger)


class DistributionShare(Base):
    """An owner's share of a work in a run; ``holder_id`` −1 is an unidentified owner."""

    __tablename__ = "distribution_shares"
    run_id: Mapped[int] = mapped_column(ForeignKey("distribution_runs.id"), primary_key=True)
    work_id: Mapped[int] = mapped_column(primary_key=True)
    holder_id: Mapped[int] = mapped_column(primary_key=True, index=True)
    share_num: Mapped[int] = mapped_column(BigInteger)
    share_den: Mapped[int] = mapped_column(BigInteger)
    amount: Mapped[int] = mapped_column(BigInteger)


class DistributionHolder(Base):
    """A holder's account in a run: carried in + shares + released = paid + carried out."""

    __tablename__ = "distribution_holders"
    run_id: Mapped[int] = mapped_column(ForeignKey("distribution_runs.id"), primary_key=True)
    holder_id: Mapped[int] = mapped_column(primary_key=True, index=True)
    carried_in: Mapped[int] = mapped_column(BigInteger)
    shares: Mapped[int] = mapped_column(BigInteger)
    released: Mapped[int] = mapped_column(BigInteger)
    balance: Mapped[int] = mapped_column(BigInteger)
    payout: Mapped[int] = mapped_column(BigInteger)
    carried_out: Mapped[int] = mapped_column(BigInteger)


class ReserveEntryRecord(Base):
    """An unidentified owner's share kept by the CMO: open, claimed, or released by policy."""

    __tablename__ = "reserve_entries"
    __table_args__ = (UniqueConstraint("run_id", "work_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("distribution_runs.id"))
    cmo_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    work_id: Mapped[int] = mapped_column(ForeignKey("works.id"), index=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    expires_on: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(16), index=True)
    claimed_by: Mapped[int | None] = mapped_column(ForeignKey("parties.id"))
    claimed_on: Mapped[date | None] = mapped_column(Date)
    released_on: Mapped[date | None] = mapped_column(Date)
    released_into: Mapped[int | None] = mapped_column(ForeignKey("distribution_runs.id"))
    """The run that redistributed the released entry."""
