"""Which robots.txt product tokens name crawlers that gather data for AI training.

A robots.txt group that disallows such a crawler is read as a reservation against AI
training. trainclear ships a short curated list (:data:`TRAINING_AGENTS`, chosen from
each operator's own description of the crawler) so the package works offline, and can
classify a larger ai.robots.txt-style JSON file (:func:`load_agents`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

TRAINING_AGENTS = (
    "GPTBot",  # OpenAI: crawls content that may be used to train its models
    "ClaudeBot",  # Anthropic: collects data for model training
    "anthropic-ai",  # Anthropic: older training token
    "CCBot",  # Common Crawl: open corpus used to train many models
    "Google-Extended",  # Google: control token for Gemini training and grounding
    "Applebot-Extended",  # Apple: control token for training Apple's models
    "Bytespider",  # ByteDance: LLM training
    "meta-externalagent",  # Meta: training AI models
    "FacebookBot",  # Meta: training language/speech models
    "cohere-training-data-crawler",  # Cohere: downloads training data
    "Diffbot",  # Diffbot: web data for its knowledge graph and LLMs
    "omgili",  # Webz.io: crawl data sold, including for AI training
    "omgilibot",
    "Webzio-Extended",  # Webz.io: control token for AI-training use of its data
    "AI2Bot",  # Ai2: data to train open language models
    "Ai2Bot-Dolma",  # Ai2: the Dolma training corpus
    "PanguBot",  # Huawei: data for the PanGu models
    "Timpibot",  # Timpi: data to train LLMs
    "img2dataset",  # image-text datasets for model training
    "DeepSeekBot",  # DeepSeek: training language models
    "YandexAdditional",  # Yandex: data for YandexGPT
)
"""Curated training crawlers; each comment gives the documented function."""

_TOKEN_HEAD = re.compile(r"[^/\s]*")
_TRAINING_FUNCTION = re.compile(
    r"\btrain|\bllms?\b|language model|machine learning|\bai model|ai data scraper|dataset",
    re.IGNORECASE,
)


def product_token(agent: str) -> str:
    """The lower-cased product token of a user agent (RFC 9309 §2.2.1).

    The token is the text before the first ``/`` or whitespace: ``GPTBot/1.1`` and
    ``Brightbot 1.0`` give ``gptbot`` and ``brightbot``; ``*`` stays ``*``. The RFC's
    ABNF allows only letters, ``-`` and ``_``, but real tokens carry digits and dots
    (``AI2Bot``, ``bigsur.ai``); cutting those off would merge different crawlers.
    """
    agent = agent.strip()
    if agent.startswith("*"):
        return "*"
    head = _TOKEN_HEAD.match(agent)
    return head.group(0).lower() if head else ""


def is_training_function(function: str) -> bool:
    """Whether an ai.robots.txt ``function`` text says the crawler gathers training data.

    The rule: the text mentions training (``train``, ``training``), LLMs or language
    models, machine learning, AI models, datasets, or is the "AI Data Scrapers"
    category (crawlers that download data to train models). Search crawlers, AI
    assistants, agents and coding agents fetch for a user's request and do not match.
    The keywords err towards counting a crawler as a training crawler, which can only
    make a robots.txt read as reserving more.
    """
    return bool(_TRAINING_FUNCTION.search(function))


@dataclass(frozen=True, slots=True)
class AgentSet:
    """Product tokens of AI-training crawlers, kept as written and matched lower-cased."""

    training: tuple[str, ...]
    """Display names, e.g. ``GPTBot``; one per distinct product token."""
    others: tuple[str, ...] = ()
    """Known AI crawlers that do not train (search, assistants, agents)."""
    keys: frozenset[str] = field(init=False, repr=False, compare=False)
    """The lower-cased product tokens of :attr:`training`."""

    def __post_init__(self) -> None:
        by_key: dict[str, str] = {}
        for name in self.training:
            key = product_token(name)
            if key and key != "*":
                by_key.setdefault(key, name.strip())
        others: dict[str, str] = {}
        for name in self.others:
            key = product_token(name)
            if key and key not in by_key:
                others.setdefault(key, name.strip())
        object.__setattr__(self, "training", tuple(sorted(by_key.values(), key=str.lower)))
        object.__setattr__(self, "others", tuple(sorted(others.values(), key=str.lower)))
        object.__setattr__(self, "keys", frozenset(by_key))

    @classmethod
    def of(cls, *names: str) -> AgentSet:
        return cls(tuple(names))

    def is_training(self, agent: str) -> bool:
        return product_token(agent) in self.keys

    def union(self, other: AgentSet) -> AgentSet:
        return AgentSet(self.training + other.training, self.others + other.others)


def default_agents() -> AgentSet:
    """The curated list, needing no data files."""
    return AgentSet(TRAINING_AGENTS)


def classify(entries: dict[str, dict[str, str]]) -> AgentSet:
    """Split ai.robots.txt entries into training and other crawlers by function."""
    training: list[str] = []
    others: list[str] = []
    for name, info in entries.items():
        function = str(info.get("function", "")) if isinstance(info, dict) else ""
        (training if is_training_function(function) else others).append(name)
    return AgentSet(tuple(training), tuple(others))


def load_agents(path: str | Path, *, with_defaults: bool = True) -> AgentSet:
    """Classify an ai.robots.txt-style JSON file (``{"GPTBot": {"function": ...}}``).

    With ``with_defaults`` the curated list is added, so tokens whose function text is
    vague (``Applebot-Extended``) are still counted.
    """
    entries = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(entries, dict):
        raise ValueError(f"{path}: expected a JSON object of agents")
    loaded = classify(entries)
    return default_agents().union(loaded) if with_defaults else loaded
