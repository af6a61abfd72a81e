"""What the remuneration services share: periods in the store, id chunks, who may see what.

The reading rule of issue 5, everywhere: the copyright administration reads everything; a
developer reads its own usage reports and invoices; a CMO reads what concerns its
repertoire (its invoices, runs, reserve, and the statements of its runs); a rights holder
reads only its own statements. Anything else is refused with 403 naming the record.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date

from trainclear.domain import Actor, PartyKind
from trainclear.errors import Forbidden
from trainclear.royalties import Period

CHUNK = 10_000
"""Ids per ``IN (...)`` list: below SQLite's and PostgreSQL's parameter limits."""


def period_of(start: date, end: date) -> Period:
    return Period(start=start, end=end)


def chunks(ids: Iterable[int], size: int = CHUNK) -> Iterator[Sequence[int]]:
    """``ids`` (sorted, distinct) in lists of at most ``size``."""
    items = sorted(set(ids))
    for at in range(0, len(items), size):
        yield items[at : at + size]


def is_admin(actor: Actor) -> bool:
    return actor.kind == PartyKind.ADMINISTRATION


def allow(viewer: Actor, *party_ids: int | None, kind: str, ident: object) -> None:
    """Let the administration and the parties ``party_ids`` through; refuse anyone else."""
    if not (is_admin(viewer) or viewer.party_id in party_ids):
        raise Forbidden("remuneration.not_yours", kind=kind, id=ident)
