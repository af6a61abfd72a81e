"""Fixtures for the pages: accounts, a browser-like client that carries form tokens,
and (for the browser tests) a real uvicorn server and headless Chromium.

Passwords are hashed with a cheap argon2 setting here, so a sign-in costs milliseconds;
``test_accounts.py`` checks the setting production uses.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from argon2 import PasswordHasher
from starlette.exceptions import StarletteDeprecationWarning

from tests.conftest import REPO
from trainclear.domain import Actor, PartyKind
from trainclear.schemas.accounts import AccountCreate
from trainclear.schemas.notices import NoticeCreate, NoticePublish, NoticeWorkIn
from trainclear.schemas.works import WorkCreate
from trainclear.services import accounts, notices, works
from trainclear.services.platform import Platform
from trainclear.web.app import create_app
from trainclear.web.pages import i18n

with warnings.catch_warnings():
    warnings.filterwarnings(
        "ignore", "Using `httpx` with `starlette.testclient`", StarletteDeprecationWarning
    )
    from fastapi.testclient import TestClient

PASSWORD = "correct horse battery staple"
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
PRODUCTION_PASSWORDS = accounts.PASSWORDS


@pytest.fixture(autouse=True)
def _cheap_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        accounts, "PASSWORDS", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
    )


@pytest.fixture(autouse=True)
def _strict_catalogue(monkeypatch: pytest.MonkeyPatch) -> None:
    """A page asking for a string the catalogue lacks fails the test (500), in any language."""
    lenient = i18n.t

    def strict(lang: Any, key: str, **params: Any) -> str:
        if not i18n.has(key):
            raise KeyError(f"the page catalogue has no {key!r}")
        return lenient(lang, key, **params)

    monkeypatch.setattr(i18n, "t", strict)


@dataclass(frozen=True)
class Account:
    party_id: int
    kind: PartyKind
    name: str
    email: str
    password: str = PASSWORD

    @property
    def actor(self) -> Actor:
        return Actor(party_id=self.party_id, kind=self.kind, name=self.name)


@pytest.fixture
def make_account(platform: Platform) -> Any:
    """Create a web account (and its party) through the operator's service."""

    def make(kind: PartyKind, name: str, email: str | None = None) -> Account:
        address = email or f"{name.lower().replace(' ', '.')}@example.org"
        data = AccountCreate(email=address, password=PASSWORD, kind=kind, name=name)
        account = accounts.create_account(platform, data=data)
        return Account(account.party_id, kind, name, address)

    return make


class Browser:
    """A TestClient that reads form tokens from pages and posts forms like a browser."""

    def __init__(self, client: TestClient) -> None:
        self.client = client

    def get(self, url: str, **kwargs: Any) -> Any:
        return self.client.get(url, **kwargs)

    def token(self, url: str = "/") -> str:
        page = self.client.get(url)
        found = _TOKEN.search(page.text)
        assert found, f"no form token on {url}: {page.status_code}"
        return found.group(1)

    def submit(
        self, url: str, data: dict[str, Any] | None = None, *, page: str | None = None, **kw: Any
    ) -> Any:
        """POST a form with the token the page at ``page`` (default ``url``) carries."""
        token = self.token(page or url)
        return self.client.post(url, data={**(data or {}), "csrf_token": token}, **kw)

    def sign_in(self, account: Account) -> Any:
        response = self.submit("/sign-in", {"email": account.email, "password": account.password})
        assert response.status_code == 200, response.text
        return response


@pytest.fixture
def browser(platform: Platform) -> Iterator[Browser]:
    with TestClient(create_app(platform)) as client:
        yield Browser(client)


@pytest.fixture
def other_browser(platform: Platform) -> Iterator[Browser]:
    """A second browser with its own cookies (another person)."""
    with TestClient(create_app(platform)) as client:
        yield Browser(client)


# --- real browser ------------------------------------------------------------------------


def ensure_chromium() -> None:
    """Fail (in CI) or skip (elsewhere) when the system Chromium is missing.

    ``./dev check`` installs it with apt-get before the tests run; a browser is never
    downloaded.
    """
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} is missing: install the Debian package (apt-get install chromium)"
    if os.environ.get("CI") == "true" or os.environ.get("TRAINCLEAR_REQUIRE_BROWSER") == "1":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    ensure_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        yield browser
        browser.close()


@pytest.fixture
def live_server(platform: Platform) -> Iterator[str]:
    """The app over the test database, served by uvicorn on a free port in a thread."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        create_app(platform), log_level="warning", lifespan="off", access_log=False
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    for _ in range(500):
        if server.started:
            break
        threading.Event().wait(0.01)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture
def new_page(chromium: Any, live_server: str) -> Iterator[Any]:
    """Open pages in fresh browser contexts (one per person), all closed afterwards."""
    contexts: list[Any] = []

    def open_page() -> Any:
        context = chromium.new_context(
            base_url=live_server, viewport={"width": 1200, "height": 900}, accept_downloads=True
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot as a test artifact (test-artifacts/screenshots)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@dataclass(frozen=True)
class World:
    """Two holders with three works, two developers and the administration."""

    alice: Account
    bob: Account
    dev: Account
    rival: Account
    admin: Account
    poem: int
    """Alice's 《山居秋暝》, ISBN 978-0-306-40615-7."""
    alpha: int
    beta: int
    """Bob's."""

    def notice(self, platform: Platform, *work_ids: int, publish: bool = True) -> int:
        """A notice by ``dev`` listing ``work_ids`` (published unless told otherwise)."""
        data = NoticeCreate(
            model="Qilin-7B",
            works=[NoticeWorkIn(work_id=w, records=2, characters=300) for w in work_ids],
            remuneration="CNY 0.05 per 1,000 characters (text tariff T-2026)",
        )
        notice = notices.create_notice(platform, actor=self.dev.actor, data=data)
        if publish:
            notices.publish_notice(
                platform, actor=self.dev.actor, notice_id=notice.id, data=NoticePublish()
            )
        return notice.id


@pytest.fixture
def world(platform: Platform, make_account: Any) -> World:
    alice = make_account(PartyKind.RIGHTS_HOLDER, "Alice Wang")
    bob = make_account(PartyKind.RIGHTS_HOLDER, "Bob Li")
    dev = make_account(PartyKind.DEVELOPER, "ModelCo")
    rival = make_account(PartyKind.DEVELOPER, "OtherCo")
    admin = make_account(PartyKind.ADMINISTRATION, "Copyright Office")

    def register(who: Account, title: str, **extra: Any) -> int:
        data = WorkCreate(title=title, text=f"{title} " * 40, **extra)
        return works.register_work(platform, actor=who.actor, data=data).id

    poem = register(alice, "山居秋暝", identifiers=[{"scheme": "isbn", "value": "9780306406157"}])
    alpha = register(alice, "Alpha")
    beta = register(bob, "Beta")
    return World(alice, bob, dev, rival, admin, poem, alpha, beta)
