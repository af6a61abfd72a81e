"""The bulk check and the site-policy captures over HTTP."""

from __future__ import annotations

from tests.web.conftest import Cast, assert_error

ROBOTS = {
    "url": "https://site.example/robots.txt",
    "fetched_at": "2026-03-01T00:00:00Z",
    "status": 200,
    "body": "User-agent: GPTBot\nDisallow: /\n",
}


def test_recording_captures_needs_a_developer_or_the_administration(cast: Cast) -> None:
    body = {"captures": [ROBOTS]}
    assert_error(cast.post(None, "/v1/site-policies", body), 401, "auth.missing")
    assert_error(cast.post(cast.alice, "/v1/site-policies", body), 403, "auth.wrong_kind")
    response = cast.post(cast.dev, "/v1/site-policies", body)
    assert response.status_code == 201, response.text
    assert response.json()["count"] == 1
    listed = cast.client.get("/v1/site-policies", params={"origin": "https://site.example"})
    assert [c["kind"] for c in listed.json()] == ["robots.txt"]


def test_a_bad_capture_is_refused_naming_item_and_field(cast: Cast) -> None:
    body = {"captures": [ROBOTS, {**ROBOTS, "status": "ok"}]}
    error = assert_error(cast.post(cast.dev, "/v1/site-policies", body), 422, "record.invalid")
    assert (error["detail"]["line"], error["detail"]["field"]) == (2, "status")
    assert cast.client.get("/v1/site-policies").json() == []


def test_bulk_check_answers_every_url_in_order_without_a_token(cast: Cast) -> None:
    cast.post(cast.dev, "/v1/site-policies", {"captures": [ROBOTS]})
    urls = ["https://site.example/a", "https://elsewhere.example/b", "not a url"]
    response = cast.client.post("/v1/check", json={"urls": urls})
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert [i["subject"] for i in items] == urls
    assert [i["verdict"] for i in items] == ["disallow", "unknown", "disallow"]
    assert items[0]["deciding"]["scheme"] == "robots"
    assert items[1]["missing"] == ["robots.txt", "tdmrep.json", "ai.txt"]


def test_bulk_check_refuses_oversized_requests(cast: Cast) -> None:
    urls = [f"https://a.example/{i}" for i in range(10_001)]
    response = cast.client.post("/v1/check", json={"urls": urls})
    assert response.status_code == 422
