"""Benchmark the notice page: a notice listing 10,000 works, rendered by the server.

Run ``python -m benchmarks.bench_notice_page [--works 10000] [--runs 50] [--postgres URL]``.
Issue 7's target: the page of a notice with 10,000 works renders in < 200 ms server time.

For each backend (a SQLite file in a temporary folder; with ``--postgres``, a scratch
database on that server, dropped at the end) it registers ``--works`` works with an
identifier each (bulk rows: the setup is not measured), drafts and publishes one notice
listing all of them through the services, and files objections to 1 % of them. Then it
times whole requests through the app in-process (``TestClient``: routing, the page
context, the services' queries, the Jinja render; no network), after three warm-up
requests, for: the notice page (first page of works, anonymous and signed in as a holder
of 1 % of the works), its last page, a title filter, and the board.

Wall and CPU time per request (median, p95, max) on a shared machine: read them with the
load average printed beside.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
import warnings
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from starlette.exceptions import StarletteDeprecationWarning

from benchmarks.matching.machine import describe
from trainclear.clock import FixedClock
from trainclear.domain import Actor, PartyKind
from trainclear.schemas.accounts import AccountCreate
from trainclear.schemas.notices import NoticeCreate, NoticePublish, NoticeWorkIn, ObjectionCreate
from trainclear.schemas.parties import PartyCreate
from trainclear.services import accounts, notices, objections
from trainclear.services.parties import create_party
from trainclear.services.platform import Platform
from trainclear.settings import Settings, normalise_database_url
from trainclear.store.db import Database
from trainclear.store.models import Work, WorkHolder, WorkIdentifier
from trainclear.web.app import create_app
from trainclear.web.pages.security import session_cookie

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", category=StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

TARGET_MS = 200.0
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PASSWORD = "benchmark password"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--works", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--postgres", help="also run on this PostgreSQL server (URL)")
    args = parser.parse_args()
    info = describe()
    print(
        f"machine: {info['cpu']}, {info['logical_cores']} logical cores, "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    backends: list[tuple[str, Callable[[], tuple[Database, Callable[[], None]]]]] = [
        ("SQLite", _sqlite)
    ]
    if args.postgres:
        backends.append(("PostgreSQL", lambda: _postgres(args.postgres)))
    for name, open_db in backends:
        db, drop = open_db()
        try:
            with tempfile.TemporaryDirectory() as home:
                _run(name, db, Path(home), args.works, args.runs)
        finally:
            db.dispose()
            drop()
    print(f"load average after: {os.getloadavg()[0]:.2f}")


def _run(backend: str, db: Database, home: Path, count: int, runs: int) -> None:
    settings = Settings(home=home, database_url=db.url)
    p = Platform(db=db, settings=settings, clock=FixedClock(START))
    began = time.perf_counter()
    holder, notice_id, title = _setup(p, count)
    print(
        f"\n{backend}: {count:,} works, notice {notice_id} "
        f"(setup {time.perf_counter() - began:.1f} s)"
    )
    with TestClient(create_app(p)) as client:
        cases: list[tuple[str, str, dict[str, str]]] = [
            ("notice page, first 100 works (anonymous)", f"/notices/{notice_id}", {}),
            (
                "notice page, last page of works",
                f"/notices/{notice_id}?page={-(-count // 100)}",
                {},
            ),
            ("notice page, title filter", f"/notices/{notice_id}?work={title}", {}),
            ("notice page, signed in as a holder", f"/notices/{notice_id}", _cookie(p, holder)),
            ("board (first 20 notices)", "/", {}),
        ]
        print("| request | median ms | p95 ms | max ms | CPU median ms | bytes |")
        print("|---|---:|---:|---:|---:|---:|")
        for label, url, cookies in cases:
            client.cookies.clear()
            for name, value in cookies.items():
                client.cookies.set(name, value)
            wall, cpu, size = _time(client, url, runs)
            flag = " **over target**" if statistics.median(wall) > TARGET_MS else ""
            print(
                f"| {label}{flag} | {statistics.median(wall):.1f} | {_p95(wall):.1f} | "
                f"{max(wall):.1f} | {statistics.median(cpu):.1f} | {size:,} |"
            )


def _time(client: TestClient, url: str, runs: int) -> tuple[list[float], list[float], int]:
    size = 0
    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        size = len(response.content)
    wall, cpu = [], []
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        response = client.get(url)
        wall.append((time.perf_counter() - w) * 1000)
        cpu.append((time.process_time() - c) * 1000)
        assert response.status_code == 200
    return wall, cpu, size


def _p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(len(values) * 0.95) - 1)]


def _setup(p: Platform, count: int) -> tuple[Actor, int, str]:
    """Works in bulk, one notice through the services, objections to 1 % of the works."""
    party = create_party(p, data=PartyCreate(kind=PartyKind.RIGHTS_HOLDER, name="Holder"))
    other = create_party(p, data=PartyCreate(kind=PartyKind.RIGHTS_HOLDER, name="Others"))
    dev = create_party(p, data=PartyCreate(kind=PartyKind.DEVELOPER, name="ModelCo"))
    holder = Actor(party.id, PartyKind.RIGHTS_HOLDER, party.name)
    developer = Actor(dev.id, PartyKind.DEVELOPER, dev.name)
    mine = set(range(0, count, 100))
    with p.db.transaction() as s:
        rows = [
            {
                "type": "text",
                "title": f"Work {i:06} 作品",
                "registered_by": other.id,
                "created_at": START,
                "fingerprint": None,
                "characters": 1000,
            }
            for i in range(count)
        ]
        ids = list(s.scalars(sa.insert(Work).returning(Work.id), rows))
        s.execute(
            sa.insert(WorkHolder),
            [
                {
                    "work_id": w,
                    "holder_id": party.id if i in mine else other.id,
                    "share_num": 1,
                    "share_den": 1,
                }
                for i, w in enumerate(ids)
            ],
        )
        s.execute(
            sa.insert(WorkIdentifier),
            [{"work_id": w, "scheme": "doi", "value": f"10.5555/w{w}"} for w in ids],
        )
    items = [NoticeWorkIn(work_id=w, records=3, characters=900) for w in ids]
    draft = notices.create_notice(
        p, actor=developer, data=NoticeCreate(model="Bench-70B", works=items, remuneration="T-1")
    )
    notices.publish_notice(p, actor=developer, notice_id=draft.id, data=NoticePublish())
    objections.file_objection(p, actor=holder, notice_id=draft.id, data=ObjectionCreate())
    accounts.create_account(
        p, data=AccountCreate(email="holder@example.org", password=PASSWORD, party_id=party.id)
    )
    return holder, draft.id, f"Work {count // 2:06}"


def _cookie(p: Platform, holder: Actor) -> dict[str, str]:
    issued = accounts.sign_in(p, email="holder@example.org", password=PASSWORD, client_ip="bench")
    assert issued.actor.party_id == holder.party_id
    return {session_cookie(p.settings): issued.token}


def _sqlite() -> tuple[Database, Callable[[], None]]:
    folder = tempfile.mkdtemp()
    db = Database(f"sqlite:///{folder}/bench.db")
    db.upgrade()
    return db, lambda: None


def _postgres(server: str) -> tuple[Database, Callable[[], None]]:
    url = normalise_database_url(server)
    name = f"tc_bench_{uuid.uuid4().hex[:10]}"
    _admin(url, f'CREATE DATABASE "{name}"')
    db = Database(sa.make_url(url).set(database=name).render_as_string(hide_password=False))
    db.upgrade()
    return db, lambda: _admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _admin(url: str, statement: str) -> None:
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(sa.text(statement))
    finally:
        engine.dispose()


if __name__ == "__main__":
    main()
