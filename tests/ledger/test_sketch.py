"""Membership sketches on the dev texts: included texts and their excerpts are found,
reformatted or not; excluded texts are not; the file format round-trips and rejects damage."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from opencc import OpenCC

from trainclear.fingerprint.fold import fold_table
from trainclear.fingerprint.textindex import codepoints, fold_text
from trainclear.ledger.sketch import (
    MIN_CHAIN,
    MembershipSketch,
    SketchBuilder,
    SketchParams,
    lookup_fpr,
)

INCLUDED = [
    "en/dracula.txt",
    "en/pride-and-prejudice.txt",
    "en/strange-case-of-dr-jekyll-and-mr-hyde.txt",
    "zh/lunyu.txt",
    "zh/shijing.txt",
    "zh/chuci.txt",
]
EXCLUDED = [
    "en/a-study-in-scarlet.txt",
    "en/wuthering-heights.txt",
    "en/the-picture-of-dorian-gray.txt",
    "zh/youmengying.txt",
    "zh/tangshi-sanbaishou.txt",
    "zh/songci-sanbaishou.txt",
]
WIDTH = str.maketrans(
    {c: chr(ord(c) + 0xFEE0) for c in "abcdefghijklmnopqrstuvwxyz,.!?"}
    | {chr(ord(c) + 0xFEE0): c for c in ",;:!?()"}
    | {"。": ".", "、": ","}
)


@pytest.fixture(scope="module")
def texts(shared_dir: Path) -> dict[str, str]:
    base = shared_dir / "data/texts/dev"
    return {name: (base / name).read_text(encoding="utf-8") for name in INCLUDED + EXCLUDED}


@pytest.fixture(scope="module")
def sketch(texts: dict[str, str]) -> MembershipSketch:
    return MembershipSketch.build(texts[name] for name in INCLUDED)


def _excerpts(text: str, count: int, seed: int) -> list[str]:
    """``count`` excerpts of 1,000 to 3,000 characters at random offsets."""
    rng = random.Random(seed)
    spans = [(rng.randrange(len(text) - 3000), rng.randrange(1000, 3001)) for _ in range(count)]
    return [text[start : start + size] for start, size in spans]


@pytest.mark.parametrize("name", INCLUDED)
def test_included_text_is_found_whole(
    sketch: MembershipSketch, texts: dict[str, str], name: str
) -> None:
    hit = sketch.query(texts[name])
    assert sketch.contains(texts[name])
    assert hit.covered_fraction > 0.99
    assert hit.longest_chain_chars > 0.9 * len(fold_text(texts[name]))


@pytest.mark.parametrize("name", INCLUDED)
def test_excerpts_of_included_texts_are_found(
    sketch: MembershipSketch, texts: dict[str, str], name: str
) -> None:
    missed = [e[:40] for e in _excerpts(texts[name], 40, seed=len(name)) if not sketch.contains(e)]
    assert missed == []


def _shouted(text: str) -> str:
    return " ".join(text.upper().split())


def _rewrapped(text: str) -> str:
    flat = " ".join(text.split())
    return "\n".join(flat[i : i + 37] for i in range(0, len(flat), 37))


def _width(text: str) -> str:
    """ASCII letters and punctuation to full width, CJK punctuation to half width."""
    return text.lower().translate(WIDTH)


def _traditional(text: str) -> str:
    return str(OpenCC("s2t").convert(text))


@pytest.mark.parametrize(
    ("name", "reformat"),
    [
        *(("en/dracula.txt", f) for f in (_shouted, _rewrapped, _width)),
        *(("zh/shijing.txt", f) for f in (_shouted, _rewrapped, _width, _traditional)),
    ],
)
def test_reformatted_excerpts_are_found(
    sketch: MembershipSketch, texts: dict[str, str], name: str, reformat: Callable[[str], str]
) -> None:
    for excerpt in _excerpts(texts[name], 10, seed=7):
        copy = reformat(excerpt)
        assert copy != excerpt
        assert sketch.contains(copy), copy[:60]


@pytest.mark.parametrize("name", EXCLUDED)
def test_excluded_texts_are_not_found(
    sketch: MembershipSketch, texts: dict[str, str], name: str
) -> None:
    """The whole text and every 1,000-character window (every 200 characters) of it."""
    text = texts[name]
    windows = [text[i : i + 1000] for i in range(0, len(text) - 1000, 200)]
    false_matches = [w[:40] for w in windows if sketch.contains(w)]
    assert len(windows) > 100
    assert false_matches == []
    assert not sketch.contains(text)
    assert sketch.query(text).covered_fraction == 0.0


def test_measured_lookup_fpr_matches_analysis(
    sketch: MembershipSketch, texts: dict[str, str]
) -> None:
    """Hits on excluded texts (every offset: ~430,000 lookups) are Bloom false positives."""
    hits = [sketch.query(texts[name]) for name in EXCLUDED]
    measured = sum(h.hits for h in hits) / sum(h.probes for h in hits)
    assert sketch.analytic_fpr() == pytest.approx(sketch.params.lookup_fpr, rel=0.01)
    assert sketch.fpr_estimate() == pytest.approx(sketch.analytic_fpr(), rel=0.1)
    assert measured == pytest.approx(sketch.analytic_fpr(), rel=0.15)
    assert max(h.longest_chain for h in hits) < MIN_CHAIN


def test_defaults_are_the_documented_design() -> None:
    params = SketchParams()
    assert (params.width, params.stride, params.bits_per_item, params.hashes) == (50, 50, 10, 7)
    assert params.lookup_fpr == pytest.approx(0.0082, abs=0.0001)
    assert params.lookup_fpr**MIN_CHAIN < 1e-10
    assert params.min_excerpt() == 299
    assert lookup_fpr(7, 0.0) == 0.0


@pytest.mark.parametrize("expected_chars", [None, "exact"])
def test_size_is_at_most_five_percent_of_the_text(
    texts: dict[str, str], expected_chars: str | None
) -> None:
    included = [texts[name] for name in INCLUDED]
    planned = sum(map(len, included)) if expected_chars else None
    sketch = MembershipSketch.build(included, expected_chars=planned)
    text_bytes = sum(len(t.encode("utf-8")) for t in included)
    assert sketch.size_bytes == len(sketch.to_bytes())
    assert sketch.size_bytes <= 0.05 * text_bytes
    assert sketch.fpr_estimate() <= 1.2 * SketchParams().lookup_fpr
    assert all(sketch.contains(t) for t in included)


@pytest.mark.parametrize("expected_chars", [None, 400_000])
def test_builder_finishes_again_with_more_texts(
    texts: dict[str, str], expected_chars: int | None
) -> None:
    builder = SketchBuilder(expected_chars=expected_chars)
    builder.add(texts[INCLUDED[0]])
    first = builder.finish()
    builder.add(texts[INCLUDED[3]])
    second = builder.finish()
    assert first.contains(texts[INCLUDED[0]])
    assert not first.contains(texts[INCLUDED[3]])
    assert second.contains(texts[INCLUDED[0]])
    assert second.contains(texts[INCLUDED[3]])


def test_round_trip_keeps_everything(sketch: MembershipSketch, texts: dict[str, str]) -> None:
    data = sketch.to_bytes()
    loaded = MembershipSketch.from_bytes(data)
    assert loaded.to_bytes() == data
    assert loaded.sketch_id == sketch.sketch_id
    assert (loaded.params, loaded.items, loaded.fold_version, loaded.nbits) == (
        sketch.params,
        sketch.items,
        sketch.fold_version,
        sketch.nbits,
    )
    for name in (INCLUDED[0], EXCLUDED[0]):
        assert loaded.query(texts[name]) == sketch.query(texts[name])


def test_sketch_id_depends_on_content_not_order(texts: dict[str, str]) -> None:
    forward = MembershipSketch.build(texts[name] for name in INCLUDED)
    backward = MembershipSketch.build(texts[name] for name in reversed(INCLUDED))
    fewer = MembershipSketch.build(texts[name] for name in INCLUDED[1:])
    assert forward.sketch_id == backward.sketch_id
    assert fewer.sketch_id != forward.sketch_id


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda d: d[:50], "truncated"),
        (lambda d: d[:-8], "bit array"),
        (lambda d: d + b"\0", "bit array"),
        (lambda d: b"XX" + d[2:], "bad magic"),
        (lambda d: _flip(d, 8), "version"),
        (lambda d: _flip(d, 30), "SHA-256"),  # the n-gram count
        (lambda d: _flip(d, len(d) - 1), "SHA-256"),  # the bit array
    ],
)
def test_damaged_bytes_are_rejected(
    sketch: MembershipSketch, damage: Callable[[bytes], bytes], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        MembershipSketch.from_bytes(damage(sketch.to_bytes()))


@pytest.fixture(scope="module")
def small_sketch_bytes() -> bytes:
    return MembershipSketch.build(["a tiny dataset of one sentence, long enough " * 4]).to_bytes()


@settings(database=None, max_examples=200, deadline=None)
@given(at=st.integers(min_value=0), change=st.integers(min_value=1, max_value=255))
def test_any_changed_byte_is_rejected(small_sketch_bytes: bytes, at: int, change: int) -> None:
    data = small_sketch_bytes
    at %= len(data)
    damaged = data[:at] + bytes([data[at] ^ change]) + data[at + 1 :]
    with pytest.raises(ValueError, match="membership sketch"):
        MembershipSketch.from_bytes(damaged)


@pytest.mark.parametrize(
    "fields",
    [(0, 1, 10, 7), (50, 0, 10, 7), (50, 51, 10, 7), (50, 50, 0, 7), (50, 50, 10, 33)],
)
def test_invalid_params_are_refused(fields: tuple[int, int, int, int]) -> None:
    with pytest.raises(ValueError, match="must be between"):
        SketchParams(*fields)


def test_short_texts_add_nothing_and_match_nothing(sketch: MembershipSketch) -> None:
    builder = SketchBuilder()
    assert builder.add("far too short: under fifty letters") == 0
    assert builder.add("x" * 100) == 2
    empty = MembershipSketch.build([])
    assert (empty.items, empty.nbits) == (0, 64)
    assert not empty.contains("x" * 1000, min_chain=1)
    assert sketch.query("").probes == 0
    assert not sketch.contains("tiny")
    with pytest.raises(ValueError, match="min_chain"):
        sketch.query("tiny", min_chain=0)


WORDS = st.text(
    alphabet=st.characters(categories=("Ll", "Lu", "Lo", "Nd", "Zs", "Po")), max_size=12
)


@settings(database=None, max_examples=60, deadline=None)
@given(
    words=st.lists(WORDS, min_size=1, max_size=120),
    params=st.sampled_from([SketchParams(), SketchParams(8, 8, 10, 7), SketchParams(12, 5, 6, 4)]),
    min_chain=st.integers(min_value=1, max_value=MIN_CHAIN),
    others=st.lists(st.text(min_size=50, max_size=300), max_size=3),
)
def test_no_false_negatives(
    words: list[str], params: SketchParams, min_chain: int, others: list[str]
) -> None:
    """Any text added is found once it holds ``min_chain`` strided n-grams."""
    text = " ".join(words)
    if len(fold_text(text)) < (min_chain - 1) * params.stride + params.width:
        text = text + " filler" * (min_chain * params.stride + params.width)
    sketch = MembershipSketch.build([*others, text, *others], params)
    assert sketch.contains(text, min_chain=min_chain)


@pytest.fixture(scope="module")
def folded_ends(texts: dict[str, str]) -> dict[str, np.ndarray]:
    """For each included text, the folded length of every prefix ``text[:i + 1]``."""
    lengths = fold_table().lengths
    return {name: np.cumsum(lengths[codepoints(texts[name])]) for name in INCLUDED}


@settings(database=None, max_examples=100, deadline=None)
@given(name=st.sampled_from(INCLUDED), start=st.floats(0, 1), extra=st.integers(0, 2000))
def test_any_long_enough_excerpt_is_found(
    sketch: MembershipSketch,
    texts: dict[str, str],
    folded_ends: dict[str, np.ndarray],
    name: str,
    start: float,
    extra: int,
) -> None:
    """Every excerpt of ``min_excerpt`` (299) folded characters or more, wherever it starts."""
    text, ends = texts[name], folded_ends[name]
    first = int(start * (len(text) - 5000))
    before = int(ends[first - 1]) if first else 0
    last = int(np.searchsorted(ends, before + SketchParams().min_excerpt()))
    excerpt = text[first : last + 1 + extra]
    assert len(fold_text(excerpt)) >= 299
    assert sketch.contains(excerpt)
