"""The distribution run: collections → fee → two pools → works → owners → payouts, exactly.

1. **Fee.** ``fee = management_fee(collected)``; ``net = collected − fee``.
2. **Pools.** The attribution pool is the amount the input names (at most ``net``); the
   use pool is the rest of ``net``, plus expired reserve under :attr:`ReservePolicy.USE_POOL`.
3. **Works.** The use pool is split over works by measured use and the attribution pool
   by score (one largest-remainder split each, ties to the lower work id).
4. **Owners.** Each work's total is split over its owners by registered shares (equal when
   none are registered); an unidentified owner's part, and a work with no owner listed,
   go to the reserve (ties to the lower holder id, the reserve's id being −1).
5. **Holders.** Each identified holder's shares are summed, expired reserve under
   :attr:`ReservePolicy.IDENTIFIED_HOLDERS` is split pro rata to those sums, and the
   balance carried in is added. A balance at or above the minimum payout is paid; a
   lower one is carried forward whole.

Every split is :func:`~trainclear.royalties.vector.allocate_groups`, so each sums exactly to
its whole, and the engine checks that the run conserves every minor unit.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from trainclear.errors import ValidationFailed
from trainclear.royalties.distribution import (
    DistributionInput,
    DistributionResult,
    HolderAccounts,
    ReserveRows,
    RunSummary,
    ShareRows,
    WorkAllocations,
    reserve_expiry,
)
from trainclear.royalties.fees import management_fee
from trainclear.royalties.owners import share_weights
from trainclear.royalties.reserve import ReservePolicy
from trainclear.royalties.tables import UNIDENTIFIED, Balances, Collections, Owners, Uses
from trainclear.royalties.vector import (
    I64,
    LIMIT,
    allocate_groups,
    exact_sum,
    members,
    sorted_unique,
    sums_within,
)


def run_distribution(inp: DistributionInput) -> DistributionResult:
    """Distribute one CMO's collections for one period (pure; the caller stores the result)."""
    collected = exact_sum(inp.collections.amount)
    carried_in = exact_sum(inp.carried_in.amount)
    if collected + carried_in + inp.released_reserve > LIMIT:
        raise ValidationFailed("royalties.too_large", field="collected", value=collected)
    fee = management_fee(inp.fee_schedule, collected)
    net = collected - fee
    if inp.attribution_amount > net:
        raise ValidationFailed(
            "royalties.attribution_exceeds", amount=inp.attribution_amount, net=net
        )
    to_use_pool = inp.reserve_policy is ReservePolicy.USE_POOL
    use_pool = net - inp.attribution_amount + (inp.released_reserve if to_use_pool else 0)
    works = _allocate_works(inp, use_pool)
    shares = _split_among_owners(works, inp.owners)
    released = 0 if to_use_pool else inp.released_reserve
    holders = _holder_accounts(shares, inp.carried_in, released, inp.minimum_payout)
    unknown = shares.holder_id == UNIDENTIFIED
    reserve = ReserveRows(work_id=shares.work_id[unknown], amount=shares.amount[unknown])
    reserved_per_work = np.zeros(len(works), np.int64)
    reserved_per_work[np.searchsorted(works.work_id, reserve.work_id)] = reserve.amount
    works = replace(works, reserved=reserved_per_work)
    summary = RunSummary(
        cmo_id=inp.cmo_id,
        period=inp.period,
        currency=inp.currency,
        input_hash=inp.input_hash(),
        collected=collected,
        fee=fee,
        net=net,
        attribution_pool=inp.attribution_amount,
        use_pool=use_pool,
        released_reserve=inp.released_reserve,
        reserve_policy=inp.reserve_policy,
        carried_in=carried_in,
        to_holders=exact_sum(holders.shares) + exact_sum(holders.released),
        paid_out=exact_sum(holders.payout),
        carried_out=exact_sum(holders.carried_out),
        reserved=exact_sum(reserve.amount),
        reserve_expires_on=reserve_expiry(inp),
        works=len(works),
        holders=len(holders),
        payees=int(np.count_nonzero(holders.payout)),
    )
    _check_conservation(summary)
    return DistributionResult(
        summary=summary, works=works, shares=shares, holders=holders, reserve=reserve
    )


def _allocate_works(inp: DistributionInput, use_pool: int) -> WorkAllocations:
    uses = inp.uses if inp.uses is not None else _uses_from(inp.collections)
    scores = inp.scores
    ids = (
        uses.work_id
        if scores is None
        else sorted_unique(np.concatenate((uses.work_id, scores.work_id)))
    )
    use_weight = np.zeros(ids.size, np.int64)
    use_weight[np.searchsorted(ids, uses.work_id)] = uses.weight
    score = np.zeros(ids.size, np.int64)
    if scores is not None:
        score[np.searchsorted(ids, scores.work_id)] = scores.score
    one = np.zeros(ids.size, np.int64)
    use_amount = _split(use_pool, one, use_weight, ids, "uses.weight")
    attribution = _split(inp.attribution_amount, one, score, ids, "scores.score")
    return WorkAllocations(
        work_id=ids,
        use_weight=use_weight,
        use_amount=use_amount,
        score=score,
        attribution_amount=attribution,
        total=use_amount + attribution,
        reserved=np.zeros(ids.size, np.int64),
    )


def _split(total: int, group: I64, weights: I64, keys: I64, field: str) -> I64:
    totals = np.array([total], dtype=np.int64)
    return allocate_groups(totals, group, weights, keys, field=field, check_keys=False)


def _uses_from(collections: Collections) -> Uses:
    """Each work's collected amount as its measured-use weight."""
    work = collections.work_id  # sorted: the table's key is (work_id, invoice_id)
    if not work.size:
        return Uses(work_id=work, weight=work)
    first = np.flatnonzero(np.concatenate(([True], work[1:] != work[:-1])))
    return Uses(work_id=work[first], weight=np.add.reduceat(collections.amount, first))


def _split_among_owners(works: WorkAllocations, owners: Owners) -> ShareRows:
    listed = members(owners.work_id, works.work_id)
    orphans = works.work_id[~members(works.work_id, sorted_unique(owners.work_id[listed]))]
    none = np.zeros(orphans.size, np.int64)
    table = Owners(
        work_id=np.concatenate((owners.work_id[listed], orphans)),
        holder_id=np.concatenate((owners.holder_id[listed], none + UNIDENTIFIED)),
        share_num=np.concatenate((owners.share_num[listed], none)),
        share_den=np.concatenate((owners.share_den[listed], none)),
    )
    weights = share_weights(table)
    work_totals = works.total[np.searchsorted(works.work_id, table.work_id[weights.starts])]
    amount = allocate_groups(
        work_totals,
        weights.group,
        weights.weights,
        table.holder_id,
        field="owners.share",
        check_keys=False,
    )
    return ShareRows(
        work_id=table.work_id,
        holder_id=table.holder_id,
        share_num=weights.share_num,
        share_den=weights.share_den,
        amount=amount,
    )


def _holder_accounts(
    shares: ShareRows, carried: Balances, released: int, threshold: int
) -> HolderAccounts:
    known = shares.holder_id != UNIDENTIFIED
    ids = sorted_unique(np.concatenate((shares.holder_id[known], carried.holder_id)))
    share_sums = sums_within(
        shares.amount[known], np.searchsorted(ids, shares.holder_id[known]), ids.size
    )
    carried_in = np.zeros(ids.size, np.int64)
    carried_in[np.searchsorted(ids, carried.holder_id)] = carried.amount
    if released and not bool(share_sums.any()):
        raise ValidationFailed("royalties.no_identified_holders", amount=released)
    pro_rata = _split(released, np.zeros(ids.size, np.int64), share_sums, ids, "holders.shares")
    balance = carried_in + share_sums + pro_rata
    payout = np.where((balance >= threshold) & (balance > 0), balance, 0)
    return HolderAccounts(
        holder_id=ids,
        carried_in=carried_in,
        shares=share_sums,
        released=pro_rata,
        balance=balance,
        payout=payout,
        carried_out=balance - payout,
    )


def _check_conservation(s: RunSummary) -> None:
    """Every minor unit in is accounted for out; a failure is a bug in the engine, not bad input."""
    pro_rata = 0 if s.reserve_policy is ReservePolicy.USE_POOL else s.released_reserve
    identities = {
        "fee": s.collected == s.fee + s.net,
        "pools": s.use_pool + s.attribution_pool + pro_rata == s.to_holders + s.reserved,
        "holders": s.carried_in + s.to_holders == s.paid_out + s.carried_out,
        "run": s.collected + s.carried_in + s.released_reserve
        == s.fee + s.paid_out + s.carried_out + s.reserved,
    }
    broken = [name for name, holds in identities.items() if not holds]
    if broken:
        raise AssertionError(f"distribution does not conserve money: {broken} ({s})")
