"""Distribution runs (分配): a CMO distributes what it collected for a period, exactly once.

The input comes from the store (:mod:`.distribution_input`), the engine computes the run
(:func:`trainclear.royalties.run_distribution`), and the result is stored
(:mod:`.distribution_store`), all in one transaction with one ``distribution.run`` event.

A period is never distributed twice: the same period with the same input (same hash)
returns the earlier run and writes nothing; any other run overlapping a distributed
period of the CMO is refused. Runs of one CMO are serialised by locking its party row.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from trainclear.domain import Actor, PartyKind
from trainclear.royalties import Period, PriorRun, check_period
from trainclear.royalties import run_distribution as compute
from trainclear.schemas.distributions import DistributionRunCreate, DistributionRunPublic
from trainclear.services.cmo_settings import rules_of
from trainclear.services.distribution_input import gather
from trainclear.services.distribution_store import load_result, save_run
from trainclear.services.platform import Platform, get_or_404, record_event, require_kind
from trainclear.services.remuneration import allow, is_admin, period_of
from trainclear.store.models import DistributionCollection, DistributionRun, Party


def run_distribution(
    p: Platform, *, actor: Actor, data: DistributionRunCreate
) -> DistributionRunPublic:
    """The CMO distributes one period of its collections (replays return the earlier run)."""
    require_kind(actor, PartyKind.CMO)
    period = Period.parse(data.period)
    now = p.now()
    with p.db.transaction() as s:
        s.execute(select(Party.id).where(Party.id == actor.party_id).with_for_update())
        rules = rules_of(s, actor.party_id)
        gathered = gather(s, cmo_id=actor.party_id, period=period, rules=rules, today=now.date())
        earlier = check_period(
            _prior(s, actor.party_id),
            cmo_id=actor.party_id,
            period=period,
            input_hash=gathered.inp.input_hash(),
        )
        if earlier is not None:
            row = s.scalars(
                select(DistributionRun).where(DistributionRun.input_hash == earlier.input_hash)
            ).one()
            return run_public(row, replayed=True)
        result = compute(gathered.inp)
        row = save_run(
            s,
            inp=gathered.inp,
            result=result,
            released_entries=gathered.released_entries,
            actor=actor,
            now=now,
        )
        invoices = s.scalars(
            select(DistributionCollection.invoice_id)
            .where(DistributionCollection.run_id == row.id)
            .distinct()
            .order_by(DistributionCollection.invoice_id)
        )
        record_event(
            s,
            at=now,
            kind="distribution.run",
            subject=f"distribution_run:{row.id}",
            actor=actor,
            payload={
                "summary": row.summary,
                "digest": row.digest,
                "invoices": list(invoices),
                "released_reserve_entries": gathered.released_entries,
            },
        )
        return run_public(row)


def get_run(p: Platform, *, viewer: Actor, run_id: int) -> DistributionRunPublic:
    """A run's summary, to its CMO and the administration."""
    with p.db.transaction() as s:
        return run_public(visible_run(s, viewer, run_id))


def verify_run(p: Platform, *, viewer: Actor, run_id: int) -> DistributionRunPublic:
    """Read every stored row of a run back and check it against the run's digest."""
    with p.db.transaction() as s:
        row = visible_run(s, viewer, run_id)
        load_result(s, row)  # raises when a stored row differs
        return run_public(row)


def list_runs(
    p: Platform, *, viewer: Actor, cmo_id: int | None = None
) -> list[DistributionRunPublic]:
    """A CMO's own runs; any CMO's for the administration."""
    with p.db.transaction() as s:
        stmt = select(DistributionRun).order_by(DistributionRun.period_start, DistributionRun.id)
        if not is_admin(viewer):
            stmt = stmt.where(DistributionRun.cmo_id == viewer.party_id)
        if cmo_id is not None:
            stmt = stmt.where(DistributionRun.cmo_id == cmo_id)
        return [run_public(row) for row in s.scalars(stmt)]


def visible_run(s: Session, viewer: Actor, run_id: int, *holders: int) -> DistributionRun:
    """A run the viewer may read: its CMO's, the administration's, or ``holders``' own."""
    row = get_or_404(s, DistributionRun, run_id, "distribution run")
    allow(viewer, row.cmo_id, *holders, kind="distribution run", ident=run_id)
    return row


def run_public(row: DistributionRun, *, replayed: bool = False) -> DistributionRunPublic:
    return DistributionRunPublic(
        id=row.id,
        cmo_id=row.cmo_id,
        period=str(period_of(row.period_start, row.period_end)),
        currency=row.currency,
        input_hash=row.input_hash,
        digest=row.digest,
        run_by=row.run_by,
        created_at=row.created_at,
        replayed=replayed,
        summary=row.summary,
    )


def _prior(s: Session, cmo_id: int) -> list[PriorRun]:
    rows = s.execute(
        select(
            DistributionRun.period_start, DistributionRun.period_end, DistributionRun.input_hash
        ).where(DistributionRun.cmo_id == cmo_id)
    )
    return [
        PriorRun(
            cmo_id=cmo_id, period=period_of(r.period_start, r.period_end), input_hash=r.input_hash
        )
        for r in rows
    ]
