"""The notice board over HTTP: who sees drafts, who may publish and amend, advancing."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.web.conftest import Cast, assert_error
from trainclear.clock import FixedClock


def _ids(cast: Cast, headers: dict[str, str] | None = None, **params: object) -> list[int]:
    response = cast.client.get("/v1/notices", params=params, headers=headers or {})
    assert response.status_code == 200, response.text
    return [n["id"] for n in response.json()]


def test_draft_is_visible_only_to_its_developer(cast: Cast) -> None:
    draft = cast.draft(cast.work_a)
    url = f"/v1/notices/{draft['id']}"
    assert draft["state"] == "draft"
    assert_error(cast.client.get(url), 404, "not_found")
    assert_error(cast.client.get(url, headers=cast.rival.headers), 404, "not_found")
    assert_error(cast.client.get(url, headers=cast.alice.headers), 404, "not_found")
    assert cast.client.get(url, headers=cast.dev.headers).json()["id"] == draft["id"]
    assert _ids(cast) == []
    assert _ids(cast, cast.rival.headers) == []
    assert _ids(cast, cast.dev.headers) == [draft["id"]]


def test_open_notice_and_its_works_are_public(cast: Cast) -> None:
    notice = cast.open_notice(cast.work_a, cast.work_b)
    public = cast.client.get(f"/v1/notices/{notice['id']}").json()
    assert public["state"] == "open"
    assert [(w["work_id"], w["title"]) for w in public["works"]] == [
        (cast.work_a, "Alpha"),
        (cast.work_b, "Beta"),
    ]
    assert all(w["window_end"] == public["window_end"] for w in public["works"])
    assert not any(w["excluded"] for w in public["works"])
    assert _ids(cast) == [notice["id"]]
    assert _ids(cast, holder_id=cast.bob.id) == [notice["id"]]
    assert _ids(cast, holder_id=cast.carol.id) == []
    assert _ids(cast, q="Beta") == [notice["id"]]
    assert _ids(cast, q="ModelCo", state="open", developer_id=cast.dev.id) == [notice["id"]]
    assert _ids(cast, state="closed") == []


def test_default_window_is_the_legal_minimum(cast: Cast, clock: FixedClock) -> None:
    notice = cast.open_notice(cast.work_a)
    start = datetime.fromisoformat(notice["window_start"])
    end = datetime.fromisoformat(notice["window_end"])
    assert (start, end - start) == (clock.now(), timedelta(days=30))
    assert cast.client.get(f"/v1/notices/{notice['id']}").json() == notice


def test_only_the_developer_publishes(cast: Cast) -> None:
    draft = cast.draft(cast.work_a)
    url = f"/v1/notices/{draft['id']}/publish"
    assert_error(cast.post(None, url), 401, "auth.missing")
    assert_error(cast.post(cast.rival, url), 403, "notice.not_owner")
    assert_error(cast.post(cast.alice, url), 403, "notice.not_owner")
    assert cast.post(cast.dev, url).json()["state"] == "open"
    assert_error(cast.post(cast.dev, url), 409, "notice.state")


def test_only_the_developer_amends(cast: Cast) -> None:
    notice = cast.open_notice(cast.work_a)
    url = f"/v1/notices/{notice['id']}/amend"
    body = {"add_works": [{"work_id": cast.work_b}]}
    assert_error(cast.post(cast.rival, url, body), 403, "notice.not_owner")
    response = cast.post(cast.dev, url, body)
    assert response.status_code == 201
    amended = response.json()
    assert (amended["version"], amended["series_id"]) == (2, notice["id"])
    assert [w["work_id"] for w in amended["works"]] == [cast.work_a, cast.work_b]
    old = cast.client.get(f"/v1/notices/{notice['id']}").json()
    assert (old["state"], old["superseded_by"]) == ("superseded", amended["id"])
    assert _ids(cast) == [amended["id"]]
    assert _ids(cast, include_superseded=True) == [amended["id"], notice["id"]]
    assert_error(cast.post(cast.dev, url, body), 409, "notice.superseded")


def test_only_the_developer_withdraws(cast: Cast) -> None:
    notice = cast.open_notice(cast.work_a)
    url = f"/v1/notices/{notice['id']}/withdraw"
    assert_error(cast.post(cast.rival, url), 403, "notice.not_owner")
    assert cast.post(cast.dev, url).json()["state"] == "withdrawn"
    assert_error(cast.client.get(f"/v1/notices/{notice['id']}"), 404, "not_found")


def test_only_developers_draft_notices(cast: Cast) -> None:
    body = {"model": "m", "works": [{"work_id": cast.work_a}]}
    assert_error(cast.post(cast.alice, "/v1/notices", body), 403, "auth.wrong_kind")
    assert_error(cast.post(cast.dev, "/v1/notices", {"model": "m"}), 422, "notice.no_works")
    missing = {"model": "m", "works": [{"work_id": 999}]}
    assert_error(cast.post(cast.dev, "/v1/notices", missing), 404, "not_found")


def test_advance_needs_no_token_and_is_idempotent(cast: Cast, clock: FixedClock) -> None:
    notice = cast.open_notice(cast.work_a)
    url = f"/v1/notices/{notice['id']}/advance"
    assert cast.post(None, url).json()["state"] == "open"
    clock.advance(timedelta(days=30))
    first = cast.post(None, url).json()
    assert first["state"] == "effective"
    assert first["closed_at"] is not None
    assert cast.post(None, url).json() == first
    assert_error(cast.post(None, "/v1/notices/999/advance"), 404, "not_found")
