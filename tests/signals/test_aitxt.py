"""Spawning ai.txt: file-type rules about AI training."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trainclear.signals.aitxt import parse_ai_txt
from trainclear.signals.model import Verdict

SRC = "https://example.com/ai.txt"
WHEN = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SPAWNING = """# Spawning AI
# Prevent datasets from using the following file types

User-Agent: *
Disallow: *.txt
Disallow: *.pdf
Disallow: *.jpg
Disallow: *.jpeg
Disallow: *.png
Allow: *.html
"""


@pytest.mark.parametrize(
    ("url", "verdict", "line"),
    [
        ("https://example.com/photos/cat.jpg", Verdict.DISALLOW, 7),
        ("https://example.com/photos/CAT.JPG", Verdict.DISALLOW, 7),
        ("/docs/paper.pdf?download=1", Verdict.DISALLOW, 6),
        ("/notes.txt", Verdict.DISALLOW, 5),
        ("/index.html", Verdict.ALLOW, 10),
        ("/video.mp4", Verdict.UNKNOWN, None),
    ],
)
def test_spawning_file_types(url: str, verdict: Verdict, line: int | None) -> None:
    found = parse_ai_txt(SPAWNING, source=SRC, fetched_at=WHEN).judge(url)
    assert found.scheme == "ai.txt"
    assert found.ai_training == found.generative_ai_training == verdict
    assert found.detail.get("line") == line
    assert found.source == SRC
    assert found.fetched_at == WHEN


def test_rule_is_quoted_as_written() -> None:
    found = parse_ai_txt(SPAWNING.encode(), source=SRC).judge("/a.PNG")
    assert found.rule == "Disallow: *.png (line 9)"


def test_disallow_all_with_longer_allow() -> None:
    policy = parse_ai_txt("User-Agent: *\nDisallow: /\nAllow: /public/\n", source=SRC)
    assert policy.judge("/private/a.jpg").ai_training == Verdict.DISALLOW
    assert policy.judge("/public/a.jpg").ai_training == Verdict.ALLOW


def test_any_group_that_disallows_wins() -> None:
    text = "User-Agent: *\nAllow: /\n\nUser-Agent: GPTBot\nDisallow: *.jpg\n"
    policy = parse_ai_txt(text, source=SRC)
    assert policy.judge("/a.jpg").ai_training == Verdict.DISALLOW
    assert policy.judge("/a.html").ai_training == Verdict.ALLOW


def test_rules_before_any_group_apply_to_all() -> None:
    found = parse_ai_txt("Disallow: *.mp3\n", source=SRC).judge("/song.mp3")
    assert found.ai_training == Verdict.DISALLOW
    assert found.rule == "Disallow: *.mp3 (line 1)"


@pytest.mark.parametrize(
    ("status", "verdict", "error"),
    [(404, Verdict.UNKNOWN, False), (503, Verdict.DISALLOW, True), (None, Verdict.DISALLOW, True)],
)
def test_status(status: int | None, verdict: Verdict, error: bool) -> None:
    found = parse_ai_txt(SPAWNING, status=status, source=SRC).judge("/a.jpg")
    assert found.ai_training == verdict
    assert (found.error is not None) is error


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.binary(max_size=1000), st.text(max_size=1000)), st.text(max_size=30))
def test_fuzz_never_raises(body: bytes | str, url: str) -> None:
    found = parse_ai_txt(body, source=SRC).judge(url)
    assert found.scheme == "ai.txt"
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    if found.ai_training == Verdict.ALLOW:
        assert "allow" in text.lower()
