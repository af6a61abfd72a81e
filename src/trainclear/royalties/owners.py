"""Co-owners' shares of a work, and attribution scores, as exact integer weights.

A work's registered shares are rationals that sum to exactly 1 (``WorkHolder.share_num /
share_den`` in the store); a work with no registered shares is split equally among its
listed owners. An owner nobody has identified keeps its share in the reserve.

To split with integers, each work's shares are put over their least common denominator
``L``: a share ``n/d`` becomes the weight ``n·(L/d)``, and the weights of a work sum to
``L``. Splitting by these weights is splitting by the shares, exactly.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import numpy as np

from trainclear.errors import ValidationFailed
from trainclear.royalties.money import check_amount, exact, integer_weights
from trainclear.royalties.tables import UNIDENTIFIED, Owners, Scores
from trainclear.royalties.vector import I64, LIMIT


@dataclass(frozen=True, slots=True, kw_only=True)
class Owner:
    """One owner of one work: a holder id, or ``None`` when unidentified; a share or ``None``."""

    work_id: int
    holder_id: int | None
    share: Fraction | None = None

    def __post_init__(self) -> None:
        if self.holder_id is not None:
            check_amount(self.holder_id, "holder_id")
        share: int | Fraction | Decimal | str | None = self.share
        if share is not None:
            object.__setattr__(self, "share", exact(share, f"work {self.work_id}.share"))


def owners_of(rows: Iterable[Owner]) -> Owners:
    """The owners table from rows; unidentified owners of a work merge into one reserve slot."""
    by_work: dict[int, list[Owner]] = {}
    for row in rows:
        by_work.setdefault(row.work_id, []).append(row)
    out: list[tuple[int, int, int, int]] = []
    for work_id, owners in by_work.items():
        given = [o.share is not None for o in owners]
        if any(given) and not all(given):
            raise ValidationFailed("royalties.shares_mixed", work_id=work_id)
        unknown = [o for o in owners if o.holder_id is None]
        if len(unknown) > 1 and not any(given):
            owners = [
                Owner(work_id=work_id, holder_id=o.holder_id, share=Fraction(1, len(owners)))
                for o in owners
            ]
            unknown = [o for o in owners if o.holder_id is None]
        for o in owners:
            if o.holder_id is not None:
                out.append((work_id, o.holder_id, *_num_den(o.share)))
        if unknown:
            shares = [o.share for o in unknown if o.share is not None]
            merged = sum(shares, Fraction(0)) if shares else None
            out.append((work_id, UNIDENTIFIED, *_num_den(merged)))
    if not out:
        return Owners.of_columns([np.zeros(0, np.int64) for _ in range(4)])
    columns = np.array(out, dtype=object)
    return Owners.of_columns([np.array(columns[:, i].tolist(), dtype=np.int64) for i in range(4)])


def _num_den(share: Fraction | None) -> tuple[int, int]:
    return (0, 0) if share is None else (share.numerator, share.denominator)


def scores_of(rows: Iterable[tuple[int, int | Fraction | Decimal | str]]) -> Scores:
    """Attribution scores (exact decimals, fractions, ints) as integer weights, same ratios."""
    items = sorted(rows, key=lambda r: r[0])
    weights = integer_weights([exact(s, f"scores[{w}]") for w, s in items], "scores")
    if weights and max(weights) > LIMIT:
        raise ValidationFailed("royalties.too_large", field="scores", value=max(weights))
    return Scores(
        work_id=np.array([w for w, _ in items], dtype=np.int64),
        score=np.array(weights, dtype=np.int64),
    )


@dataclass(frozen=True, slots=True, eq=False, kw_only=True)
class ShareWeights:
    """Owners' integer weights per work, with each row's reduced share and work index."""

    group: I64
    starts: I64
    weights: I64
    share_num: I64
    share_den: I64


def share_weights(owners: Owners) -> ShareWeights:
    """Validate the owners table and turn its shares into integer weights, work by work."""
    owners.non_negative("share_num", "share_den")
    work, n = owners.work_id, len(owners)
    starts = (
        np.flatnonzero(np.concatenate(([True], work[1:] != work[:-1])))
        if n
        else np.zeros(0, np.int64)
    )
    counts = np.diff(np.concatenate((starts, [n])))
    group = np.repeat(np.arange(starts.size, dtype=np.int64), counts)
    registered = owners.share_den > 0
    if n and bool(np.any(owners.holder_id < UNIDENTIFIED)):
        raise ValidationFailed(
            "royalties.negative", field="owners.holder_id", value=int(owners.holder_id.min())
        )
    per_work = np.add.reduceat(registered.astype(np.int64), starts) if n else counts
    mixed = (per_work != 0) & (per_work != counts)
    if bool(mixed.any()):
        raise ValidationFailed(
            "royalties.shares_mixed", work_id=int(work[starts[np.argmax(mixed)]])
        )
    above_one = registered & (owners.share_num > owners.share_den)
    if bool(above_one.any()):
        at = int(np.argmax(above_one))
        share = f"{int(owners.share_num[at])}/{int(owners.share_den[at])}"
        raise ValidationFailed("royalties.share_invalid", work_id=int(work[at]), share=share)
    den = np.where(registered, owners.share_den, counts[group])
    num = np.where(registered, owners.share_num, 1)
    common = np.gcd(num, den)
    num, den = num // common, den // common
    lcd = _lcd(den, starts, counts)
    weights = num * (lcd[group] // den)
    if n and int(counts.max()) * int(lcd.max()) > LIMIT:
        raise ValidationFailed(
            "royalties.too_large", field="owners.share_den", value=int(lcd.max())
        )
    sums = np.add.reduceat(weights, starts) if n else lcd
    wrong = sums != lcd
    if bool(wrong.any()):
        at = int(np.argmax(wrong))
        raise ValidationFailed(
            "royalties.shares_sum",
            work_id=int(work[starts[at]]),
            total=str(Fraction(int(sums[at]), int(lcd[at]))),
        )
    return ShareWeights(group=group, starts=starts, weights=weights, share_num=num, share_den=den)


def _lcd(den: I64, starts: I64, counts: I64) -> I64:
    """Each work's least common denominator, in int64 when it provably fits, else in Python ints."""
    if not den.size:
        return np.zeros(0, np.int64)
    if int(den.max()) ** int(counts.max()) <= LIMIT:
        return np.lcm.reduceat(den, starts)
    out = []
    for start, count in zip(starts.tolist(), counts.tolist(), strict=True):
        value = math.lcm(*den[start : start + count].tolist())
        if value > LIMIT:
            raise ValidationFailed("royalties.too_large", field="owners.share_den", value=value)
        out.append(value)
    return np.array(out, dtype=np.int64)
