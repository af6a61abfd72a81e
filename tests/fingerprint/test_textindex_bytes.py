"""Matching from UTF-8 bytes, many records a call: the same answers as sampling each
record's code points and matching the sample (the path the index is built with)."""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trainclear.fingerprint import kernels
from trainclear.fingerprint.textindex import (
    DEFAULT,
    NgramParams,
    TextIndex,
    TextMatch,
    directory,
    fold_text,
    sample_text,
)

_KERNELS: Any = kernels

PIECES = [
    "the quick brown fox, jumps over the lazy dog; ",
    "It was the best of times — “it was the worst” of times. ",
    "Ｆｕｌｌ－ｗｉｄｔｈ ＬＥＴＴＥＲＳ ａｎｄ １２３ ",
    "关关雎鸠，在河之洲。窈窕淑女，君子好逑。",
    "國破山河在，城春草木深。感時花濺淚，恨別鳥驚心。",
    "ﬁne ﬂour ① ② ㈱ ㍻ ",  # characters that fold to several
    "café naïve coöperate ",  # combining marks once decomposed
    "emoji 😀🎉 and 𠀀𪚥 astral ideographs ",  # four-byte UTF-8
    "\ud800 lone \udfff surrogates ",
    "tabs\tand\r\nnewlines\n\n  spaces ",
]
DENSE = NgramParams(sample_bits=1)
EVERY = NgramParams(sample_bits=0)


def _mixed(seed: int, count: int) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice(PIECES)[rng.randrange(5) :] for _ in range(count))


WORKS = [(1, _mixed(1, 120)), (2, _mixed(2, 200)), (3, _mixed(3, 60) * 3)]


def _two_step(index: TextIndex, text: str) -> list[TextMatch]:
    return index.match_sample(sample_text(text, index.params))


@pytest.fixture(scope="module", params=[DEFAULT, DENSE, EVERY], ids=["default", "dense", "every"])
def index(request: pytest.FixtureRequest) -> TextIndex:
    params: NgramParams = request.param
    return TextIndex.build(WORKS, params)


PAGES = st.lists(
    st.one_of(
        st.sampled_from(PIECES),
        st.text(max_size=40),
        st.tuples(st.sampled_from(WORKS), st.integers(0, 5000), st.integers(0, 3000)).map(
            lambda w: w[0][1][w[1] : w[1] + w[2]]
        ),
    ),
    max_size=8,
).map("".join)


@given(pages=st.lists(PAGES, max_size=6))
@settings(max_examples=150)
def test_many_records_in_one_call_match_as_each_alone(index: TextIndex, pages: list[str]) -> None:
    assert index.match_many(pages) == [_two_step(index, page) for page in pages]


def test_the_random_pages_find_the_works(index: TextIndex) -> None:
    """A guard on the property above: pages made the same way do match."""
    pages = [WORKS[0][1][100:2500], "x" + WORKS[1][1][3000:6000] + "y", WORKS[2][1]]
    found = index.match_many(pages)
    assert found == [_two_step(index, page) for page in pages]
    for matches, work_id in zip(found, [1, 2, 3], strict=True):
        assert work_id in {m.work_id for m in matches}


def test_single_record_and_empty_inputs(index: TextIndex) -> None:
    text = WORKS[1][1][:4000]
    assert index.match(text) == _two_step(index, text) == index.match_many([text])[0]
    assert index.match_many([]) == []
    assert index.match_many(["", ""]) == [[], []]


def test_records_longer_than_the_decoding_chunk(index: TextIndex) -> None:
    """A record is decoded a chunk of folded characters at a time; windows across the
    seams are sampled as in one piece."""
    text = WORKS[1][1] * 20
    assert len(fold_text(text)) > 4 * kernels.CHUNK
    assert index.match_many([text, text[7:]]) == [_two_step(index, t) for t in (text, text[7:])]


def test_sample_bits_zero_samples_every_window() -> None:
    text = "abcdefghijklmnopqrstuvwxyz, and then some more letters"
    sample = sample_text(text, EVERY)
    assert len(sample.keys) == len(fold_text(text)) - kernels.K + 1
    assert list(sample.fpos) == list(range(len(sample.keys)))
    assert len(sample.sparser(0).keys) == len(sample.keys)


def test_sample_bits_zero_matches_excerpts() -> None:
    index = TextIndex.build(WORKS, EVERY)
    excerpt = WORKS[0][1][500:700]
    assert 1 in {m.work_id for m in index.match("unrelated prefix " + excerpt)}


@pytest.mark.parametrize("shard_bits", [0, 3])
@pytest.mark.parametrize("size", [0, 1, 5, 1000, 20_000])
def test_directory_lookups_find_the_runs_a_binary_search_finds(shard_bits: int, size: int) -> None:
    rng = np.random.default_rng(size + shard_bits)
    top = np.uint32(5 << (32 - shard_bits)) if shard_bits else np.uint32(0)
    low = rng.integers(0, 1 << (32 - shard_bits), size // 2, dtype=np.uint64)
    keys = np.sort(np.r_[low, low[: size // 4], low[:3].repeat(40)].astype(np.uint32) | top)
    index = directory(keys, shard_bits)
    assert index[0] == 0
    assert index[-1] == len(keys)
    queries = np.r_[keys[:: max(len(keys) // 50, 1)], keys[:20] + 1, [top, top | 0xFFFFFF]]
    for q in queries.astype(np.uint32):
        lo = int(np.searchsorted(keys, q, "left"))
        hi = min(int(np.searchsorted(keys, q, "right")), lo + 32 + 1)
        assert _KERNELS.find_run(keys, index, shard_bits, q, 32) == (lo, hi)
