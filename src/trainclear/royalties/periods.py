"""Reporting and distribution periods: closed ranges of calendar dates.

A period is written as an ISO 8601 interval of dates, ``2025-01-01/2025-03-31``; both
ends are inside it. Usage reports, invoices and distribution runs are each for one period,
and a CMO's runs may not overlap (a period is never distributed twice).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from trainclear.errors import Conflict, ValidationFailed


@dataclass(frozen=True, slots=True, order=True, kw_only=True)
class Period:
    """The dates from ``start`` to ``end``, both included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValidationFailed("royalties.period_order", start=self.start, end=self.end)

    @classmethod
    def parse(cls, text: str) -> Period:
        """A period from ``YYYY-MM-DD/YYYY-MM-DD``."""
        try:
            start, end = text.split("/")
            return cls(start=date.fromisoformat(start), end=date.fromisoformat(end))
        except ValueError:
            raise ValidationFailed("royalties.period_format", value=text) from None

    def __str__(self) -> str:
        return f"{self.start.isoformat()}/{self.end.isoformat()}"

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def overlaps(self, other: Period) -> bool:
        return self.start <= other.end and other.start <= self.end


def add_years(day: date, years: int) -> date:
    """The same calendar day ``years`` later; 29 February becomes 28 February in common years."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True, slots=True, kw_only=True)
class PriorRun:
    """A run the store has kept: enough to refuse distributing its period again."""

    cmo_id: int
    period: Period
    input_hash: str


def check_period(
    prior: Iterable[PriorRun], *, cmo_id: int, period: Period, input_hash: str
) -> PriorRun | None:
    """Enforce "a period is never distributed twice" for one CMO.

    Returns the earlier run when it had exactly this period and input (a replay: the
    caller returns the stored result and writes nothing); raises :class:`Conflict` when
    an earlier run of the CMO overlaps ``period`` otherwise; ``None`` when it is new.
    """
    for run in sorted(prior, key=lambda r: (r.period, r.input_hash)):
        if run.cmo_id != cmo_id or not run.period.overlaps(period):
            continue
        if run.period == period and run.input_hash == input_hash:
            return run
        raise Conflict(
            "royalties.period_distributed",
            cmo_id=cmo_id,
            period=str(run.period),
            run=run.input_hash[:12],
        )
    return None
