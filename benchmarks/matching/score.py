"""Recall per class and language, false positives per 10,000 unrelated pages.

A positive page is *found* when the matcher names a registered unit that covers part of
the page's source span (the unit it was derived from, or a chapter or whole text that
overlaps it), or that holds 50 characters of the page's registered text elsewhere
(:func:`repeats`). Naming any other unit is *wrong*; a negative page with any match is
a false positive.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from benchmarks.matching.corpus import Label, Work
from benchmarks.matching.transforms import plain

Span = tuple[int, int, int]
"""``(work_id, record_start, record_end)`` of one match, where the matcher reports spans."""


@dataclass(slots=True)
class Tally:
    pages: int = 0
    found: int = 0
    located: int = 0
    wrong: int = 0

    @property
    def recall(self) -> float:
        return self.found / self.pages if self.pages else math.nan


@dataclass(slots=True)
class Score:
    classes: dict[tuple[str, str], Tally] = field(default_factory=dict)
    negatives: int = 0
    false_positives: int = 0

    @property
    def fp_per_10k(self) -> float:
        return 1e4 * self.false_positives / self.negatives if self.negatives else math.nan

    @property
    def fp_upper_per_10k(self) -> float:
        """One-sided 95% upper bound (Clopper-Pearson) on false positives per 10,000 pages."""
        return 1e4 * binomial_upper(self.false_positives, self.negatives)

    def as_dict(self) -> dict[str, object]:
        return {
            "recall": {
                f"{cls}/{lang}": {
                    "pages": t.pages, "found": t.found, "recall": t.recall,
                    "located": t.located, "wrong": t.wrong,
                }
                for (cls, lang), t in sorted(self.classes.items())
            },
            "negatives": self.negatives,
            "false_positives": self.false_positives,
            "fp_per_10k": self.fp_per_10k,
            "fp_upper95_per_10k": self.fp_upper_per_10k,
        }  # fmt: skip


def covers(work: Work, label: Label) -> bool:
    """Whether ``work`` overlaps the source span of ``label`` in the same source text."""
    return work.source == label.source and (
        work.start < label.source_end and label.source_start < work.end
    )


def repeats(work: Work, label: Label, works: Mapping[int, Work], window: int = 50) -> bool:
    """Whether ``work`` holds a ``window``-character stretch of the labelled text elsewhere.

    Anthologies repeat themselves (唐詩三百首 prints some poems twice), so a unit that
    does not overlap the labelled span may still contain its text.
    """
    origin = works[label.work_id].text[label.work_start : label.work_end]
    wanted, there = plain(origin), plain(work.text)
    step = max(1, window // 2)
    return any(wanted[i : i + window] in there for i in range(0, len(wanted) - window + 1, step))


def correct(work: Work, label: Label, works: Mapping[int, Work]) -> bool:
    return covers(work, label) or repeats(work, label, works)


def score(
    labels: Sequence[Label],
    works: Mapping[int, Work],
    found: Sequence[set[int]],
    spans: Sequence[list[Span]] | None = None,
) -> Score:
    """Score one matcher's answers (``found[i]`` for page ``i``; ``spans`` if it has them)."""
    result = Score()
    for i, label in enumerate(labels):
        if label.cls == "negative":
            result.negatives += 1
            result.false_positives += bool(found[i])
            continue
        tally = result.classes.setdefault((label.cls, label.lang), Tally())
        tally.pages += 1
        right = {w for w in found[i] if correct(works[w], label, works)}
        tally.found += bool(right)
        tally.wrong += bool(found[i] - right)
        if spans is not None:
            tally.located += any(w in right and _overlaps(a, b, label) for w, a, b in spans[i])
    return result


def _overlaps(start: int, end: int, label: Label) -> bool:
    """Whether a reported record span covers at least half of the labelled one."""
    shared = min(end, label.record_end) - max(start, label.record_start)
    return shared * 2 >= label.record_end - label.record_start


def binomial_upper(k: int, n: int, alpha: float = 0.05) -> float:
    """The p at which seeing ``k`` or fewer successes in ``n`` trials has probability ``alpha``."""
    if n == 0:
        return math.nan
    if k >= n:
        return 1.0
    lo, hi = 0.0, 1.0
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if _cdf(k, n, mid) > alpha else (lo, mid)
    return hi


def _cdf(k: int, n: int, p: float) -> float:
    if p <= 0.0:
        return 1.0
    if p >= 1.0:
        return 0.0
    logs = (
        math.lgamma(n + 1) - math.lgamma(i + 1) - math.lgamma(n - i + 1)
        + i * math.log(p) + (n - i) * math.log1p(-p)
        for i in range(k + 1)
    )  # fmt: skip
    return sum(math.exp(x) for x in logs)
