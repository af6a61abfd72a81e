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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

import numpy as np

from trainclear.fingerprint import kernels as _kernels
from trainclear.fingerprint.fold import fold_table

_KERNELS: Any = _kernels  # compiled by numba; typed there, not by mypy


@dataclass(frozen=True, slots=True)
class NgramParams:
    """Matcher settings. ``sample_bits`` must be the same at build and at match time.

    Measured on the labelled benchmark (docs/benchmarks.md): two aligned, non-overlapping
    hits already separate matches from unrelated pages (no false positive in 60,000), so
    the thresholds are low and recall is bounded by sampling density.

    N-grams are :data:`~trainclear.fingerprint.kernels.K` (13) folded characters; one
    in ``2**sample_bits`` is sampled. A chain of hits is evidence when it has at least
    ``min_hits`` hits scoring ``min_score`` (each hit weighs ``1 / df``), consecutive
    hits at most ``max_gap`` folded characters apart and their diagonals within
    ``tol + drift * gap``.
    """

    sample_bits: int = 5
    max_df: int = 32
    """Keys shared by more works are dropped (at most 255: df is stored in a byte)."""
    min_score: float = 2.0
    min_hits: int = 2
    min_span: int = 50
    """Folded characters a chain must cover: shorter shared phrases are never a match."""
    max_gap: int = 400
    tol: int = 8
    drift: float = 0.1

    def __post_init__(self) -> None:
        if not 0 <= self.sample_bits <= 8:
            raise ValueError("sample_bits must be between 0 and 8")
        if not 1 <= self.max_df <= 255:
            raise ValueError("max_df must be between 1 and 255")

    def strict(self) -> NgramParams:
        """The stricter setting, for excerpts of 300+ characters: an index twice as dense
        (one n-gram in 16), so a 300-character excerpt carries about 15 sampled n-grams."""
        return replace(self, sample_bits=STORE_BITS)


STORE_BITS = 4
"""The densest setting the registry keeps samples for (sparser ones are subsets)."""
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
    level: np.ndarray
    """Top byte of each n-gram's sampling hash (see :func:`sparser`)."""

    def sparser(self, sample_bits: int) -> TextSample:
        """The subset sampled at ``sample_bits`` (sampling is nested: a window kept at
        ``b`` bits is kept at every smaller ``b``)."""
        keep = (self.level >> np.uint8(8 - sample_bits)) == 0
        return TextSample(
            self.keys[keep],
            self.fpos[keep],
            self.ostart[keep],
            self.oend[keep],
            self.folded_length,
            self.length,
            self.level[keep],
        )


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
    cap = len(cps) // max(1 << params.sample_bits, 1) * 4 + 64
    keys, fpos, ostart, oend, level, nfolded = _KERNELS.sample_ngrams(*args, cap)
    if nfolded < 0:  # unusually dense sampling (many expanding characters): retry unbounded
        bound = len(cps) * int(table.lengths.max()) + 64
        keys, fpos, ostart, oend, level, nfolded = _KERNELS.sample_ngrams(*args, bound)
    return TextSample(keys, fpos, ostart, oend, int(nfolded), len(cps), level)


def fold_text(text: str) -> str:
    """The folded form of a text, as the matcher sees it."""
    table = fold_table()
    out = _KERNELS.fold_codepoints(codepoints(text), table.offsets, table.lengths, table.chars)
    return str(out.astype("<u4").tobytes().decode("utf-32-le"))


class TextIndex:
    """Sampled n-grams of registered works, sorted by key, with per-key document frequency."""

    ARRAYS = ("keys", "works", "positions", "df")

    def __init__(
        self,
        shards: list[dict[str, np.ndarray]] | dict[str, np.ndarray],
        params: NgramParams = DEFAULT,
    ) -> None:
        """``shards``: one array dict, or ``2**b`` of them split by the keys' top ``b`` bits."""
        self.shards = [shards] if isinstance(shards, dict) else list(shards)
        count = len(self.shards)
        if count & (count - 1):
            raise ValueError("the number of shards must be a power of two")
        self.shard_bits = count.bit_length() - 1
        self.params = params
        self._typed: tuple[tuple[np.ndarray, ...], ...] | None = None

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

    @property
    def entries(self) -> int:
        return sum(len(s["keys"]) for s in self.shards)

    @property
    def nbytes(self) -> int:
        """The bytes of the index's arrays, with the lookup directories (built in memory
        on first use, not stored: at most one byte per entry)."""
        arrays = sum(a.nbytes for s in self.shards for a in s.values())
        return arrays + sum(d.nbytes for d in self._arrays()[-1])

    def _arrays(self) -> tuple[tuple[np.ndarray, ...], ...]:
        """The shards' arrays as the kernels take them: keys, works, positions, df and
        each shard's directory (see :func:`directory`), built on first use."""
        if self._typed is None:
            columns = tuple(tuple(s[name] for s in self.shards) for name in self.ARRAYS)
            dirs = tuple(directory(keys, self.shard_bits) for keys in columns[0])
            self._typed = (*columns, dirs)
        return self._typed

    def match(self, text: str, params: NgramParams | None = None) -> list[TextMatch]:
        """Every span of ``text`` that reproduces part of a registered work.

        The same as ``match_sample(sample_text(text, self.params), params)``, in one
        compiled call from the text's UTF-8 bytes (see :meth:`match_many`).
        """
        p = params or self.params
        data = text.encode("utf-8", "surrogatepass")
        return self.match_utf8(np.frombuffer(data, np.uint8), _ZERO, np.array([len(data)]), p)[0]

    def match_many(
        self, texts: Sequence[str], params: NgramParams | None = None
    ) -> list[list[TextMatch]]:
        """``[self.match(t, params) for t in texts]``, in one compiled call for them all."""
        data = [t.encode("utf-8", "surrogatepass") for t in texts]
        lengths = np.array([len(d) for d in data], np.int64)
        ends = np.cumsum(lengths)
        starts = ends - lengths
        return self.match_utf8(np.frombuffer(b"".join(data), np.uint8), starts, ends, params)

    def match_utf8(
        self,
        buf: np.ndarray,
        starts: np.ndarray,
        ends: np.ndarray,
        params: NgramParams | None = None,
    ) -> list[list[TextMatch]]:
        """The matches of each text ``buf[starts[i]:ends[i]]`` (uint8), in one call.

        The texts must be well-formed UTF-8 (or lone surrogates encoded as Python's
        ``surrogatepass`` does); offsets count code points.
        """
        rows, scores = _KERNELS.match_utf8(
            buf, starts, ends, *self.kernel_arguments(params or self.params)
        )
        return per_record(rows, scores, len(starts))

    def kernel_arguments(self, params: NgramParams) -> tuple[Any, ...]:
        """The arguments the matching kernels take after the texts: the fold table, the
        sampling setting, the index and its lookup directories, and ``params``'s chain
        settings (:func:`.kernels.match_utf8`, :func:`.kernels.match_jsonl`)."""
        return (
            *_fold_arguments(),
            self.params.sample_bits,
            *self._arrays(),
            self.shard_bits,
            *_chain_arguments(params),
        )

    def match_sample(
        self, sample: TextSample, params: NgramParams | None = None
    ) -> list[TextMatch]:
        """Match a precomputed sample (see :func:`sample_text`)."""
        p = params or self.params
        rows, scores = _KERNELS.match_shards(
            *self._arrays(),
            self.shard_bits,
            sample.keys,
            sample.fpos,
            sample.ostart,
            sample.oend,
            *_chain_arguments(p),
        )
        return text_matches(rows, scores)


def _chain_arguments(p: NgramParams) -> tuple[int, int, int, float, float, int, int]:
    """The matching kernels' trailing arguments, in their order."""
    return (p.max_df, p.max_gap, p.tol, p.drift, p.min_score, p.min_hits, p.min_span)


@cache
def _fold_arguments() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The fold table as the kernels take it."""
    table = fold_table()
    return table.single, table.offsets, table.lengths, table.chars


def per_record(rows: np.ndarray, scores: np.ndarray, records: int) -> list[list[TextMatch]]:
    """Kernel rows that lead with the record (:func:`.kernels.match_utf8`) as
    :class:`TextMatch` lists, one per record."""
    found: list[list[TextMatch]] = [[] for _ in range(records)]
    if not len(rows):
        return found
    for r, score in zip(rows.tolist(), scores.tolist(), strict=True):
        found[r[0]].append(TextMatch(r[1], r[2], r[3], r[4], r[5], r[6], score))
    return found


def directory(keys: np.ndarray, shard_bits: int) -> np.ndarray:
    """Where each bucket of a shard's sorted keys starts (uint32, ``2**b + 1`` of them).

    Bucket ``i`` holds the keys whose ``b`` bits after the shard's own ``shard_bits``
    are ``i``; ``b`` gives four to eight keys a bucket (keys are hashes, so evenly
    spread), at most one byte of directory per key. A lookup reads one bucket
    (:func:`.kernels.find_run`) in place of a binary search over the shard. Found by
    binary searches, so a memory-mapped shard is read once and not copied.
    """
    bits = min(max((len(keys) // 4).bit_length() - 1, 0), 32 - shard_bits)
    index = np.full((1 << bits) + 1, len(keys), np.uint32)
    low = 32 - shard_bits - bits  # the bits below a bucket's
    prefix = int(keys[0]) >> low >> bits << bits << low if len(keys) else 0  # the shard's bits
    starts = prefix + (np.arange(1 << bits, dtype=np.uint64) << np.uint64(low))
    index[:-1] = np.searchsorted(keys, starts.astype(np.uint32))
    return index


_ZERO = np.zeros(1, np.int64)


def text_matches(rows: np.ndarray, scores: np.ndarray) -> list[TextMatch]:
    """The kernels' output rows ``(work, record start, record end, work start, work end,
    hits)`` and scores as :class:`TextMatch` objects."""
    if not len(rows):
        return []
    return [
        TextMatch(r[0], r[1], r[2], r[3], r[4], r[5], score)
        for r, score in zip(rows.tolist(), scores.tolist(), strict=True)
    ]


def build_arrays(
    parts: list[tuple[int, np.ndarray, np.ndarray]], max_df: int
) -> dict[str, np.ndarray]:
    """Concatenate per-work samples and index them (see :func:`index_rows`)."""
    if not parts:
        return index_rows(*(np.empty(0, np.uint32) for _ in range(3)), max_df=max_df)
    keys = np.concatenate([k for _, k, _ in parts])
    works = np.concatenate([np.full(len(k), w, np.uint32) for w, k, _ in parts])
    positions = np.concatenate([p for _, _, p in parts])
    return index_rows(keys, works, positions, max_df=max_df)


def index_rows(
    keys: np.ndarray, works: np.ndarray, positions: np.ndarray, *, max_df: int
) -> dict[str, np.ndarray]:
    """Sort entries by key (then work, positions kept in order), count works per key,
    and drop keys shared by more than ``max_df`` works."""
    keys, works = keys.astype(np.uint32), works.astype(np.uint32)
    positions = positions.astype(np.uint32)
    if len(keys) == 0:
        return {"keys": keys, "works": works, "positions": positions, "df": np.empty(0, np.uint8)}
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
