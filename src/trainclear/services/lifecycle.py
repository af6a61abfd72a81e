"""Time-driven notice transitions: open → closed when the window ends, closed → effective
once no dispute on it is pending. Idempotent; anyone (or a scheduler) may trigger them.
"""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from trainclear.domain import DisputeState, NoticeState
from trainclear.schemas.notices import NoticePublic
from trainclear.services.notice_views import notice_public
from trainclear.services.platform import Platform, get_or_404, record_event
from trainclear.store.models import Dispute, Notice, Objection


def advance_notice(p: Platform, *, notice_id: int) -> NoticePublic:
    """Apply every transition due for one notice now."""
    with p.db.transaction() as s:
        notice = get_or_404(s, Notice, notice_id, "notice")
        advance(s, p, notice)
        return notice_public(s, notice)


def advance_notices(p: Platform) -> list[int]:
    """Apply every due transition across the board; returns the notices that changed."""
    with p.db.transaction() as s:
        due = s.scalars(
            select(Notice)
            .where(Notice.state.in_([NoticeState.OPEN, NoticeState.CLOSED]))
            .order_by(Notice.id)
        )
        return [n.id for n in due if advance(s, p, n)]


def advance(s: Session, p: Platform, notice: Notice) -> bool:
    """Close a notice whose window has ended; make a closed one effective when no
    dispute on its objections is pending. Returns whether anything changed."""
    now = p.now()
    changed = False
    if notice.state == NoticeState.OPEN and notice.window_end and notice.window_end <= now:
        notice.state, notice.closed_at = NoticeState.CLOSED, now
        _event(s, p, notice, "notice.closed")
        changed = True
    if notice.state == NoticeState.CLOSED and not _pending_disputes(s, notice):
        notice.state, notice.effective_at = NoticeState.EFFECTIVE, now
        _event(s, p, notice, "notice.effective")
        changed = True
    return changed


def _pending_disputes(s: Session, notice: Notice) -> bool:
    return bool(
        s.scalar(
            select(
                exists().where(
                    Dispute.objection_id == Objection.id,
                    Objection.series_id == notice.series_id,
                    Dispute.state == DisputeState.PENDING,
                )
            )
        )
    )


def _event(s: Session, p: Platform, notice: Notice, kind: str) -> None:
    record_event(
        s,
        at=p.now(),
        kind=kind,
        subject=f"notice:{notice.id}",
        actor=None,
        payload={"series_id": notice.series_id, "version": notice.version},
    )
