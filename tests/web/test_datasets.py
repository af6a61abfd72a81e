"""Dataset versions over HTTP: who may register, the sketch, the affected query."""

from __future__ import annotations

import json
from pathlib import Path

from tests.web.conftest import Cast, assert_error
from trainclear.ledger.sketch import MembershipSketch
from trainclear.services import runs


def _filtered(cast: Cast, tmp_path: Path, text: str) -> Path:
    snapshot = cast.post(cast.dev, "/v1/snapshots", {}).json()["id"]
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(json.dumps({"id": "a", "text": text}) + "\n", encoding="utf-8")
    platform = cast.client.app.state.platform  # type: ignore[attr-defined]
    out = tmp_path / "out"
    runs.run_filter(platform, actor=cast.dev.actor, snapshot=snapshot, inputs=[corpus], out_dir=out)
    return out


def test_versions_sketches_and_affected_over_http(
    cast: Cast, tmp_path: Path, shared_dir: Path
) -> None:
    text = (shared_dir / "data/texts/dev/en/dracula.txt").read_text("utf-8")[:8000]
    folder = str(_filtered(cast, tmp_path, text))
    body = {"name": "web", "folder": folder}
    assert_error(cast.post(cast.alice, "/v1/datasets", body), 403, "auth.wrong_kind")
    created = cast.post(cast.dev, "/v1/datasets", body)
    assert created.status_code == 201, created.text
    version = created.json()
    assert (version["version"], version["records"]) == (1, 1)
    raw = cast.client.get(f"/v1/datasets/{version['id']}/sketch").content
    assert MembershipSketch.from_bytes(raw).contains(text[1000:3000])
    answer = cast.post(None, f"/v1/datasets/{version['id']}/query", {"text": text[2000:4000]})
    assert answer.json()["contains"] is True
    model = cast.post(cast.dev, "/v1/models", {"name": "m", "dataset_version_ids": [version["id"]]})
    assert model.status_code == 201, model.text
    work = cast.post(cast.alice, "/v1/works", {"title": "Dracula", "text": text}).json()["id"]
    found = cast.client.get(f"/v1/works/{work}/affected").json()["versions"]
    assert [(v["evidence"], v["models"]) for v in found] == [(["manifest"], [model.json()["id"]])]
    assert_error(cast.client.get("/v1/works/999/affected"), 404, "not_found")
