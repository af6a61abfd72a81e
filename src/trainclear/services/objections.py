"""Objections (异议): a holder of a listed work, or the CMO holding its mandate, objects.

Inside the work's window the objection excludes the work from the notice. After the
window it is recorded as an opt-out for every future dataset version. Filing the same
objection again returns the one already on record.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from trainclear.domain import Actor, NoticeState, ObjectionState, OptOutScope, PartyKind
from trainclear.errors import Conflict, Forbidden, ValidationFailed
from trainclear.schemas.notices import ObjectionCreate, ObjectionPublic
from trainclear.services.notice_views import visible_notice
from trainclear.services.notices import PUBLISHED, latest_version
from trainclear.services.optouts import add_opt_out
from trainclear.services.platform import Platform, get_or_404, record_event, require_kind
from trainclear.services.works import acts_for_work
from trainclear.store.models import Notice, NoticeWork, Objection, OptOut, Work


def file_objection(
    p: Platform, *, actor: Actor, notice_id: int, data: ObjectionCreate
) -> list[ObjectionPublic]:
    """Object to chosen works of a notice, or (no works given) to every work one holds in it."""
    require_kind(actor, PartyKind.RIGHTS_HOLDER, PartyKind.CMO)
    now = p.now()
    with p.db.transaction() as s:
        notice = _current(s, notice_id)
        targets = _targets(s, actor, notice, data.work_ids)
        return [
            ObjectionPublic.model_validate(_file_one(s, p, actor, notice, item, data.reason, now))
            for item in targets
        ]


def list_objections(
    p: Platform,
    *,
    notice_id: int | None = None,
    objector_id: int | None = None,
    developer_id: int | None = None,
    viewer_id: int | None = None,
) -> list[ObjectionPublic]:
    """Objections of a notice series (one the viewer may see), by an objector, or against
    a developer's notices."""
    with p.db.transaction() as s:
        stmt = select(Objection).order_by(Objection.id)
        if notice_id is not None:
            series = visible_notice(s, notice_id, viewer_id).series_id
            stmt = stmt.where(Objection.series_id == series)
        if objector_id is not None:
            stmt = stmt.where(Objection.objector_id == objector_id)
        if developer_id is not None:
            own = select(Notice.series_id).where(Notice.developer_id == developer_id)
            stmt = stmt.where(Objection.series_id.in_(own))
        return [ObjectionPublic.model_validate(o) for o in s.scalars(stmt)]


def _current(s: Session, notice_id: int) -> Notice:
    notice = get_or_404(s, Notice, notice_id, "notice")
    if notice.state == NoticeState.DRAFT:
        raise Conflict("objection.not_yet_open", notice_id=notice_id)
    assert notice.series_id is not None
    latest = latest_version(s, notice.series_id)
    if latest.state not in PUBLISHED:
        raise Conflict(
            "notice.state", id=latest.id, state=latest.state, expected=" / ".join(PUBLISHED)
        )
    return latest


def _targets(
    s: Session, actor: Actor, notice: Notice, work_ids: list[int] | None
) -> list[NoticeWork]:
    listed = {w.work_id: w for w in notice.works}
    if work_ids is None:
        held = [w for w in notice.works if acts_for_work(actor, s.get_one(Work, w.work_id))]
        if not held:
            raise Forbidden("objection.no_works_held", notice_id=notice.id)
        return held
    targets = []
    for work_id in dict.fromkeys(work_ids):
        if work_id not in listed:
            raise ValidationFailed("notice.work_not_listed", work_id=work_id, notice_id=notice.id)
        if not acts_for_work(actor, s.get_one(Work, work_id)):
            raise Forbidden("work.not_holder", party_id=actor.party_id, work_id=work_id)
        targets.append(listed[work_id])
    return targets


def _file_one(
    s: Session,
    p: Platform,
    actor: Actor,
    notice: Notice,
    item: NoticeWork,
    reason: str,
    now: datetime,
) -> Objection:
    assert notice.series_id is not None
    existing = s.scalars(
        select(Objection).where(
            Objection.series_id == notice.series_id,
            Objection.work_id == item.work_id,
            Objection.objector_id == actor.party_id,
        )
    ).one_or_none()
    if existing is not None:
        return existing
    in_window = item.window_end is not None and now < item.window_end
    objection = Objection(
        notice_id=notice.id,
        series_id=notice.series_id,
        work_id=item.work_id,
        objector_id=actor.party_id,
        filed_at=now,
        in_window=in_window,
        reason=reason,
        state=ObjectionState.EFFECTIVE,
    )
    s.add(objection)
    s.flush()
    if not in_window:
        objection.opt_out_id = _late_opt_out(s, actor, notice, objection, now).id
    record_event(
        s,
        at=now,
        kind="objection.filed",
        subject=f"objection:{objection.id}",
        actor=actor,
        payload={
            "notice_id": notice.id,
            "work_id": item.work_id,
            "in_window": in_window,
            "opt_out_id": objection.opt_out_id,
        },
    )
    return objection


def _late_opt_out(
    s: Session, actor: Actor, notice: Notice, objection: Objection, now: datetime
) -> OptOut:
    row = OptOut(
        declared_by=actor.party_id,
        scope=OptOutScope.WORK,
        work_id=objection.work_id,
        purpose=notice.purpose,
        source="objection",
        objection_id=objection.id,
        effective_from=now,
        created_at=now,
    )
    return add_opt_out(s, row, actor)
