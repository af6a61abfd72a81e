"""The reserve (待分配保留款): unidentified holders' shares, claimed or released by the CMO.

A run opens one entry per work whose owner nobody has identified, claimable until the
period's last day plus the CMO's claim period (3 years by default). The CMO records a
claim once a holder has proven title (it pays the entry whole). After the claim period
the CMO releases the expired entries; its next run redistributes their sum by its policy
(to the use pool, or pro rata to the run's identified holders).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from trainclear.domain import Actor, PartyKind
from trainclear.errors import Conflict, ValidationFailed
from trainclear.royalties import ReserveEntry, claim, release_expired
from trainclear.schemas.distributions import (
    ReserveClaimCreate,
    ReserveEntryPublic,
    ReserveReleasePublic,
    ReserveState,
)
from trainclear.services.platform import Platform, get_or_404, record_event, require_kind
from trainclear.services.remuneration import allow, is_admin, period_of
from trainclear.store.models import Party, ReserveEntryRecord


def list_reserve(
    p: Platform, *, viewer: Actor, cmo_id: int | None = None, state: ReserveState | None = None
) -> list[ReserveEntryPublic]:
    """A CMO's reserve entries; any CMO's for the administration."""
    if not is_admin(viewer):
        require_kind(viewer, PartyKind.CMO)
    with p.db.transaction() as s:
        stmt = select(ReserveEntryRecord).order_by(ReserveEntryRecord.id)
        if not is_admin(viewer):
            stmt = stmt.where(ReserveEntryRecord.cmo_id == viewer.party_id)
        if cmo_id is not None:
            stmt = stmt.where(ReserveEntryRecord.cmo_id == cmo_id)
        if state is not None:
            stmt = stmt.where(ReserveEntryRecord.state == state)
        return [entry_public(row) for row in s.scalars(stmt)]


def claim_reserve(
    p: Platform, *, actor: Actor, entry_id: int, data: ReserveClaimCreate
) -> ReserveEntryPublic:
    """The CMO pays an open entry to the holder who proved title, within the claim period."""
    require_kind(actor, PartyKind.CMO)
    today = p.now().date()
    with p.db.transaction() as s:
        row = get_or_404(s, ReserveEntryRecord, entry_id, "reserve entry")
        allow(actor, row.cmo_id, kind="reserve entry", ident=entry_id)
        if row.state != ReserveState.OPEN:
            raise Conflict("remuneration.reserve_state", id=row.id, state=row.state)
        holder = get_or_404(s, Party, data.holder_id, "party")
        if holder.kind != PartyKind.RIGHTS_HOLDER:
            raise ValidationFailed(
                "party.kind", id=holder.id, actual=holder.kind, expected="rights_holder"
            )
        claim(_entry(row), holder_id=holder.id, on=today)
        row.state, row.claimed_by, row.claimed_on = str(ReserveState.CLAIMED), holder.id, today
        _event(s, p, actor, "reserve.claimed", row, holder_id=holder.id)
        return entry_public(row)


def release_reserve(p: Platform, *, actor: Actor) -> ReserveReleasePublic:
    """The CMO takes its expired entries out of the reserve, for its next run to redistribute."""
    require_kind(actor, PartyKind.CMO)
    today = p.now().date()
    with p.db.transaction() as s:
        rows = list(
            s.scalars(
                select(ReserveEntryRecord)
                .where(
                    ReserveEntryRecord.cmo_id == actor.party_id,
                    ReserveEntryRecord.state == str(ReserveState.OPEN),
                )
                .order_by(ReserveEntryRecord.id)
            )
        )
        released: list[ReserveEntryRecord] = []
        for currency in sorted({r.currency for r in rows}):
            same = [r for r in rows if r.currency == currency]
            expired = release_expired([_entry(r) for r in same], on=today).released
            keys = {(e.period, e.work_id) for e in expired}
            released += [
                r for r in same if (period_of(r.period_start, r.period_end), r.work_id) in keys
            ]
        for row in released:
            row.state, row.released_on = str(ReserveState.RELEASED), today
        if released:
            record_event(
                s,
                at=p.now(),
                kind="reserve.released",
                subject=f"party:{actor.party_id}",
                actor=actor,
                payload={
                    "entries": [r.id for r in released],
                    "amount": sum(r.amount for r in released),
                    "on": today.isoformat(),
                },
            )
        return ReserveReleasePublic(
            released=[entry_public(r) for r in released], amount=sum(r.amount for r in released)
        )


def entry_public(row: ReserveEntryRecord) -> ReserveEntryPublic:
    return ReserveEntryPublic(
        id=row.id,
        run_id=row.run_id,
        cmo_id=row.cmo_id,
        work_id=row.work_id,
        period=str(period_of(row.period_start, row.period_end)),
        amount=row.amount,
        currency=row.currency,
        expires_on=row.expires_on,
        state=ReserveState(row.state),
        claimed_by=row.claimed_by,
        claimed_on=row.claimed_on,
        released_on=row.released_on,
        released_into=row.released_into,
    )


def _entry(row: ReserveEntryRecord) -> ReserveEntry:
    return ReserveEntry(
        cmo_id=row.cmo_id,
        period=period_of(row.period_start, row.period_end),
        work_id=row.work_id,
        amount=row.amount,
        currency=row.currency,
        expires_on=row.expires_on,
    )


def _event(
    s: Session, p: Platform, actor: Actor, kind: str, row: ReserveEntryRecord, **extra: object
) -> None:
    record_event(
        s,
        at=p.now(),
        kind=kind,
        subject=f"reserve_entry:{row.id}",
        actor=actor,
        payload={"work_id": row.work_id, "amount": row.amount, "run_id": row.run_id, **extra},
    )
