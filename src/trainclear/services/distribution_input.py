"""A CMO's distribution input for a period, gathered from the store.

* **Collections**: the lines of the CMO's paid invoices (paid by today) whose usage period
  ends by the period's last day and that no run of another period has distributed. Each
  invoice is distributed by exactly one run; one paid late goes into the next run.
* **Measured use**: the engine's default, each work's collected amount (usage priced by
  the tariff, which makes characters, images and minutes comparable).
* **Scores**: the attribution submissions inside the period (:mod:`.attributions`).
* **Owners**: the registered holders and shares of every work in the run; a work with no
  holder rows has an unidentified owner, whose share goes to the reserve.
* **Carried in**: the balances the CMO's latest earlier run carried forward.
* **Released reserve**: entries released after their claim period and not yet
  redistributed by another run.
* **Rules**: the CMO's settings (:mod:`.cmo_settings`).

The same store state gives the same input, byte for byte (the engine's tables sort
themselves), which is what makes a replay recognisable by its hash.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
from sqlalchemy import Connection, Select, or_, select
from sqlalchemy.orm import Session

from trainclear.errors import ValidationFailed
from trainclear.royalties import (
    Balances,
    Collections,
    DistributionInput,
    InvoiceState,
    Owners,
    Period,
    scores_of,
)
from trainclear.schemas.distributions import ReserveState
from trainclear.services.attributions import scores_in
from trainclear.services.bulk import AnySelect, int_columns
from trainclear.services.cmo_settings import DistributionRules
from trainclear.services.remuneration import chunks
from trainclear.store.models import (
    DistributionCollection,
    DistributionHolder,
    DistributionRun,
    InvoiceLineRecord,
    InvoiceRecord,
    ReserveEntryRecord,
    WorkHolder,
)


@dataclass(frozen=True, slots=True)
class Gathered:
    """A run's input and the rows it takes: invoices distributed, reserve redistributed."""

    inp: DistributionInput
    released_entries: list[int]


def gather(
    s: Session, *, cmo_id: int, period: Period, rules: DistributionRules, today: date
) -> Gathered:
    conn = s.connection()
    invoices = _eligible_invoices(s, cmo_id, period, today)
    _check_currency(s, invoices, cmo_id, rules.currency)
    lines = (
        select(InvoiceLineRecord.work_id, InvoiceLineRecord.invoice_id, InvoiceLineRecord.amount)
        .where(InvoiceLineRecord.invoice_id.in_(invoices))
        .order_by(InvoiceLineRecord.work_id, InvoiceLineRecord.invoice_id)
    )
    collections = Collections.of_columns(int_columns(conn, lines, 3))
    amount, raw_scores = scores_in(s, cmo_id=cmo_id, period=period)
    scores = scores_of(raw_scores.items()) if raw_scores else None
    work_ids = select(InvoiceLineRecord.work_id).where(InvoiceLineRecord.invoice_id.in_(invoices))
    released_ids, released = _released(s, cmo_id, period)
    inp = DistributionInput(
        cmo_id=cmo_id,
        period=period,
        currency=rules.currency,
        collections=collections,
        owners=_owners(conn, work_ids, sorted(raw_scores)),
        fee_schedule=rules.fee_schedule,
        minimum_payout=rules.minimum_payout,
        attribution_amount=amount,
        scores=scores,
        carried_in=_carried_in(s, conn, cmo_id, period),
        released_reserve=released,
        reserve_policy=rules.reserve_policy,
        reserve_claim_years=rules.reserve_claim_years,
    )
    return Gathered(inp=inp, released_entries=released_ids)


def same_period_runs(cmo_id: int, period: Period) -> Select[int]:
    return select(DistributionRun.id).where(
        DistributionRun.cmo_id == cmo_id,
        DistributionRun.period_start == period.start,
        DistributionRun.period_end == period.end,
    )


def _eligible_invoices(s: Session, cmo_id: int, period: Period, today: date) -> AnySelect:
    other_runs = select(DistributionRun.id).where(
        DistributionRun.cmo_id == cmo_id,
        DistributionRun.id.not_in(same_period_runs(cmo_id, period)),
    )
    taken = select(DistributionCollection.invoice_id).where(
        DistributionCollection.run_id.in_(other_runs)
    )
    return select(InvoiceRecord.id).where(
        InvoiceRecord.cmo_id == cmo_id,
        InvoiceRecord.state == str(InvoiceState.PAID),
        InvoiceRecord.paid_on <= today,
        InvoiceRecord.period_end <= period.end,
        InvoiceRecord.id.not_in(taken),
    )


def _check_currency(s: Session, invoices: AnySelect, cmo_id: int, currency: str) -> None:
    other = s.execute(
        select(InvoiceRecord.id, InvoiceRecord.currency)
        .where(InvoiceRecord.id.in_(invoices), InvoiceRecord.currency != currency)
        .order_by(InvoiceRecord.id)
        .limit(1)
    ).first()
    if other is not None:
        raise ValidationFailed(
            "remuneration.currency_mixed",
            invoice_id=other.id,
            currency=other.currency,
            cmo_id=cmo_id,
            expected=currency,
        )


def _owners(conn: Connection, collected_works: AnySelect, scored: list[int]) -> Owners:
    """Registered holders of the works collected for, and of the works given scores."""
    columns = (WorkHolder.work_id, WorkHolder.holder_id, WorkHolder.share_num, WorkHolder.share_den)
    main = int_columns(conn, select(*columns).where(WorkHolder.work_id.in_(collected_works)), 4)
    known = set(main[0].tolist()) if scored else set()
    extra = [w for w in scored if w not in known]
    for ids in chunks(extra):
        more = int_columns(conn, select(*columns).where(WorkHolder.work_id.in_(ids)), 4)
        main = [np.concatenate((a, b)) for a, b in zip(main, more, strict=True)]
    return Owners.of_columns(main)


def _carried_in(s: Session, conn: Connection, cmo_id: int, period: Period) -> Balances:
    """What the CMO's latest run before ``period`` carried forward (below the threshold)."""
    previous = s.scalar(
        select(DistributionRun.id)
        .where(DistributionRun.cmo_id == cmo_id, DistributionRun.period_end < period.start)
        .order_by(DistributionRun.period_end.desc())
        .limit(1)
    )
    stmt = select(DistributionHolder.holder_id, DistributionHolder.carried_out).where(
        DistributionHolder.run_id == (previous or 0), DistributionHolder.carried_out > 0
    )
    return Balances.of_columns(int_columns(conn, stmt, 2))


def _released(s: Session, cmo_id: int, period: Period) -> tuple[list[int], int]:
    """Released reserve not yet redistributed (or redistributed by this period's run)."""
    rows = s.execute(
        select(ReserveEntryRecord.id, ReserveEntryRecord.amount).where(
            ReserveEntryRecord.cmo_id == cmo_id,
            ReserveEntryRecord.state == str(ReserveState.RELEASED),
            or_(
                ReserveEntryRecord.released_into.is_(None),
                ReserveEntryRecord.released_into.in_(same_period_runs(cmo_id, period)),
            ),
        )
    ).all()
    return [r.id for r in rows], sum(int(r.amount) for r in rows)
