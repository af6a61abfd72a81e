"""Read models of the CMO console: its repertoire, and a run's accounts and reserve.

Each is scoped here to the acting CMO (taken from the session by the page): a CMO reads
only the works under its own mandate and its own runs; a run of another CMO is refused
by :func:`~trainclear.services.distributions.visible_run`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from fractions import Fraction

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from trainclear.domain import Actor, PartyKind, Stance, WorkType
from trainclear.schemas.console import NamedShare, RepertoirePage, RepertoireRow, RunAccount
from trainclear.schemas.distributions import ReserveEntryPublic

# the board's own matching and identifier lookup, so both pages find a work alike
from trainclear.services.board import Contains, work_identifiers, work_matches
from trainclear.services.distributions import visible_run
from trainclear.services.platform import Platform, require_kind
from trainclear.services.reserve import entry_public
from trainclear.store.models import (
    DistributionHolder,
    Party,
    ReserveEntryRecord,
    Work,
    WorkHolder,
)

PER_PAGE = 20


def repertoire(
    p: Platform, *, actor: Actor, query: str = "", page: int = 1, per_page: int = PER_PAGE
) -> RepertoirePage:
    """One page of the works under the CMO's mandate, by title or identifier, in id order."""
    require_kind(actor, PartyKind.CMO)
    with p.db.transaction() as s:
        stmt = select(Work.id).where(Work.cmo_id == actor.party_id)
        if query.strip():
            stmt = stmt.where(work_matches(query.strip(), Contains.of(s)))
        total = s.scalar(select(func.count()).select_from(stmt.subquery())) or 0
        ids = list(s.scalars(stmt.order_by(Work.id).limit(per_page).offset((page - 1) * per_page)))
        return RepertoirePage(
            items=_rows(s, ids), total=total, page=page, per_page=per_page, query=query.strip()
        )


def run_accounts(p: Platform, *, viewer: Actor, run_id: int) -> list[RunAccount]:
    """Every holder's account in a run (its CMO's, or the administration's, to read)."""
    with p.db.transaction() as s:
        visible_run(s, viewer, run_id)
        rows = s.execute(
            select(DistributionHolder, Party.name)
            .join(Party, Party.id == DistributionHolder.holder_id)
            .where(DistributionHolder.run_id == run_id)
            .order_by(DistributionHolder.holder_id)
        )
        return [
            RunAccount(
                holder_id=h.holder_id,
                name=name,
                shares=h.shares,
                carried_in=h.carried_in,
                released=h.released,
                payout=h.payout,
                carried_out=h.carried_out,
            )
            for h, name in rows
        ]


def run_reserve(p: Platform, *, viewer: Actor, run_id: int) -> list[ReserveEntryPublic]:
    """The reserve entries a run opened (shares of works whose holder nobody identified)."""
    with p.db.transaction() as s:
        visible_run(s, viewer, run_id)
        rows = s.scalars(
            select(ReserveEntryRecord)
            .where(ReserveEntryRecord.run_id == run_id)
            .order_by(ReserveEntryRecord.work_id)
        )
        return [entry_public(row) for row in rows]


def _rows(s: Session, ids: Sequence[int]) -> list[RepertoireRow]:
    if not ids:
        return []
    holders: dict[int, list[NamedShare]] = defaultdict(list)
    for h, name in s.execute(
        select(WorkHolder, Party.name)
        .join(Party, Party.id == WorkHolder.holder_id)
        .where(WorkHolder.work_id.in_(ids))
        .order_by(WorkHolder.work_id, WorkHolder.holder_id)
    ):
        share = str(Fraction(h.share_num, h.share_den))
        holders[h.work_id].append(NamedShare(holder_id=h.holder_id, name=name, share=share))
    identifiers = work_identifiers(s, ids)
    works = s.execute(
        select(Work.id, Work.title, Work.type, Work.cmo_stance)
        .where(Work.id.in_(ids))
        .order_by(Work.id)
    )
    return [
        RepertoireRow(
            work_id=w.id,
            title=w.title,
            type=WorkType(w.type),
            identifiers=identifiers[w.id],
            holders=holders[w.id],
            stance=Stance(w.cmo_stance or Stance.DEFAULT_LICENCE),
        )
        for w in works
    ]
