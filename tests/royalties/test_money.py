"""Money, exact numbers and the scalar largest-remainder split."""

from __future__ import annotations

import random
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trainclear.errors import ValidationFailed
from trainclear.royalties.money import (
    Money,
    allocate,
    allocate_map,
    check_currency,
    exact,
    round_half_up,
    same_currency,
)


def test_allocate_gives_leftover_units_to_largest_remainders() -> None:
    # 100 × (1/3, 1/3, 1/3): floors 33 each, the one unit left goes to the smallest key
    assert allocate(100, [1, 1, 1], ["b", "a", "c"]) == [33, 34, 33]
    # 10 × (0.55, 0.45): floors 5 and 4, remainders .5 and .5, tie to key 1
    assert allocate(10, [55, 45], [2, 1]) == [5, 5]
    assert allocate(10, [55, 45], [1, 2]) == [6, 4]


def test_allocate_ties_are_broken_by_key_not_position() -> None:
    first = allocate_map(7, {"x": 1, "y": 1, "z": 1})
    second = allocate_map(7, {"z": 1, "y": 1, "x": 1})
    assert first == second == {"x": 3, "y": 2, "z": 2}


def test_allocate_fraction_weights_equal_scaled_integers() -> None:
    weights = [Fraction(2, 3), Fraction(1, 3)]
    assert allocate(17851, weights, [11, 12]) == [11901, 5950]
    assert allocate(17851, [2, 1], [11, 12]) == [11901, 5950]


def test_allocate_zero_weight_gets_nothing() -> None:
    assert allocate(5, [0, 1, 1], [1, 2, 3]) == [0, 3, 2]
    assert allocate(0, [0, 0], [1, 2]) == [0, 0]


@pytest.mark.parametrize(
    ("total", "weights", "keys", "key"),
    [
        (-1, [1], [1], "royalties.negative"),
        (5, [0, 0], [1, 2], "royalties.nothing_to_allocate"),
        (5, [1, 1], [1, 1], "royalties.duplicate_key"),
        (5, [0.5, 0.5], [1, 2], "royalties.not_exact"),
        (5, [1, -1], [1, 2], "royalties.negative"),
    ],
)
def test_allocate_refuses(total: int, weights: list, keys: list, key: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(ValidationFailed) as caught:
        allocate(total, weights, keys)
    assert caught.value.key == key


def test_exact_reads_decimals_and_fractions_and_refuses_floats() -> None:
    assert exact("12.5", "rate") == Fraction(25, 2)
    assert exact(" 2/3 ", "share") == Fraction(2, 3)
    assert exact(Decimal("0.1"), "rate") == Fraction(1, 10)
    assert exact(7, "rate") == 7
    for bad in (0.1, True, "abc", "1/0", "NaN", "-1"):
        with pytest.raises(ValidationFailed) as caught:
            exact(bad, "rate")  # type: ignore[arg-type]
        assert caught.value.params["field"] == "rate"


@pytest.mark.parametrize(
    ("value", "rounded"),
    [(Fraction(5, 2), 3), (Fraction(7, 2), 4), (Fraction(2499, 1000), 2), (Fraction(0), 0)],
)
def test_round_half_up(value: Fraction, rounded: int) -> None:
    assert round_half_up(value) == rounded


def test_money_refuses_mixing_currencies() -> None:
    assert Money(amount=5, currency="CNY") + Money(amount=7, currency="CNY") == Money(
        amount=12, currency="CNY"
    )
    with pytest.raises(ValidationFailed) as caught:
        Money(amount=5, currency="CNY") + Money(amount=7, currency="EUR")
    assert caught.value.key == "royalties.currency_mismatch"
    with pytest.raises(ValidationFailed):
        same_currency([Money(amount=1, currency="CNY"), Money(amount=1, currency="USD")], "x")
    assert same_currency([Money(amount=1, currency="CNY")], "x") == "CNY"


def test_money_negative_only_where_allowed() -> None:
    debt = Money(amount=3, currency="CNY") - Money(amount=5, currency="CNY")
    assert debt.amount == -2
    with pytest.raises(ValidationFailed) as caught:
        debt.non_negative("payout")
    assert caught.value.params["field"] == "payout"


@pytest.mark.parametrize("bad", ["cny", "CN", "RMB1", ""])
def test_currency_codes(bad: str) -> None:
    with pytest.raises(ValidationFailed):
        check_currency(bad)
    with pytest.raises(ValidationFailed):
        Money(amount=1, currency=bad)


weights_st = st.lists(
    st.one_of(st.integers(0, 10**12), st.fractions(min_value=0, max_value=10**6)),
    min_size=1,
    max_size=30,
)


@given(total=st.integers(0, 10**15), weights=weights_st, seed=st.integers(0, 2**32))
def test_allocate_properties(total: int, weights: list[int | Fraction], seed: int) -> None:
    keys = list(range(len(weights)))
    if sum(weights) == 0:
        return
    parts = allocate(total, weights, keys)
    assert sum(parts) == total  # conservation to the minor unit
    assert min(parts) >= 0
    whole = sum(Fraction(w) for w in weights)
    for w, part in zip(weights, parts, strict=True):
        share = total * Fraction(w) / whole
        assert share - 1 < part < share + 1  # each part within a unit of its exact share
    order = list(range(len(weights)))
    random.Random(seed).shuffle(order)
    shuffled = allocate(total, [weights[i] for i in order], [keys[i] for i in order])
    assert {keys[i]: p for i, p in zip(order, shuffled, strict=True)} == dict(
        zip(keys, parts, strict=True)
    )
