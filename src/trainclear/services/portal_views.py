"""Read models for the portals: a party's objections, objections against a developer's
notices, the administration's dispute queue, a notice's snapshots.

Each is scoped to the acting party here, in the service, so a page cannot ask for
another party's rows: the party comes from the session, never from the request.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import aliased

from trainclear.domain import Actor, DisputeState, ObjectionState, PartyKind
from trainclear.law.parameters import parameter
from trainclear.schemas.board import DisputeRow, ObjectionRow
from trainclear.schemas.snapshots import SnapshotPublic
from trainclear.services.notice_views import visible_notice
from trainclear.services.platform import Platform, require_kind
from trainclear.store.models import (
    Dispute,
    Notice,
    Objection,
    Party,
    SnapshotRecord,
    Work,
)

_Developer = aliased(Party)
_Objector = aliased(Party)


def objections_by(p: Platform, *, actor: Actor) -> list[ObjectionRow]:
    """The objections a holder (or CMO) filed, newest first, with their disputes."""
    require_kind(actor, PartyKind.RIGHTS_HOLDER, PartyKind.CMO)
    return _objections(p, Objection.objector_id == actor.party_id)


def objections_against(p: Platform, *, actor: Actor) -> list[ObjectionRow]:
    """The objections to a developer's notices, newest first, with their disputes."""
    require_kind(actor, PartyKind.DEVELOPER)
    own = select(Notice.series_id).where(Notice.developer_id == actor.party_id)
    return _objections(p, Objection.series_id.in_(own))


def dispute_queue(
    p: Platform, *, actor: Actor, state: DisputeState | None = None
) -> list[DisputeRow]:
    """The administration's queue: soonest decision deadline first."""
    require_kind(actor, PartyKind.ADMINISTRATION)
    with p.db.transaction() as s:
        stmt = (
            select(Dispute, Objection, Work.title, _Developer.name, _Objector.name)
            .join(Objection, Objection.id == Dispute.objection_id)
            .join(Work, Work.id == Objection.work_id)
            .join(_Developer, _Developer.id == Dispute.developer_id)
            .join(_Objector, _Objector.id == Objection.objector_id)
            .order_by(Dispute.decide_by, Dispute.id)
        )
        if state is not None:
            stmt = stmt.where(Dispute.state == state)
        return [
            DisputeRow(
                id=d.id,
                objection_id=o.id,
                notice_id=o.notice_id,
                work_id=o.work_id,
                work_title=title,
                developer_name=developer,
                objector_name=objector,
                grounds=d.grounds,
                filed_at=d.filed_at,
                decide_by=d.decide_by,
                state=DisputeState(d.state),
                decided_at=d.decided_at,
                decision=d.decision,
            )
            for d, o, title, developer, objector in s.execute(stmt)
        ]


def notice_snapshots(
    p: Platform, *, notice_id: int, viewer_id: int | None = None
) -> list[SnapshotPublic]:
    """The exclusion snapshots taken of a notice's series, newest first (public)."""
    with p.db.transaction() as s:
        notice = visible_notice(s, notice_id, viewer_id)
        versions = select(Notice.id).where(Notice.series_id == (notice.series_id or notice.id))
        rows = s.scalars(
            select(SnapshotRecord)
            .where(SnapshotRecord.notice_id.in_(versions))
            .order_by(SnapshotRecord.created_at.desc(), SnapshotRecord.id)
        )
        return [SnapshotPublic.model_validate(r) for r in rows]


def _objections(p: Platform, where: ColumnElement[bool]) -> list[ObjectionRow]:
    with p.db.transaction() as s:
        stmt: Select[Objection, Notice, str, str, str] = (
            select(Objection, Notice, Work.title, _Developer.name, _Objector.name)
            .join(Notice, Notice.id == Objection.notice_id)
            .join(Work, Work.id == Objection.work_id)
            .join(_Developer, _Developer.id == Notice.developer_id)
            .join(_Objector, _Objector.id == Objection.objector_id)
            .where(where)
            .order_by(Objection.id.desc())
        )
        found = s.execute(stmt).all()
        ids = [o.id for o, *_ in found]
        disputes = {
            d.objection_id: d
            for d in s.scalars(
                select(Dispute).where(Dispute.objection_id.in_(ids)).order_by(Dispute.id)
            )
        }
        rows = []
        for o, notice, title, developer, objector in found:
            dispute = disputes.get(o.id)
            days = parameter("dispute_filing_days").at(o.filed_at)
            rows.append(
                ObjectionRow(
                    id=o.id,
                    notice_id=o.notice_id,
                    work_id=o.work_id,
                    work_title=title,
                    notice_model=notice.model,
                    developer_name=developer,
                    objector_id=o.objector_id,
                    objector_name=objector,
                    filed_at=o.filed_at,
                    in_window=o.in_window,
                    reason=o.reason,
                    state=ObjectionState(o.state),
                    opt_out_id=o.opt_out_id,
                    contest_until=o.filed_at + timedelta(days=days),
                    dispute_id=dispute.id if dispute else None,
                    dispute_state=DisputeState(dispute.state) if dispute else None,
                    decision=dispute.decision if dispute else "",
                )
            )
        return rows
