"""Benchmark a CMO distribution run at scale (issue 5: 10^6 works, 10^5 holders in < 60 s).

Run ``python -m benchmarks.bench_distribution [--works N] [--holders N] [--seed N]``.

A synthetic repertoire, generated with numpy from a seed: each work has 1–3 co-owners
(60 / 30 / 10 %) drawn from ``--holders`` holders; half of the co-owned works register
shares (1/2+1/2, 2/3+1/3, 3/4+1/4, or 1/2+1/4+1/4), the others split equally; the last
owner of a work is unidentified with probability ``--unidentified``, and ``--orphans`` of
the works list no owner at all (their whole share goes to the reserve). Each work was
collected on one of 2,000 invoices (log-normal amounts, median about 15 yuan); a tenth of
the works carry attribution scores for a pool of 5 % of collections; a fifth of the
holders carry a balance forward; the minimum payout is 10 yuan.

Timed, on one pinned core: building the input tables from columns in shuffled order
(sorting, validation), the run itself, the result digest, statements for 10,000 holders,
and the CMO report. Then checked, outside the timings: conservation recomputed from the
tables, the same input run again gives the same digest, and the rows in another order give
the same digest. Wall-clock and CPU time; the load average is printed beside them.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from benchmarks.matching.machine import Stopwatch, describe, pin_one_core, rss_kib


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    core = pin_one_core() if args.pin else None
    import numpy as np  # after pinning, so its thread pools see one core

    from trainclear.royalties import (
        Balances,
        Collections,
        DistributionInput,
        FeeSchedule,
        Owners,
        Period,
        Scores,
        cmo_report,
        holder_statements,
        run_distribution,
    )
    from trainclear.royalties.vector import exact_sum

    rng = np.random.default_rng(args.seed)
    watch = Stopwatch()
    columns = _repertoire(np, rng, args)
    generated = watch.elapsed()

    def build(order_seed: int) -> Any:
        shuffle = np.random.default_rng(order_seed)

        def mixed(*arrays: Any) -> list[Any]:
            order = shuffle.permutation(arrays[0].size)
            return [a[order] for a in arrays]

        return DistributionInput(
            cmo_id=1, period=Period.parse("2025-01-01/2025-03-31"), currency="CNY",
            collections=Collections.of_columns(mixed(*columns["collections"])),
            owners=Owners.of_columns(mixed(*columns["owners"])),
            scores=Scores.of_columns(mixed(*columns["scores"])),
            carried_in=Balances.of_columns(mixed(*columns["carried"])),
            attribution_amount=int(columns["attribution"]), minimum_payout=1000,
            fee_schedule=FeeSchedule.of([
                {"up_to": 10**8, "rate": "0.12"}, {"up_to": 10**9, "rate": "0.08"},
                {"up_to": None, "rate": "0.05"},
            ]),
        )  # fmt: skip

    timings: dict[str, dict[str, float]] = {}

    def timed(name: str, fn: Any) -> Any:
        watch = Stopwatch()
        value = fn()
        elapsed = watch.elapsed()
        timings[name] = {"wall_s": round(elapsed.wall, 3), "cpu_s": round(elapsed.cpu, 3)}
        print(f"  {name:<28} wall {elapsed.wall:7.3f} s   cpu {elapsed.cpu:7.3f} s", flush=True)
        return value

    print(f"machine: {json.dumps(describe())}  core: {core}  load: {os.getloadavg()}")
    print(f"generated {args.works:,} works / {args.holders:,} holders in {generated.wall:.1f} s")
    inp = timed("build input tables", lambda: build(1))
    result = timed("run_distribution", lambda: run_distribution(inp))
    digest = timed("result digest", lambda: result.digest)
    timed("10,000 holder statements", lambda: _take(holder_statements(result, inp), 10_000))
    timed("CMO report", lambda: cmo_report(result, inp))
    total = sum(
        timings[k]["wall_s"] for k in ("build input tables", "run_distribution", "result digest")
    )

    s = result.summary
    inflow = exact_sum(inp.collections.amount) + exact_sum(inp.carried_in.amount)
    outflow = s.fee + exact_sum(result.holders.payout) + exact_sum(result.holders.carried_out)
    outflow += exact_sum(result.reserve.amount)
    per_work = exact_sum(result.shares.amount) == exact_sum(result.works.total)
    checks = {
        "conserved": inflow == outflow and per_work,
        "same digest when run again": run_distribution(inp).digest == digest,
        "same digest with rows in another order": run_distribution(build(2)).digest == digest,
    }
    report = {
        "machine": describe(), "core": core, "load_after": os.getloadavg(),
        "works": args.works, "holders": args.holders, "owner_rows": len(inp.owners),
        "summary": s.to_dict(), "timings": timings, "build_run_digest_wall_s": round(total, 3),
        "peak_rss_mib": round(rss_kib("VmHWM") / 1024), "checks": checks,
    }  # fmt: skip
    print(json.dumps(report, indent=2, default=str))
    if args.json:
        with open(args.json, "w") as out:
            json.dump(report, out, indent=2, default=str)
    return 0 if all(checks.values()) else 1


def _repertoire(np: Any, rng: Any, args: argparse.Namespace) -> dict[str, Any]:
    works, holders = args.works, args.holders
    work_ids = rng.permutation(works).astype(np.int64) + 1
    count = rng.choice([1, 2, 3], size=works, p=[0.6, 0.3, 0.1])
    count[rng.random(works) < args.orphans] = 0
    owner_work = np.repeat(work_ids, count)
    slot = np.arange(owner_work.size) - np.repeat(np.cumsum(count) - count, count)
    base = np.repeat(rng.integers(0, holders, works), count)
    step = np.repeat(rng.integers(1, max(holders // 3, 2), works), count)
    holder = (base + slot * step) % holders + 1
    last = slot == np.repeat(count - 1, count)
    unknown = last & np.repeat(rng.random(works) < args.unidentified, count)
    holder[unknown] = -1
    num, den = _shares(np, rng, count, slot)
    amounts = np.maximum(rng.lognormal(7.3, 1.2, works).astype(np.int64), 1)
    scored = rng.random(works) < 0.1
    carried = rng.choice(holders, size=holders // 5, replace=False).astype(np.int64) + 1
    return {
        "collections": (work_ids, rng.integers(1, 2001, works).astype(np.int64), amounts),
        "owners": (owner_work, holder.astype(np.int64), num, den),
        "scores": (work_ids[scored], rng.integers(1, 10**6, int(scored.sum())).astype(np.int64)),
        "carried": (carried, rng.integers(1, 1000, carried.size).astype(np.int64)),
        "attribution": int(amounts.sum()) // 20,
    }


def _shares(np: Any, rng: Any, count: Any, slot: Any) -> tuple[Any, Any]:
    """Registered shares for half the co-owned works (den 0: none registered, equal split)."""
    registered = np.repeat((count > 1) & (rng.random(count.size) < 0.5), count)
    pick = np.repeat(rng.integers(0, 3, count.size), count)
    two = np.array([[1, 1], [2, 1], [3, 1]]), np.array([[2, 2], [3, 3], [4, 4]])
    n = np.repeat(count, count)
    num = np.where(n == 2, two[0][pick, np.minimum(slot, 1)], np.where(slot == 0, 1, 1))
    den = np.where(n == 2, two[1][pick, np.minimum(slot, 1)], np.where(slot == 0, 2, 4))
    return np.where(registered, num, 0).astype(np.int64), np.where(registered, den, 0).astype(
        np.int64
    )


def _take(iterator: Any, n: int) -> int:
    taken = 0
    for _ in iterator:
        taken += 1
        if taken >= n:
            break
    return taken


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--works", type=int, default=1_000_000)
    parser.add_argument("--holders", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--unidentified", type=float, default=0.03)
    parser.add_argument("--orphans", type=float, default=0.01)
    parser.add_argument("--json", help="also write the report to this file")
    parser.add_argument("--no-pin", dest="pin", action="store_false", help="do not pin to one core")
    return parser


if __name__ == "__main__":
    sys.exit(main())
