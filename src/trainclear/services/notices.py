"""Notices (公告): draft, publish with a ≥ 30-day window, amend as a new version, withdraw.

A published version is immutable; an amendment creates the next version of the same
series, keeping each carried-over work's window and giving every added work a full
window of its own. Objections belong to the series, so they survive amendments.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from trainclear.clock import as_utc
from trainclear.domain import Actor, NoticeState, PartyKind
from trainclear.errors import Conflict, Forbidden, ValidationFailed
from trainclear.schemas.notices import (
    NoticeAmend,
    NoticeCreate,
    NoticePublic,
    NoticePublish,
    NoticeWorkIn,
)
from trainclear.services import tariffs
from trainclear.services.notice_views import notice_public
from trainclear.services.platform import Platform, get_or_404, record_event, require_kind
from trainclear.services.windows import check_window, minimum_window
from trainclear.store.models import Notice, NoticeWork, Work

PUBLISHED = (NoticeState.OPEN, NoticeState.CLOSED, NoticeState.EFFECTIVE)


def create_notice(p: Platform, *, actor: Actor, data: NoticeCreate) -> NoticePublic:
    """A developer drafts a notice: purpose, model, works it will use, other sources, pay."""
    require_kind(actor, PartyKind.DEVELOPER)
    if not data.works and not data.other_sources.strip():
        raise ValidationFailed("notice.no_works")
    now = p.now()
    with p.db.transaction() as s:
        notice = Notice(
            version=1,
            developer_id=actor.party_id,
            state=NoticeState.DRAFT,
            purpose=data.purpose,
            model=data.model,
            other_sources=data.other_sources,
            remuneration=data.remuneration,
            scan_snapshot_id=data.scan_snapshot_id,
            created_at=now,
        )
        notice.works = _notice_works(s, data.works, version=1)
        s.add(notice)
        s.flush()
        notice.series_id = notice.id
        _event(s, p, actor, notice, "notice.drafted")
        return notice_public(s, notice)


def publish_notice(
    p: Platform, *, actor: Actor, notice_id: int, data: NoticePublish
) -> NoticePublic:
    """Publish a draft: its window opens now (or later) and lasts at least the minimum."""
    now = p.now()
    with p.db.transaction() as s:
        notice = _own(s, actor, notice_id)
        _expect(notice, NoticeState.DRAFT)
        start = as_utc(data.window_start) if data.window_start else now
        if start < now:
            raise ValidationFailed("notice.window_start_past", now=now.isoformat())
        end = as_utc(data.window_end) if data.window_end else start + minimum_window(start)
        check_window(start, end)
        if data.tariff_code is not None:
            notice.tariff_cmo_id, notice.tariff_code = _tariff(s, data, now)
        notice.window_start, notice.window_end = start, end
        for item in notice.works:
            item.window_start, item.window_end = start, end
        notice.state, notice.published_at = NoticeState.OPEN, now
        named: dict[str, object] = {}
        if notice.tariff_code:
            named["tariff"] = [notice.tariff_cmo_id, notice.tariff_code]
        _event(s, p, actor, notice, "notice.published", named)
        return notice_public(s, notice)


def amend_notice(p: Platform, *, actor: Actor, notice_id: int, data: NoticeAmend) -> NoticePublic:
    """Publish the next version; works it adds get a full window starting now."""
    now = p.now()
    with p.db.transaction() as s:
        old = _own(s, actor, notice_id)
        _expect(old, *PUBLISHED)
        new = _next_version(old, data, now)
        added_end = as_utc(data.window_end) if data.window_end else now + minimum_window(now)
        check_window(now, added_end)
        new.works = _carried_works(old, data.remove_works) + _notice_works(
            s,
            data.add_works,
            version=new.version,
            start=now,
            end=added_end,
            existing={w.work_id for w in old.works},
        )
        ends = [w.window_end for w in new.works if w.window_end is not None]
        new.window_end = max([*ends, *([old.window_end] if old.window_end else [])])
        new.state = NoticeState.OPEN if new.window_end > now else old.state
        if new.state != NoticeState.OPEN:
            new.closed_at, new.effective_at = old.closed_at, old.effective_at
        s.add(new)
        s.flush()
        old.state, old.superseded_by = NoticeState.SUPERSEDED, new.id
        _event(
            s,
            p,
            actor,
            new,
            "notice.amended",
            {
                "previous": old.id,
                "added": [w.work_id for w in data.add_works],
                "removed": data.remove_works,
            },
        )
        return notice_public(s, new)


def withdraw_notice(p: Platform, *, actor: Actor, notice_id: int) -> NoticePublic:
    """The developer withdraws a notice (any version still current)."""
    now = p.now()
    with p.db.transaction() as s:
        notice = _own(s, actor, notice_id)
        _expect(notice, NoticeState.DRAFT, *PUBLISHED)
        notice.state, notice.withdrawn_at = NoticeState.WITHDRAWN, now
        _event(s, p, actor, notice, "notice.withdrawn")
        return notice_public(s, notice)


def latest_version(s: Session, series_id: int) -> Notice:
    """The newest version of a notice series."""
    version = s.scalar(select(func.max(Notice.version)).where(Notice.series_id == series_id))
    return s.scalars(
        select(Notice).where(Notice.series_id == series_id, Notice.version == version)
    ).one()


def _next_version(old: Notice, data: NoticeAmend, now: datetime) -> Notice:
    return Notice(
        series_id=old.series_id,
        version=old.version + 1,
        developer_id=old.developer_id,
        state=NoticeState.OPEN,
        purpose=old.purpose,
        model=data.model if data.model is not None else old.model,
        other_sources=data.other_sources if data.other_sources is not None else old.other_sources,
        remuneration=data.remuneration if data.remuneration is not None else old.remuneration,
        scan_snapshot_id=old.scan_snapshot_id,
        tariff_cmo_id=old.tariff_cmo_id,
        tariff_code=old.tariff_code,
        window_start=old.window_start,
        created_at=now,
        published_at=now,
        closed_at=None,
    )


def _tariff(s: Session, data: NoticePublish, now: datetime) -> tuple[int, str]:
    """The tariff a notice names: a version of that code must be in force at publication."""
    assert data.tariff_code is not None
    cmo_id = tariffs.tariff_cmo(s, code=data.tariff_code, cmo_id=data.tariff_cmo_id)
    row = tariffs.in_force(s, cmo_id=cmo_id, code=data.tariff_code, on=now.date())
    return row.cmo_id, row.code


def _carried_works(old: Notice, removed: list[int]) -> list[NoticeWork]:
    listed = {w.work_id for w in old.works}
    for work_id in removed:
        if work_id not in listed:
            raise ValidationFailed("notice.work_not_listed", work_id=work_id, notice_id=old.id)
    return [
        NoticeWork(
            work_id=w.work_id,
            added_in_version=w.added_in_version,
            window_start=w.window_start,
            window_end=w.window_end,
            records=w.records,
            characters=w.characters,
        )
        for w in old.works
        if w.work_id not in removed
    ]


def _notice_works(
    s: Session,
    items: list[NoticeWorkIn],
    *,
    version: int,
    start: datetime | None = None,
    end: datetime | None = None,
    existing: set[int] | None = None,
) -> list[NoticeWork]:
    seen = set(existing or ())
    rows = []
    for item in items:
        get_or_404(s, Work, item.work_id, "work")
        if item.work_id in seen:
            raise ValidationFailed("invalid", field="works", problem=f"work {item.work_id} twice")
        seen.add(item.work_id)
        rows.append(
            NoticeWork(
                work_id=item.work_id,
                added_in_version=version,
                window_start=start,
                window_end=end,
                records=item.records,
                characters=item.characters,
            )
        )
    return rows


def _own(s: Session, actor: Actor, notice_id: int) -> Notice:
    notice = get_or_404(s, Notice, notice_id, "notice")
    if notice.developer_id != actor.party_id:
        raise Forbidden("notice.not_owner", id=notice_id)
    if notice.superseded_by is not None:
        raise Conflict("notice.superseded", id=notice_id, by=notice.superseded_by)
    return notice


def _expect(notice: Notice, *states: NoticeState) -> None:
    if notice.state not in states:
        expected = " / ".join(str(st) for st in states)
        raise Conflict("notice.state", id=notice.id, state=notice.state, expected=expected)


def _event(
    s: Session,
    p: Platform,
    actor: Actor,
    notice: Notice,
    kind: str,
    extra: dict[str, object] | None = None,
) -> None:
    payload = {
        "series_id": notice.series_id,
        "version": notice.version,
        "state": notice.state,
        "works": [w.work_id for w in notice.works],
        "window_end": notice.window_end.isoformat() if notice.window_end else None,
        **(extra or {}),
    }
    record_event(
        s, at=p.now(), kind=kind, subject=f"notice:{notice.id}", actor=actor, payload=payload
    )
