"""Read models of usage reports, invoices and compliance for the portals (issue 7).

Amounts are integer minor units with their currency, as everywhere; pages format them.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from trainclear.domain import WorkType
from trainclear.royalties import InvoiceState, Unit
from trainclear.schemas.board import NoticeSummary, Paged
from trainclear.schemas.tariffs import RateSchedulePublic
from trainclear.schemas.usage import TypeChargePublic


class ReportState(StrEnum):
    """A report's state, from its invoices: all paid, or some still outstanding."""

    OUTSTANDING = "outstanding"
    PAID = "paid"


class ReportQuery(BaseModel):
    """Filter usage reports: by developer (administration only), period, state."""

    developer_id: int | None = None
    start: date | None = Field(default=None, description="reports whose period ends on or after")
    end: date | None = Field(default=None, description="reports whose period starts on or before")
    state: ReportState | None = None
    page: int = Field(default=1, ge=1)
    per_page: int = Field(default=20, ge=1, le=100)


class ReportRow(BaseModel):
    id: int
    developer_id: int
    developer_name: str
    dataset_version_id: int
    dataset_name: str
    dataset_version: int
    period: str
    model: str
    epochs: int
    tariff_code: str
    submitted_at: datetime
    invoices: int
    paid: int
    currency: str | None
    total: int
    outstanding: int

    @property
    def state(self) -> ReportState:
        return ReportState.PAID if self.paid == self.invoices else ReportState.OUTSTANDING


class ReportPage(Paged):
    items: list[ReportRow]


class ReportLineRow(BaseModel):
    work_id: int
    title: str
    records: int
    characters: int
    images: int
    minutes: str


class InvoiceRow(BaseModel):
    id: int
    usage_report_id: int
    developer_id: int
    developer_name: str
    cmo_id: int
    cmo_name: str
    tariff_code: str
    period: str
    currency: str
    total: int
    state: InvoiceState
    paid_on: date | None
    issued_at: datetime


class InvoicePage(Paged):
    items: list[InvoiceRow]


class ReportView(Paged):
    """A report with one page of its lines and every invoice it produced."""

    report: ReportRow
    lines: list[ReportLineRow]
    invoices: list[InvoiceRow]


class InvoiceLineRow(BaseModel):
    work_id: int
    title: str
    work_type: WorkType
    unit: Unit
    quantity: str
    amount: int


class InvoiceView(Paged):
    """An invoice with how the report was priced and one page of its lines."""

    invoice: InvoiceRow
    charges: list[TypeChargePublic]
    lines: list[InvoiceLineRow]


class MeasuredLine(BaseModel):
    """What the scan of a version measured for one work: the least a report may state."""

    work_id: int
    title: str
    type: WorkType
    records: int
    characters: int
    images: int


class TariffSummary(BaseModel):
    """A tariff version as a notice or a form shows it: code, CMO, tiers."""

    id: int
    cmo_id: int
    cmo_name: str
    code: str
    title: str
    currency: str
    effective_from: date
    effective_to: date | None
    schedules: list[RateSchedulePublic]


class AmountLine(BaseModel):
    """Invoiced, paid and outstanding amounts of one currency."""

    currency: str
    invoiced: int
    paid: int
    outstanding: int


class ComplianceRow(BaseModel):
    """One developer's standing: notices, objections, datasets, reports, invoices."""

    developer_id: int
    developer_name: str
    notices_published: int = 0
    windows_open: int = 0
    windows_closed: int = 0
    objections_received: int = 0
    objections_excluded: int = 0
    versions_built: int = 0
    versions_unreported: int = 0
    reports_submitted: int = 0
    invoices_issued: int = 0
    invoices_paid: int = 0
    amounts: list[AmountLine] = Field(default_factory=list)

    @property
    def invoices_outstanding(self) -> int:
        return self.invoices_issued - self.invoices_paid


class ComplianceQuery(BaseModel):
    text: str = Field(default="", max_length=200, description="part of a developer's name")
    page: int = Field(default=1, ge=1)
    per_page: int = Field(default=20, ge=1, le=100)


class CompliancePage(Paged):
    items: list[ComplianceRow]
    as_of: datetime


class VersionStanding(BaseModel):
    """A dataset version and how many usage reports were submitted for it."""

    id: int
    name: str
    version: int
    records: int
    created_at: datetime
    reports: int


class DeveloperCompliance(BaseModel):
    """The administration's page on one developer."""

    row: ComplianceRow
    notices: list[NoticeSummary]
    versions: list[VersionStanding]
    as_of: datetime
