"""Benchmark the transparency log: append rate through ``record_event``, proof latency.

Run ``python -m benchmarks.bench_log [--quick] [--entries 10000000]`` (``--help`` for
options). Issue 6's targets: appends at >= 5,000 events/s on SQLite and on PostgreSQL,
an inclusion proof in < 5 ms at 10^7 entries.

For each backend (a SQLite file in a temporary folder; a scratch database on the
PostgreSQL server, dropped at the end) it measures:

1. appends through the real path, ``record_event`` in the caller's transaction (event
   row, leaf, complete nodes and ``log_state`` update together): one event per
   transaction, batches of 100 and 1,000, and one event per transaction without an fsync
   per commit; a batch of 1,000 through one ``append_events`` call (what a bulk
   ``record_events`` would do); the rate of bare one-row commits (the disk's ceiling for
   one event per transaction); a cProfile of a transaction of 1,000 events either way;
   and an audit of the log the appends built;
2. proof latency at ``--entries`` leaves: the tree of synthetic leaves is built with
   :class:`MerkleAppender` and its ~2n complete nodes are bulk-loaded into ``log_nodes``
   (``executemany`` on SQLite, ``COPY`` on PostgreSQL), then ``inclusion_proof`` and
   ``consistency_proof`` are timed on random indexes and sizes, and every proof is
   verified against roots recorded while building (independent of the database).

Wall-clock timings on a shared machine: read them with the load average printed beside.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import os
import pstats
import random
import secrets
import signal
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import event, text, update

from benchmarks.matching.machine import describe
from trainclear.ledger.merkle import (
    MerkleAppender,
    ProofError,
    leaf_hash,
    verify_consistency,
    verify_inclusion,
)
from trainclear.services.log import audit_log, consistency_proof, inclusion_proof, root_at
from trainclear.services.log_append import PendingEvent, append_events, node_id
from trainclear.services.platform import Platform, record_event
from trainclear.settings import Settings
from trainclear.store.models import LogState

POSTGRES = os.environ.get(
    "TRAINCLEAR_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
)
APPEND_TARGET = 5000.0
PROOF_TARGET_MS = 5.0
CHUNK = 200_000
KIND = "bench.appended"
PROFILED = (
    r"append_rate|record_event|append_events|_claim|\(canonical\)|\(_flush\)|_bulk_insert"
    r"|\(commit\)|method 'execute'|\(wait\)|\(executemany\)|__init__.*Event"
)
Progress = Callable[[str], None]


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- databases ------------------------------------------------------------------------


@contextlib.contextmanager
def scratch_platform(backend: str, folder: Path, label: str) -> Iterator[Platform]:
    """A migrated platform on a fresh database: a SQLite file or a scratch PostgreSQL one."""
    home = folder / f"{backend}-{label}"
    if backend == "sqlite":
        p = Platform.from_settings(Settings(home=home, database_url=None))
        try:
            yield p
        finally:
            p.db.dispose()
        return
    name = f"tc_bench_log_{label}_{secrets.token_hex(4)}"
    _pg_admin(f'CREATE DATABASE "{name}"')
    try:
        url = POSTGRES.rsplit("/", 1)[0] + "/" + name
        p = Platform.from_settings(Settings(home=home, database_url=url))
        try:
            yield p
        finally:
            p.db.dispose()
    finally:
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _pg_admin(sql: str) -> None:
    with psycopg.connect(POSTGRES, autocommit=True) as conn:
        conn.execute(sql.encode())


def database_bytes(p: Platform) -> int:
    """The database's size on disk (SQLite: file after a WAL checkpoint)."""
    with p.db.engine.connect() as conn:
        if p.db.engine.dialect.name == "sqlite":
            conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
            path = Path(p.db.engine.url.database or "")
            return sum(f.stat().st_size for f in path.parent.glob(path.name + "*"))
        return int(conn.scalar(text("SELECT pg_database_size(current_database())")) or 0)


# --- appends --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rate:
    events: int
    wall: float
    cpu: float

    @property
    def per_second(self) -> float:
        return self.events / self.wall


def _payload(n: int) -> dict[str, object]:
    return {"work_id": n, "licence": "CC-BY-4.0", "note": "a benchmark event"}


def append_rate(p: Platform, *, per_tx: int, events: int, bulk: bool = False) -> Rate:
    """Append ``events`` events, ``per_tx`` per transaction, and time it.

    ``bulk=False`` calls ``record_event`` once per event (what services do); ``bulk=True``
    flushes the transaction's events together and appends them with one ``append_events``.
    """
    wall, cpu, done = time.perf_counter(), time.process_time(), 0
    while done < events:
        count = min(per_tx, events - done)
        with p.db.transaction() as s:
            if bulk:
                rows = [
                    PendingEvent(p.now(), KIND, f"work:{n}", None, _payload(n))
                    for n in range(done, done + count)
                ]
                append_events(s, rows)
            else:
                for n in range(done, done + count):
                    subject = f"work:{n}"
                    record_event(s, at=p.now(), kind=KIND, subject=subject, actor=None,
                                 payload=_payload(n))  # fmt: skip
        done += count
    return Rate(events, time.perf_counter() - wall, time.process_time() - cpu)


def profile_batch(p: Platform, per_tx: int, *, bulk: bool, lines: int = 16) -> str:
    """Where one transaction of ``per_tx`` appends spends its time: the log's own
    functions, the ORM flush, the driver and the commit, by cumulative time."""
    profiler = cProfile.Profile()
    profiler.runcall(append_rate, p, per_tx=per_tx, events=per_tx, bulk=bulk)
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("cumulative")
    stats.print_stats(PROFILED, lines)
    body = out.getvalue()
    return body[body.find("ncalls") :].rstrip()


def commit_floor(p: Platform, commits: int) -> float:
    """Durable commits per second of a one-row ``UPDATE`` each, through the bare driver.

    Appends serialise on the ``log_state`` row, which a transaction holds until its commit
    is on disk, so one event per transaction cannot beat this rate. (A scratch table: an
    ``UPDATE`` that changes nothing is skipped by SQLite and would not measure the disk.)
    """
    raw = p.db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("CREATE TABLE bench_floor (id INTEGER PRIMARY KEY, n INTEGER)")
        cursor.execute("INSERT INTO bench_floor VALUES (1, 0)")
        raw.commit()
        start = time.perf_counter()
        for _ in range(commits):
            cursor.execute("UPDATE bench_floor SET n = n + 1 WHERE id = 1")
            raw.commit()
        rate = commits / (time.perf_counter() - start)
        cursor.execute("DROP TABLE bench_floor")
        raw.commit()
        return rate
    finally:
        raw.close()


@contextlib.contextmanager
def relaxed_durability(p: Platform) -> Iterator[None]:
    """New connections commit without waiting for fsync: SQLite ``synchronous=NORMAL``
    (WAL), PostgreSQL ``synchronous_commit=off``. A crash may lose the last commits, never
    a part of one, so the log stays consistent."""
    sqlite_ = p.db.engine.dialect.name == "sqlite"
    sql = "PRAGMA synchronous=NORMAL" if sqlite_ else "SET synchronous_commit TO off"

    def on_connect(dbapi_connection: Any, _record: object) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(sql)
        cursor.close()
        if not sqlite_:
            dbapi_connection.commit()

    event.listen(p.db.engine, "connect", on_connect)
    p.db.engine.dispose()
    try:
        yield
    finally:
        event.remove(p.db.engine, "connect", on_connect)
        p.db.engine.dispose()


# --- a big synthetic tree -------------------------------------------------------------


def synthetic_leaf(i: int) -> bytes:
    """The leaf hash of synthetic entry ``i`` (what would be an event's canonical bytes)."""
    return leaf_hash(b"bench-entry:%d" % i)


def fill_tree(
    p: Platform,
    size: int,
    checkpoints: Collection[int] = (),
    *,
    chunk: int = CHUNK,
    progress: Progress = _stderr,
) -> dict[int, bytes]:
    """Store the complete nodes and state of a log of ``size`` synthetic leaves.

    Returns the roots at ``size`` and at each of ``checkpoints``, computed while building
    (independently of what the database stores).
    """
    appender, roots, wanted = MerkleAppender(), {}, set(checkpoints)
    raw = p.db.engine.raw_connection()
    write = _sqlite_writer if p.db.engine.dialect.name == "sqlite" else _postgres_writer
    start_time = time.perf_counter()
    try:
        for start in range(0, size, chunk):
            rows: list[tuple[int, bytes]] = []
            for i in range(start, min(start + chunk, size)):
                rows.extend(
                    (node_id(lv, ix), h) for lv, ix, h in appender.append(synthetic_leaf(i))
                )
                if i + 1 in wanted:
                    roots[i + 1] = appender.root()
            write(raw.driver_connection, rows)
            raw.commit()
            done = min(start + chunk, size)
            progress(f"  {done:>11,} / {size:,} leaves  ({time.perf_counter() - start_time:.0f} s)")
    finally:
        raw.close()
    with p.db.transaction() as s:
        frontier = b"".join(appender.frontier)
        s.execute(update(LogState).where(LogState.id == 1).values(size=size, frontier=frontier))
    roots[size] = appender.root()
    return roots


def _sqlite_writer(conn: Any, rows: list[tuple[int, bytes]]) -> None:
    conn.executemany("INSERT INTO log_nodes (id, hash) VALUES (?, ?)", rows)


def _postgres_writer(conn: Any, rows: list[tuple[int, bytes]]) -> None:
    with conn.cursor() as cur, cur.copy("COPY log_nodes (id, hash) FROM STDIN") as copy:
        copy.write("".join(f"{i}\t\\\\x{h.hex()}\n" for i, h in rows))


def analyse(p: Platform) -> None:
    """Refresh planner statistics after a bulk load (what autovacuum does on its own)."""
    if p.db.engine.dialect.name == "postgresql":
        with p.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE log_nodes"))


# --- proofs ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Latency:
    """Wall-clock percentiles of one kind of call, and the median of this process's CPU
    time per call (on a shared machine, the gap between the two is time spent waiting)."""

    median_ms: float
    p95_ms: float
    max_ms: float
    cpu_median_ms: float

    @classmethod
    def of(cls, wall: list[float], cpu: list[float]) -> Latency:
        ms = sorted(s * 1000 for s in wall)
        p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
        return cls(ms[len(ms) // 2], p95, ms[-1], sorted(cpu)[len(cpu) // 2] * 1000)

    def __str__(self) -> str:
        return (f"median {self.median_ms:.2f} ms, p95 {self.p95_ms:.2f}, max {self.max_ms:.2f}; "
                f"client CPU median {self.cpu_median_ms:.2f}")  # fmt: skip


def random_sizes(size: int, samples: int, rng: random.Random) -> tuple[list[int], list[int]]:
    """Random leaf indexes (0 <= seq < size) and first tree sizes (1 <= first < size)."""
    seqs = [rng.randrange(size) for _ in range(samples)]
    return seqs, [rng.randrange(1, size) for _ in range(samples)]


def proof_latency(
    p: Platform, size: int, roots: dict[int, bytes], seqs: list[int], firsts: list[int]
) -> tuple[Latency, Latency]:
    """Time an inclusion proof of each of ``seqs`` and a consistency proof from each of
    ``firsts`` to ``size``, verifying each against ``roots`` (``ProofError`` on failure)."""
    with p.db.transaction() as s:
        if root_at(s, size) != roots[size]:
            raise ProofError(f"the stored tree of {size} leaves has another root")
    inclusion: list[tuple[float, float]] = []
    consistency: list[tuple[float, float]] = []
    for seq in seqs:
        clock = _Clock()
        proof = inclusion_proof(p, seq=seq, tree_size=size)
        inclusion.append(clock.elapsed())
        verify_inclusion(synthetic_leaf(seq), seq, size, proof, roots[size])
    for first in firsts:
        clock = _Clock()
        proof = consistency_proof(p, first=first, second=size)
        consistency.append(clock.elapsed())
        verify_consistency(first, size, proof, roots[first], roots[size])
    return _latency(inclusion), _latency(consistency)


class _Clock:
    def __init__(self) -> None:
        self._wall, self._cpu = time.perf_counter(), time.process_time()

    def elapsed(self) -> tuple[float, float]:
        return time.perf_counter() - self._wall, time.process_time() - self._cpu


def _latency(samples: list[tuple[float, float]]) -> Latency:
    return Latency.of([wall for wall, _ in samples], [cpu for _, cpu in samples])


# --- the run --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Row:
    backend: str
    case: str
    figure: str
    target: str = "—"
    met: bool | None = None


APPEND_CASES = (  # (how, events per transaction, events)
    ("record_event each", 1, 1000),
    ("record_event each", 100, 5000),
    ("record_event each", 1000, 10_000),
    ("one append_events call", 1000, 50_000),
    ("record_event, no fsync per commit", 1, 1000),
)


def run_appends(backend: str, folder: Path, quick: bool) -> tuple[list[Row], list[str]]:
    """The append cases on one backend; rows, and notes (audit, profiles) to print after."""
    rows, notes, total = [], [], 0
    with scratch_platform(backend, folder, "appends") as p:
        floor = commit_floor(p, 200 if quick else 1000)
        rows.append(Row(backend, "bare one-row commits (the disk's fsync floor)",
                        f"{floor:,.0f} commits/s"))  # fmt: skip
        for how, per_tx, events in APPEND_CASES:
            count = max(events // (10 if quick else 1), per_tx)
            with relaxed_durability(p) if "fsync" in how else contextlib.nullcontext():
                rate = append_rate(p, per_tx=per_tx, events=count, bulk="append_events" in how)
            total += rate.events
            figure = (f"{rate.per_second:,.0f} events/s ({rate.events:,} events, "
                      f"client CPU {rate.cpu / rate.wall:.0%})")  # fmt: skip
            case = f"append, {per_tx:,}/transaction, {how}"
            rows.append(Row(backend, case, figure, f">= {APPEND_TARGET:,.0f}/s",
                            rate.per_second >= APPEND_TARGET))  # fmt: skip
            _stderr(f"{backend}: {case}: {figure}")
        for bulk in (False, True):
            notes.append(f"cProfile, {backend}, one transaction of 1,000 events, "
                         f"{'one append_events call' if bulk else 'record_event each'}:\n"
                         + profile_batch(p, 1000, bulk=bulk))  # fmt: skip
            total += 1000
        problems, size = audit_log(p), database_bytes(p)
        notes.append(f"{backend}: audit of the {total:,} appended entries: "
                     f"{'; '.join(problems) or 'ok'}; database {size / 2**20:,.1f} MiB "
                     f"({size / total:,.0f} bytes per event)")  # fmt: skip
    return rows, notes


def run_proofs(backend: str, folder: Path, size: int, samples: int, seed: int) -> list[Row]:
    """Build a tree of ``size`` synthetic leaves on one backend and time its proofs."""
    rng = random.Random(seed)
    warm, timed = random_sizes(size, 20, rng), random_sizes(size, samples, rng)
    with scratch_platform(backend, folder, f"tree{size}") as p:
        _stderr(f"{backend}: building and loading a tree of {size:,} leaves")
        start = time.perf_counter()
        roots = fill_tree(p, size, [*warm[1], *timed[1]])
        analyse(p)
        load = time.perf_counter() - start
        mib = database_bytes(p) / 2**20
        proof_latency(p, size, roots, *warm)
        inclusion, consistency = proof_latency(p, size, roots, *timed)
    n, target = f"{size:,} entries", f"< {PROOF_TARGET_MS:g} ms (p95)"
    return [
        Row(backend, f"load {n}", f"{load:,.0f} s; database {mib:,.0f} MiB"),
        Row(
            backend,
            f"inclusion proof, {n}, {samples:,} verified",
            str(inclusion),
            target,
            inclusion.p95_ms < PROOF_TARGET_MS,
        ),
        Row(backend, f"consistency proof, {n}, {samples:,} verified", str(consistency)),
    ]


def machine() -> list[str]:
    """The machine and the versions that matter here, one ``key: value`` per line."""
    info = describe()
    info.pop("versions", None)
    info |= {name: metadata.version(name) for name in ("SQLAlchemy", "psycopg")}
    info["sqlite"] = sqlite3.sqlite_version
    with contextlib.suppress(psycopg.Error), psycopg.connect(POSTGRES) as conn:
        info["postgresql"] = conn.info.parameter_status("server_version") or "?"
    return [f"{key}: {value}" for key, value in info.items()]


def table(rows: list[Row]) -> str:
    lines = ["| backend | case | figure | target | met? |", "|---|---|---|---|---|"]
    for r in rows:
        met = "—" if r.met is None else ("yes" if r.met else "**no**")
        lines.append(f"| {r.backend} | {r.case} | {r.figure} | {r.target} | {met} |")
    return "\n".join(lines)


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    parser.add_argument("--entries", help="tree sizes for proofs, comma-separated")
    parser.add_argument("--pg-entries", help="tree sizes on PostgreSQL (default: --entries)")
    parser.add_argument("--samples", type=int, help="proofs timed per size (default 1,000)")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--skip-appends", action="store_true")
    parser.add_argument("--seed", type=int, default=6)
    return parser.parse_args(argv)


def _sizes(value: str | None, default: str) -> list[int]:
    return [int(float(v)) for v in (value or default).split(",") if v]


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # still drop scratch databases
    entries = _sizes(args.entries, "100000" if args.quick else "10000000")
    sizes = {"sqlite": entries, "postgresql": _sizes(args.pg_entries, ",".join(map(str, entries)))}
    samples = args.samples or (200 if args.quick else 1000)
    load_start, started = os.getloadavg()[0], time.perf_counter()
    rows: list[Row] = []
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="tc-bench-log-") as tmp:
        for backend in args.backends.split(","):
            if not args.skip_appends:
                found, extra = run_appends(backend, Path(tmp), args.quick)
                rows, notes = rows + found, notes + extra
            for size in sizes[backend]:
                rows += run_proofs(backend, Path(tmp), size, samples, args.seed)
    print(table(rows), "", *notes, "", *machine(), sep="\n")
    print(f"load average (1 min), start → end: {load_start:.1f} → {os.getloadavg()[0]:.1f}; "
          f"run took {(time.perf_counter() - started) / 60:.1f} min")  # fmt: skip


if __name__ == "__main__":
    main()
