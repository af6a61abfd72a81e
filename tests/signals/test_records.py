"""Judging one record: headers, HTML, fetch time and image, each failing closed when bad."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from trainclear.domain import Purpose
from trainclear.signals.model import Verdict
from trainclear.signals.records import RecordFields, SignalConfig, SignalJudge

GEN = Purpose.GENERATIVE_AI_TRAINING
URL = "https://news.example/story"


def judge(**fields: Any) -> tuple[Verdict, list[str]]:
    judgement = SignalJudge(SignalConfig()).judge(RecordFields(url=URL, **fields))
    return judgement.verdict(GEN), [f.scheme for f in judgement.findings]


@pytest.mark.parametrize(
    ("headers", "scheme"),
    [
        ({"TDM-Reservation": "1"}, "tdmrep"),
        ([["X-Robots-Tag", "noai"]], "x-robots-tag"),
        ({"Content-Usage": "train-ai=n"}, "aipref"),
        ({"X-Robots-Tag": ["index", "noai, noimageai"]}, "x-robots-tag"),
    ],
)
def test_reserving_headers_disallow(headers: Any, scheme: str) -> None:
    result, schemes = judge(headers=headers)
    assert result == Verdict.DISALLOW
    assert scheme in schemes


def test_permissive_and_silent_headers() -> None:
    assert judge(headers={"tdm-reservation": "0"})[0] == Verdict.ALLOW
    assert judge(headers={"Content-Type": "text/html"}) == (Verdict.UNKNOWN, [])
    assert judge() == (Verdict.UNKNOWN, [])


def test_html_meta_reservations() -> None:
    tdm = '<html><head><meta name="tdm-reservation" content="1"></head><body>x</body></html>'
    noai = '<html><head><meta name="robots" content="noai"></head></html>'
    assert judge(html=tdm)[0] == Verdict.DISALLOW
    assert judge(html=noai)[0] == Verdict.DISALLOW


@pytest.mark.parametrize(
    "fields",
    [
        {"headers": "tdm-reservation: 1"},
        {"headers": {"x": 1}},
        {"html": ["<meta>"]},
        {"fetched_at": "last tuesday"},
        {"fetched_at": "2026-03-01T10:00:00"},
        {"fetched_at": 1700000000},
    ],
)
def test_an_unreadable_signal_field_fails_closed(fields: dict[str, Any]) -> None:
    judgement = SignalJudge(SignalConfig()).judge(RecordFields(url=URL, **fields))
    assert judgement.verdict(GEN) == Verdict.DISALLOW
    assert judgement.errors


def test_an_image_carrying_a_cawg_reservation_is_disallowed(shared_dir: Path) -> None:
    data = (shared_dir / "data/signals/c2pa/cawg_training_mining_not_allowed.jpg").read_bytes()
    result, schemes = judge(image=data)
    assert result == Verdict.DISALLOW
    assert "cawg" in schemes


def test_config_records_where_policies_come_from_but_not_the_database_url() -> None:
    config = SignalConfig(site_policies="db", database_url="postgresql://u:secret@h/db")
    assert "database_url" not in config.to_dict()
    assert config.to_dict()["site_policies"] == "db"
