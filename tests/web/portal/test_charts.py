"""The SVG charts: proportional, accessible, escaped, and sane without data."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from itertools import pairwise

import pytest

from trainclear.web.pages.charts import PLOT_HEIGHT, Point, bar_chart, column_chart, step_chart
from trainclear.web.pages.money import money

SVG = "{http://www.w3.org/2000/svg}"


def _parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


def _bars(markup: str, size: str) -> list[float]:
    return [float(r.attrib[size]) for r in _parse(markup).iter(f"{SVG}rect")]


def test_column_heights_are_proportional_to_the_values() -> None:
    points = [Point("2026-01", 300, "CNY 3.00"), Point("2026-02", 150), Point("2026-03", 0)]
    heights = _bars(column_chart(points, title="Payouts"), "height")
    assert heights == [PLOT_HEIGHT, PLOT_HEIGHT / 2, 0]


def test_bar_lengths_are_proportional_to_the_values() -> None:
    lengths = _bars(bar_chart([Point("a", 40), Point("b", 10)], title="Use"), "width")
    assert lengths[0] == pytest.approx(4 * lengths[1])


@pytest.mark.parametrize("draw", [column_chart, bar_chart, step_chart])
def test_every_chart_is_a_named_image(draw: object) -> None:
    svg = _parse(draw([Point("x", 2), Point("y", 5)], title="Objections 异议"))  # type: ignore[operator]
    assert svg.attrib["role"] == "img"
    assert svg.attrib["aria-label"] == "Objections 异议"
    assert svg.find(f"{SVG}title").text == "Objections 异议"  # type: ignore[union-attr]


@pytest.mark.parametrize("draw", [column_chart, bar_chart, step_chart])
def test_no_data_draws_an_empty_picture(draw: object) -> None:
    svg = _parse(draw([], title="Nothing yet"))  # type: ignore[operator]
    assert list(svg.iter(f"{SVG}rect")) == []
    assert list(svg.iter(f"{SVG}polyline")) == []


def test_all_zero_values_draw_flat_without_dividing_by_zero() -> None:
    assert _bars(column_chart([Point("a", 0), Point("b", 0)], title="t"), "height") == [0, 0]


def test_labels_and_titles_are_escaped() -> None:
    evil = '<script>alert("x")</script> & "quotes"'
    markup = str(bar_chart([Point(evil, 1, evil)], title=evil))
    assert "<script>" not in markup
    svg = _parse(markup)  # still well-formed XML
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert evil[:23] in texts[0]
    assert svg.attrib["aria-label"] == evil


def test_step_chart_rises_at_each_step_and_never_falls() -> None:
    points = [Point("03-01", 0), Point("03-02", 2), Point("03-03", 2), Point("03-04", 5)]
    line = _parse(step_chart(points, title="t")).find(f"{SVG}polyline")
    assert line is not None
    ys = [float(pair.split(",")[1]) for pair in line.attrib["points"].split()]
    assert len(ys) == 1 + 2 * len(points)  # from zero, then a flat and a rise per step
    assert all(later <= earlier for earlier, later in pairwise(ys))
    assert ys[0] - ys[-1] == pytest.approx(PLOT_HEIGHT)


def test_many_columns_label_only_some() -> None:
    points = [Point(f"p{i}", i) for i in range(24)]
    labels = [t.text for t in _parse(column_chart(points, title="t")).iter(f"{SVG}text")]
    assert len(_bars(column_chart(points, title="t"), "height")) == 24
    assert 0 < len(labels) <= 2 * 6


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        (123456, "CNY", "CNY 1,234.56"),
        (5, "CNY", "CNY 0.05"),
        (-150, "USD", "USD -1.50"),
        (1234, "JPY", "JPY 1,234"),
        (1, "KWD", "KWD 0.001"),
        (0, "EUR", "EUR 0.00"),
    ],
)
def test_money_from_minor_units(amount: int, currency: str, shown: str) -> None:
    assert money(amount, currency) == shown
