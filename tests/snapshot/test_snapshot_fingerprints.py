"""Properties of the normalisation the index matches on, over slices of the real texts."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from trainclear.fingerprint.text import normalise_text, text_fingerprint

_GAPS = st.lists(st.sampled_from([" ", "\n", "\t", "\u3000", ",", "。", "—", "!?", "\r\n"]))


def _slice(texts: dict[str, str], data: st.DataObject, lang: str = "") -> str:
    name = data.draw(st.sampled_from(sorted(k for k in texts if k.startswith(lang))))
    text = texts[name]
    start = data.draw(st.integers(0, len(text) - 1))
    return text[start : start + data.draw(st.integers(0, 3000))]


def _wide(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@settings(database=None, max_examples=60)
@given(data=st.data())
def test_normalise_is_idempotent(dev_texts: dict[str, str], data: st.DataObject) -> None:
    once = normalise_text(_slice(dev_texts, data))
    assert normalise_text(once) == once


@settings(database=None, max_examples=60)
@given(data=st.data())
def test_fingerprint_ignores_case_and_full_width(
    dev_texts: dict[str, str], data: st.DataObject
) -> None:
    text = _slice(dev_texts, data, "en/")
    assert text_fingerprint(_wide(text.upper())) == text_fingerprint(text)
    assert text_fingerprint(unicodedata.normalize("NFKC", text)) == text_fingerprint(text)


@settings(database=None, max_examples=60)
@given(data=st.data())
def test_fingerprint_ignores_how_gaps_are_written(
    dev_texts: dict[str, str], data: st.DataObject
) -> None:
    words = _slice(dev_texts, data).split()
    gaps = [data.draw(_GAPS.map("".join).filter(bool)) for _ in words]
    respaced = "".join(w + g for w, g in zip(words, gaps, strict=True))
    assert text_fingerprint(respaced) == text_fingerprint(" ".join(words))
