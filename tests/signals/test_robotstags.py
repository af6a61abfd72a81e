"""``noai``, ``noimageai`` and ``noml`` in X-Robots-Tag headers and robots metas."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trainclear.signals.model import Verdict
from trainclear.signals.robotstags import Media, directives, from_meta, from_x_robots_tag


@pytest.mark.parametrize(
    ("values", "media", "directive", "agent"),
    [
        (["noai"], "text", "noai", "*"),
        (["NoAI"], "image", "noai", "*"),
        (["noml"], "text", "noml", "*"),
        (["noindex, nofollow"], "text", None, None),
        (["noimageai"], "text", None, None),
        (["noimageai"], "image", "noimageai", "*"),
        (["noindex", "noai, noimageai"], "image", "noai", "*"),
        (["googlebot: noindex", "otherbot: nofollow, noai"], "text", "noai", "otherbot"),
        (["googlebot: max-snippet: 20, noai"], "text", "noai", "googlebot"),
        (["max-snippet: 20, noai"], "text", "noai", "*"),
        (["unavailable_after: Wednesday, 03-Nov-2027 15:00:00 GMT"], "text", None, None),
        (["unavailable_after: 25 Jun 2010 15:00:00 PST, noai"], "text", "noai", "*"),
        (["none"], "text", None, None),
        (["noai-ish, notnoai"], "text", None, None),
        ([], "text", None, None),
    ],
)
def test_x_robots_tag(
    values: list[str], media: Media, directive: str | None, agent: str | None
) -> None:
    found = from_x_robots_tag(values, media=media, source="header")
    if directive is None:
        assert found is None
        return
    assert found is not None
    assert (found.scheme, found.ai_training, found.generative_ai_training) == (
        "x-robots-tag",
        Verdict.DISALLOW,
        Verdict.DISALLOW,
    )
    assert (found.detail["directive"], found.detail["agent"]) == (directive, agent)


def test_agents_narrow_agent_specific_directives() -> None:
    values = ["googlebot: noai"]
    assert from_x_robots_tag(values, media="text", source="h", agents=["bingbot"]) is None
    assert from_x_robots_tag(values, media="text", source="h", agents=["GoogleBot"]) is not None
    assert from_x_robots_tag(["noai"], media="text", source="h", agents=[]) is not None


def test_directives_carry_the_agent_through_the_value() -> None:
    assert list(directives("googlebot: noindex, noai")) == [
        ("googlebot", "noindex"),
        ("googlebot", "noai"),
    ]
    assert list(directives(" , max-image-preview:large")) == [(None, "max-image-preview")]


@pytest.mark.parametrize(
    ("html", "media", "directive", "agent"),
    [
        ('<meta name="robots" content="noai, noimageai">', "text", "noai", "*"),
        ('<meta name="robots" content="noimageai">', "text", None, None),
        ('<meta name="robots" content="noimageai">', "image", "noimageai", "*"),
        ('<meta name="ROBOTS" content="NOML">', "text", "noml", "*"),
        ('<meta name="googlebot" content="noai">', "text", "noai", "googlebot"),
        ('<meta name="CCBot" content="noai">', "image", "noai", "ccbot"),
        ('<meta name="description" content="noai art">', "text", None, None),
        ('<meta name="keywords" content="noai">', "text", None, None),
        ('<!-- <meta name="robots" content="noai"> -->', "text", None, None),
        ('<body><meta name="robots" content="noai">', "text", None, None),
        ('<meta name="robots" content="index, follow">', "text", None, None),
    ],
)
def test_meta(html: str, media: Media, directive: str | None, agent: str | None) -> None:
    found = from_meta(html, media=media, source="page")
    if directive is None:
        assert found is None
        return
    assert found is not None
    assert (found.scheme, found.ai_training, found.generative_ai_training) == (
        "meta-robots",
        Verdict.DISALLOW,
        Verdict.DISALLOW,
    )
    assert (found.detail["directive"], found.detail["agent"]) == (directive, agent)
    assert found.rule.startswith("<meta name=")


def test_meta_for_named_agents_and_pairs() -> None:
    html = '<meta name="mybot" content="noai">'
    assert from_meta(html, media="text", source="p") is None
    assert from_meta(html, media="text", source="p", agents=["MyBot"]) is not None
    assert from_meta([("robots", "noai")], media="text", source="p") is not None


@settings(deadline=None)
@given(st.lists(st.text(max_size=60), max_size=4), st.sampled_from(["text", "image"]))
def test_fuzz_x_robots_tag(values: list[str], media: Media) -> None:
    found = from_x_robots_tag(values, media=media, source="h")
    if found is not None:
        assert found.ai_training == found.generative_ai_training == Verdict.DISALLOW
        assert found.detail["directive"] in " ".join(values).lower()


@settings(deadline=None)
@given(st.text(max_size=300), st.sampled_from(["text", "image"]))
def test_fuzz_meta(html: str, media: Media) -> None:
    found = from_meta(html, media=media, source="p")
    if found is not None:
        assert found.ai_training == Verdict.DISALLOW
        assert found.detail["directive"] in html.lower()
