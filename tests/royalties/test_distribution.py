"""Distribution runs: pools, co-owners, reserve, threshold, release policies, once per period."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Any

import numpy as np
import pytest

from trainclear.errors import Conflict, NotFound, ValidationFailed
from trainclear.royalties import (
    Balances,
    Collections,
    DistributionInput,
    FeeSchedule,
    Owner,
    Owners,
    Period,
    PriorRun,
    ReservePolicy,
    check_period,
    claim,
    cmo_report,
    holder_statement,
    holder_statements,
    owners_of,
    release_expired,
    run_distribution,
    scores_of,
)

Q1 = Period.parse("2025-01-01/2025-03-31")


def make(**changes: Any) -> DistributionInput:
    base: dict[str, Any] = {
        "cmo_id": 1,
        "period": Q1,
        "currency": "CNY",
        "collections": Collections.of([(10, 1, 600), (11, 1, 300), (12, 2, 100)]),
        "owners": owners_of(
            [
                Owner(work_id=10, holder_id=1, share="1/2"),
                Owner(work_id=10, holder_id=2, share="1/2"),
                Owner(work_id=11, holder_id=3),
                Owner(work_id=11, holder_id=None),
                Owner(work_id=11, holder_id=4),
            ]
        ),
        "fee_schedule": FeeSchedule.flat("0.1"),
    }
    base.update(changes)
    return DistributionInput(**base)


def accounts(inp: DistributionInput) -> dict[int, tuple[int, ...]]:
    return {row[0]: row[1:] for row in run_distribution(inp).holders.rows()}


def test_equal_shares_unidentified_owner_and_orphan_work_go_to_reserve() -> None:
    result = run_distribution(make())
    s = result.summary
    assert (s.collected, s.fee, s.net, s.use_pool) == (1000, 100, 900, 900)
    assert [(w, t) for w, _, _, _, _, t, _ in result.works.rows()] == [
        (10, 540),
        (11, 270),
        (12, 90),
    ]
    # work 11: three owners, none registered -> 90 each, one of them unidentified
    assert [(w, h, a) for w, h, _, _, a in result.shares.rows()] == [
        (10, 1, 270),
        (10, 2, 270),
        (11, -1, 90),
        (11, 3, 90),
        (11, 4, 90),
        (12, -1, 90),
    ]
    assert list(result.reserve.rows()) == [(11, 90), (12, 90)]
    entries = result.reserve_entries()
    assert {e.expires_on for e in entries} == {date(2028, 3, 31)}
    assert s.paid_out + s.reserved + s.fee == 1000


def test_threshold_carries_forward_and_carried_balances_are_paid_once_over_it() -> None:
    held = accounts(make(minimum_payout=100))
    # (carried_in, shares, released, balance, payout, carried_out)
    assert held[3] == (0, 90, 0, 90, 0, 90)
    assert held[1] == (0, 270, 0, 270, 270, 0)
    held = accounts(make(minimum_payout=100, carried_in=Balances.of([(3, 10), (77, 5)])))
    assert held[3] == (10, 90, 0, 100, 100, 0)
    assert held[77] == (5, 0, 0, 5, 0, 5)  # a holder with no share this period keeps its balance


def test_attribution_pool_is_split_by_score() -> None:
    inp = make(attribution_amount=90, scores=scores_of([(10, "1/3"), (12, "2/3")]))
    works = {w: (u, a) for w, _, u, _, a, _, _ in run_distribution(inp).works.rows()}
    assert works == {10: (486, 30), 11: (243, 0), 12: (81, 60)}
    with pytest.raises(ValidationFailed) as caught:
        run_distribution(make(attribution_amount=901, scores=scores_of([(10, 1)])))
    assert caught.value.key == "royalties.attribution_exceeds"
    with pytest.raises(ValidationFailed) as caught:
        make(attribution_amount=5)
    assert caught.value.key == "royalties.attribution_without_scores"


def test_explicit_use_weights_replace_collections() -> None:
    from trainclear.royalties import Uses

    inp = make(uses=Uses.of([(10, 1), (11, 1), (12, 1)]))
    assert [t for *_, t, _ in run_distribution(inp).works.rows()] == [300, 300, 300]


def test_released_reserve_by_policy() -> None:
    pooled = run_distribution(make(released_reserve=100))
    assert pooled.summary.use_pool == 1000
    to_holders = run_distribution(
        make(released_reserve=100, reserve_policy=ReservePolicy.IDENTIFIED_HOLDERS)
    )
    released = {h: r for h, _, _, r, _, _, _ in to_holders.holders.rows()}
    # pro rata to shares 270, 270, 90, 90: 37.5, 37.5, 12.5, 12.5; the two units left go
    # to the equal remainders of the smallest holder ids
    assert released == {1: 38, 2: 38, 3: 12, 4: 12}
    assert sum(released.values()) == 100


def test_release_and_claim() -> None:
    result = run_distribution(make())
    entries = result.reserve_entries()
    paid = claim(entries[0], holder_id=5, on=date(2028, 3, 31))
    assert paid.entry.amount == 90
    with pytest.raises(Conflict):
        claim(entries[0], holder_id=5, on=date(2028, 4, 1))
    assert release_expired(entries, on=date(2028, 3, 31)).amount == 0
    release = release_expired(entries, on=date(2028, 4, 1))
    assert (release.amount, len(release.released), release.kept) == (180, 2, ())
    with pytest.raises(ValidationFailed):
        release_expired([*entries, replace(entries[0], currency="EUR")], on=date(2028, 4, 1))


@pytest.mark.parametrize(
    ("owners", "key"),
    [
        (
            [
                Owner(work_id=10, holder_id=1, share="1/2"),
                Owner(work_id=10, holder_id=2, share="1/3"),
            ],
            "royalties.shares_sum",
        ),
        (
            [Owner(work_id=10, holder_id=1, share="1/2"), Owner(work_id=10, holder_id=2)],
            "royalties.shares_mixed",
        ),
        (
            [
                Owner(work_id=10, holder_id=1, share="1/2"),
                Owner(work_id=10, holder_id=1, share="1/2"),
            ],
            "royalties.duplicate_row",
        ),
    ],
)
def test_owner_errors(owners: list[Owner], key: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        run_distribution(make(owners=owners_of(owners)))
    assert caught.value.key == key


def test_column_owner_errors() -> None:
    ids = np.array([10, 10], np.int64)
    above_one = Owners(
        work_id=ids,
        holder_id=np.array([1, 2]),
        share_num=np.array([3, 0]),
        share_den=np.array([2, 1]),
    )
    with pytest.raises(ValidationFailed) as caught:
        run_distribution(make(owners=above_one))
    assert caught.value.key == "royalties.share_invalid"
    with pytest.raises(ValidationFailed) as caught:
        make(collections=Collections.of([(10, 1, -5)]))
    assert caught.value.params["field"] == "collections[0].amount"


def test_a_period_is_never_distributed_twice() -> None:
    inp = make()
    run = PriorRun(cmo_id=1, period=Q1, input_hash=inp.input_hash())
    assert check_period([], cmo_id=1, period=Q1, input_hash=inp.input_hash()) is None
    assert check_period([run], cmo_id=1, period=Q1, input_hash=inp.input_hash()) == run
    other = make(minimum_payout=5).input_hash()
    with pytest.raises(Conflict) as caught:
        check_period([run], cmo_id=1, period=Q1, input_hash=other)
    assert caught.value.key == "royalties.period_distributed"
    march = Period.parse("2025-03-01/2025-04-30")
    with pytest.raises(Conflict):
        check_period([run], cmo_id=1, period=march, input_hash=other)
    assert check_period([run], cmo_id=2, period=Q1, input_hash=other) is None


def test_statements_and_cmo_report() -> None:
    inp = make(minimum_payout=100)
    result = run_distribution(inp)
    statement = holder_statement(result, inp, 3)
    assert [
        (r.work_id, r.invoices, r.collected, r.work_total, str(r.share), r.amount)
        for r in statement.rows
    ] == [(11, (1,), 300, 270, "1/3", 90)]
    assert (statement.payout, statement.carried_out) == (0, 90)
    data = json.loads(statement.to_json())
    assert data["works"][0]["share"] == "1/3"
    assert data["account"]["carried_out"] == 90
    assert statement.to_csv().splitlines()[1] == "work,11,,1,300,270,0,270,1/3,90"
    every = list(holder_statements(result, inp))
    assert [s.holder_id for s in every] == [1, 2, 3, 4]
    assert every[2] == statement
    with pytest.raises(NotFound):
        holder_statement(result, inp, 99)
    report = cmo_report(result, inp)
    assert report.figure("undistributed") == report.figure("carried_out") + report.figure(
        "reserved"
    )
    assert report.figure("invoices") == 2
    assert "管理费" in report.to_csv()
    assert json.loads(report.to_json())["figures"]["fee"] == 100
    assert json.loads(result.to_json())["summary"]["input_hash"] == inp.input_hash()
