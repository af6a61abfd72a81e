"""Reservation signals in scan and filter: judged offline, named in the reports."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.pipeline.conftest import Corpus, tree_bytes, write_jsonl
from trainclear.pipeline import (
    EXCLUSIONS,
    MANIFEST,
    LocalExecutor,
    SignalConfig,
    filter_corpus,
    run_filter,
    scan,
)
from trainclear.signals.capture import Capture, PolicyKind

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
BEFORE, AFTER = "2026-02-01T00:00:00Z", "2026-02-20T00:00:00Z"
BLOCK = "User-agent: CCBot\nDisallow: /\n"


def _records() -> list[dict[str, Any]]:
    def page(rid: str, **extra: Any) -> dict[str, Any]:
        return {
            "id": rid,
            "text": f"an ordinary page {rid}",
            "url": f"https://{rid}.example/p",
            **extra,
        }

    return [
        page("plain"),
        page("tdm", headers={"tdm-reservation": "1"}),
        page("noai", html='<head><meta name="robots" content="noai"></head>'),
        page("bad-headers", headers="tdm-reservation: 1"),
        {**page("site-old"), "url": "https://site.example/a", "fetched_at": BEFORE},
        {**page("site-new"), "url": "https://site.example/b", "fetched_at": AFTER},
    ]


def _captures(tmp_path: Path) -> Path:
    capture = Capture(
        "https://site.example/robots.txt",
        PolicyKind.ROBOTS,
        datetime(2026, 2, 10, tzinfo=UTC),
        200,
        BLOCK.encode(),
    )
    path = tmp_path / "captures.jsonl"
    path.write_text(json.dumps(capture.to_dict()) + "\n", encoding="utf-8")
    return path


def _exclusions(out: Path) -> dict[str, dict[str, Any]]:
    lines = (out / EXCLUSIONS).read_text("utf-8").splitlines()
    return {e["id"]: e for e in map(json.loads, lines)}


def test_filter_drops_reserved_records_and_names_signal_and_rule(
    tmp_path: Path, corpus: Corpus
) -> None:
    source = write_jsonl(tmp_path / "pages.jsonl", _records())
    config = SignalConfig(site_policies=str(_captures(tmp_path)))
    result = run_filter([source], tmp_path / "out", corpus.index, now=NOW, signals=config)
    dropped = _exclusions(tmp_path / "out")
    assert set(dropped) == {"tdm", "noai", "bad-headers", "site-new"}
    assert result.kept == 2
    assert dropped["tdm"]["reason"] == "signal"
    assert dropped["tdm"]["ref"].startswith("tdmrep:")
    assert dropped["bad-headers"]["reason"] == "signal_error"
    assert "Disallow: /" in dropped["site-new"]["ref"]
    manifest = json.loads((tmp_path / "out" / MANIFEST).read_text("utf-8"))
    assert manifest["signals"]["site_policies"] == config.site_policies


def test_without_signals_only_the_registry_applies(tmp_path: Path, corpus: Corpus) -> None:
    source = write_jsonl(tmp_path / "pages.jsonl", _records())
    result = run_filter([source], tmp_path / "out", corpus.index, now=NOW)
    assert (result.kept, result.excluded) == (6, 0)
    manifest = json.loads((tmp_path / "out" / MANIFEST).read_text("utf-8"))
    assert manifest["signals"] is None


def test_scan_counts_signal_reservations_beside_the_url_rules(
    tmp_path: Path, corpus: Corpus
) -> None:
    source = write_jsonl(tmp_path / "pages.jsonl", _records())
    config = SignalConfig(site_policies=str(_captures(tmp_path)))
    report = scan([source], corpus.index, signals=config, now=NOW)
    signals = {r.value: r.records for r in report.url_rules if r.kind == "signal"}
    assert sum(signals.values()) == 4
    assert report.totals.excluded == 4
    assert any(v.startswith("robots https://site.example/robots.txt") for v in signals)


def test_worker_processes_judge_exactly_as_one_process(
    tmp_path: Path, corpus: Corpus, snapshot_file: Path
) -> None:
    records = _records() * 3
    inputs = [write_jsonl(tmp_path / f"s{i}.jsonl", records[i::3]) for i in range(3)]
    config = SignalConfig(site_policies=str(_captures(tmp_path)))
    one = filter_corpus(inputs, tmp_path / "one", snapshot_file, now=NOW, signals=config)
    two = filter_corpus(
        inputs,
        tmp_path / "two",
        snapshot_file,
        executor=LocalExecutor(workers=2),
        now=NOW,
        signals=config,
    )
    assert one.excluded == two.excluded == 12
    assert tree_bytes(tmp_path / "one") == tree_bytes(tmp_path / "two")
