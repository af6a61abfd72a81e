"""Disputes (争议): the developer contests an objection; the administration decides.

The contested work stays excluded until the decision. Deadlines are dated parameters:
the developer contests within ``dispute_filing_days`` of the objection, and the
administration is due to decide within ``dispute_decision_days``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from trainclear.domain import Actor, DisputeState, ObjectionState, PartyKind
from trainclear.errors import Conflict, Forbidden, ValidationFailed
from trainclear.law.parameters import parameter
from trainclear.schemas.notices import DisputeCreate, DisputeDecision, DisputePublic
from trainclear.services.lifecycle import advance
from trainclear.services.notices import latest_version
from trainclear.services.platform import Platform, get_or_404, record_event, require_kind
from trainclear.store.models import Dispute, Notice, Objection, OptOut


def contest_objection(p: Platform, *, actor: Actor, data: DisputeCreate) -> DisputePublic:
    """The developer whose notice drew the objection contests it, giving grounds."""
    require_kind(actor, PartyKind.DEVELOPER)
    now = p.now()
    with p.db.transaction() as s:
        objection = get_or_404(s, Objection, data.objection_id, "objection")
        notice = s.get_one(Notice, objection.notice_id)
        if notice.developer_id != actor.party_id:
            raise Forbidden("notice.not_owner", id=notice.id)
        _check_contestable(objection)
        days = parameter("dispute_filing_days").at(objection.filed_at)
        deadline = objection.filed_at + timedelta(days=days)
        if now > deadline:
            raise ValidationFailed("dispute.late", days=days, deadline=deadline.isoformat())
        decide_days = parameter("dispute_decision_days").at(now)
        dispute = Dispute(
            objection_id=objection.id,
            developer_id=actor.party_id,
            grounds=data.grounds,
            filed_at=now,
            decide_by=now + timedelta(days=decide_days),
            state=DisputeState.PENDING,
        )
        s.add(dispute)
        objection.state = ObjectionState.DISPUTED
        s.flush()
        record_event(
            s,
            at=now,
            kind="dispute.filed",
            subject=f"dispute:{dispute.id}",
            actor=actor,
            payload={"objection_id": objection.id, "decide_by": dispute.decide_by.isoformat()},
        )
        return DisputePublic.model_validate(dispute)


def decide_dispute(
    p: Platform, *, actor: Actor, dispute_id: int, data: DisputeDecision
) -> DisputePublic:
    """The administration upholds or dismisses the objection; dismissal lifts its exclusion."""
    require_kind(actor, PartyKind.ADMINISTRATION)
    if data.outcome == DisputeState.PENDING:
        raise ValidationFailed("invalid", field="outcome", problem="a decision cannot be pending")
    now = p.now()
    with p.db.transaction() as s:
        dispute = get_or_404(s, Dispute, dispute_id, "dispute")
        if dispute.state != DisputeState.PENDING:
            raise Conflict("dispute.already_decided", id=dispute_id)
        dispute.state, dispute.decision = data.outcome, data.decision
        dispute.decided_at, dispute.decided_by = now, actor.party_id
        objection = s.get_one(Objection, dispute.objection_id)
        _apply_outcome(s, objection, data.outcome, actor, now)
        record_event(
            s,
            at=now,
            kind="dispute.decided",
            subject=f"dispute:{dispute.id}",
            actor=actor,
            payload={"outcome": data.outcome, "objection_id": objection.id},
        )
        advance(s, p, latest_version(s, objection.series_id))
        return DisputePublic.model_validate(dispute)


def list_disputes(
    p: Platform,
    *,
    state: DisputeState | None = None,
    developer_id: int | None = None,
    objector_id: int | None = None,
) -> list[DisputePublic]:
    """The dispute queue, filtered by state or by the parties involved."""
    with p.db.transaction() as s:
        stmt = select(Dispute).order_by(Dispute.decide_by, Dispute.id)
        if state is not None:
            stmt = stmt.where(Dispute.state == state)
        if developer_id is not None:
            stmt = stmt.where(Dispute.developer_id == developer_id)
        if objector_id is not None:
            mine = select(Objection.id).where(Objection.objector_id == objector_id)
            stmt = stmt.where(Dispute.objection_id.in_(mine))
        return [DisputePublic.model_validate(d) for d in s.scalars(stmt)]


def _check_contestable(objection: Objection) -> None:
    if objection.state != ObjectionState.EFFECTIVE:
        raise Conflict("dispute.not_contestable", id=objection.id, state=objection.state)


def _apply_outcome(
    s: Session, objection: Objection, outcome: DisputeState, actor: Actor, now: datetime
) -> None:
    if outcome == DisputeState.OBJECTION_UPHELD:
        objection.state = ObjectionState.EFFECTIVE
        return
    objection.state = ObjectionState.DISMISSED
    if objection.opt_out_id is not None:
        opt_out = s.get_one(OptOut, objection.opt_out_id)
        if opt_out.withdrawn_at is None:
            opt_out.withdrawn_at, opt_out.withdrawn_by = now, actor.party_id
