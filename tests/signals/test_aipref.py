"""AIPREF Content-Usage values: the drafts' examples, the category hierarchy, fail-closed."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trainclear.signals.aipref import (
    AiprefSyntaxError,
    Preferences,
    combine_preferences,
    parse_content_usage,
    parse_preferences,
)
from trainclear.signals.model import Verdict

EXAMPLES = "data/signals/spec_examples/aipref"
_SPEC = {"allowed": Verdict.ALLOW, "disallowed": Verdict.DISALLOW, "unknown": Verdict.UNKNOWN}
_RESERVED = {
    "reserved": Verdict.DISALLOW,
    "not_reserved": Verdict.ALLOW,
    "unknown": Verdict.UNKNOWN,
}


def _values(shared: Path) -> list[dict[str, Any]]:
    data = json.loads((shared / EXAMPLES / "content_usage_values.json").read_text("utf-8"))
    values: list[dict[str, Any]] = data["values"]
    return values


def test_every_spec_value_gives_the_stated_preferences(shared_dir: Path) -> None:
    values = _values(shared_dir)
    assert len(values) >= 7
    for case in values:
        try:
            prefs = parse_preferences(case["value"])
        except AiprefSyntaxError:
            # vocab §6.5: "If the parsing of the Dictionary fails, preferences are unknown."
            assert set(case["expected"].values()) == {"unknown"}, case["value"]
            continue
        for label, expected in case["expected"].items():
            assert prefs.get(label) == _SPEC[expected], (case["value"], label)


def test_every_spec_value_gives_the_stated_finding(shared_dir: Path) -> None:
    for case in _values(shared_dir):
        found = parse_content_usage(case["value"], source="header:content-usage")
        if found.error is not None:
            # our deliberate deviation: an unparseable value fails closed
            assert case["value"] in ("Train-AI=n", 'train-ai;has;parameters="?";')
            assert found.ai_training == found.generative_ai_training == Verdict.DISALLOW
        else:
            assert found.ai_training == _RESERVED[case["ai_training_reserved"]], case["value"]


def test_http_example_reserves(shared_dir: Path) -> None:
    raw = (shared_dir / EXAMPLES / "http_response_content_usage_train_ai_n.http").read_text()
    header = next(line for line in raw.splitlines() if line.startswith("Content-Usage:"))
    when = datetime(2025, 4, 23, 4, 48, 2, tzinfo=UTC)
    found = parse_content_usage(header.partition(":")[2].strip(), source="s", fetched_at=when)
    assert found.scheme == "aipref"
    assert found.reserved
    assert found.ai_training == found.generative_ai_training == Verdict.DISALLOW
    assert found.rule == "Content-Usage: train-ai=n"
    assert found.fetched_at == when
    assert found.detail["preferences"] == {"train-ai": "disallow"}


@pytest.mark.parametrize(
    ("value", "ai", "genai"),
    [
        ("train-ai=n", Verdict.DISALLOW, Verdict.DISALLOW),
        ("train-ai=y", Verdict.ALLOW, Verdict.ALLOW),
        ("train-ai=y, train-genai=n", Verdict.ALLOW, Verdict.DISALLOW),
        ("train-genai=y, train-ai=n", Verdict.DISALLOW, Verdict.ALLOW),
        ("train-genai=n", Verdict.UNKNOWN, Verdict.DISALLOW),
        ("all=n", Verdict.DISALLOW, Verdict.DISALLOW),
        ("all=n, train-ai=y", Verdict.ALLOW, Verdict.ALLOW),
        ("all=y, train-genai=n", Verdict.ALLOW, Verdict.DISALLOW),
        ("bots=n", Verdict.DISALLOW, Verdict.DISALLOW),
        ("all=y, bots=n", Verdict.DISALLOW, Verdict.DISALLOW),
        ("search=n, ai-use=n", Verdict.UNKNOWN, Verdict.UNKNOWN),
        ("search=y, train-ai=n", Verdict.DISALLOW, Verdict.DISALLOW),
        ("future-thing=n, train-ai=y", Verdict.ALLOW, Verdict.ALLOW),
        ("train-ai=n;reason=licence", Verdict.DISALLOW, Verdict.DISALLOW),
        ("train-ai=maybe", Verdict.UNKNOWN, Verdict.UNKNOWN),
        ("train-ai=1", Verdict.UNKNOWN, Verdict.UNKNOWN),
        ("train-ai=(n)", Verdict.UNKNOWN, Verdict.UNKNOWN),
        ("", Verdict.UNKNOWN, Verdict.UNKNOWN),
    ],
)
def test_hierarchy_more_specific_wins(value: str, ai: Verdict, genai: Verdict) -> None:
    found = parse_content_usage(value, source="s")
    assert found.error is None
    assert (found.ai_training, found.generative_ai_training) == (ai, genai)


def test_vocab_duplicate_key_example_expresses_nothing() -> None:
    # vocab -03 §6.5: "the following expresses no preferences"
    prefs = parse_preferences('train-ai=y, train-ai="n", train-genai=n, train-genai, all=n, all=()')
    assert prefs == Preferences()


def test_invalid_value_is_an_error_finding_that_disallows() -> None:
    found = parse_content_usage(b"Train-AI=n", source="header:content-usage")
    assert found.error is not None
    assert "Train-AI=n" in found.rule
    assert found.ai_training == Verdict.DISALLOW


def test_combining_statements_is_most_restrictive() -> None:
    a = parse_preferences("train-ai=y, search=y")
    b = parse_preferences("train-ai=n")
    combined = combine_preferences([a, b])
    assert combined.get("train-ai") == Verdict.DISALLOW
    assert combined.get("search") == Verdict.ALLOW


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.binary(), st.text(alphabet='train-genaiyn ,;=()?"*bots')))
def test_fuzz_never_raises_and_only_allows_on_a_y(value: str | bytes) -> None:
    found = parse_content_usage(value, source="s")
    if found.error is not None:
        assert found.ai_training == found.generative_ai_training == Verdict.DISALLOW
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    if Verdict.ALLOW in (found.ai_training, found.generative_ai_training):
        assert "y" in text
