"""The whole clearance loop over HTTP, as a developer, two holders and the office live it.

register works → draft → publish → objection in the window excludes its work → window
closes → a late objection becomes an opt-out → dispute → still excluded → decision →
notice snapshot → the snapshot file, verified by its hash.
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from typing import Any

from tests.web.conftest import Cast, assert_error
from trainclear.clock import FixedClock


def _excluded(cast: Cast, notice_id: int) -> dict[int, bool]:
    works = cast.client.get(f"/v1/notices/{notice_id}").json()["works"]
    return {w["work_id"]: w["excluded"] for w in works}


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def test_clearance_loop(cast: Cast, clock: FixedClock) -> None:
    a, b = cast.work_a, cast.work_b
    draft = cast.draft(a, b)
    notice = _ok(cast.post(cast.dev, f"/v1/notices/{draft['id']}/publish"))
    nid = notice["id"]

    clock.advance(timedelta(days=10))
    [early] = _ok(cast.object(cast.alice, nid, a), 201)
    assert (early["in_window"], early["opt_out_id"]) == (True, None)
    assert _excluded(cast, nid) == {a: True, b: False}

    clock.advance(timedelta(days=21))
    assert _ok(cast.post(None, f"/v1/notices/{nid}/advance"))["state"] == "effective"
    [late] = _ok(cast.object(cast.bob, nid, b), 201)
    assert late["in_window"] is False
    opt_outs = _ok(cast.client.get("/v1/opt-outs", params={"work_id": b}))
    assert [(o["id"], o["source"], o["objection_id"]) for o in opt_outs] == [
        (late["opt_out_id"], "objection", late["id"])
    ]

    too_late = cast.post(cast.dev, "/v1/disputes", {"objection_id": early["id"], "grounds": "x"})
    assert_error(too_late, 422, "dispute.late")
    dispute = _ok(
        cast.post(cast.dev, "/v1/disputes", {"objection_id": late["id"], "grounds": "licensed"}),
        201,
    )
    assert dispute["state"] == "pending"
    assert _excluded(cast, nid) == {a: True, b: True}
    assert [o["state"] for o in _ok(cast.client.get(f"/v1/notices/{nid}/objections"))] == [
        "effective",
        "disputed",
    ]

    decision = {"outcome": "objection_dismissed", "decision": "a licence was shown"}
    _ok(cast.post(cast.admin, f"/v1/disputes/{dispute['id']}/decision", decision))
    assert _excluded(cast, nid) == {a: True, b: False}
    assert _ok(cast.client.get("/v1/opt-outs", params={"work_id": b})) == []

    snapshot = _ok(cast.post(cast.dev, "/v1/snapshots", {"notice_id": nid}), 201)
    assert (snapshot["scope"], snapshot["notice_id"], snapshot["excluded_count"]) == (
        "notice",
        nid,
        1,
    )
    file = cast.client.get(f"/v1/snapshots/{snapshot['id']}/file")
    assert file.status_code == 200
    assert file.headers["content-type"] == "application/json"
    assert hashlib.sha256(file.content).hexdigest() == snapshot["id"]
    content = json.loads(file.content)
    reasons = {w["work_id"]: [r["code"] for r in w["reasons"]] for w in content["works"]}
    assert reasons == {a: ["objection"], b: []}
