"""Remuneration over HTTP: tariff → notice → usage report → invoice → run → statements.

The dataset version is registered through the services (it needs a filter run's folder
on the server); everything else goes through the JSON API with bearer tokens.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import PartyHandle
from tests.services.remuneration import PERIOD, TARIFF, dataset_version
from tests.web.conftest import Cast, assert_error

MEASURED = {"a": 10_000, "b": 5_000}


def _get(cast: Cast, who: PartyHandle | None, url: str) -> Any:
    return cast.client.get(url, headers=who.headers if who else {})


def _version(cast: Cast, tmp_path: Path) -> int:
    platform = cast.client.app.state.platform  # type: ignore[attr-defined]
    measured = {cast.work_a: (1, MEASURED["a"]), cast.work_b: (1, MEASURED["b"])}
    return dataset_version(platform, cast.dev.actor, measured, tmp_path)


def _report(cast: Cast, version: int, **characters: int) -> dict[str, Any]:
    found = {**MEASURED, **characters}
    return {
        "dataset_version_id": version,
        "period": PERIOD,
        "model": "m-1",
        "epochs": 2,
        "tariff_code": TARIFF["code"],
        "lines": [
            {"work_id": cast.work_a, "records": 1, "characters": found["a"]},
            {"work_id": cast.work_b, "records": 1, "characters": found["b"]},
        ],
    }


def test_tariffs_and_settings_over_http(cast: Cast) -> None:
    assert_error(cast.post(cast.dev, "/v1/tariffs", TARIFF), 403, "auth.wrong_kind")
    assert_error(cast.post(None, "/v1/tariffs", TARIFF), 401, "auth.missing")
    floating = {**TARIFF, "schedules": [{**TARIFF["schedules"][0], "tiers": [{"rate": 0.1}]}]}
    assert_error(cast.post(cast.cmo, "/v1/tariffs", floating), 422, "web.request_invalid")
    created = cast.post(cast.cmo, "/v1/tariffs", TARIFF)
    assert created.status_code == 201, created.text
    assert_error(cast.post(cast.cmo, "/v1/tariffs", TARIFF), 409, "royalties.tariff_overlap")
    listed = cast.client.get("/v1/tariffs", params={"on": "2026-03-01"}).json()
    assert [t["code"] for t in listed] == [TARIFF["code"]]
    settings = {"fee_schedule": [{"up_to": 10000, "rate": "0.1"}, {"rate": "0.05"}]}
    assert_error(
        cast.client.put("/v1/cmos/me/settings", json=settings, headers=cast.dev.headers),
        403,
        "auth.wrong_kind",
    )
    put = cast.client.put("/v1/cmos/me/settings", json=settings, headers=cast.cmo.headers)
    assert put.status_code == 200, put.text
    shown = cast.client.get(f"/v1/cmos/{cast.cmo.id}/settings").json()
    assert shown["fee_schedule"] == [
        {"up_to": "10000", "rate": "0.1"},
        {"up_to": None, "rate": "0.05"},
    ]


def test_a_notice_names_its_tariff(cast: Cast) -> None:
    assert cast.post(cast.cmo, "/v1/tariffs", TARIFF).status_code == 201
    draft = cast.draft(cast.work_a)
    unknown = {"tariff_code": "NO-SUCH"}
    assert_error(
        cast.post(cast.dev, f"/v1/notices/{draft['id']}/publish", unknown), 404, "not_found"
    )
    named = cast.post(
        cast.dev, f"/v1/notices/{draft['id']}/publish", {"tariff_code": TARIFF["code"]}
    )
    assert named.status_code == 200, named.text
    body = named.json()
    assert (body["tariff_code"], body["tariff_cmo_id"]) == (TARIFF["code"], cast.cmo.id)
    assert cast.client.get(f"/v1/notices/{draft['id']}").json()["tariff_code"] == TARIFF["code"]


def test_the_loop_over_http(cast: Cast, tmp_path: Path) -> None:
    assert cast.post(cast.cmo, "/v1/tariffs", TARIFF).status_code == 201
    version = _version(cast, tmp_path)
    measured = _get(cast, cast.dev, f"/v1/datasets/{version}/measured-usage").json()
    assert [m["characters"] for m in measured] == [MEASURED["a"], MEASURED["b"]]
    assert_error(
        _get(cast, cast.rival, f"/v1/datasets/{version}/measured-usage"),
        403,
        "remuneration.not_yours",
    )

    short = cast.post(cast.dev, "/v1/usage-reports", _report(cast, version, b=4_000))
    error = assert_error(short, 422, "royalties.usage_understated")
    assert f"#{cast.work_b} characters: 4000 < 5000 (-1000)" in error["message"]
    assert_error(
        cast.post(cast.rival, "/v1/usage-reports", _report(cast, version)),
        403,
        "datasets.not_yours",
    )
    submitted = cast.post(cast.dev, "/v1/usage-reports", _report(cast, version))
    assert submitted.status_code == 201, submitted.text
    report = submitted.json()
    [invoice] = report["invoices"]
    assert (invoice["cmo_id"], invoice["total"], invoice["state"]) == (cast.cmo.id, 150, "unpaid")

    assert [i["id"] for i in _get(cast, cast.dev, "/v1/invoices").json()] == [invoice["id"]]
    assert _get(cast, cast.rival, "/v1/invoices").json() == []
    assert_error(
        _get(cast, cast.alice, f"/v1/invoices/{invoice['id']}"), 403, "remuneration.not_yours"
    )
    assert_error(cast.post(cast.dev, f"/v1/invoices/{invoice['id']}/pay"), 403, "auth.wrong_kind")
    paid = cast.post(cast.cmo, f"/v1/invoices/{invoice['id']}/pay")
    assert paid.json()["state"] == "paid", paid.text
    assert_error(
        cast.post(cast.cmo, f"/v1/invoices/{invoice['id']}/pay"), 409, "remuneration.invoice_paid"
    )

    assert_error(
        cast.post(cast.alice, "/v1/distributions", {"period": PERIOD}), 403, "auth.wrong_kind"
    )
    run = cast.post(cast.cmo, "/v1/distributions", {"period": PERIOD})
    assert run.status_code == 201, run.text
    again = cast.post(cast.cmo, "/v1/distributions", {"period": PERIOD})
    assert (again.status_code, again.json()["id"], again.json()["replayed"]) == (
        200,
        run.json()["id"],
        True,
    )
    overlap = cast.post(cast.cmo, "/v1/distributions", {"period": "2026-02-01/2026-03-31"})
    assert_error(overlap, 409, "royalties.period_distributed")
    _statements(cast, run.json()["id"])


def _statements(cast: Cast, run_id: int) -> None:
    base = f"/v1/distributions/{run_id}"
    mine = _get(cast, cast.alice, f"{base}/statements/{cast.alice.id}")
    assert mine.status_code == 200, mine.text
    assert (mine.json()["account"]["payout"], mine.json()["works"][0]["work_id"]) == (
        100,
        cast.work_a,
    )
    as_csv = _get(cast, cast.alice, f"{base}/statements/{cast.alice.id}?format=csv")
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert as_csv.text.splitlines()[1].startswith(f"work,{cast.work_a},10 per_1000_chars,")
    assert_error(
        _get(cast, cast.bob, f"{base}/statements/{cast.alice.id}"), 403, "remuneration.not_yours"
    )
    assert_error(_get(cast, None, f"{base}/statements/{cast.alice.id}"), 401, "auth.missing")
    assert (
        _get(cast, cast.admin, f"{base}/statements/{cast.bob.id}").json()["account"]["payout"] == 50
    )
    report = _get(cast, cast.cmo, f"{base}/report?format=csv&lang=zh-CN")
    assert "收取的使用费,150" in report.text
    assert _get(cast, cast.cmo, f"{base}/report").json()["figures"]["paid_out"] == 150
    assert_error(_get(cast, cast.alice, f"{base}/report"), 403, "remuneration.not_yours")
    accounts = _get(cast, cast.alice, "/v1/statements").json()
    assert [(a["run_id"], a["holder_id"]) for a in accounts] == [(run_id, cast.alice.id)]
    assert _get(cast, cast.cmo, f"{base}").json()["summary"]["collected"] == 150
    assert cast.post(cast.cmo, f"{base}/verify").status_code == 200
    assert _get(cast, cast.cmo, "/v1/reserve").json() == []
    assert cast.post(cast.cmo, "/v1/reserve/release").json() == {"released": [], "amount": 0}
    assert_error(cast.post(cast.alice, "/v1/reserve/release"), 403, "auth.wrong_kind")
