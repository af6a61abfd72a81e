"""The reserve (待分配保留款): shares of holders nobody has identified, kept for a claim period.

A distribution run puts the share of each unidentified owner into a reserve entry for
its work, claimable until ``expires_on`` (the period's last day plus the claim period,
3 years by default). A holder who comes forward and proves title before then claims the
entry whole (:func:`claim`). After it, :func:`release_expired` takes the expired entries
out, and their sum enters a later run as ``released_reserve``, redistributed by the CMO's
policy (:class:`ReservePolicy`) with the same exact splits as everything else.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from trainclear.errors import Conflict, ValidationFailed
from trainclear.royalties.money import check_amount
from trainclear.royalties.periods import Period, add_years

DEFAULT_CLAIM_YEARS = 3


class ReservePolicy(StrEnum):
    """What a run does with the expired reserve it is given."""

    USE_POOL = "use_pool"
    """Add it to the run's use pool: it goes to works by measured use, then to their owners."""
    IDENTIFIED_HOLDERS = "identified_holders"
    """Split it among the run's identified holders in proportion to their shares of the run."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ReserveEntry:
    """An unidentified owner's share of one work for one period, held until ``expires_on``."""

    cmo_id: int
    period: Period
    work_id: int
    amount: int
    currency: str
    expires_on: date

    def claimable(self, on: date) -> bool:
        """Whether a claim made on ``on`` is in time (the expiry day itself included)."""
        return on <= self.expires_on


@dataclass(frozen=True, slots=True, kw_only=True)
class ReserveClaim:
    """A reserve entry paid to the holder who proved title to it."""

    entry: ReserveEntry
    holder_id: int
    claimed_on: date


@dataclass(frozen=True, slots=True, kw_only=True)
class ReserveRelease:
    """Expired entries taken out of the reserve, the entries kept, and the released sum."""

    released: tuple[ReserveEntry, ...]
    kept: tuple[ReserveEntry, ...]
    amount: int


def expiry(period: Period, years: int = DEFAULT_CLAIM_YEARS) -> date:
    """The last day a reserve entry of ``period`` may be claimed."""
    if years < 0:
        raise ValidationFailed("royalties.negative", field="reserve_claim_years", value=years)
    return add_years(period.end, years)


def claim(entry: ReserveEntry, *, holder_id: int, on: date) -> ReserveClaim:
    """Pay ``entry`` to ``holder_id`` (title proven by the caller); refused once it has expired."""
    check_amount(holder_id, "holder_id")
    if not entry.claimable(on):
        raise Conflict(
            "royalties.reserve_expired", work_id=entry.work_id, expires_on=entry.expires_on
        )
    return ReserveClaim(entry=entry, holder_id=holder_id, claimed_on=on)


def release_expired(entries: Iterable[ReserveEntry], *, on: date) -> ReserveRelease:
    """Split ``entries`` (one CMO, one currency) into those expired before ``on`` and the rest."""
    items = sorted(entries, key=lambda e: (e.period, e.work_id))
    if len({(e.cmo_id, e.currency) for e in items}) > 1:
        raise ValidationFailed("royalties.reserve_mixed")
    released = tuple(e for e in items if not e.claimable(on))
    kept = tuple(e for e in items if e.claimable(on))
    return ReserveRelease(released=released, kept=kept, amount=sum(e.amount for e in released))
