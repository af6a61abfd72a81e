"""Shared fixtures: a fresh database per test on SQLite or PostgreSQL, a fixed clock,
and parties with tokens.

``TRAINCLEAR_TEST_DATABASE`` selects the backend: ``sqlite`` (default) or a PostgreSQL
server URL such as ``postgresql://postgres@127.0.0.1:5432/postgres``. On PostgreSQL the
schema is migrated once into a template database and every test gets a copy of it.
"""

from __future__ import annotations

import gc
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, settings

from trainclear.clock import FixedClock
from trainclear.domain import Actor, PartyKind
from trainclear.schemas.parties import PartyCreate
from trainclear.services.parties import authenticate, create_party, issue_token
from trainclear.services.platform import Platform
from trainclear.settings import Settings, normalise_database_url
from trainclear.store.db import Database

REPO = Path(__file__).resolve().parents[1]

# No timing in unit tests, hypothesis's included: its per-example deadline and its
# "generation is slow" health check fail on a loaded machine, not on a wrong answer.
settings.register_profile("trainclear", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("trainclear")
SHARED = REPO.parent / "shared"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _backend() -> str:
    return os.environ.get("TRAINCLEAR_TEST_DATABASE", "sqlite")


@pytest.fixture(scope="session", autouse=True)
def _compiled_matcher() -> None:
    """Load the fold table and compile the matcher's kernels once, before any test, so
    no test (hypothesis deadlines included) pays for compilation."""
    from trainclear.fingerprint.textindex import TextIndex, fold_text

    fold_text("warm up")
    TextIndex.build([(1, "warm up the kernels " * 20)]).match("warm up the kernels " * 20)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The read-only shared data folder beside the checkout."""
    assert SHARED.is_dir(), f"shared data not found at {SHARED}"
    return SHARED


@pytest.fixture(scope="session")
def template_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database that every test copies: a file (SQLite) or a template (PostgreSQL)."""
    backend = _backend()
    if backend == "sqlite":
        path = tmp_path_factory.mktemp("template") / "template.db"
        db = Database(f"sqlite:///{path}")
        db.upgrade()
        db.dispose()
        yield str(path)
        return
    server = normalise_database_url(backend)
    name = f"tc_template_{os.getpid()}"
    _admin(server, f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"')
    db = Database(_with_database(server, name))
    db.upgrade()
    db.dispose()
    yield name
    _admin(server, f'DROP DATABASE IF EXISTS "{name}"')


@pytest.fixture
def database(template_database: str, tmp_path: Path) -> Iterator[Database]:
    """A fresh, migrated database for one test."""
    backend = _backend()
    if backend == "sqlite":
        path = tmp_path / "trainclear.db"
        shutil.copyfile(template_database, path)
        db = Database(f"sqlite:///{path}")
        yield db
        db.dispose()
        return
    server = normalise_database_url(backend)
    name = f"tc_test_{uuid.uuid4().hex[:12]}"
    _admin(server, f'CREATE DATABASE "{name}" TEMPLATE "{template_database}"')
    db = Database(_with_database(server, name))
    yield db
    db.dispose()
    # a connection the test left open is reported here, in the test that leaked it,
    # not at some later test's garbage collection
    gc.collect()
    _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def platform(database: Database, clock: FixedClock, tmp_path: Path) -> Platform:
    settings = Settings(home=tmp_path / "home", database_url=database.url)
    return Platform(db=database, settings=settings, clock=clock)


@dataclass(frozen=True)
class PartyHandle:
    actor: Actor
    token: str

    @property
    def id(self) -> int:
        return self.actor.party_id

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


MakeParty = Callable[[PartyKind, str], PartyHandle]


@pytest.fixture
def make_party(platform: Platform) -> MakeParty:
    """Create a party of a kind with a token, returning its actor and token."""

    def make(kind: PartyKind, name: str) -> PartyHandle:
        party = create_party(platform, data=PartyCreate(kind=kind, name=name))
        token = issue_token(platform, party_id=party.id, label="test").token
        return PartyHandle(actor=authenticate(platform, token), token=token)

    return make


def _with_database(server: str, name: str) -> str:
    return sa.make_url(server).set(database=name).render_as_string(hide_password=False)


def _admin(server: str, *statements: str) -> None:
    engine = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            for statement in statements:
                conn.execute(sa.text(statement))
    finally:
        engine.dispose()
