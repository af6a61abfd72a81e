"""Usage reports (使用报告), the invoices issued from them, and attribution submissions."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field, StrictInt, StrictStr

from trainclear.domain import WorkType
from trainclear.royalties import InvoiceState, Unit

Exact = StrictStr | StrictInt


class UsageLineIn(BaseModel):
    """Usage of one work: whole records, characters and images; exact minutes."""

    work_id: int
    records: int = Field(default=0, ge=0)
    characters: int = Field(default=0, ge=0)
    images: int = Field(default=0, ge=0)
    minutes: Exact = Field(default=0, description='exact: "12.5", "2/3" or an integer')


class UsageReportCreate(BaseModel):
    """A developer's per-work usage of one of its dataset versions in one period.

    The tariff is the one named here, or else the one the notice names that the version
    was filtered under (the snapshot's notice).
    """

    dataset_version_id: int
    period: str = Field(description="YYYY-MM-DD/YYYY-MM-DD, both days included")
    model: str = Field(min_length=1, max_length=500)
    epochs: int = Field(ge=1)
    lines: list[UsageLineIn] = Field(default_factory=list)
    tariff_code: str | None = Field(default=None, max_length=64)
    tariff_cmo_id: int | None = None


class UsageLinePublic(BaseModel):
    work_id: int
    records: int
    characters: int
    images: int
    minutes: str


class PriceTier(BaseModel):
    quantity: str
    amount: str
    """Exact amount in the tier (a decimal or fraction string), before the one rounding."""


class TypeChargePublic(BaseModel):
    """How the report's whole volume of one work type was priced (shared by its invoices)."""

    work_type: WorkType
    unit: Unit
    quantity: str
    tiers: list[PriceTier]
    exact: str
    rounded: int
    top_up: int
    amount: int


class InvoiceLinePublic(BaseModel):
    work_id: int
    work_type: WorkType
    unit: Unit
    quantity: str
    amount: int


class InvoicePublic(BaseModel):
    id: int
    key: str
    usage_report_id: int
    developer_id: int
    cmo_id: int
    tariff_id: int
    tariff_code: str
    period: str
    currency: str
    total: int
    state: InvoiceState
    paid_on: date | None
    issued_at: datetime
    charges: list[TypeChargePublic]
    lines: list[InvoiceLinePublic]


class UsageReportPublic(BaseModel):
    id: int
    developer_id: int
    dataset_version_id: int
    period: str
    model: str
    epochs: int
    tariff_id: int
    tariff_code: str
    tariff_cmo_id: int
    submitted_at: datetime
    lines: list[UsageLinePublic]
    invoices: list[InvoicePublic]
    total: int


class InvoicePay(BaseModel):
    paid_on: date | None = Field(default=None, description="default: today")


class AttributionCreate(BaseModel):
    """A licensee's output-attribution scores for a CMO's works, with the pool they split."""

    cmo_id: int
    period: str = Field(description="YYYY-MM-DD/YYYY-MM-DD")
    amount: int = Field(ge=0, description="the attribution pool, in minor units")
    scores: dict[int, Exact] = Field(min_length=1, description="work id → exact score")


class AttributionPublic(BaseModel):
    id: int
    developer_id: int
    cmo_id: int
    period: str
    amount: int
    scores: dict[int, str]
    submitted_at: datetime
