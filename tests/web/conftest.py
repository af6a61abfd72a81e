"""An API client over the test platform, and a small cast of parties with two works.

Parties and tokens are made through the services (creating them is an operator action
with no endpoint); everything else in the web tests goes over HTTP.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from starlette.exceptions import StarletteDeprecationWarning

from tests.conftest import MakeParty, PartyHandle
from trainclear.domain import PartyKind
from trainclear.services.platform import Platform
from trainclear.web.app import create_app

with warnings.catch_warnings():
    # Starlette 1.x prefers the httpx2 package for its test client and warns when it
    # falls back to httpx; ignore only that notice, so either package works.
    warnings.filterwarnings(
        "ignore", "Using `httpx` with `starlette.testclient`", StarletteDeprecationWarning
    )
    from fastapi.testclient import TestClient

ERROR_KEYS = {"code", "status", "key", "message", "messages", "detail"}


@pytest.fixture
def client(platform: Platform) -> Iterator[TestClient]:
    with TestClient(create_app(platform)) as test_client:
        yield test_client


def assert_error(response: Any, status: int, key: str, lang: str = "en") -> dict[str, Any]:
    """Check the one error shape and return its ``error`` object."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"}
    error: dict[str, Any] = body["error"]
    assert set(error) == ERROR_KEYS
    assert error["status"] == status
    assert error["key"] == key
    assert set(error["messages"]) == {"en", "zh-CN"}
    assert all(error["messages"].values())
    assert error["message"] == error["messages"][lang]
    assert isinstance(error["detail"], dict)
    return error


@dataclass
class Cast:
    """Who acts in the web tests, and the works registered before each test."""

    client: TestClient
    alice: PartyHandle
    bob: PartyHandle
    carol: PartyHandle
    cmo: PartyHandle
    dev: PartyHandle
    rival: PartyHandle
    admin: PartyHandle
    work_a: int
    work_b: int

    def post(self, who: PartyHandle | None, url: str, json: Any = None) -> Any:
        headers = who.headers if who else {}
        return self.client.post(url, json=json, headers=headers)

    def draft(self, *work_ids: int, by: PartyHandle | None = None) -> dict[str, Any]:
        works = [{"work_id": w, "records": 3} for w in work_ids]
        response = self.post(by or self.dev, "/v1/notices", {"model": "m-1", "works": works})
        assert response.status_code == 201, response.text
        notice: dict[str, Any] = response.json()
        return notice

    def open_notice(self, *work_ids: int) -> dict[str, Any]:
        draft = self.draft(*work_ids)
        response = self.post(self.dev, f"/v1/notices/{draft['id']}/publish")
        assert response.status_code == 200, response.text
        notice: dict[str, Any] = response.json()
        return notice

    def object(self, who: PartyHandle, notice_id: int, *work_ids: int) -> Any:
        body = {"work_ids": list(work_ids)} if work_ids else {}
        return self.post(who, f"/v1/notices/{notice_id}/objections", body)


@pytest.fixture
def cast(client: TestClient, make_party: MakeParty) -> Cast:
    alice = make_party(PartyKind.RIGHTS_HOLDER, "Alice")
    bob = make_party(PartyKind.RIGHTS_HOLDER, "Bob")
    carol = make_party(PartyKind.RIGHTS_HOLDER, "Carol")
    cmo = make_party(PartyKind.CMO, "Writers CMO")
    dev = make_party(PartyKind.DEVELOPER, "ModelCo")
    rival = make_party(PartyKind.DEVELOPER, "OtherCo")
    admin = make_party(PartyKind.ADMINISTRATION, "Copyright Office")
    work_a = _register(client, alice, {"title": "Alpha", "text": "alpha text"})
    work_b = _register(client, bob, {"title": "Beta", "text": "beta text", "cmo_id": cmo.id})
    return Cast(client, alice, bob, carol, cmo, dev, rival, admin, work_a, work_b)


def _register(client: TestClient, who: PartyHandle, body: dict[str, Any]) -> int:
    response = client.post("/v1/works", json=body, headers=who.headers)
    assert response.status_code == 201, response.text
    work_id: int = response.json()["id"]
    return work_id
