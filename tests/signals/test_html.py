"""The tolerant meta-tag scanner used by TDMRep and meta robots."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trainclear.signals.html import MAX_SCAN_CHARS, attributes, meta_tags

EXAMPLE = "data/signals/spec_examples/tdmrep/html_meta_reserved_with_policy.html"


def test_reads_the_tdmrep_spec_example(shared_dir: Path) -> None:
    html = (shared_dir / EXAMPLE).read_text()
    assert meta_tags(html) == [
        ("tdm-reservation", "1"),
        ("tdm-policy", "https://provider.com/policies/policy.json"),
    ]


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<meta name="robots" content="noai">', [("robots", "noai")]),
        ("<meta name=robots content=noai>", [("robots", "noai")]),
        ("<meta name='robots' content='noai, noimageai'>", [("robots", "noai, noimageai")]),
        ('<META NAME="Robots" CONTENT=" noai ">', [("robots", "noai")]),
        ('<meta content="a &amp; b" name="x"/>', [("x", "a & b")]),
        ('<meta property="og:title" content="T">', [("og:title", "T")]),
        ('<meta name="a" property="b" content="c">', [("a", "c"), ("b", "c")]),
        ('<meta name="a" name="b" content="c">', [("a", "c")]),
        ('<meta name="description">', []),
        ('<meta charset="utf-8"><meta name="x" content="">', [("x", "")]),
        ("<!-- <meta name=robots content=noai> --><meta name=a content=b>", [("a", "b")]),
        ('<script>"<meta name=x content=noai>"</script><meta name=a content=b>', [("a", "b")]),
        ("<title><meta name=robots content=noai></title>", []),
        ("<style>/* <meta name=a content=b> */</style>", []),
        ("<head><meta name=a content=b></head><meta name=c content=d>", [("a", "b")]),
        ("<meta name=a content=b><body><meta name=c content=d>", [("a", "b")]),
        ("<meta name=a content=b><BODY class=x><meta name=c content=d>", [("a", "b")]),
        ("<!-- never closed <meta name=a content=b>", []),
        ('<meta name="a" content="runs to the end', [("a", "runs to the end")]),
        ("<!DOCTYPE html><?pi x?><meta name=a content=b>", [("a", "b")]),
        ("a < b and <3 <meta name=a content=b>", [("a", "b")]),
        ("</div><meta name=a content=b>", [("a", "b")]),
        ("<noscript><meta name=a content=b></noscript>", [("a", "b")]),
        ("<metadata name=a content=b>", []),
    ],
)
def test_meta_tags(html: str, expected: list[tuple[str, str]]) -> None:
    assert meta_tags(html) == expected


def test_bytes_are_read_as_utf8() -> None:
    assert meta_tags('<meta name="x" content="café">'.encode()) == [("x", "café")]
    assert meta_tags(b'<meta name="x" content="\xff">') == [("x", "\ufffd")]


def test_input_is_bounded() -> None:
    padding = "<p>" + "x" * MAX_SCAN_CHARS
    assert meta_tags(padding + '<meta name="robots" content="noai">') == []
    assert meta_tags('<meta name="robots" content="noai">' + padding) == [("robots", "noai")]


def test_attributes_returns_where_the_tag_ends() -> None:
    text = "<meta name=\"a\" content='b' data-x=1 checked>rest"
    attrs, end = attributes(text, len("<meta"))
    assert attrs == {"name": "a", "content": "b", "data-x": "1", "checked": ""}
    assert text[end:] == "rest"


@settings(deadline=None)
@given(st.text(max_size=400))
def test_fuzz_never_raises_and_lowercases_names(text: str) -> None:
    for name, content in meta_tags(text):
        assert name == name.strip().lower()
        assert isinstance(content, str)


@settings(deadline=None)
@given(st.text(max_size=400))
def test_fuzz_a_leading_meta_is_always_found(text: str) -> None:
    assert meta_tags('<meta name="robots" content="noai">' + text)[0] == ("robots", "noai")
