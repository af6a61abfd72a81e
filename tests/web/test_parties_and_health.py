"""Health, the public party directory, and who a token belongs to."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import Cast, assert_error
from trainclear import __version__
from trainclear.web.app import create_app


def test_health_reports_version_and_database(client: TestClient) -> None:
    response = client.get("/v1/health")
    assert response.status_code == 200
    backend = os.environ.get("TRAINCLEAR_TEST_DATABASE", "sqlite")
    expected = "sqlite" if backend == "sqlite" else "postgresql"
    assert response.json() == {"status": "ok", "version": __version__, "database": expected}


def test_parties_are_public_and_filterable(cast: Cast) -> None:
    everyone = cast.client.get("/v1/parties").json()
    assert [p["name"] for p in everyone][:3] == ["Alice", "Bob", "Carol"]
    developers = cast.client.get("/v1/parties", params={"kind": "developer"}).json()
    assert {p["name"] for p in developers} == {"ModelCo", "OtherCo"}
    one = cast.client.get(f"/v1/parties/{cast.cmo.id}").json()
    assert one["kind"] == "cmo"
    assert set(one) == {"id", "kind", "name", "created_at"}


def test_me_names_the_token_holder(cast: Cast) -> None:
    response = cast.client.get("/v1/me", headers=cast.admin.headers)
    assert response.json()["id"] == cast.admin.id
    assert response.json()["kind"] == "administration"
    assert_error(cast.client.get("/v1/me"), 401, "auth.missing")


def test_parties_and_tokens_cannot_be_created_over_http(cast: Cast) -> None:
    body = {"kind": "administration", "name": "Impostor"}
    assert_error(cast.post(cast.admin, "/v1/parties", body), 405, "web.method_not_allowed")
    assert_error(cast.post(cast.admin, "/v1/tokens", {}), 404, "web.route_not_found")


def test_app_defaults_to_the_configured_platform(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRAINCLEAR_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("TRAINCLEAR_DATABASE_URL", raising=False)
    monkeypatch.delenv("TRAINCLEAR_NOW", raising=False)
    app = create_app()
    with TestClient(app) as client:
        assert client.get("/v1/health").json()["database"] == "sqlite"
        assert client.get("/v1/parties").json() == []
    app.state.platform.db.dispose()
    assert (tmp_path / "home" / "trainclear.db").is_file()
