"""Read models of the CMO console, the holders' statements and the notice charts (pages)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from trainclear.domain import Stance, WorkType
from trainclear.schemas.board import Paged


class NamedShare(BaseModel):
    holder_id: int
    name: str
    share: str


class RepertoireRow(BaseModel):
    """A work under a CMO's mandate, with its holders (none: unidentified) and stance."""

    work_id: int
    title: str
    type: WorkType
    identifiers: list[str]
    holders: list[NamedShare]
    stance: Stance


class RepertoirePage(Paged):
    items: list[RepertoireRow]
    query: str


class RunAccount(BaseModel):
    """A holder's account in one run, as the CMO's report lists it."""

    holder_id: int
    name: str
    shares: int
    carried_in: int
    released: int
    payout: int
    carried_out: int


class WorkUse(BaseModel):
    """How much of one listed work a notice says it uses."""

    work_id: int
    title: str
    characters: int
    records: int


class DayCount(BaseModel):
    """Objections filed on a day of a window, and the running total to that day."""

    day: date
    filed: int
    total: int


class NoticeCharts(BaseModel):
    """What the notice page draws: the most used works and objections over the window."""

    top_works: list[WorkUse]
    days: list[DayCount]
