"""What the notice page draws: the works a notice uses most, and objections over its window.

Both are aggregated in SQL (a sorted ``LIMIT`` and a ``GROUP BY`` day), so a notice of
10⁴ works costs two small queries, not a loop over its rows. Visibility is the notice's
own (:func:`~trainclear.services.notice_views.visible_notice`).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from trainclear.schemas.console import DayCount, NoticeCharts, WorkUse
from trainclear.services.notice_views import visible_notice
from trainclear.services.platform import Platform
from trainclear.store.models import Notice, NoticeWork, Objection, Work

TOP_WORKS = 10


def notice_charts(
    p: Platform, *, notice_id: int, viewer_id: int | None = None, top: int = TOP_WORKS
) -> NoticeCharts:
    """The ``top`` works by characters (then records) and the objections day by day."""
    with p.db.transaction() as s:
        notice = visible_notice(s, notice_id, viewer_id)
        return NoticeCharts(
            top_works=_top_works(s, notice, top),
            days=_objection_days(s, notice, p.now()),
        )


def _top_works(s: Session, notice: Notice, top: int) -> list[WorkUse]:
    """The ``top`` rows first (one scan of the notice's rows, no join), then their titles."""
    rows = s.execute(
        select(NoticeWork.work_id, NoticeWork.characters, NoticeWork.records)
        .where(NoticeWork.notice_id == notice.id)
        .order_by(NoticeWork.characters.desc(), NoticeWork.records.desc(), NoticeWork.work_id)
        .limit(top)
    ).all()
    ids = [r.work_id for r in rows]
    titles = dict(s.execute(select(Work.id, Work.title).where(Work.id.in_(ids))).all())
    return [
        WorkUse(
            work_id=r.work_id,
            title=titles.get(r.work_id, ""),
            characters=r.characters,
            records=r.records,
        )
        for r in rows
    ]


def _objection_days(s: Session, notice: Notice, now: datetime) -> list[DayCount]:
    """Every day of the window so far (UTC), with the objections filed in it that day."""
    if notice.window_start is None or notice.window_end is None:
        return []
    first, last = notice.window_start.date(), min(notice.window_end, now).date()
    day = func.date(Objection.filed_at)
    filed = {
        _as_date(d): int(n)
        for d, n in s.execute(
            select(day, func.count())
            .where(
                Objection.series_id == (notice.series_id or notice.id),
                Objection.filed_at >= notice.window_start,
                Objection.filed_at <= notice.window_end,
            )
            .group_by(day)
        )
    }
    out, total = [], 0
    for offset in range((last - first).days + 1):
        today = first + timedelta(days=offset)
        total += filed.get(today, 0)
        out.append(DayCount(day=today, filed=filed.get(today, 0), total=total))
    return out


def _as_date(value: date | str) -> date:
    """``date()`` gives a date on PostgreSQL and ISO text on SQLite."""
    return value if isinstance(value, date) else date.fromisoformat(value)
