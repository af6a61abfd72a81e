"""Properties of a distribution run over random inputs.

Conservation to the minor unit, no negative amounts, invariance to the order of input
rows, idempotence (byte-identical results), and agreement to the unit with a reference
written in plain Python with the scalar :func:`allocate` (so the numpy path equals the
scalar one on whole runs, not only on single splits).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trainclear.errors import ValidationFailed
from trainclear.royalties import (
    Balances,
    Collections,
    DistributionInput,
    FeeSchedule,
    Owner,
    Period,
    ReservePolicy,
    allocate_map,
    management_fee,
    owners_of,
    run_distribution,
    scores_of,
)

Q1 = Period.parse("2025-01-01/2025-03-31")
FEES = FeeSchedule.of([{"up_to": 50_000, "rate": "0.15"}, {"up_to": None, "rate": "0.0725"}])


@dataclass(frozen=True)
class Case:
    collections: list[tuple[int, int, int]]
    owners: list[Owner]
    scores: list[tuple[int, Fraction]]
    attribution: int
    carried: list[tuple[int, int]]
    threshold: int
    released: int
    policy: ReservePolicy

    def build(self, seed: int | None = None) -> DistributionInput:
        rng = random.Random(seed)

        def shuffled(rows: list[Any]) -> list[Any]:
            rows = list(rows)
            if seed is not None:
                rng.shuffle(rows)
            return rows

        return DistributionInput(
            cmo_id=1,
            period=Q1,
            currency="CNY",
            fee_schedule=FEES,
            collections=Collections.of(shuffled(self.collections)),
            owners=owners_of(shuffled(self.owners)),
            scores=scores_of(shuffled(self.scores)) if self.scores else None,
            attribution_amount=self.attribution,
            carried_in=Balances.of(shuffled(self.carried)),
            minimum_payout=self.threshold,
            released_reserve=self.released,
            reserve_policy=self.policy,
        )


@st.composite
def cases(draw: st.DrawFn) -> Case:
    works = draw(st.integers(1, 10))
    collections = [
        (work, invoice, draw(st.integers(1 if work == 0 else 0, 10**7)))
        for work in range(works)
        for invoice in draw(st.sets(st.integers(1, 3), min_size=1, max_size=2))
    ]
    owners: list[Owner] = []
    for work in range(works):
        holders = draw(st.lists(st.one_of(st.none(), st.integers(1, 8)), max_size=3))
        holders = [None] * holders.count(None) + sorted({h for h in holders if h is not None})
        if holders and draw(st.booleans()):
            raw = draw(st.lists(st.integers(1, 7), min_size=len(holders), max_size=len(holders)))
            shares = [Fraction(r, sum(raw)) for r in raw]
            owners += [
                Owner(work_id=work, holder_id=h, share=s)
                for h, s in zip(holders, shares, strict=True)
            ]
        else:
            owners += [Owner(work_id=work, holder_id=h) for h in holders]
    collected = sum(a for _, _, a in collections)
    net = collected - management_fee(FEES, collected)
    scored = draw(st.lists(st.integers(0, works + 2), unique=True, max_size=works))
    scores = [(w, Fraction(draw(st.integers(1, 1000)), draw(st.integers(1, 9)))) for w in scored]
    attribution = draw(st.integers(0, net)) if scores else 0
    carried = [
        (h, draw(st.integers(0, 5000))) for h in draw(st.sets(st.integers(1, 10), max_size=4))
    ]
    return Case(
        collections=collections,
        owners=owners,
        scores=scores,
        attribution=attribution,
        carried=carried,
        threshold=draw(st.integers(0, 10**6)),
        released=draw(st.integers(0, 10**5)),
        policy=draw(st.sampled_from(list(ReservePolicy))),
    )


def reference(case: Case) -> dict[str, Any]:
    """The whole run in plain Python with the scalar split."""
    collected = sum(a for _, _, a in case.collections)
    fee = management_fee(FEES, collected)
    to_pool = case.released if case.policy is ReservePolicy.USE_POOL else 0
    weights: dict[int, int] = {}
    for work, _, amount in case.collections:
        weights[work] = weights.get(work, 0) + amount
    scores = dict(case.scores)
    works = sorted(set(weights) | set(scores))
    use = allocate_map(
        collected - fee - case.attribution + to_pool, {w: weights.get(w, 0) for w in works}
    )
    attr = allocate_map(case.attribution, {w: scores.get(w, 0) for w in works}) if scores else {}
    shares: dict[tuple[int, int], int] = {}
    for w in works:
        listed = [o for o in case.owners if o.work_id == w] or [Owner(work_id=w, holder_id=None)]
        split: dict[int, Fraction] = {}
        for o in listed:
            key = -1 if o.holder_id is None else o.holder_id
            split[key] = split.get(key, Fraction(0)) + (o.share or Fraction(1, len(listed)))
        for key, amount in allocate_map(use[w] + attr.get(w, 0), split).items():
            shares[(w, key)] = amount
    sums: dict[int, int] = dict.fromkeys((h for h, _ in case.carried), 0)
    for (_, h), amount in shares.items():
        if h != -1:
            sums[h] = sums.get(h, 0) + amount
    released = case.released - to_pool
    if released and not any(sums.values()):
        raise ValidationFailed("royalties.no_identified_holders", amount=released)
    pro_rata = allocate_map(released, sums) if sums else {}
    balance = {h: sums[h] + pro_rata.get(h, 0) + dict(case.carried).get(h, 0) for h in sums}
    paid = {h: b if b >= case.threshold and b > 0 else 0 for h, b in balance.items()}
    return {"fee": fee, "shares": shares, "paid": paid, "balance": balance}


def _reference_or_refusal(case: Case) -> tuple[str, dict[str, Any]]:
    try:
        return "", reference(case)
    except ValidationFailed as error:
        return error.key, {}


@given(cases(), st.integers(0, 2**32))
def test_run_properties(case: Case, seed: int) -> None:
    refused, expected = _reference_or_refusal(case)
    if refused:
        with pytest.raises(ValidationFailed) as caught:
            run_distribution(case.build())
        assert caught.value.key == refused
        return
    inp = case.build()
    result = run_distribution(inp)
    s = result.summary
    # agreement with the scalar reference, to the unit
    assert s.fee == expected["fee"]
    assert {(w, h): a for w, h, _, _, a in result.shares.rows()} == expected["shares"]
    assert {h: p for h, *_, p, _ in result.holders.rows()} == expected["paid"]
    assert {h: b for h, _, _, _, b, _, _ in result.holders.rows()} == expected["balance"]
    # conservation, table by table
    assert (
        s.collected + s.carried_in + s.released_reserve
        == s.fee + s.paid_out + s.carried_out + s.reserved
    )
    assert sum(t for *_, t, _ in result.works.rows()) == s.use_pool + s.attribution_pool
    assert sum(a for *_, a in result.shares.rows()) == s.use_pool + s.attribution_pool
    for _, carried_in, shares, released, balance, payout, carried_out in result.holders.rows():
        assert balance == carried_in + shares + released == payout + carried_out
        assert payout == 0 or balance >= inp.minimum_payout
    # no negative amounts anywhere
    for table in (result.works, result.shares, result.holders, result.reserve):
        for name in table.columns():
            if name != "holder_id":
                assert int(getattr(table, name).min(initial=0)) >= 0
    # order of input rows does not matter; running again changes nothing
    shuffled = run_distribution(case.build(seed))
    assert shuffled.summary.input_hash == s.input_hash
    assert shuffled.digest == result.digest
    assert run_distribution(inp).to_json() == result.to_json()
