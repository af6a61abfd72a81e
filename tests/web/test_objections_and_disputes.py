"""Objections and disputes over HTTP: who may object, for what, and who decides."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import Cast, assert_error


def _contest(cast: Cast, objection_id: int) -> dict[str, Any]:
    body = {"objection_id": objection_id, "grounds": "licensed directly"}
    response = cast.post(cast.dev, "/v1/disputes", body)
    assert response.status_code == 201, response.text
    dispute: dict[str, Any] = response.json()
    return dispute


def test_non_holder_objection_is_403(cast: Cast) -> None:
    notice = cast.open_notice(cast.work_a, cast.work_b)
    assert_error(cast.object(cast.carol, notice["id"]), 403, "objection.no_works_held")
    assert_error(cast.object(cast.dev, notice["id"]), 403, "auth.wrong_kind")
    assert_error(cast.object(cast.admin, notice["id"]), 403, "auth.wrong_kind")
    assert_error(cast.post(None, f"/v1/notices/{notice['id']}/objections"), 401, "auth.missing")
    assert cast.client.get(f"/v1/notices/{notice['id']}/objections").json() == []


def test_holder_objects_only_for_works_it_holds(cast: Cast) -> None:
    notice = cast.open_notice(cast.work_a, cast.work_b)
    refused = cast.object(cast.alice, notice["id"], cast.work_a, cast.work_b)
    assert_error(refused, 403, "work.not_holder")
    assert cast.client.get(f"/v1/notices/{notice['id']}/objections").json() == []
    response = cast.object(cast.alice, notice["id"])
    assert response.status_code == 201
    assert [(o["work_id"], o["in_window"]) for o in response.json()] == [(cast.work_a, True)]
    works = cast.client.get(f"/v1/notices/{notice['id']}").json()["works"]
    assert {w["work_id"]: w["excluded"] for w in works} == {cast.work_a: True, cast.work_b: False}


def test_cmo_objects_for_works_under_its_mandate(cast: Cast) -> None:
    notice = cast.open_notice(cast.work_a, cast.work_b)
    response = cast.object(cast.cmo, notice["id"], cast.work_b)
    assert [o["objector_id"] for o in response.json()] == [cast.cmo.id]
    assert_error(cast.object(cast.cmo, notice["id"], cast.work_a), 403, "work.not_holder")


def test_objections_need_a_published_notice_listing_the_work(cast: Cast) -> None:
    draft = cast.draft(cast.work_a)
    assert_error(cast.object(cast.alice, draft["id"]), 409, "objection.not_yet_open")
    notice = cast.open_notice(cast.work_b)
    unlisted = cast.object(cast.alice, notice["id"], cast.work_a)
    assert_error(unlisted, 422, "notice.work_not_listed")
    assert_error(cast.object(cast.alice, 999), 404, "not_found")


def test_objections_are_public_and_searchable(cast: Cast) -> None:
    notice = cast.open_notice(cast.work_a, cast.work_b)
    by_alice = cast.object(cast.alice, notice["id"]).json()
    filed = by_alice + cast.object(cast.bob, notice["id"]).json()
    assert len(filed) == 2
    listed = cast.client.get(f"/v1/notices/{notice['id']}/objections").json()
    assert listed == filed
    mine = cast.client.get("/v1/objections", params={"objector_id": cast.bob.id}).json()
    assert [o["work_id"] for o in mine] == [cast.work_b]
    against = cast.client.get("/v1/objections", params={"developer_id": cast.dev.id}).json()
    assert len(against) == 2
    assert cast.client.get("/v1/objections", params={"developer_id": cast.rival.id}).json() == []


def test_only_the_notice_developer_contests(cast: Cast) -> None:
    notice = cast.open_notice(cast.work_a)
    objection = cast.object(cast.alice, notice["id"]).json()[0]
    body = {"objection_id": objection["id"], "grounds": "mine"}
    assert_error(cast.post(cast.rival, "/v1/disputes", body), 403, "notice.not_owner")
    assert_error(cast.post(cast.alice, "/v1/disputes", body), 403, "auth.wrong_kind")
    no_grounds = cast.post(cast.dev, "/v1/disputes", {**body, "grounds": ""})
    assert_error(no_grounds, 422, "web.request_invalid")
    _contest(cast, objection["id"])
    assert_error(cast.post(cast.dev, "/v1/disputes", body), 409, "dispute.not_contestable")


def test_only_the_administration_decides(cast: Cast) -> None:
    notice = cast.open_notice(cast.work_a)
    objection = cast.object(cast.alice, notice["id"]).json()[0]
    dispute = _contest(cast, objection["id"])
    url = f"/v1/disputes/{dispute['id']}/decision"
    body = {"outcome": "objection_upheld", "decision": "the holder reserved in time"}
    for party in (cast.dev, cast.alice, cast.cmo):
        assert_error(cast.post(party, url, body), 403, "auth.wrong_kind")
    pending = {**body, "outcome": "pending"}
    assert_error(cast.post(cast.admin, url, pending), 422, "invalid")
    decided = cast.post(cast.admin, url, body).json()
    assert (decided["state"], decided["decided_by"]) == ("objection_upheld", cast.admin.id)
    assert_error(cast.post(cast.admin, url, body), 409, "dispute.already_decided")
    assert_error(cast.post(cast.admin, "/v1/disputes/999/decision", body), 404, "not_found")


def test_dispute_queue_filters(cast: Cast) -> None:
    notice = cast.open_notice(cast.work_a, cast.work_b)
    first = cast.object(cast.alice, notice["id"]).json()[0]
    cast.object(cast.bob, notice["id"])
    dispute = _contest(cast, first["id"])

    def ids(**params: object) -> list[int]:
        return [d["id"] for d in cast.client.get("/v1/disputes", params=params).json()]

    assert ids() == [dispute["id"]]
    assert ids(state="pending", developer_id=cast.dev.id) == [dispute["id"]]
    assert ids(objector_id=cast.alice.id) == [dispute["id"]]
    assert ids(objector_id=cast.bob.id) == []
    assert ids(state="objection_upheld") == []
    assert_error(cast.client.get("/v1/disputes?state=nope"), 422, "web.request_invalid")
