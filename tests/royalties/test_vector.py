"""The numpy split gives the scalar split's answer to the unit, overflow guards included."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from trainclear.errors import ValidationFailed
from trainclear.royalties.money import allocate
from trainclear.royalties.vector import LIMIT, allocate_groups, as_i64, exact_sum, group_sums


def scalar(totals: list[int], groups: list[int], weights: list[int], keys: list[int]) -> list[int]:
    parts = [0] * len(weights)
    for g, total in enumerate(totals):
        rows = [i for i, x in enumerate(groups) if x == g]
        if not rows:
            continue
        split = allocate(total, [weights[i] for i in rows], [keys[i] for i in rows])
        for i, part in zip(rows, split, strict=True):
            parts[i] = part
    return parts


@st.composite
def grouped(
    draw: st.DrawFn, big: bool = False, top_w: int = 1000, top_t: int = 10**9
) -> tuple[list[int], list[int], list[int], list[int]]:
    groups_n = draw(st.integers(1, 6))
    rows = draw(st.lists(st.integers(0, groups_n - 1), min_size=groups_n, max_size=40))
    rows = sorted(set(range(groups_n))) + rows  # every group has a row
    top_w = 2**62 // len(rows) if big else top_w
    weights = draw(st.lists(st.integers(1, top_w), min_size=len(rows), max_size=len(rows)))
    keys = draw(st.permutations(range(-1, len(rows) - 1)))
    top_t = LIMIT if big else top_t
    totals = draw(st.lists(st.integers(0, top_t), min_size=groups_n, max_size=groups_n))
    return totals, rows, weights, list(keys)


def run(totals: list[int], rows: list[int], weights: list[int], keys: list[int]) -> list[int]:
    arrays = (np.array(x, dtype=np.int64) for x in (totals, rows, weights, keys))
    result: list[int] = allocate_groups(*arrays).tolist()
    return result


@given(grouped())
def test_vector_equals_scalar_small(case: tuple[list[int], ...]) -> None:
    totals, rows, weights, keys = case
    assert run(totals, rows, weights, keys) == scalar(totals, rows, weights, keys)


@given(grouped(top_w=2**20, top_t=10**15))
def test_vector_equals_scalar_on_the_int64_path(case: tuple[list[int], ...]) -> None:
    totals, rows, weights, keys = case
    assert run(totals, rows, weights, keys) == scalar(totals, rows, weights, keys)


@given(grouped(big=True))
def test_vector_equals_scalar_near_int64_limits(case: tuple[list[int], ...]) -> None:
    totals, rows, weights, keys = case
    parts = run(totals, rows, weights, keys)
    assert parts == scalar(totals, rows, weights, keys)
    for g, total in enumerate(totals):
        assert sum(p for p, r in zip(parts, rows, strict=True) if r == g) == total


def test_guard_takes_the_exact_path_when_products_would_overflow() -> None:
    totals = [LIMIT]
    weights = [2**40, 2**40 + 1, 3]
    parts = run(totals, [0, 0, 0], weights, [1, 2, 3])
    assert parts == allocate(LIMIT, weights, [1, 2, 3])
    assert sum(parts) == LIMIT


def test_one_pool_over_a_million_rows_conserves() -> None:
    rng = np.random.default_rng(5)
    weights = rng.integers(0, 10**6, size=1_000_000, dtype=np.int64)
    keys = np.arange(weights.size, dtype=np.int64)
    parts = allocate_groups(
        np.array([987_654_321_987], np.int64), np.zeros(weights.size, np.int64), weights, keys
    )
    assert exact_sum(parts) == 987_654_321_987
    assert int(parts.min()) >= 0


def test_refusals() -> None:
    one = np.array([1], np.int64)
    with pytest.raises(ValidationFailed) as caught:
        allocate_groups(np.array([5], np.int64), np.zeros(1, np.int64), np.zeros(1, np.int64), one)
    assert caught.value.key == "royalties.nothing_to_allocate"
    with pytest.raises(ValidationFailed) as caught:
        allocate_groups(one, np.zeros(2, np.int64), np.ones(2, np.int64), np.ones(2, np.int64))
    assert caught.value.key == "royalties.duplicate_key"
    with pytest.raises(ValidationFailed) as caught:
        allocate_groups(-one, np.zeros(1, np.int64), one, one)
    assert caught.value.key == "royalties.negative"
    with pytest.raises(TypeError):
        as_i64(np.array([0.5]))


def test_exact_sum_and_group_sums_never_wrap() -> None:
    big = np.array([LIMIT, LIMIT, LIMIT], np.int64)
    assert exact_sum(big) == 3 * LIMIT
    with pytest.raises(ValidationFailed) as caught:
        group_sums(big, np.zeros(3, np.int64), 1)
    assert caught.value.key == "royalties.too_large"
