"""Reading the board for people: paginated search, one notice with a page of its works,
and the works a holder may object to.

Counts and pages are computed in SQL, so a notice listing 10⁴ works (or a board of 10⁴
notices) reads one page of rows, not all of them. Who sees what follows
:mod:`trainclear.services.notice_views`: open, closed and effective notices are public;
a developer also sees its drafts and withdrawn notices; the administration sees every
notice but drafts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import SQLCoreOperations

from trainclear.domain import Actor, NoticeState, PartyKind, Purpose, WorkType
from trainclear.errors import Forbidden
from trainclear.schemas.board import (
    BoardPage,
    BoardQuery,
    BoardScope,
    LogRef,
    NoticeSummary,
    NoticeView,
    NoticeWorkRow,
    ObjectionTargets,
)
from trainclear.services.log import log_size
from trainclear.services.notice_views import EXCLUDING, PUBLIC_STATES, visible_notice
from trainclear.services.notices import latest_version
from trainclear.services.platform import Platform, require_kind
from trainclear.store.models import (
    Event,
    LogEntry,
    Notice,
    NoticeWork,
    Objection,
    Party,
    Work,
    WorkHolder,
    WorkIdentifier,
)

WORKS_PER_PAGE = 100


def search_board(
    p: Platform, *, query: BoardQuery, scope: BoardScope = "public", viewer: Actor | None = None
) -> BoardPage:
    """One page of the current versions of notices matching ``query``, newest first."""
    with p.db.transaction() as s:
        stmt = select(Notice.id).where(Notice.superseded_by.is_(None), _scope(scope, viewer))
        stmt = _filtered(stmt, query, Contains.of(s))
        total = s.scalar(select(func.count()).select_from(stmt.subquery())) or 0
        ids = list(
            s.scalars(
                stmt.order_by(Notice.id.desc())
                .limit(query.per_page)
                .offset((query.page - 1) * query.per_page)
            )
        )
        return BoardPage(
            items=summaries(s, ids),
            total=total,
            page=query.page,
            per_page=query.per_page,
            as_of=p.now(),
        )


def notice_view(
    p: Platform,
    *,
    notice_id: int,
    viewer: Actor | None = None,
    work_query: str = "",
    page: int = 1,
    per_page: int = WORKS_PER_PAGE,
) -> NoticeView:
    """A notice version with one page of its works, its counts and its log entries."""
    with p.db.transaction() as s:
        notice = visible_notice(s, notice_id, viewer.party_id if viewer else None)
        [summary] = summaries(s, [notice.id])
        listed = select(NoticeWork.work_id).where(NoticeWork.notice_id == notice.id)
        total, ids = _page_ids(s, listed, work_query.strip(), page, per_page, summary.works)
        page_rows = s.execute(
            select(NoticeWork, Work.title, Work.type)
            .join(Work, Work.id == NoticeWork.work_id)
            .where(NoticeWork.notice_id == notice.id, NoticeWork.work_id.in_(ids))
            .order_by(NoticeWork.work_id)
        ).all()
        excluded = _excluded(s, notice.series_id or notice.id, ids)
        mine = _acting_for(viewer, listed)
        yours = (
            set(s.scalars(mine.where(NoticeWork.work_id.in_(ids)))) if mine is not None else set()
        )
        identifiers = work_identifiers(s, ids)
        return NoticeView(
            notice=summary,
            other_sources=notice.other_sources,
            remuneration=notice.remuneration,
            scan_snapshot_id=notice.scan_snapshot_id,
            closed_at=notice.closed_at,
            effective_at=notice.effective_at,
            withdrawn_at=notice.withdrawn_at,
            superseded_by=notice.superseded_by,
            works_listed=summary.works,
            works_excluded=_count_excluded(s, notice),
            yours=_count(s, mine) if mine is not None else 0,
            rows=[
                _row(nw, title, kind, identifiers[nw.work_id], nw.work_id in excluded, yours)
                for nw, title, kind in page_rows
            ],
            work_query=work_query.strip(),
            total=total,
            page=page,
            per_page=per_page,
            log=_log_refs(s, notice),
            log_size=log_size(s),
            as_of=p.now(),
        )


def objection_targets(p: Platform, *, notice_id: int, actor: Actor) -> ObjectionTargets:
    """The works of a notice's latest version that ``actor`` may object to (all of them
    are listed, however many; a holder holds few). Forbidden when there are none."""
    require_kind(actor, PartyKind.RIGHTS_HOLDER, PartyKind.CMO)
    with p.db.transaction() as s:
        notice = visible_notice(s, notice_id, actor.party_id)
        latest = latest_version(s, notice.series_id or notice.id)
        listed = select(NoticeWork.work_id).where(NoticeWork.notice_id == latest.id)
        mine = _acting_for(actor, listed)
        assert mine is not None
        ids = list(s.scalars(mine))
        if not ids:
            raise Forbidden("objection.no_works_held", notice_id=latest.id)
        rows = s.execute(
            select(NoticeWork, Work.title, Work.type)
            .join(Work, Work.id == NoticeWork.work_id)
            .where(NoticeWork.notice_id == latest.id, NoticeWork.work_id.in_(ids))
            .order_by(NoticeWork.work_id)
        ).all()
        series = latest.series_id or latest.id
        excluded = _excluded(s, series, ids)
        identifiers = work_identifiers(s, ids)
        already = s.scalars(
            select(Objection.work_id).where(
                Objection.series_id == series, Objection.objector_id == actor.party_id
            )
        )
        return ObjectionTargets(
            notice=summaries(s, [latest.id])[0],
            works=[
                _row(nw, title, kind, identifiers[nw.work_id], nw.work_id in excluded, set(ids))
                for nw, title, kind in rows
            ],
            already=sorted(set(already)),
            as_of=p.now(),
        )


def summaries(s: Session, ids: Sequence[int]) -> list[NoticeSummary]:
    """Summaries of notices ``ids`` (in that order), with works and objection counts."""
    if not ids:
        return []
    rows = {
        n.id: (n, name)
        for n, name in s.execute(
            select(Notice, Party.name)
            .join(Party, Party.id == Notice.developer_id)
            .where(Notice.id.in_(ids))
        )
    }
    works = _counts(
        s,
        select(NoticeWork.notice_id, func.count())
        .where(NoticeWork.notice_id.in_(ids))
        .group_by(NoticeWork.notice_id),
    )
    series = {n.series_id or n.id for n, _ in rows.values()}
    objections = _counts(
        s,
        select(Objection.series_id, func.count())
        .where(Objection.series_id.in_(series))
        .group_by(Objection.series_id),
    )
    out = []
    for notice_id in ids:
        n, name = rows[notice_id]
        out.append(
            NoticeSummary(
                id=n.id,
                series_id=n.series_id or n.id,
                version=n.version,
                developer_id=n.developer_id,
                developer_name=name,
                state=NoticeState(n.state),
                purpose=Purpose(n.purpose),
                model=n.model,
                window_start=n.window_start,
                window_end=n.window_end,
                created_at=n.created_at,
                published_at=n.published_at,
                works=works.get(n.id, 0),
                objections=objections.get(n.series_id or n.id, 0),
            )
        )
    return out


def _counts(s: Session, stmt: Select[int, int]) -> dict[int, int]:
    return {int(key): int(count) for key, count in s.execute(stmt)}


def _scope(scope: BoardScope, viewer: Actor | None) -> ColumnElement[bool]:
    if scope == "public":
        return Notice.state.in_(PUBLIC_STATES)
    if viewer is None:
        raise Forbidden("auth.wrong_kind", expected="-", actual="-")
    if scope == "mine":
        require_kind(viewer, PartyKind.DEVELOPER)
        return Notice.developer_id == viewer.party_id
    if scope == "holding":
        require_kind(viewer, PartyKind.RIGHTS_HOLDER, PartyKind.CMO)
        held = _held_work_ids(viewer)
        assert held is not None
        return and_(Notice.state.in_(PUBLIC_STATES), Notice.works.any(NoticeWork.work_id.in_(held)))
    require_kind(viewer, PartyKind.ADMINISTRATION)
    return Notice.state != NoticeState.DRAFT


def _page_ids(
    s: Session, listed: Select[int], query: str, page: int, per_page: int, works: int
) -> tuple[int, list[int]]:
    """How many listed works match ``query`` (all of them: ``works``) and the ids of the
    page's works. Unfiltered, the page's ids come first (an index-only scan, however deep
    the page); filtered, the matching ids are read once, in order, and counted and cut
    in Python (one scan of the titles and identifiers instead of two)."""
    ordered = NoticeWork.work_id
    if not query:
        window = listed.order_by(ordered).limit(per_page).offset((page - 1) * per_page)
        return works, list(s.scalars(window))
    matching = listed.join(Work, Work.id == NoticeWork.work_id).where(
        work_matches(query, Contains.of(s))
    )
    found = list(s.scalars(matching.order_by(ordered)))
    return len(found), found[(page - 1) * per_page : page * per_page]


def _filtered(stmt: Select[int], q: BoardQuery, has: Contains) -> Select[int]:
    if q.state is not None:
        stmt = stmt.where(Notice.state == q.state)
    if q.purpose is not None:
        stmt = stmt.where(Notice.purpose == q.purpose)
    if q.developer.strip():
        stmt = stmt.where(Notice.developer_id.in_(_parties_named(q.developer.strip(), has)))
    if q.work.strip():
        titled = select(Work.id).where(work_matches(q.work.strip(), has))
        stmt = stmt.where(Notice.works.any(NoticeWork.work_id.in_(titled)))
    if q.holder.strip():
        held = _held_by_named(q.holder.strip(), has)
        stmt = stmt.where(Notice.works.any(NoticeWork.work_id.in_(held)))
    if q.text.strip():
        stmt = stmt.where(_text_matches(q.text.strip(), has))
    return stmt


def _text_matches(text: str, has: Contains) -> ColumnElement[bool]:
    """Free text: the model, the purpose, the developer, a work's title or identifier, or
    a holder of a listed work."""
    works = select(Work.id).where(work_matches(text, has))
    return or_(
        has(Notice.model, text),
        has(Notice.purpose, text),
        Notice.developer_id.in_(_parties_named(text, has)),
        Notice.works.any(NoticeWork.work_id.in_(works)),
        Notice.works.any(NoticeWork.work_id.in_(_held_by_named(text, has))),
    )


def work_matches(text: str, has: Contains) -> ColumnElement[bool]:
    """A work's title or one of its identifiers contains ``text``."""
    identified = select(WorkIdentifier.work_id).where(has(WorkIdentifier.value, text))
    return or_(has(Work.title, text), Work.id.in_(identified))


def _parties_named(text: str, has: Contains) -> Select[int]:
    return select(Party.id).where(has(Party.name, text))


def _held_by_named(text: str, has: Contains) -> Select[int]:
    holders = select(Party.id).where(Party.kind == PartyKind.RIGHTS_HOLDER, has(Party.name, text))
    return select(WorkHolder.work_id).where(WorkHolder.holder_id.in_(holders))


@dataclass(frozen=True, slots=True)
class Contains:
    """Case-insensitive "contains" for the session's database. SQLite's LIKE already
    ignores ASCII case, which is all its ``lower()`` folds, so there it skips ``lower()``
    on both sides (7x faster over 10^4 titles); PostgreSQL uses ILIKE."""

    plain: bool

    @classmethod
    def of(cls, s: Session) -> Contains:
        return cls(s.get_bind().dialect.name == "sqlite")

    def __call__(self, column: SQLCoreOperations[str], text: str) -> ColumnElement[bool]:
        pattern = _like(text)
        if self.plain:
            return column.like(pattern, escape="\\")
        return column.ilike(pattern, escape="\\")


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _held_work_ids(viewer: Actor | None) -> Select[int] | None:
    """The works the viewer holds (or manages as their CMO); None for other kinds."""
    if viewer is None:
        return None
    if viewer.kind == PartyKind.RIGHTS_HOLDER:
        return select(WorkHolder.work_id).where(WorkHolder.holder_id == viewer.party_id)
    if viewer.kind == PartyKind.CMO:
        return select(Work.id).where(Work.cmo_id == viewer.party_id)
    return None


def _acting_for(viewer: Actor | None, listed: Select[int]) -> Select[int] | None:
    """Of the work ids ``listed``, those the viewer acts for."""
    held = _held_work_ids(viewer)
    return None if held is None else listed.where(NoticeWork.work_id.in_(held))


def _excluded(s: Session, series_id: int, work_ids: Sequence[int]) -> set[int]:
    if not work_ids:
        return set()
    return set(
        s.scalars(
            select(Objection.work_id).where(
                Objection.series_id == series_id,
                Objection.state.in_(EXCLUDING),
                Objection.work_id.in_(work_ids),
            )
        )
    )


def _count_excluded(s: Session, notice: Notice) -> int:
    """Listed works excluded by an objection (a join: the series' objections are few)."""
    stmt = (
        select(func.count(func.distinct(Objection.work_id)))
        .join(
            NoticeWork,
            and_(NoticeWork.work_id == Objection.work_id, NoticeWork.notice_id == notice.id),
        )
        .where(
            Objection.series_id == (notice.series_id or notice.id),
            Objection.state.in_(EXCLUDING),
        )
    )
    return s.scalar(stmt) or 0


def _count(s: Session, stmt: Select[int]) -> int:
    return s.scalar(select(func.count()).select_from(stmt.subquery())) or 0


def work_identifiers(s: Session, work_ids: Sequence[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    if work_ids:
        rows = s.execute(
            select(WorkIdentifier.work_id, WorkIdentifier.scheme, WorkIdentifier.value)
            .where(WorkIdentifier.work_id.in_(work_ids))
            .order_by(WorkIdentifier.id)
        )
        for work_id, scheme, value in rows:
            found[work_id].append(f"{scheme}:{value}")
    return found


def _log_refs(s: Session, notice: Notice) -> list[LogRef]:
    """The log entries of every version of the notice's series."""
    versions = select(Notice.id).where(Notice.series_id == (notice.series_id or notice.id))
    subjects = [f"notice:{i}" for i in s.scalars(versions)]
    rows = s.execute(
        select(LogEntry.seq, Event.kind, Event.at)
        .join(Event, Event.id == LogEntry.event_id)
        .where(Event.subject.in_(subjects))
        .order_by(LogEntry.seq)
    )
    return [LogRef(seq=seq, kind=kind, at=at) for seq, kind, at in rows]


def _row(
    nw: NoticeWork, title: str, kind: str, identifiers: list[str], excluded: bool, yours: set[int]
) -> NoticeWorkRow:
    return NoticeWorkRow(
        work_id=nw.work_id,
        title=title,
        type=WorkType(kind),
        identifiers=identifiers,
        records=nw.records,
        characters=nw.characters,
        window_start=nw.window_start,
        window_end=nw.window_end,
        excluded=excluded,
        yours=nw.work_id in yours,
    )
