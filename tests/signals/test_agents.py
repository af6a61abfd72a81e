"""AI-training crawler tokens: the curated list and the ai.robots.txt classifier."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trainclear.signals.agents import (
    AgentSet,
    classify,
    default_agents,
    is_training_function,
    load_agents,
    product_token,
)

AI_ROBOTS = "data/signals/ai_robots.json"


@pytest.mark.parametrize(
    ("agent", "token"),
    [
        ("GPTBot", "gptbot"),
        ("GPTBot/1.2", "gptbot"),
        ("  ClaudeBot  ", "claudebot"),
        ("Brightbot 1.0", "brightbot"),
        ("iaskspider/2.0", "iaskspider"),
        ("AI2Bot", "ai2bot"),
        ("bigsur.ai", "bigsur.ai"),
        ("*", "*"),
        ("* everyone", "*"),
        ("", ""),
    ],
)
def test_product_token(agent: str, token: str) -> None:
    assert product_token(agent) == token


def test_default_agents_cover_the_documented_training_crawlers() -> None:
    agents = default_agents()
    for name in (
        "GPTBot",
        "ClaudeBot",
        "anthropic-ai",
        "CCBot",
        "Google-Extended",
        "Applebot-Extended",
        "Bytespider",
        "meta-externalagent",
        "cohere-training-data-crawler",
        "Diffbot",
        "Omgilibot",
        "Ai2Bot-Dolma",
        "PanguBot",
    ):
        assert agents.is_training(name), name
    for name in ("Googlebot", "OAI-SearchBot", "ChatGPT-User", "Claude-User", "Bingbot", "*"):
        assert not agents.is_training(name), name


def test_agent_set_is_frozen_and_deduplicated() -> None:
    agents = AgentSet.of("GPTBot", "gptbot/1.0", "CCBot", "*")
    assert agents.training == ("CCBot", "GPTBot")
    assert agents.keys == {"gptbot", "ccbot"}
    with pytest.raises(dataclasses.FrozenInstanceError):
        agents.training = ()  # type: ignore[misc]
    assert hash(agents) == hash(AgentSet.of("CCBot", "GPTBot"))


@pytest.mark.parametrize(
    ("function", "training"),
    [
        ("Scrapes data to train OpenAI's products.", True),
        ("LLM training.", True),
        ("AI Data Scrapers", True),
        ("Training language models", True),
        (
            "Provides open crawl dataset, used for many purposes, including Machine Learning/AI.",
            True,
        ),
        ("AI model training.", True),
        ("AI Search Crawlers", False),
        ("AI Assistants", False),
        ("AI Agents", False),
        ("AI Coding Agents", False),
        ("Search result generation.", False),
        ("Data Scraper from RSS Feeds.", False),
        ("Unclear at this time.", False),
    ],
)
def test_function_keyword_rule(function: str, training: bool) -> None:
    assert is_training_function(function) is training


def test_load_agents_classifies_the_ai_robots_file(shared_dir: Path) -> None:
    agents = load_agents(shared_dir / AI_ROBOTS, with_defaults=False)
    for name in ("GPTBot", "ClaudeBot", "Bytespider", "CCBot", "Google-Extended", "Timpibot"):
        assert agents.is_training(name), name
    for name in ("OAI-SearchBot", "ChatGPT-User", "Claude-SearchBot", "PerplexityBot", "Applebot"):
        assert not agents.is_training(name), name
        assert name in agents.others
    assert not agents.is_training("Applebot-Extended")  # its function text names no training
    assert load_agents(shared_dir / AI_ROBOTS).is_training("Applebot-Extended")
    assert not set(agents.training) & set(agents.others)


def test_load_agents_rejects_a_non_object(tmp_path: Path) -> None:
    path = tmp_path / "agents.json"
    path.write_text(json.dumps(["GPTBot"]), encoding="utf-8")
    with pytest.raises(ValueError, match="JSON object"):
        load_agents(path)


def test_classify_tolerates_odd_entries() -> None:
    agents = classify({"A": {"function": "LLM training."}, "B": "junk"})  # type: ignore[dict-item]
    assert agents.training == ("A",)
    assert agents.others == ("B",)


@settings(max_examples=200, deadline=None)
@given(st.text(), st.text())
def test_fuzz_tokens_and_functions(agent: str, function: str) -> None:
    token = product_token(agent)
    assert "/" not in token
    assert token == token.lower()
    assert token == "*" or not any(c.isspace() for c in token)
    assert isinstance(is_training_function(function), bool)
    assert AgentSet.of(agent).keys <= {token}
