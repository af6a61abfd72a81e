"""Scan measures how much of each work a corpus uses: overlaps once, shares of the work."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from trainclear.fingerprint.textindex import sample_text
from trainclear.pipeline import scan
from trainclear.pipeline.loading import open_index
from trainclear.snapshot.files import write_snapshot
from trainclear.snapshot.model import Snapshot, SnapshotWork


@pytest.mark.parametrize("name", ["en/dracula.txt", "zh/shijing.txt"])
def test_scan_reports_characters_and_share_used(
    tmp_path: Path, shared_dir: Path, name: str
) -> None:
    text = (shared_dir / "data/texts/dev" / name).read_text(encoding="utf-8")[:30_000]
    sample = sample_text(text)
    work = SnapshotWork(5, "W", None, (), (), len(text), sample.folded_length)
    snapshot = Snapshot("registry", "ai_training", "2026-01-01T00:00:00+00:00", (work,))
    folder = write_snapshot(snapshot, tmp_path / "s", [(5, sample.keys, sample.fpos)])
    records = [
        {"id": "a", "text": "lead " + text[10_000:12_000], "url": "https://a.example/1"},
        {"id": "b", "text": text[11_000:13_000] + " tail", "url": "https://b.example/2"},
        {"id": "c", "text": "nothing to see here", "url": "https://c.example/3"},
    ]
    shard = tmp_path / "corpus.jsonl"
    shard.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    report = scan([shard], open_index(folder))
    [hits] = report.works
    assert hits.records == 2
    assert hits.kinds == ("text",)
    assert hits.domains == {"a.example": 1, "b.example": 1}
    # 10,000-13,000, overlap counted once; estimated from folded spans (a few % off)
    assert 2_700 <= hits.characters_used <= 3_150
    assert hits.share_used == pytest.approx(3_000 / 30_000, abs=0.01)
    assert json.loads(report.to_json())["works"][0]["share_used"] == hits.share_used
