"""Scan: per-work counts, source domains, URL-rule hits, totals, and the report's JSON."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.pipeline.conftest import Corpus, WriteShard
from trainclear import __version__
from trainclear.errors import RecordError
from trainclear.pipeline import ScanReport, WorkHits, scan

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@pytest.fixture
def report(tmp_path: Path, corpus: Corpus, shard: WriteShard) -> ScanReport:
    first = shard(tmp_path / "a.jsonl.zst", corpus.records[:6])
    second = shard(tmp_path / "b.parquet", corpus.records[6:])
    return scan([first, second], corpus.index, now=NOW)


def _work(report: ScanReport, work_id: int) -> WorkHits:
    (hit,) = [w for w in report.works if w.work_id == work_id]
    return hit


def test_scan_counts_records_and_characters_per_work(report: ScanReport, corpus: Corpus) -> None:
    pp = corpus.records[0]["text"]
    work = _work(report, 1)
    assert (work.title, work.excluded, work.records, work.characters) == (
        "Pride and Prejudice",
        True,
        2,
        2 * len(pp),
    )
    assert work.kinds == ("fingerprint",)
    assert work.domains == {"gutenberg.example": 1, "mirror.example.com": 1}
    assert [w.work_id for w in report.works] == [1, 2, 3, 4, 5, 6, 9]


def test_a_work_matched_two_ways_counts_its_record_once(report: ScanReport) -> None:
    work = _work(report, 4)
    assert (work.records, work.kinds, work.domains) == (1, ("fingerprint", "identifier"), {})


def test_registered_works_that_are_not_excluded_are_reported(report: ScanReport) -> None:
    work = _work(report, 9)
    assert (work.excluded, work.records, work.domains) == (False, 1, {"poems.example.com": 1})


def test_url_rule_hits_and_totals(report: ScanReport, corpus: Corpus) -> None:
    assert [(r.kind, r.value, r.records, r.reasons) for r in report.url_rules] == [
        ("domain", "optout.cn", 1, (("opt_out", "opt_out:8"),)),
        ("url_prefix", "blog.example.net/private", 1, (("opt_out", "opt_out:7"),)),
    ]
    totals = report.totals
    assert (totals.shards, totals.records, totals.matched, totals.excluded) == (2, 16, 10, 9)
    assert totals.characters == sum(len(r["text"]) for r in corpus.records)
    assert [i.records for i in report.inputs] == [6, 10]
    assert report.snapshot_id == corpus.snapshot.id
    assert (report.tool_version, report.created_at) == (__version__, "2026-03-02T09:30:00+00:00")


def test_report_json_is_stable_and_round_trips(report: ScanReport) -> None:
    text = report.to_json()
    data = json.loads(text)
    assert {"works", "snapshot_id", "inputs", "totals", "tool_version", "created_at"} <= set(data)
    assert data["works"][0] == {
        "work_id": 1,
        "title": "Pride and Prejudice",
        "excluded": True,
        "records": 2,
        "characters": data["works"][0]["characters"],
        "kinds": ["fingerprint"],
        "domains": {"gutenberg.example": 1, "mirror.example.com": 1},
        "characters_used": 0,  # the test snapshot records no work lengths
        "share_used": 0.0,
    }
    assert text == json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n"
    assert ScanReport.from_json(text) == report
    assert ScanReport.from_json(text).to_json() == text


@pytest.mark.parametrize(
    "text",
    ["[]", '{"format": "other"}', '{"format": "trainclear-scan-report", "version": 0}'],
)
def test_from_json_rejects_what_is_not_a_report(text: str) -> None:
    with pytest.raises(ValueError, match="not a"):
        ScanReport.from_json(text)


def test_scan_skips_or_fails_on_malformed_records(tmp_path: Path, corpus: Corpus) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text('{"id": "a", "text": "x"}\n{"id": 2}\n{"id": "b", "text": "y"}\n')
    with pytest.raises(RecordError, match=re.escape("a.jsonl:2: field 'id'")):
        scan([path], corpus.index)
    report = scan([path], corpus.index, on_error="skip")
    assert (report.totals.records, report.totals.skipped, report.works) == (2, 1, ())


def test_scan_progress_adds_up_to_the_records(
    tmp_path: Path, corpus: Corpus, shard: WriteShard
) -> None:
    calls: list[int] = []
    scan([shard(tmp_path / "a.jsonl", corpus.records)], corpus.index, progress=calls.append)
    assert sum(calls) == len(corpus.records)
