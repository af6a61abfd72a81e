"""Tariffs (付酬标准) and a CMO's distribution settings.

Rates, tier bounds and fee brackets are exact numbers written as strings (``"12.5"``,
``"2/3"``) or integers; floats are refused, because a float has already lost the decimal
it was written as (see docs/remuneration.md).
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field, StrictInt, StrictStr

from trainclear.domain import WorkType
from trainclear.royalties import DEFAULT_CLAIM_YEARS, ReservePolicy, Unit

Exact = StrictStr | StrictInt
"""An exact number: an integer, or a decimal or fraction string; never a float."""


class TierIn(BaseModel):
    up_to: Exact | None = Field(default=None, description="units; null for the last tier")
    rate: Exact = Field(description="minor units per unit")


class RateScheduleIn(BaseModel):
    work_type: WorkType
    unit: Unit
    minimum_fee: int = Field(default=0, ge=0)
    tiers: list[TierIn] = Field(min_length=1)


class TariffCreate(BaseModel):
    """One version of a tariff; a code's versions may not be in force on a common day."""

    code: str = Field(min_length=1, max_length=64)
    title: str = Field(default="", max_length=500)
    currency: str = Field(default="CNY", min_length=3, max_length=3)
    effective_from: date
    effective_to: date | None = Field(default=None, description="last day; null: open-ended")
    schedules: list[RateScheduleIn] = Field(min_length=1)


class TariffEnd(BaseModel):
    effective_to: date = Field(description="the version's new last day in force")


class TierPublic(BaseModel):
    up_to: str | None
    rate: str


class RateSchedulePublic(BaseModel):
    work_type: WorkType
    unit: Unit
    minimum_fee: int
    tiers: list[TierPublic]


class TariffPublic(BaseModel):
    id: int
    cmo_id: int
    code: str
    title: str
    currency: str
    effective_from: date
    effective_to: date | None
    schedules: list[RateSchedulePublic]
    created_at: datetime


class FeeBracketIn(BaseModel):
    up_to: StrictInt | None = Field(default=None, description="minor units; null: the rest")
    rate: Exact = Field(description='a fraction of the amount in the bracket, e.g. "0.12"')


class CmoSettingsUpdate(BaseModel):
    """How a CMO distributes: its fee schedule (rates falling), threshold, reserve rules."""

    currency: str = Field(default="CNY", min_length=3, max_length=3)
    fee_schedule: list[FeeBracketIn] = Field(min_length=1)
    minimum_payout: int = Field(default=0, ge=0)
    reserve_claim_years: int = Field(default=DEFAULT_CLAIM_YEARS, ge=0, le=100)
    reserve_policy: ReservePolicy = ReservePolicy.USE_POOL


class FeeBracketPublic(BaseModel):
    up_to: str | None
    rate: str


class CmoSettingsPublic(BaseModel):
    cmo_id: int
    currency: str
    fee_schedule: list[FeeBracketPublic]
    minimum_payout: int
    reserve_claim_years: int
    reserve_policy: ReservePolicy
    updated_at: datetime | None
    """None: the CMO has not set any; these are the defaults (no fee, no threshold)."""
