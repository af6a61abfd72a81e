"""Usage reports (使用报告): a developer's per-work usage for one dataset version and period.

The developer states, per registered work, how much it used (records, characters,
images, minutes of audio or video) together with the training facts (model, epochs).
The platform has already measured the same dataset version when it was scanned and
filtered; :func:`check_against_measured` holds the report to that measurement. A report
may state more than was measured (the developer may know of copies the scan missed) but
never less: an under-statement is refused, naming each work, measure and difference.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise

from trainclear.errors import ValidationFailed
from trainclear.royalties.money import check_amount, exact
from trainclear.royalties.periods import Period

MEASURES = ("records", "characters", "images", "minutes")
"""What a scan measures per work, in the order errors and statements list them."""


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkUsage:
    """Usage of one work: whole records, characters and images, exact minutes."""

    work_id: int
    records: int = 0
    characters: int = 0
    images: int = 0
    minutes: Fraction = Fraction(0)

    def __post_init__(self) -> None:
        check_amount(self.work_id, "work_id")
        for name in ("records", "characters", "images"):
            check_amount(getattr(self, name), f"work {self.work_id}.{name}")
        minutes: int | Fraction | Decimal | str = self.minutes
        object.__setattr__(self, "minutes", exact(minutes, f"work {self.work_id}.minutes"))

    def measure(self, name: str) -> Fraction:
        return Fraction(getattr(self, name))


@dataclass(frozen=True, slots=True, kw_only=True)
class UsageReport:
    """What a developer reports for one dataset version and period; lines kept in work order."""

    developer_id: int
    dataset_version_id: int
    period: Period
    model: str
    epochs: int
    lines: tuple[WorkUsage, ...]

    def __post_init__(self) -> None:
        if self.epochs < 1:
            raise ValidationFailed("royalties.epochs", epochs=self.epochs)
        if not self.model.strip():
            raise ValidationFailed("royalties.empty", field="model")
        lines = tuple(sorted(self.lines, key=lambda line: line.work_id))
        for earlier, later in pairwise(lines):
            if earlier.work_id == later.work_id:
                raise ValidationFailed("royalties.usage_duplicate", work_id=later.work_id)
        object.__setattr__(self, "lines", lines)

    def by_work(self) -> dict[int, WorkUsage]:
        return {line.work_id: line for line in self.lines}


@dataclass(frozen=True, slots=True, kw_only=True)
class Shortfall:
    """One measure of one work that the report states below the measurement."""

    work_id: int
    measure: str
    reported: Fraction
    measured: Fraction

    @property
    def difference(self) -> Fraction:
        return self.measured - self.reported

    def __str__(self) -> str:
        reported, measured = self.reported, self.measured
        return f"#{self.work_id} {self.measure}: {reported} < {measured} (-{self.difference})"


class UsageUnderstated(ValidationFailed):
    """A usage report below the scan's measurement; ``shortfalls`` lists every difference."""

    code = "usage_understated"
    SHOWN = 20

    def __init__(
        self, *, dataset_version_id: int, period: Period, shortfalls: list[Shortfall]
    ) -> None:
        shown = [str(s) for s in shortfalls[: self.SHOWN]]
        if len(shortfalls) > self.SHOWN:
            shown.append(f"… (+{len(shortfalls) - self.SHOWN})")
        super().__init__(
            "royalties.usage_understated",
            dataset_version_id=dataset_version_id,
            period=str(period),
            count=len(shortfalls),
            details="; ".join(shown),
        )
        self.shortfalls = shortfalls


def shortfalls(report: UsageReport, measured: Iterable[WorkUsage]) -> list[Shortfall]:
    """Every (work, measure) the report states below ``measured``, in work then measure order.

    A measured work missing from the report counts as reported zero.
    """
    reported = report.by_work()
    found: list[Shortfall] = []
    for truth in sorted(measured, key=lambda m: m.work_id):
        line = reported.get(truth.work_id, WorkUsage(work_id=truth.work_id))
        for name in MEASURES:
            if line.measure(name) < truth.measure(name):
                found.append(
                    Shortfall(
                        work_id=truth.work_id,
                        measure=name,
                        reported=line.measure(name),
                        measured=truth.measure(name),
                    )
                )
    return found


def check_against_measured(report: UsageReport, measured: Iterable[WorkUsage]) -> None:
    """Refuse ``report`` if it under-states any measured usage (over-statement is allowed)."""
    found = shortfalls(report, measured)
    if found:
        raise UsageUnderstated(
            dataset_version_id=report.dataset_version_id, period=report.period, shortfalls=found
        )
