"""A CMO's distribution run for one period: its input and its result.

Input (:class:`DistributionInput`): what was collected (per invoice and work), measured
use per work (by default each work's collected amount: usage priced by the tariff, which
makes characters, images and minutes comparable), an optional attribution pool with the
licensee's scores, the owners of each work, balances carried forward, the fee schedule,
the payout threshold, any expired reserve released into this run and the policy for it.
The once-per-period rule is :func:`~trainclear.royalties.periods.check_period`.

Result (:class:`DistributionResult`): the summary, and four tables — per work (the two
pools' allocations), per (work, owner) share, per holder account (carried in, shares,
payout, carried out) and the new reserve. :func:`~trainclear.royalties.engine.run_distribution`
makes it; the same input in any row order gives a byte-identical result.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, ClassVar

from trainclear.errors import ValidationFailed
from trainclear.royalties.fees import FeeSchedule
from trainclear.royalties.money import check_amount, check_currency
from trainclear.royalties.periods import Period
from trainclear.royalties.reserve import DEFAULT_CLAIM_YEARS, ReserveEntry, ReservePolicy, expiry
from trainclear.royalties.tables import (
    Balances,
    Collections,
    Owners,
    Scores,
    Table,
    Uses,
    table_hash,
)
from trainclear.royalties.vector import I64


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class DistributionInput:
    cmo_id: int
    period: Period
    currency: str
    collections: Collections
    owners: Owners
    fee_schedule: FeeSchedule
    minimum_payout: int = 0
    uses: Uses | None = None
    attribution_amount: int = 0
    scores: Scores | None = None
    carried_in: Balances = field(default_factory=lambda: Balances.of([]))
    released_reserve: int = 0
    reserve_policy: ReservePolicy = ReservePolicy.USE_POOL
    reserve_claim_years: int = DEFAULT_CLAIM_YEARS

    def __post_init__(self) -> None:
        check_currency(self.currency)
        for name in (
            "minimum_payout",
            "attribution_amount",
            "released_reserve",
            "reserve_claim_years",
        ):
            check_amount(getattr(self, name), name)
        if self.attribution_amount and (self.scores is None or not len(self.scores)):
            raise ValidationFailed(
                "royalties.attribution_without_scores", amount=self.attribution_amount
            )
        if self.scores is not None:
            self.scores.non_negative("score")
        if self.uses is not None:
            self.uses.non_negative("weight")
        self.collections.non_negative("amount")
        self.carried_in.non_negative("amount", "holder_id")

    def header(self) -> dict[str, Any]:
        """The scalar part of the input, in a canonical JSON-able form."""
        return {
            "cmo_id": self.cmo_id,
            "period": str(self.period),
            "currency": self.currency,
            "fee_schedule": [
                [None if b.up_to is None else str(b.up_to), str(b.rate)]
                for b in self.fee_schedule.brackets
            ],
            "minimum_payout": self.minimum_payout,
            "attribution_amount": self.attribution_amount,
            "released_reserve": self.released_reserve,
            "reserve_policy": str(self.reserve_policy),
            "reserve_claim_years": self.reserve_claim_years,
            "uses_given": self.uses is not None,
            "scores_given": self.scores is not None,
        }

    def input_hash(self) -> str:
        """SHA-256 of the whole input in canonical order: the run's identity for idempotence."""
        tables: list[Table] = [self.collections, self.owners, self.carried_in]
        tables += [t for t in (self.uses, self.scores) if t is not None]
        return table_hash(*tables, header=_canonical(self.header()))


@dataclass(frozen=True, slots=True, eq=False, kw_only=True)
class WorkAllocations(Table):
    work_id: I64
    use_weight: I64
    use_amount: I64
    score: I64
    attribution_amount: I64
    total: I64
    reserved: I64
    NAME: ClassVar[str] = "works"


@dataclass(frozen=True, slots=True, eq=False, kw_only=True)
class ShareRows(Table):
    """One row per (work, owner): the owner's reduced share and the amount it came to."""

    work_id: I64
    holder_id: I64
    share_num: I64
    share_den: I64
    amount: I64
    KEY: ClassVar[int] = 2
    NAME: ClassVar[str] = "shares"


@dataclass(frozen=True, slots=True, eq=False, kw_only=True)
class HolderAccounts(Table):
    """``balance = carried_in + shares + released``; then ``balance = payout + carried_out``."""

    holder_id: I64
    carried_in: I64
    shares: I64
    released: I64
    balance: I64
    payout: I64
    carried_out: I64
    NAME: ClassVar[str] = "holders"


@dataclass(frozen=True, slots=True, eq=False, kw_only=True)
class ReserveRows(Table):
    work_id: I64
    amount: I64
    NAME: ClassVar[str] = "reserve"


@dataclass(frozen=True, slots=True, kw_only=True)
class RunSummary:
    """The run's figures. Conservation: ``collected + carried_in + released_reserve ==
    fee + paid_out + carried_out + reserved``, checked by the engine on every run."""

    cmo_id: int
    period: Period
    currency: str
    input_hash: str
    collected: int
    fee: int
    net: int
    attribution_pool: int
    use_pool: int
    released_reserve: int
    reserve_policy: ReservePolicy
    carried_in: int
    to_holders: int
    paid_out: int
    carried_out: int
    reserved: int
    reserve_expires_on: date
    works: int
    holders: int
    payees: int

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(
            period=str(self.period),
            reserve_policy=str(self.reserve_policy),
            reserve_expires_on=self.reserve_expires_on.isoformat(),
        )
        return data


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class DistributionResult:
    summary: RunSummary
    works: WorkAllocations
    shares: ShareRows
    holders: HolderAccounts
    reserve: ReserveRows

    @property
    def digest(self) -> str:
        """SHA-256 of the summary and every table: equal for equal inputs, byte for byte."""
        tables = (self.works, self.shares, self.holders, self.reserve)
        return table_hash(*tables, header=_canonical(self.summary.to_dict()))

    def reserve_entries(self) -> tuple[ReserveEntry, ...]:
        """The new reserve as entries the store keeps until they are claimed or expire."""
        s = self.summary
        return tuple(
            ReserveEntry(
                cmo_id=s.cmo_id,
                period=s.period,
                work_id=w,
                amount=a,
                currency=s.currency,
                expires_on=s.reserve_expires_on,
            )
            for w, a in self.reserve.rows()
        )

    def to_dict(self) -> dict[str, Any]:
        """Everything as plain data (rows as lists of column values; large for large runs)."""
        tables = (self.works, self.shares, self.holders, self.reserve)
        return {
            "summary": self.summary.to_dict(),
            "digest": self.digest,
            **{
                t.NAME: {"columns": list(t.columns()), "rows": [list(r) for r in t.rows()]}
                for t in tables
            },
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))


def reserve_expiry(inp: DistributionInput) -> date:
    return expiry(inp.period, inp.reserve_claim_years)


def _canonical(data: dict[str, Any]) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()
