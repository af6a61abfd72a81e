"""Excerpt-aware text matching: sampled character n-grams, an inverted index, local chains.

A registered work is reduced to its *sampled n-grams*: the windows of 13 folded
characters (see :mod:`.fold`) whose hash has ``b`` leading zero bits — about one in
``2**b``. Because
the choice depends only on the window's content, a copy, a reformatted copy, a
traditional/simplified variant or any excerpt of the work keeps the same sampled
n-grams wherever it appears. Character n-grams (not word shingles) serve Chinese and
English alike.

The index keeps ``(key, work, position, df)`` sorted by key (13 bytes per entry, about
``13 / 2**b`` bytes per folded character). A record is sampled the same way; its keys are
looked up, and the hits of each work are chained along alignment diagonals
(:func:`.kernels.chain_hits`). Evidence is counted *locally*, within a chain, and each
hit weighs ``1 / df`` where ``df`` is the number of works sharing the key (keys shared by
more than ``max_df`` works are dropped), so stock phrases and boilerplate scattered
through unrelated pages never add up to a match.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

import numpy as np

from trainclear.fingerprint import kernels
from trainclear.fingerprint.fold import fold_table


@dataclass(frozen=True, slots=True)
class NgramParams:
    """Matcher settings. ``sample_bits`` must be the same at build and at match time.

    N-grams are :data:`~trainclear.fingerprint.kernels.K` (13) folded characters; one
    in ``2**sample_bits`` is sampled. A chain of hits is evidence when it has at least
    ``min_hits`` hits scoring ``min_score`` (each hit weighs ``1 / df``), consecutive
    hits at most ``max_gap`` folded characters apart and their diagonals within
    ``tol + drift * gap``.
    """

    sample_bits: int = 5
    max_df: int = 32
    """Keys shared by more works are dropped (at most 255: df is stored in a byte)."""
    min_score: float = 5.0
    min_hits: int = 5
    max_gap: int = 400
    tol: int = 8
    drift: float = 0.1

    def __post_init__(self) -> None:
        if not 0 <= self.sample_bits <= 16:
            raise ValueError("sample_bits must be between 0 and 16")
        if not 1 <= self.max_df <= 255:
            raise ValueError("max_df must be between 1 and 255")

    def strict(self) -> NgramParams:
        """The stricter setting for excerpts of 300+ characters.

        A 300-character excerpt holds about 7 sampled n-grams (binomially distributed),
        so two aligned hits must suffice; alignment (same work, same diagonal within
        ``tol``) keeps chance coincidences out.
        """
        return replace(self, min_score=2.0, min_hits=2, tol=4)


DEFAULT = NgramParams()
STRICT = DEFAULT.strict()


@dataclass(frozen=True, slots=True)
class TextSample:
    """The sampled n-grams of one text (positions in folded and original characters)."""

    keys: np.ndarray
    fpos: np.ndarray
    ostart: np.ndarray
    oend: np.ndarray
    folded_length: int
    length: int


@dataclass(frozen=True, slots=True)
class TextMatch:
    """A span of a record that reproduces part of a work."""

    work_id: int
    record_start: int
    record_end: int
    """Offsets in the record's characters (code points), end exclusive."""
    work_start: int
    work_end: int
    """Offsets in the work's folded characters (letters and digits only)."""
    hits: int
    score: float

    @property
    def work_characters(self) -> int:
        return self.work_end - self.work_start


def codepoints(text: str) -> np.ndarray:
    """The code points of a text as uint32 (lone surrogates kept, then folded away)."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def sample_text(text: str, params: NgramParams = DEFAULT) -> TextSample:
    """Fold ``text`` and keep its sampled n-grams."""
    table = fold_table()
    cps = codepoints(text)
    args = (cps, table.single, table.offsets, table.lengths, table.chars, params.sample_bits)
    keys, fpos, ostart, oend, nfolded = kernels.sample_ngrams(*args, len(cps) // 8 + 64)
    if nfolded < 0:  # unusually dense sampling (many expanding characters): no bound was hit
        bound = len(cps) * int(table.lengths.max()) + 64
        keys, fpos, ostart, oend, nfolded = kernels.sample_ngrams(*args, bound)
    return TextSample(keys, fpos, ostart, oend, int(nfolded), len(cps))


def fold_text(text: str) -> str:
    """The folded form of a text, as the matcher sees it."""
    table = fold_table()
    out = kernels.fold_codepoints(codepoints(text), table.offsets, table.lengths, table.chars)
    return str(out.astype("<u4").tobytes().decode("utf-32-le"))


class TextIndex:
    """Sampled n-grams of registered works, sorted by key, with per-key document frequency."""

    ARRAYS = ("keys", "works", "positions", "df")

    def __init__(self, arrays: dict[str, np.ndarray], params: NgramParams = DEFAULT) -> None:
        self.keys = arrays["keys"]
        self.works = arrays["works"]
        self.positions = arrays["positions"]
        self.df = arrays["df"]
        self.params = params

    @classmethod
    def build(cls, works: Iterable[tuple[int, str]], params: NgramParams = DEFAULT) -> TextIndex:
        """Index ``(work id, text)`` pairs."""
        samples = ((work_id, sample_text(text, params)) for work_id, text in works)
        return cls.from_samples(samples, params)

    @classmethod
    def from_samples(
        cls, samples: Iterable[tuple[int, TextSample]], params: NgramParams = DEFAULT
    ) -> TextIndex:
        """Index precomputed samples (the registry stores them, not the texts)."""
        parts = [(work_id, s.keys, s.fpos) for work_id, s in samples]
        return cls(build_arrays(parts, params.max_df), params)

    def arrays(self) -> dict[str, np.ndarray]:
        return {"keys": self.keys, "works": self.works, "positions": self.positions, "df": self.df}

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for a in self.arrays().values())

    def match(self, text: str, params: NgramParams | None = None) -> list[TextMatch]:
        """Every span of ``text`` that reproduces part of a registered work."""
        return self.match_sample(sample_text(text, self.params), params)

    def match_sample(
        self, sample: TextSample, params: NgramParams | None = None
    ) -> list[TextMatch]:
        """Match a precomputed sample (see :func:`sample_text`)."""
        p = params or self.params
        rows, scores = kernels.match_sample(
            self.keys,
            self.works,
            self.positions,
            self.df,
            sample.keys,
            sample.fpos,
            sample.ostart,
            sample.oend,
            p.max_df,
            p.max_gap,
            p.tol,
            p.drift,
            p.min_score,
            p.min_hits,
        )
        return [
            TextMatch(int(r[0]), int(r[1]), int(r[2]), int(r[3]), int(r[4]), int(r[5]), float(sc))
            for r, sc in zip(rows, scores, strict=True)
        ]


def build_arrays(
    parts: list[tuple[int, np.ndarray, np.ndarray]], max_df: int
) -> dict[str, np.ndarray]:
    """Concatenate per-work samples, sort by key, count works per key, drop common keys."""
    if sum(len(k) for _, k, _ in parts) == 0:
        empty = np.empty(0, np.uint32)
        return {"keys": empty, "works": empty, "positions": empty, "df": np.empty(0, np.uint8)}
    keys = np.concatenate([k for _, k, _ in parts])
    works = np.concatenate([np.full(len(k), w, np.uint32) for w, k, _ in parts])
    positions = np.concatenate([p for _, _, p in parts]).astype(np.uint32)
    combined = (keys.astype(np.uint64) << np.uint64(32)) | works.astype(np.uint64)
    order = np.argsort(combined, kind="stable")  # stable: positions stay in work order
    keys, works, positions = keys[order], works[order], positions[order]
    df = _document_frequency(keys, works)
    keep = df <= max_df
    return {
        "keys": keys[keep],
        "works": works[keep],
        "positions": positions[keep],
        "df": df[keep].astype(np.uint8),
    }


def _document_frequency(keys: np.ndarray, works: np.ndarray) -> np.ndarray:
    """For each entry, how many distinct works share its key (entries sorted by key, work)."""
    new_key = np.r_[True, keys[1:] != keys[:-1]]
    new_pair = new_key | np.r_[True, works[1:] != works[:-1]]
    group = np.cumsum(new_key) - 1
    per_key: np.ndarray = np.bincount(group, weights=new_pair).astype(np.int64)
    frequency: np.ndarray = per_key[group]
    return frequency
