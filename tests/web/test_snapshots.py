"""Snapshots over HTTP: export, read, and the verified, immutable file."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

from tests.web.conftest import Cast, assert_error
from trainclear.clock import FixedClock
from trainclear.services.platform import Platform


def _export(cast: Cast, body: dict[str, Any]) -> dict[str, Any]:
    response = cast.post(cast.dev, "/v1/snapshots", body)
    assert response.status_code == 201, response.text
    snapshot: dict[str, Any] = response.json()
    return snapshot


def test_registry_snapshot_export_list_get(cast: Cast) -> None:
    cast.post(cast.alice, "/v1/opt-outs", {"scope": "work", "work_id": cast.work_a})
    snapshot = _export(cast, {})
    assert (snapshot["scope"], snapshot["purpose"]) == ("registry", "generative_ai_training")
    assert (snapshot["works_count"], snapshot["excluded_count"]) == (2, 1)
    assert "path" not in snapshot
    assert cast.client.get(f"/v1/snapshots/{snapshot['id']}").json() == snapshot
    assert cast.client.get("/v1/snapshots").json() == [snapshot]


def test_snapshot_file_is_served_verified_and_cacheable(cast: Cast) -> None:
    snapshot = _export(cast, {"purpose": "ai_training"})
    response = cast.client.get(f"/v1/snapshots/{snapshot['id']}/file")
    assert response.status_code == 200
    assert hashlib.sha256(response.content).hexdigest() == snapshot["id"]
    assert response.headers["etag"] == f'"{snapshot["id"]}"'
    assert "immutable" in response.headers["cache-control"]
    assert json.loads(response.content)["purpose"] == "ai_training"


def test_export_needs_a_token_and_a_closed_notice(cast: Cast, clock: FixedClock) -> None:
    assert_error(cast.post(None, "/v1/snapshots", {}), 401, "auth.missing")
    notice = cast.open_notice(cast.work_a)
    early = cast.post(cast.dev, "/v1/snapshots", {"notice_id": notice["id"]})
    assert_error(early, 409, "notice.window_open")
    clock.advance(timedelta(days=30))
    assert _export(cast, {"notice_id": notice["id"]})["scope"] == "notice"


def test_unknown_snapshot_is_404_without_server_paths(cast: Cast, platform: Platform) -> None:
    for url in ("/v1/snapshots/deadbeefdeadbeef", "/v1/snapshots/deadbeefdeadbeef/file"):
        response = cast.client.get(url)
        assert_error(response, 404, "not_found")
        assert str(platform.settings.home) not in response.text


def test_tampered_snapshot_file_is_not_served(cast: Cast, platform: Platform) -> None:
    snapshot = _export(cast, {})
    path = Path(platform.settings.snapshot_dir) / snapshot["id"] / "snapshot.json"
    path.chmod(0o644)
    path.write_bytes(path.read_bytes().replace(b"Alpha", b"Alpho"))
    response = cast.client.get(f"/v1/snapshots/{snapshot['id']}/file")
    assert_error(response, 422, "snapshot.corrupt")
    assert b"Alpho" not in response.content
