"""``TextIndex.match`` samples and matches in one compiled call: the same answers as
sampling first and matching the sample, on the paths where the two could part."""

from __future__ import annotations

import random

import pytest

from trainclear.fingerprint.textindex import DEFAULT, NgramParams, TextIndex, sample_text

DENSE = NgramParams(sample_bits=1)
"""One n-gram in two: many hits per text."""
PERIODIC = "xrtxgqxwoekzc" * 800
"""Two of this 13-letter unit's windows are sampled at the default setting, so its sample
outgrows the first guess at its size (four times the expected count): the retry path."""


def _words(seed: int, count: int) -> str:
    rng = random.Random(seed)
    return " ".join("".join(rng.choices("abcdefghij", k=rng.randint(2, 8))) for _ in range(count))


def _two_step(index: TextIndex, text: str) -> list[object]:
    return list(index.match_sample(sample_text(text, index.params)))


WORKS = [
    (1, _words(1, 3000)),
    (2, "the refrain that keeps coming back again " * 60),  # a key with > max_df entries
    (3, "㈱①ﬁ" * 400 + _words(3, 500)),  # characters that fold to several
]
PAGES = [
    "",
    "too short",
    _words(9, 2000),
    WORKS[0][1][4000:9000],
    "unrelated text " + WORKS[1][1][:800] + " and more",
    "㈱①ﬁ" * 2000,
    PERIODIC,
    WORKS[2][1],
]


@pytest.mark.parametrize("params", [DEFAULT, DENSE])
@pytest.mark.parametrize("page", range(len(PAGES)))
def test_one_call_matches_as_sampling_then_matching(params: NgramParams, page: int) -> None:
    index = TextIndex.build(WORKS, params)
    text = PAGES[page]
    assert index.match(text) == _two_step(index, text)


def test_the_pages_exercise_matches_and_the_retry() -> None:
    """A guard on the test above: pages match at both settings, and one is sampled
    more densely than the first guess at its sample's size."""
    for params in (DEFAULT, DENSE):
        index = TextIndex.build(WORKS, params)
        assert {m.work_id for text in PAGES for m in index.match(text)} >= {1, 3}
    assert len(sample_text(PERIODIC).keys) > len(PERIODIC) // 32 * 4 + 64
