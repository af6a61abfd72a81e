"""Charts as inline SVG, drawn on the server: column, bar and step charts.

Pure functions from numbers to markup, so a page needs no script and no chart library,
and the Content-Security-Policy stays strict (no inline style: the picture's colours come
from classes in ``site.css``). Every chart is an image with a name (``role="img"``,
``aria-label`` and ``<title>``); the page shows the same numbers in a table beside it, so
nothing depends on seeing the picture. Every text is escaped here.

Lengths are in the SVG's own units (``viewBox``); CSS scales the picture to its box.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 640
LABEL_WIDTH = 200
ROW = 22
PLOT_HEIGHT = 180
MARGIN = 24
MAX_LABELS = 6
MAX_COLUMN = 64


@dataclass(frozen=True, slots=True)
class Point:
    """One value of a chart: its label, the number drawn, and the number as shown."""

    label: str
    value: int
    shown: str = ""

    @property
    def text(self) -> str:
        return self.shown or str(self.value)


def column_chart(points: Sequence[Point], *, title: str) -> Markup:
    """Vertical columns in order (a value over time); heights proportional to the values."""
    top = _top(points)
    slot = (WIDTH - 2 * MARGIN) / max(len(points), 1)
    base = MARGIN + PLOT_HEIGHT
    every = -(-len(points) // MAX_LABELS)  # label every n-th column so labels never overlap
    parts = [_axis(MARGIN, base, WIDTH - MARGIN, base)]
    for i, point in enumerate(points):
        height = _scale(point.value, top, PLOT_HEIGHT)
        width = min(slot * 0.7, MAX_COLUMN)
        centre = MARGIN + (i + 0.5) * slot
        tip = f"{point.label}: {point.text}"
        parts.append(_rect(centre - width / 2, base - height, width, height, tip))
        if i % every == 0:
            parts.append(
                _text(centre, base - height - 4, point.text, "value", anchor="middle")
                + _text(centre, base + 16, point.label, "label", anchor="middle")
            )
    return _svg(title, WIDTH, base + 2 * MARGIN, parts)


def bar_chart(points: Sequence[Point], *, title: str) -> Markup:
    """Horizontal bars, one a row (a ranking); lengths proportional to the values."""
    top = _top(points)
    room = WIDTH - LABEL_WIDTH - 2 * MARGIN - 80  # leaves room for the value after a bar
    parts = []
    for i, point in enumerate(points):
        y = MARGIN + i * ROW
        length = _scale(point.value, top, room)
        x = LABEL_WIDTH + MARGIN
        parts.append(
            _text(x - 6, y + ROW * 0.7, _clip(point.label), "label", anchor="end")
            + _rect(x, y + 3, length, ROW - 6, f"{point.label}: {point.text}")
            + _text(x + length + 6, y + ROW * 0.7, point.text, "value")
        )
    height = 2 * MARGIN + len(points) * ROW
    parts.append(_axis(LABEL_WIDTH + MARGIN, MARGIN, LABEL_WIDTH + MARGIN, height - MARGIN))
    return _svg(title, WIDTH, height, parts)


def step_chart(points: Sequence[Point], *, title: str) -> Markup:
    """A running total over evenly spaced steps (days): a line that rises at each step."""
    top = _top(points)
    base = MARGIN + PLOT_HEIGHT
    left, right = MARGIN + 40, WIDTH - MARGIN
    step = (right - left) / max(len(points), 1)
    corners = [f"{left:.1f},{base:.1f}"] if points else []  # every total starts from zero
    for i, point in enumerate(points):
        y = base - _scale(point.value, top, PLOT_HEIGHT)
        corners += [f"{left + i * step:.1f},{y:.1f}", f"{left + (i + 1) * step:.1f},{y:.1f}"]
    parts = [_axis(left, base, right, base), _axis(left, MARGIN, left, base)]
    if corners:
        parts.append(Markup('<polyline class="line" points="{}"/>').format(" ".join(corners)))
        parts.append(_text(left - 6, base - PLOT_HEIGHT + 4, str(top), "value", anchor="end"))
        parts.append(_text(left - 6, base + 4, "0", "value", anchor="end"))
        parts.append(_text(left, base + 16, points[0].label, "label"))
        parts.append(_text(right, base + 16, points[-1].label, "label", anchor="end"))
    return _svg(title, WIDTH, base + 2 * MARGIN, parts)


def _top(points: Sequence[Point]) -> int:
    """The largest value (at least 1, so an all-zero chart draws flat, not divides by 0)."""
    return max([1, *(p.value for p in points)])


def _scale(value: int, top: int, room: float) -> float:
    return max(value, 0) / top * room


def _clip(label: str, size: int = 24) -> str:
    return label if len(label) <= size else label[: size - 1] + "…"


def _svg(title: str, width: int, height: float, parts: list[Markup]) -> Markup:
    head = Markup(
        '<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {:.0f}" '
        'role="img" aria-label="{}"><title>{}</title>'
    ).format(width, height, title, title)
    return head + Markup("").join(parts) + Markup("</svg>")


def _rect(x: float, y: float, width: float, height: float, tip: str) -> Markup:
    return Markup(
        '<rect class="bar" x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}">'
        "<title>{}</title></rect>"
    ).format(x, y, width, height, tip)


def _text(x: float, y: float, text: str, kind: str, *, anchor: str = "start") -> Markup:
    return Markup('<text class="{}" x="{:.1f}" y="{:.1f}" text-anchor="{}">{}</text>').format(
        kind, x, y, anchor, escape(text)
    )


def _axis(x1: float, y1: float, x2: float, y2: float) -> Markup:
    return Markup('<line class="axis" x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}"/>').format(
        x1, y1, x2, y2
    )
