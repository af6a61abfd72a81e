"""Distribution runs, holders' statements and the reserve."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field


class ReserveState(StrEnum):
    OPEN = "open"
    """Claimable by a holder who proves title, until ``expires_on``."""
    CLAIMED = "claimed"
    RELEASED = "released"
    """Expired and taken out; the CMO's next run redistributes it by its policy."""


class DistributionRunCreate(BaseModel):
    period: str = Field(description="YYYY-MM-DD/YYYY-MM-DD")


class DistributionRunPublic(BaseModel):
    id: int
    cmo_id: int
    period: str
    currency: str
    input_hash: str
    digest: str
    run_by: int
    created_at: datetime
    replayed: bool = False
    """True when the same period and input had been distributed: the earlier run is returned."""
    summary: dict[str, Any]


class StatementSummary(BaseModel):
    """A holder's account in one run (the full statement traces each work)."""

    run_id: int
    cmo_id: int
    period: str
    currency: str
    holder_id: int
    carried_in: int
    shares: int
    released: int
    balance: int
    payout: int
    carried_out: int


class ReserveEntryPublic(BaseModel):
    id: int
    run_id: int
    cmo_id: int
    work_id: int
    period: str
    amount: int
    currency: str
    expires_on: date
    state: ReserveState
    claimed_by: int | None
    claimed_on: date | None
    released_on: date | None
    released_into: int | None


class ReserveClaimCreate(BaseModel):
    holder_id: int = Field(description="the rights holder whose title the CMO has verified")


class ReserveReleasePublic(BaseModel):
    released: list[ReserveEntryPublic]
    amount: int
