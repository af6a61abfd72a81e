"""The order in which a record's index hits reach chaining: by (work, record position),
and hits of one key and work in index order (work position), whatever the sort does
with ties. Grouping is linear (a hash table of works), so it is checked against a
stable sort on arrays with many works, colliding hash slots and long runs."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from trainclear.fingerprint import kernels as _kernels
from trainclear.fingerprint.textindex import DEFAULT, TextIndex, sample_text

KERNELS: Any = _kernels  # compiled by numba


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=2**40), max_size=300))
def test_grouping_is_a_stable_sort_by_work(works: list[int]) -> None:
    work = np.array(works, np.int64)
    expected = np.argsort(work, kind="stable")
    assert KERNELS._group_by_work(work).tolist() == expected.tolist()


def test_grouping_many_works_and_colliding_slots() -> None:
    rng = np.random.default_rng(7)
    # multiples of the table size collide in the hash table's slots
    work = rng.choice(np.arange(0, 4096 * 64, 4096), size=5000).astype(np.int64)
    expected = np.argsort(work, kind="stable")
    assert np.array_equal(KERNELS._group_by_work(work), expected)


def test_hits_of_a_repeated_passage_come_in_work_order() -> None:
    """A work that holds a passage twice gives two hits per sampled key of it, with one
    record position: they reach chaining in work-position order, every time."""
    passage = "the quick brown fox jumps over the lazy dog while the cat sleeps " * 8
    work_text = passage + " an interlude that is not repeated anywhere else " + passage
    index = TextIndex.build([(5, work_text), (2, passage)], params=DEFAULT)
    sample = sample_text("some page text then " + passage, DEFAULT)
    skeys, sworks, spos, sdf, sdir = index._arrays()
    order, work, rec, wpos, *_ = KERNELS.gather_hits(
        skeys, sworks, spos, sdf, sdir, index.shard_bits,
        sample.keys, sample.fpos, sample.ostart, sample.oend, DEFAULT.max_df,
    )  # fmt: skip
    rows = list(zip(work[order].tolist(), rec[order].tolist(), wpos[order].tolist(), strict=True))
    assert rows == sorted(rows)
    ties = [r for r in rows if r[0] == 5]
    assert len({(w, r) for w, r, _ in ties}) < len(ties)  # the passage's keys tie in work 5
