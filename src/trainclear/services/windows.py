"""The objection window rule: never shorter than the legal minimum in force at its start."""

from __future__ import annotations

from datetime import datetime, timedelta

from trainclear.errors import ValidationFailed
from trainclear.law.parameters import parameter

WINDOW_PARAMETER = "notice_window_min_days"


def minimum_window(start: datetime) -> timedelta:
    """The legal minimum window for a window starting at ``start`` (UTC)."""
    return timedelta(days=parameter(WINDOW_PARAMETER).at(start))


def check_window(start: datetime, end: datetime) -> None:
    """Refuse a window shorter than the minimum, naming the minimum and its source."""
    minimum = minimum_window(start)
    if end - start < minimum:
        raise ValidationFailed(
            "notice.window_too_short",
            minimum_days=minimum.days,
            citation=parameter(WINDOW_PARAMETER).citation,
            days=_days(end - start),
        )


def _days(delta: timedelta) -> str:
    return f"{delta.total_seconds() / 86400:.2f}"
