"""Web accounts: sign-up, operator accounts, argon2 hashes, sessions, the sign-in limit."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from tests.web.portal.conftest import PASSWORD, PRODUCTION_PASSWORDS
from trainclear.cli.context import State
from trainclear.cli.main import app
from trainclear.clock import FixedClock
from trainclear.domain import PartyKind
from trainclear.errors import Conflict, Forbidden, Unauthenticated, ValidationFailed
from trainclear.schemas.accounts import AccountCreate, SignUp
from trainclear.schemas.parties import PartyCreate
from trainclear.services import accounts, log
from trainclear.services.parties import create_party
from trainclear.services.platform import Platform
from trainclear.store.models import Event, WebAccount, WebSession


def _sign_up(platform: Platform, email: str = "alice@example.org", **kw: Any) -> Any:
    data = SignUp(
        kind=kw.get("kind", PartyKind.RIGHTS_HOLDER),
        name=kw.get("name", "Alice"),
        email=email,
        password=kw.get("password", PASSWORD),
    )
    return accounts.sign_up(platform, data=data)


def test_sign_up_creates_party_account_and_session(platform: Platform) -> None:
    issued = _sign_up(platform, email="  Alice@Example.ORG ")
    assert issued.actor.kind == PartyKind.RIGHTS_HOLDER
    assert issued.email == "alice@example.org"
    session = accounts.session_for(platform, token=issued.token)
    assert session is not None
    assert session.actor == issued.actor
    assert session.csrf_secret == issued.csrf_secret
    with platform.db.transaction() as s:
        row = s.scalars(select(WebAccount)).one()
        assert row.password_hash.startswith("$argon2id$")
        assert PASSWORD not in row.password_hash
        stored = s.scalars(select(WebSession.token_hash)).one()
        assert stored == accounts.hash_session_token(issued.token) != issued.token


def test_account_creation_is_a_logged_event_without_the_address(platform: Platform) -> None:
    issued = _sign_up(platform)
    with platform.db.transaction() as s:
        kinds = [e.kind for e in s.scalars(select(Event).order_by(Event.id))]
    assert kinds == ["party.created", "account.created"]
    entries = log.entries(platform, start=0, end=2)
    assert [e.to_dict()["kind"] for e in entries] == kinds
    assert "example.org" not in json.dumps([e.to_dict() for e in entries])
    assert entries[1].to_dict()["subject"] == f"party:{issued.actor.party_id}"


@pytest.mark.parametrize("kind", [PartyKind.CMO, PartyKind.ADMINISTRATION])
def test_only_holders_and_developers_sign_up(platform: Platform, kind: PartyKind) -> None:
    with pytest.raises(Forbidden) as caught:
        _sign_up(platform, kind=kind)
    assert caught.value.key == "account.kind_not_self_service"


@pytest.mark.parametrize(
    ("email", "password", "key"),
    [
        ("not-an-address", PASSWORD, "account.email_invalid"),
        ("a@b", PASSWORD, "account.email_invalid"),
        ("alice@example.org", "short", "account.password_short"),
    ],
)
def test_bad_sign_up_is_refused_naming_the_problem(
    platform: Platform, email: str, password: str, key: str
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        _sign_up(platform, email=email, password=password)
    assert caught.value.key == key


def test_one_account_per_address(platform: Platform) -> None:
    _sign_up(platform)
    with pytest.raises(Conflict) as caught:
        _sign_up(platform, email="ALICE@example.org", name="Alice again")
    assert caught.value.key == "account.email_taken"


def test_operator_gives_an_existing_party_an_account(platform: Platform) -> None:
    office = create_party(
        platform, data=PartyCreate(kind=PartyKind.ADMINISTRATION, name="Copyright Office")
    )
    data = AccountCreate(email="office@example.gov", password=PASSWORD, party_id=office.id)
    account = accounts.create_account(platform, data=data)
    assert (account.party_id, account.kind) == (office.id, PartyKind.ADMINISTRATION)
    with pytest.raises(Conflict) as caught:
        accounts.create_account(
            platform, data=data.model_copy(update={"email": "other@example.gov"})
        )
    assert caught.value.key == "account.party_has_account"
    issued = accounts.sign_in(
        platform, email="office@example.gov", password=PASSWORD, client_ip="10.0.0.1"
    )
    assert issued.actor.party_id == office.id


def test_sign_in_checks_the_password(platform: Platform) -> None:
    _sign_up(platform)
    for email, password in (("alice@example.org", "wrong password"), ("nobody@x.org", PASSWORD)):
        with pytest.raises(Unauthenticated) as caught:
            accounts.sign_in(platform, email=email, password=password, client_ip="10.0.0.1")
        assert caught.value.key == "account.bad_credentials"
    issued = accounts.sign_in(
        platform, email="Alice@example.org", password=PASSWORD, client_ip="10.0.0.1"
    )
    assert issued.actor.name == "Alice"


def test_five_failures_lock_the_address_for_fifteen_minutes(
    platform: Platform, clock: FixedClock
) -> None:
    _sign_up(platform)
    clock.advance(timedelta(seconds=1))
    for attempt in range(accounts.MAX_FAILURES_PER_ACCOUNT):
        with pytest.raises(Unauthenticated):
            accounts.sign_in(
                platform, email="alice@example.org", password="nope", client_ip=f"10.0.0.{attempt}"
            )
    with pytest.raises(accounts.TooManyAttempts) as caught:
        accounts.sign_in(
            platform, email="alice@example.org", password=PASSWORD, client_ip="10.9.9.9"
        )
    assert caught.value.status == 429
    assert caught.value.params == {"minutes": 15}
    assert "15 分钟" in caught.value.message("zh-CN")
    clock.advance(timedelta(minutes=14, seconds=59))
    with pytest.raises(accounts.TooManyAttempts):
        accounts.sign_in(
            platform, email="alice@example.org", password=PASSWORD, client_ip="10.9.9.9"
        )
    clock.advance(timedelta(seconds=2))
    accounts.sign_in(platform, email="alice@example.org", password=PASSWORD, client_ip="10.9.9.9")


def test_a_client_address_is_limited_across_accounts(platform: Platform) -> None:
    _sign_up(platform)
    for n in range(accounts.MAX_FAILURES_PER_CLIENT):
        with pytest.raises(Unauthenticated):
            accounts.sign_in(
                platform, email=f"guess{n}@example.org", password="nope", client_ip="10.6.6.6"
            )
    with pytest.raises(accounts.TooManyAttempts):
        accounts.sign_in(
            platform, email="alice@example.org", password=PASSWORD, client_ip="10.6.6.6"
        )
    accounts.sign_in(platform, email="alice@example.org", password=PASSWORD, client_ip="10.7.7.7")


def test_a_successful_sign_in_clears_the_address_count(
    platform: Platform, clock: FixedClock
) -> None:
    _sign_up(platform)
    clock.advance(timedelta(seconds=1))
    for _ in range(accounts.MAX_FAILURES_PER_ACCOUNT - 1):
        with pytest.raises(Unauthenticated):
            accounts.sign_in(
                platform, email="alice@example.org", password="nope", client_ip="10.0.0.1"
            )
    clock.advance(timedelta(seconds=1))
    accounts.sign_in(platform, email="alice@example.org", password=PASSWORD, client_ip="10.0.0.2")
    clock.advance(timedelta(seconds=1))
    with pytest.raises(Unauthenticated):
        accounts.sign_in(platform, email="alice@example.org", password="nope", client_ip="10.0.0.3")
    accounts.sign_in(platform, email="alice@example.org", password=PASSWORD, client_ip="10.0.0.4")


def test_sessions_expire_and_end_at_sign_out(platform: Platform, clock: FixedClock) -> None:
    first = _sign_up(platform)
    second = accounts.sign_in(
        platform, email="alice@example.org", password=PASSWORD, client_ip="10.0.0.1"
    )
    assert first.token != second.token
    assert first.csrf_secret != second.csrf_secret
    assert accounts.sign_out(platform, token=first.token) is True
    assert accounts.sign_out(platform, token=first.token) is False
    assert accounts.session_for(platform, token=first.token) is None
    assert accounts.session_for(platform, token=second.token) is not None
    clock.advance(accounts.SESSION_LIFETIME)
    assert accounts.session_for(platform, token=second.token) is None
    assert accounts.session_for(platform, token="made-up") is None


def test_production_hashes_are_argon2id_with_64_mib() -> None:
    assert accounts.PASSWORDS is not PRODUCTION_PASSWORDS  # tests use a cheap one (conftest)
    hasher = PRODUCTION_PASSWORDS
    assert (hasher.type.name, hasher.memory_cost, hasher.time_cost) == ("ID", 65536, 3)


def test_cli_creates_an_administration_account(platform: Platform) -> None:
    runner = CliRunner()
    result = runner.invoke(
        app,
        [
            "--json",
            "account",
            "create",
            "office@example.gov",
            "--kind",
            "administration",
            "--name",
            "Copyright Office",
            "--password-stdin",
        ],
        input=PASSWORD + "\n",
        obj=State(platform=platform, lang="en"),
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert (out["kind"], out["email"]) == ("administration", "office@example.gov")
    issued = accounts.sign_in(
        platform, email="office@example.gov", password=PASSWORD, client_ip="10.0.0.1"
    )
    assert issued.actor.kind == PartyKind.ADMINISTRATION
