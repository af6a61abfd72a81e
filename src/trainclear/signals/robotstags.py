"""``noai`` and its kin in ``X-Robots-Tag`` headers and ``<meta name="robots">``.

Robots directives are comma-separated; an ``X-Robots-Tag`` value may start with a user
agent (``googlebot: noindex, nofollow``) that the directives after it address. Three
directives concern AI training (DeviantArt's convention, followed by img2dataset and
others; no standard body defines them): ``noai`` (no AI training on this content),
``noimageai`` (no AI training on its images) and ``noml`` (read like ``noai``). They can
only reserve, never grant, so a finding disallows both purposes or there is none.

A statement addressed to one agent is a reservation all the same: by default every
agent's directives count (the agent is named in the detail); pass ``agents`` to read only
generic directives and those for the named agents. Meta names other than ``robots`` count
when they name a known crawler (``<meta name="googlebot" content="noai">``) or one of
``agents``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from datetime import datetime
from typing import Literal

from trainclear.signals.html import meta_tags
from trainclear.signals.model import Finding, Verdict, finding

Media = Literal["text", "image"]
HEADER_SCHEME = "x-robots-tag"
META_SCHEME = "meta-robots"

_AI_DIRECTIVES: dict[str, frozenset[str]] = {
    "noai": frozenset({"text", "image"}),
    "noml": frozenset({"text", "image"}),
    "noimageai": frozenset({"image"}),
}
_VALUED = frozenset({"unavailable_after", "max-snippet", "max-image-preview", "max-video-preview"})
KNOWN_AGENT_METAS = frozenset(
    {
        "googlebot",
        "googlebot-image",
        "googlebot-news",
        "google-extended",
        "bingbot",
        "msnbot",
        "ccbot",
        "gptbot",
        "chatgpt-user",
        "oai-searchbot",
        "claudebot",
        "anthropic-ai",
        "perplexitybot",
        "bytespider",
        "amazonbot",
        "applebot",
        "applebot-extended",
        "meta-externalagent",
        "facebookbot",
        "cohere-ai",
        "diffbot",
        "img2dataset",
    }
)
"""Meta names read as agent-specific robots metas, besides ``robots`` itself."""


def from_x_robots_tag(
    values: Sequence[str],
    *,
    media: Media,
    source: str,
    fetched_at: datetime | None = None,
    agents: Collection[str] | None = None,
) -> Finding | None:
    """The first AI-training reservation among ``X-Robots-Tag`` header values applying
    to ``media``; None when there is none."""
    wanted = _wanted(agents)
    for value in values:
        for agent, directive in directives(value):
            if _applies(agent, directive, media, wanted):
                shown = f"{agent}: {directive}" if agent else directive
                rule = f"X-Robots-Tag: {shown}"
                return _reserved(HEADER_SCHEME, source, rule, agent, directive, media, fetched_at)
    return None


def from_meta(
    html_or_tags: str | bytes | Sequence[tuple[str, str]],
    *,
    media: Media,
    source: str,
    fetched_at: datetime | None = None,
    agents: Collection[str] | None = None,
) -> Finding | None:
    """The first AI-training reservation in the head's robots metas (an HTML page, or
    pairs already read by :func:`~.html.meta_tags`); None when there is none."""
    tags = meta_tags(html_or_tags) if isinstance(html_or_tags, str | bytes) else html_or_tags
    wanted = _wanted(agents)
    for name, content in tags:
        if name == "robots":
            agent = None
        elif name in KNOWN_AGENT_METAS or (wanted is not None and name in wanted):
            agent = name
        else:
            continue
        for _, directive in directives(content):
            if _applies(agent, directive, media, wanted):
                rule = f'<meta name="{name}" content="{content[:200]}">'
                return _reserved(META_SCHEME, source, rule, agent, directive, media, fetched_at)
    return None


def directives(value: str) -> Iterator[tuple[str | None, str]]:
    """``(agent, directive)`` pairs of one header value, directives lower-cased and
    without their value (``max-snippet: 20`` gives ``max-snippet``). A leading
    ``agent:`` addresses the directives after it in the same value."""
    agent: str | None = None
    for item in value.split(","):
        head, colon, rest = item.partition(":")
        head = head.strip().lower()
        if colon and head and head not in _VALUED and not any(c.isspace() for c in head):
            agent = head
            head = rest.partition(":")[0].strip().lower()
        if head:
            yield agent, head


def _wanted(agents: Collection[str] | None) -> frozenset[str] | None:
    return None if agents is None else frozenset(a.strip().lower() for a in agents)


def _applies(
    agent: str | None, directive: str, media: Media, wanted: frozenset[str] | None
) -> bool:
    if media not in _AI_DIRECTIVES.get(directive, ()):
        return False
    return agent is None or wanted is None or agent in wanted


def _reserved(
    scheme: str,
    source: str,
    rule: str,
    agent: str | None,
    directive: str,
    media: Media,
    fetched_at: datetime | None,
) -> Finding:
    detail = {"directive": directive, "agent": agent or "*", "media": media}
    return finding(scheme, source, rule, Verdict.DISALLOW, fetched_at=fetched_at, detail=detail)
