"""Read models of the public board and the portals (pages and, later, API views)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from trainclear.domain import DisputeState, NoticeState, ObjectionState, Purpose, WorkType

BoardScope = Literal["public", "mine", "holding", "all"]
"""public: the board; mine: a developer's own notices (drafts too); holding: notices
listing works the viewer holds (or manages as CMO); all: the administration's view."""


class BoardQuery(BaseModel):
    """Search the board: free text, or by developer, work, holder, purpose, state."""

    text: str = Field(default="", max_length=200)
    developer: str = Field(default="", max_length=200)
    work: str = Field(default="", max_length=200)
    """A work's title or identifier."""
    holder: str = Field(default="", max_length=200)
    """A rights holder's name."""
    purpose: Purpose | None = None
    state: NoticeState | None = None
    page: int = Field(default=1, ge=1)
    per_page: int = Field(default=20, ge=1, le=100)


class NoticeSummary(BaseModel):
    id: int
    series_id: int
    version: int
    developer_id: int
    developer_name: str
    state: NoticeState
    purpose: Purpose
    model: str
    window_start: datetime | None
    window_end: datetime | None
    created_at: datetime
    published_at: datetime | None
    works: int
    objections: int


class Paged(BaseModel):
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


class BoardPage(Paged):
    items: list[NoticeSummary]
    as_of: datetime


class NoticeWorkRow(BaseModel):
    work_id: int
    title: str
    type: WorkType
    identifiers: list[str]
    records: int
    characters: int
    window_start: datetime | None
    window_end: datetime | None
    excluded: bool
    yours: bool
    """The viewer holds this work (or manages it as its CMO)."""


class LogRef(BaseModel):
    """A transparency-log entry about a notice: check it with the inclusion proof."""

    seq: int
    kind: str
    at: datetime


class NoticeView(Paged):
    """One notice with a page of its works (filtered by ``work_query``)."""

    notice: NoticeSummary
    other_sources: str
    remuneration: str
    scan_snapshot_id: str | None
    closed_at: datetime | None
    effective_at: datetime | None
    withdrawn_at: datetime | None
    superseded_by: int | None
    works_listed: int
    works_excluded: int
    yours: int
    rows: list[NoticeWorkRow]
    work_query: str
    log: list[LogRef]
    log_size: int
    as_of: datetime


class ObjectionTargets(BaseModel):
    """What a holder (or CMO) may object to in a notice: its works they act for."""

    notice: NoticeSummary
    works: list[NoticeWorkRow]
    already: list[int]
    """Works the viewer has already objected to in this notice series."""
    as_of: datetime


class ObjectionRow(BaseModel):
    id: int
    notice_id: int
    work_id: int
    work_title: str
    notice_model: str
    developer_name: str
    objector_id: int
    objector_name: str
    filed_at: datetime
    in_window: bool
    reason: str
    state: ObjectionState
    opt_out_id: int | None
    contest_until: datetime
    dispute_id: int | None
    dispute_state: DisputeState | None
    decision: str


class DisputeRow(BaseModel):
    id: int
    objection_id: int
    notice_id: int
    work_id: int
    work_title: str
    developer_name: str
    objector_name: str
    grounds: str
    filed_at: datetime
    decide_by: datetime
    state: DisputeState
    decided_at: datetime | None
    decision: str
