"""Names a statement page shows beside numbers: work titles and party names.

Statements (:mod:`trainclear.services.statements`) carry ids only; these look the names
up for one page's worth of ids (titles and party names are public on the board).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from trainclear.services.platform import Platform
from trainclear.services.remuneration import chunks
from trainclear.store.models import Party, Work


def work_titles(p: Platform, *, work_ids: Iterable[int]) -> dict[int, str]:
    """The titles of ``work_ids`` (missing ids are left out)."""
    found: dict[int, str] = {}
    with p.db.transaction() as s:
        for ids in chunks(work_ids):
            found.update(dict(s.execute(select(Work.id, Work.title).where(Work.id.in_(ids))).all()))
    return found


def party_names(p: Platform, *, party_ids: Iterable[int]) -> dict[int, str]:
    """The public names of ``party_ids`` (missing ids are left out)."""
    found: dict[int, str] = {}
    with p.db.transaction() as s:
        for ids in chunks(party_ids):
            found.update(
                dict(s.execute(select(Party.id, Party.name).where(Party.id.in_(ids))).all())
            )
    return found
