"""The one JSON error shape, for every way a request can fail, in both languages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi import HTTPException
from fastapi.testclient import TestClient

from tests.web.conftest import Cast, assert_error
from trainclear.clock import FixedClock
from trainclear.messages import render
from trainclear.services.platform import Platform
from trainclear.web.app import create_app
from trainclear.web.errors import choose_lang


def test_missing_token_is_401(cast: Cast) -> None:
    response = cast.post(None, "/v1/works", {"title": "T", "text": "t"})
    assert_error(response, 401, "auth.missing")
    assert response.headers["www-authenticate"] == "Bearer"


def test_unknown_token_is_401_even_on_public_reads(client: TestClient) -> None:
    headers = {"Authorization": "Bearer tc_not-a-token"}
    for url in ("/v1/me", "/v1/notices"):
        assert_error(client.get(url, headers=headers), 401, "auth.invalid")


def test_wrong_party_kind_is_403(cast: Cast) -> None:
    response = cast.post(cast.dev, "/v1/works", {"title": "Mine", "text": "t"})
    error = assert_error(response, 403, "auth.wrong_kind")
    assert error["code"] == "forbidden"
    assert error["detail"] == {"expected": "rights_holder / cmo", "actual": "developer"}


def test_unknown_record_is_404_naming_it(client: TestClient) -> None:
    error = assert_error(client.get("/v1/works/999"), 404, "not_found")
    assert error["code"] == "not_found"
    assert error["detail"] == {"kind": "work", "id": 999}
    assert error["message"] == "work 999 not found"


def test_conflict_is_409(cast: Cast) -> None:
    opt_out = cast.post(cast.alice, "/v1/opt-outs", {"scope": "work", "work_id": cast.work_a})
    url = f"/v1/opt-outs/{opt_out.json()['id']}/withdraw"
    assert cast.post(cast.alice, url).status_code == 200
    error = assert_error(cast.post(cast.alice, url), 409, "optout.already_withdrawn")
    assert error["code"] == "conflict"


def test_domain_validation_is_422(cast: Cast, clock: FixedClock) -> None:
    draft = cast.draft(cast.work_a)
    end = (clock.now() + timedelta(days=29)).isoformat()
    response = cast.post(cast.dev, f"/v1/notices/{draft['id']}/publish", {"window_end": end})
    error = assert_error(response, 422, "notice.window_too_short")
    assert error["code"] == "invalid"
    assert error["detail"]["minimum_days"] == 30


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "body.title"),
        ({"title": ""}, "body.title"),
        ({"title": "T", "type": "poem"}, "body.type"),
        ({"title": "T", "holders": [{"share": "1"}]}, "body.holders.0.holder_id"),
    ],
)
def test_request_validation_is_422_in_the_same_shape(
    cast: Cast, body: dict[str, object], field: str
) -> None:
    error = assert_error(cast.post(cast.alice, "/v1/works", body), 422, "web.request_invalid")
    assert error["code"] == "invalid"
    assert error["detail"]["field"] == field
    assert error["detail"]["problems"][0].startswith(f"{field}: ")


def test_malformed_json_and_bad_query_are_422(cast: Cast) -> None:
    headers = {**cast.alice.headers, "Content-Type": "application/json"}
    response = cast.client.post("/v1/works", content=b'{"title": ', headers=headers)
    assert_error(response, 422, "web.request_invalid")
    error = assert_error(cast.client.get("/v1/notices?state=bogus"), 422, "web.request_invalid")
    assert error["detail"]["field"] == "query.state"
    error = assert_error(cast.client.get("/v1/works/abc"), 422, "web.request_invalid")
    assert error["detail"]["field"] == "path.work_id"


def test_unknown_route_is_404_in_the_same_shape(client: TestClient) -> None:
    error = assert_error(client.get("/v1/nowhere"), 404, "web.route_not_found")
    assert error["code"] == "not_found"
    assert error["detail"] == {"method": "GET", "path": "/v1/nowhere"}


def test_wrong_method_is_405_in_the_same_shape(client: TestClient) -> None:
    response = client.delete("/v1/works")
    error = assert_error(response, 405, "web.method_not_allowed")
    assert error["code"] == "method_not_allowed"
    assert response.headers["allow"]


def test_unhandled_error_is_500_without_internals(platform: Platform) -> None:
    app = create_app(platform)

    def boom() -> None:
        raise RuntimeError("secret connection string postgres://u:pw@db")

    app.add_api_route("/v1/boom", boom)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/v1/boom")
    error = assert_error(response, 500, "web.internal")
    assert error["code"] == "internal"
    assert error["detail"] == {}
    assert "secret" not in response.text
    assert "RuntimeError" not in response.text


@pytest.mark.parametrize(
    ("status", "code"), [(409, "conflict"), (418, "i_m_a_teapot"), (429, "too_many_requests")]
)
def test_framework_http_errors_keep_their_status(
    platform: Platform, status: int, code: str
) -> None:
    app = create_app(platform)

    def refuse() -> None:
        raise HTTPException(status_code=status, detail="refused")

    app.add_api_route("/v1/refuse", refuse)
    with TestClient(app) as client:
        error = assert_error(client.get("/v1/refuse"), status, "web.http_error")
    assert (error["code"], error["detail"]) == (code, {"status": status, "reason": "refused"})


def test_message_follows_accept_language(cast: Cast) -> None:
    headers = {**cast.dev.headers, "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}
    response = cast.client.post("/v1/works", json={"title": "T", "text": "t"}, headers=headers)
    error = assert_error(response, 403, "auth.wrong_kind", lang="zh-CN")
    assert error["message"] == render(
        "auth.wrong_kind", "zh-CN", expected="rights_holder / cmo", actual="developer"
    )
    assert "只有" in error["message"]
    unknown = cast.client.get("/v1/nowhere", headers={"Accept-Language": "zh-TW"})
    assert assert_error(unknown, 404, "web.route_not_found", lang="zh-CN")["message"].startswith(
        "不存在接口"
    )


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        (None, "en"),
        ("", "en"),
        ("zh", "zh-CN"),
        ("zh-Hans-CN", "zh-CN"),
        ("en-US,en;q=0.9,zh-CN;q=0.8", "en"),
        ("fr-FR, zh;q=0.5", "zh-CN"),
        ("en;q=0.2, zh;q=0.7", "zh-CN"),
        ("zh;q=0, en;q=0.1", "en"),
        ("zh;q=abc", "en"),
        ("de, fr", "en"),
    ],
)
def test_language_choice(header: str | None, lang: str) -> None:
    assert choose_lang(header) == lang


def test_openapi_documents_the_api_and_the_error_shape(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    spec = client.get("/openapi.json").json()
    assert spec["info"]["title"] == "trainclear"
    assert spec["info"]["version"] == __import__("trainclear").__version__
    assert "ErrorResponse" in spec["components"]["schemas"]
    work_post = spec["paths"]["/v1/works"]["post"]
    assert work_post["responses"]["422"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorResponse"
    }
    assert "HTTPBearer" in spec["components"]["securitySchemes"]
