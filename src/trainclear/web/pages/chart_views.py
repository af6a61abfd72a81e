"""The pages' charts from their read models: which numbers, labelled in the page's language.

:mod:`.charts` draws; this chooses what to draw. Each function returns the SVG; the
template shows the same numbers in a table beside it.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from trainclear.schemas.console import NoticeCharts
from trainclear.schemas.distributions import StatementSummary
from trainclear.web.pages.charts import Point, bar_chart, column_chart, step_chart
from trainclear.web.pages.i18n import number
from trainclear.web.pages.money import money
from trainclear.web.pages.page import Page


def payout_chart(page: Page, accounts: Sequence[StatementSummary]) -> Markup:
    """A holder's payout in each run, oldest period first (labelled by its last day)."""
    points = [
        Point(a.period.split("/")[-1], a.payout, money(a.payout, a.currency)) for a in accounts
    ]
    return column_chart(points, title=page.t("chart.payouts"))


def usage_chart(page: Page, charts: NoticeCharts) -> Markup:
    """The notice's most used works by characters (records when no characters are given)."""
    by_records = not any(w.characters for w in charts.top_works)
    points = [
        Point(
            w.title,
            w.records if by_records else w.characters,
            number(w.records if by_records else w.characters),
        )
        for w in charts.top_works
    ]
    key = "chart.usage_records" if by_records else "chart.usage_characters"
    return bar_chart(points, title=page.t(key, n=len(points)))


def objection_chart(page: Page, charts: NoticeCharts) -> Markup:
    """Objections filed so far in the window, a running total day by day (UTC)."""
    points = [Point(d.day.isoformat(), d.total) for d in charts.days]
    return step_chart(points, title=page.t("chart.objections"))
