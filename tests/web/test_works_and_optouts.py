"""Works and opt-outs over HTTP: registration, search, mandates, reservations."""

from __future__ import annotations

from tests.web.conftest import Cast, assert_error


def test_register_and_read_a_work(cast: Cast) -> None:
    body = {
        "title": "Gamma",
        "text": "gamma text",
        "identifiers": [{"scheme": "url", "value": "https://example.org/gamma"}],
    }
    response = cast.post(cast.alice, "/v1/works", body)
    assert response.status_code == 201
    work = response.json()
    assert work["holders"] == [{"holder_id": cast.alice.id, "share": "1"}]
    assert work["fingerprint"].startswith("sha256:")
    assert "text" not in work
    assert cast.client.get(f"/v1/works/{work['id']}").json() == work


def test_search_works(cast: Cast) -> None:
    def titles(**params: object) -> list[str]:
        return [w["title"] for w in cast.client.get("/v1/works", params=params).json()]

    assert titles() == ["Alpha", "Beta"]
    assert titles(holder_id=cast.bob.id) == ["Beta"]
    assert titles(cmo_id=cast.cmo.id) == ["Beta"]
    assert titles(q="alp") == ["Alpha"]


def test_holder_registers_only_own_works(cast: Cast) -> None:
    body = {"title": "Not mine", "text": "x", "holders": [{"holder_id": cast.bob.id}]}
    assert_error(cast.post(cast.alice, "/v1/works", body), 403, "work.registrant_not_holder")


def test_mandate_is_set_by_a_holder_only(cast: Cast) -> None:
    url = f"/v1/works/{cast.work_a}/mandate"
    body = {"cmo_id": cast.cmo.id, "cmo_stance": "opted_out"}
    refused = cast.client.put(url, json=body, headers=cast.bob.headers)
    assert_error(refused, 403, "work.not_holder")
    work = cast.client.put(url, json=body, headers=cast.alice.headers).json()
    assert (work["cmo_id"], work["cmo_stance"]) == (cast.cmo.id, "opted_out")
    assert_error(cast.client.put(url, json=body), 401, "auth.missing")


def test_opt_out_declare_list_withdraw(cast: Cast) -> None:
    created = cast.post(cast.alice, "/v1/opt-outs", {"scope": "work", "work_id": cast.work_a})
    assert created.status_code == 201
    opt_out = created.json()
    assert (opt_out["source"], opt_out["declared_by"]) == ("declaration", cast.alice.id)
    listed = cast.client.get("/v1/opt-outs", params={"work_id": cast.work_a}).json()
    assert [o["id"] for o in listed] == [opt_out["id"]]
    url = f"/v1/opt-outs/{opt_out['id']}/withdraw"
    assert_error(cast.post(cast.bob, url), 403, "optout.not_declarant")
    assert cast.post(cast.alice, url).json()["withdrawn_by"] == cast.alice.id
    assert cast.client.get("/v1/opt-outs").json() == []
    history = cast.client.get("/v1/opt-outs", params={"include_withdrawn": True}).json()
    assert [o["id"] for o in history] == [opt_out["id"]]


def test_opt_out_for_a_work_one_does_not_hold_is_403(cast: Cast) -> None:
    response = cast.post(cast.alice, "/v1/opt-outs", {"scope": "work", "work_id": cast.work_b})
    assert_error(response, 403, "work.not_holder")
    by_cmo = cast.post(cast.cmo, "/v1/opt-outs", {"scope": "work", "work_id": cast.work_b})
    assert by_cmo.status_code == 201
