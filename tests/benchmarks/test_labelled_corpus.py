"""The benchmark's labelled corpus: deterministic, and every label says what the page holds."""

from __future__ import annotations

import dataclasses
import math
from collections import Counter
from pathlib import Path

import pytest
from benchmarks.matching import corpus as corpus_mod
from benchmarks.matching.corpus import CLASSES, EXCERPT_LENGTHS, Corpus, CorpusConfig, Label, Work
from benchmarks.matching.score import binomial_upper, correct
from benchmarks.matching.transforms import plain

SMALL = CorpusConfig(negatives=150, positives=6)
WINDOW = 50


@pytest.fixture(scope="module")
def texts_dir(shared_dir: Path) -> Path:
    return shared_dir / "data" / "texts" / "dev"


@pytest.fixture(scope="module")
def corpus(texts_dir: Path) -> Corpus:
    return corpus_mod.generate(SMALL, texts_dir)


def _pairs(corpus: Corpus, cls: str) -> list[tuple[str, Label]]:
    pairs = zip(corpus.pages, corpus.labels, strict=True)
    return [(page.text, label) for page, label in pairs if label.cls == cls]


def test_same_seed_same_corpus(corpus: Corpus, texts_dir: Path) -> None:
    again = corpus_mod.generate(SMALL, texts_dir)
    assert again == corpus
    other = corpus_mod.generate(dataclasses.replace(SMALL, seed=SMALL.seed + 1), texts_dir)
    assert [p.text for p in other.pages] != [p.text for p in corpus.pages]


def test_composition(corpus: Corpus) -> None:
    counts = Counter((label.cls, label.lang) for label in corpus.labels)
    expected = {
        (c, lang) for c in CLASSES for lang in ("en", "zh") if (c, lang) != ("variant", "en")
    }
    assert {k for k in counts if k[0] != "negative"} == expected
    assert all(counts[k] == SMALL.positives for k in expected)
    negatives = sum(n for (c, _), n in counts.items() if c == "negative")
    assert negatives == SMALL.negatives
    assert len({p.id for p in corpus.pages}) == len(corpus.pages)
    assert [p.id for p in corpus.pages] == [label.page_id for label in corpus.labels]
    assert len(corpus.works) > 200


def test_works_are_slices_of_registered_texts(corpus: Corpus, texts_dir: Path) -> None:
    registered = {name for names in corpus_mod.REGISTERED.values() for name in names}
    for work in corpus.works:
        assert work.source in registered
        source = (texts_dir / work.source).read_text(encoding="utf-8")
        assert source[work.start : work.end] == work.text


def test_copies_reproduce_their_unit(corpus: Corpus) -> None:
    works = corpus_mod.work_lookup(corpus.works)
    for text, label in _pairs(corpus, "exact"):
        assert text == works[label.work_id].text
    for text, label in _pairs(corpus, "reformatted"):
        assert plain(text) == plain(works[label.work_id].text)
        assert text != works[label.work_id].text
    for text, label in _pairs(corpus, "variant"):
        original = works[label.work_id].text
        assert len(text) == len(original)
        assert sum(a != b for a, b in zip(text, original, strict=True)) >= 0.05 * len(text)
    for text, label in _pairs(corpus, "edited"):
        original = works[label.work_id].text
        edits = int(label.detail.split()[0])
        assert edits == round(SMALL.edit_rate * len(original))
        assert abs(len(text) - len(original)) <= edits


def test_excerpt_spans_hold_the_registered_text(corpus: Corpus, texts_dir: Path) -> None:
    works = corpus_mod.work_lookup(corpus.works)
    for cls, (lo, hi) in EXCERPT_LENGTHS.items():
        for text, label in _pairs(corpus, cls):
            work = works[label.work_id]
            excerpt = text[label.record_start : label.record_end]
            assert lo <= len(excerpt) <= hi
            assert excerpt == work.text[label.work_start : label.work_end]
            source = (texts_dir / work.source).read_text(encoding="utf-8")
            assert excerpt == source[label.source_start : label.source_end]


def test_unrelated_text_shares_no_registered_window(corpus: Corpus) -> None:
    whole: dict[str, str] = {}  # every unit is a slice of its source's whole-text unit
    for work in corpus.works:
        whole[work.source] = max(whole.get(work.source, ""), work.text, key=len)
    registered: set[int] = set()
    for text in whole.values():
        folded = plain(text)
        registered.update(hash(folded[i : i + WINDOW]) for i in range(len(folded) - WINDOW + 1))
    unrelated = [text for text, _ in _pairs(corpus, "negative")]
    for cls in EXCERPT_LENGTHS:
        for text, label in _pairs(corpus, cls):
            unrelated += [text[: label.record_start], text[label.record_end :]]
    for text in unrelated:
        folded = plain(text)
        hits = (hash(folded[i : i + WINDOW]) in registered for i in range(len(folded) - WINDOW))
        assert not any(hits)


def test_a_unit_repeating_the_text_elsewhere_counts_as_found(corpus: Corpus) -> None:
    works = corpus_mod.work_lookup(corpus.works)
    _, label = _pairs(corpus, "excerpt1k")[0]
    assert correct(works[label.work_id], label, works)
    excerpt = works[label.work_id].text[label.work_start : label.work_end]
    text = f"(..){excerpt}(..)"
    repeat = Work(0, label.lang, str(label.source), 10**9, 10**9 + len(text), text)
    assert correct(repeat, label, works)
    elsewhere = next(w for w in corpus.works if w.source != label.source)
    assert not correct(elsewhere, label, works)


def test_false_positive_bound() -> None:
    assert binomial_upper(0, 10_000) == pytest.approx(-math.log(0.05) / 10_000, rel=1e-3)
    assert binomial_upper(1, 10_000) > binomial_upper(0, 10_000)
