"""Reading notices: the public board (open, closed and effective notices are public)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from trainclear.domain import NoticeState, ObjectionState, Purpose
from trainclear.errors import NotFound
from trainclear.schemas.notices import NoticePublic, NoticeWorkPublic
from trainclear.services.platform import Platform
from trainclear.store.models import (
    Notice,
    NoticeWork,
    Objection,
    Party,
    Work,
    WorkHolder,
    WorkIdentifier,
)

PUBLIC_STATES = (NoticeState.OPEN, NoticeState.CLOSED, NoticeState.EFFECTIVE)
EXCLUDING = (ObjectionState.EFFECTIVE, ObjectionState.DISPUTED)


def get_notice(p: Platform, *, notice_id: int, viewer_id: int | None = None) -> NoticePublic:
    """One notice version; drafts and withdrawn ones only for their developer."""
    with p.db.transaction() as s:
        return notice_public(s, visible_notice(s, notice_id, viewer_id))


def list_notices(
    p: Platform,
    *,
    query: str = "",
    developer_id: int | None = None,
    holder_id: int | None = None,
    state: NoticeState | None = None,
    viewer_id: int | None = None,
    include_superseded: bool = False,
) -> list[NoticePublic]:
    """Search the board by developer, state, work title or identifier, or works of a holder."""
    with p.db.transaction() as s:
        stmt = select(Notice).order_by(Notice.id.desc())
        if not include_superseded:
            stmt = stmt.where(Notice.superseded_by.is_(None))
        if developer_id is not None:
            stmt = stmt.where(Notice.developer_id == developer_id)
        if state is not None:
            stmt = stmt.where(Notice.state == state)
        if query:
            stmt = stmt.where(_matches_text(query))
        if holder_id is not None:
            stmt = stmt.where(
                Notice.works.any(
                    NoticeWork.work_id.in_(
                        select(WorkHolder.work_id).where(WorkHolder.holder_id == holder_id)
                    )
                )
            )
        return [notice_public(s, n) for n in s.scalars(stmt) if _visible(n, viewer_id)]


def visible_notice(s: Session, notice_id: int, viewer_id: int | None) -> Notice:
    """A notice the viewer may see; drafts and withdrawn notices of others are not found."""
    notice = s.get(Notice, notice_id)
    if notice is None or not _visible(notice, viewer_id):
        raise NotFound("not_found", kind="notice", id=notice_id)
    return notice


def notice_public(s: Session, notice: Notice) -> NoticePublic:
    """The public view of a notice version, with each work's exclusion state."""
    assert notice.series_id is not None
    excluded = _excluded_work_ids(s, notice.series_id)
    ids = [w.work_id for w in notice.works]
    rows = s.execute(select(Work.id, Work.title).where(Work.id.in_(ids)))
    titles = {row.id: row.title for row in rows}
    count = s.scalar(select(func.count()).where(Objection.series_id == notice.series_id)) or 0
    return NoticePublic(
        id=notice.id,
        series_id=notice.series_id,
        version=notice.version,
        developer_id=notice.developer_id,
        state=NoticeState(notice.state),
        purpose=Purpose(notice.purpose),
        model=notice.model,
        other_sources=notice.other_sources,
        remuneration=notice.remuneration,
        scan_snapshot_id=notice.scan_snapshot_id,
        window_start=notice.window_start,
        window_end=notice.window_end,
        created_at=notice.created_at,
        published_at=notice.published_at,
        closed_at=notice.closed_at,
        effective_at=notice.effective_at,
        withdrawn_at=notice.withdrawn_at,
        superseded_by=notice.superseded_by,
        works=[
            NoticeWorkPublic(
                work_id=w.work_id,
                title=titles.get(w.work_id, ""),
                added_in_version=w.added_in_version,
                window_start=w.window_start,
                window_end=w.window_end,
                records=w.records,
                characters=w.characters,
                excluded=w.work_id in excluded,
            )
            for w in notice.works
        ],
        objections=count,
        tariff_code=notice.tariff_code,
        tariff_cmo_id=notice.tariff_cmo_id,
    )


def _excluded_work_ids(s: Session, series_id: int) -> set[int]:
    rows = s.scalars(
        select(Objection.work_id).where(
            Objection.series_id == series_id, Objection.state.in_(EXCLUDING)
        )
    )
    return set(rows)


def _visible(notice: Notice, viewer_id: int | None) -> bool:
    return (
        notice.state in PUBLIC_STATES
        or notice.state == NoticeState.SUPERSEDED
        or (viewer_id is not None and viewer_id == notice.developer_id)
    )


def _matches_text(query: str) -> ColumnElement[bool]:
    like = f"%{query}%"
    work_ids = select(Work.id).where(
        or_(Work.title.ilike(like), Work.identifiers.any(WorkIdentifier.value.ilike(like)))
    )
    developers = select(Party.id).where(Party.name.ilike(like))
    return or_(
        Notice.model.ilike(like),
        Notice.purpose.ilike(like),
        Notice.developer_id.in_(developers),
        Notice.works.any(NoticeWork.work_id.in_(work_ids)),
    )
