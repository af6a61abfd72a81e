"""Hamming-distance search over 64-bit hashes by multi-index hashing.

The 64 bits are cut into ``m`` disjoint chunks. If two hashes differ in at most ``r`` bits,
by pigeonhole at least one chunk differs in at most ``floor(r / m)``. So a query enumerates,
per chunk, every value within that radius of its own chunk ("probes"), looks up the entries
holding each and verifies only those candidates' full distance with ``np.bitwise_count``.
Nothing at query time loops over the registry in Python; the one loop is over query blocks.

Per chunk the index keeps the hashes and rows sorted by chunk value, and a bucket table
``starts`` (entries with value ``v`` lie at ``starts[v] : starts[v + 1]``: ``searchsorted``
of every value, precomputed), so a probe is two reads, not a binary search (10^6 hashes,
best chunking of each: 1.0 ms a query against 2.8 ms with ``searchsorted``). Per entry:
12 + 12·m bytes, plus 4 bytes per table slot (≤ 4 slots per entry).
A cost model fitted in ``benchmarks/bench_images.py`` picks ``m`` for the registry size, and
per query whether probing beats a vectorised scan (it does not on a few thousand entries).

Results hold each id once, at its smallest distance, by distance then id. The index is six
flat arrays (:meth:`HammingIndex.arrays`) to ``np.save`` and ``np.load(mmap_mode="r")``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from functools import cache
from itertools import combinations, pairwise
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

MAX_PROBES = 1 << 16  # chunk neighbours a query may enumerate, per chunk
PLANNED_RADIUS = 12  # the radius the default chunk count is tuned for
CANDIDATE_COST = 0.15  # verifying one candidate, in probes
SCAN_COST = 0.03  # scanning one entry, in probes
_BLOCK = 1 << 18  # probes plus candidates (or scanned entries) per vectorised step

UInt64Array = npt.NDArray[np.uint64]
IntArray = npt.NDArray[np.int64]
AnyArray = npt.NDArray[Any]
Matches = tuple[IntArray, IntArray, IntArray]
Method = Literal["auto", "probe", "scan"]
Values = Sequence[int] | AnyArray  # hashes or ids: a numpy array or Python ints
_FIELDS = {  # name: (dtype, elements per entry: 1, "m" (one per chunk) or 0 (other))
    "hashes": (np.uint64, 1),
    "ids": (np.uint32, 1),
    "chunk_bits": (np.uint8, 0),
    "chunk_starts": (np.uint32, 0),
    "chunk_hashes": (np.uint64, "m"),
    "chunk_rows": (np.uint32, "m"),
}


class HammingIndex:
    """Ids of 64-bit hashes, searchable by Hamming distance."""

    def __init__(self, hashes: Values, ids: Values, *, chunks: int | None = None) -> None:
        """Index parallel arrays of hashes (uint64) and ids (uint32) in ``chunks`` chunks."""
        self.hashes = _as_array(hashes, np.uint64, "hashes")
        self.ids = _as_array(ids, np.uint32, "ids")
        n = len(self.hashes)
        if self.ids.shape != (n,):
            raise ValueError("hashes and ids must be 1-D arrays of the same length")
        m = chunks if chunks is not None else choose_chunks(n)
        if not 3 <= m <= 16 or m * n >= 1 << 32:
            raise ValueError(f"need 3 … 16 chunks and chunks × entries < 2^32, got {m}, {n}")
        self._widths = tuple(chunk_widths(m))
        self.chunk_bits = np.array(self._widths, dtype=np.uint8)
        values = _chunk_values(self.hashes, self._widths)
        self.chunk_rows = np.argsort(values, axis=0, kind="stable").T.astype(np.uint32).ravel()
        self.chunk_hashes = self.hashes[self.chunk_rows]
        starts = [
            np.concatenate([[0], np.cumsum(np.bincount(values[:, j], minlength=1 << w))]) + j * n
            for j, w in enumerate(chunk_widths(m))
        ]
        self.chunk_starts = np.concatenate(starts).astype(np.uint32)

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, AnyArray]) -> HammingIndex:
        """Rebuild from :meth:`arrays`, keeping (memory-mapped) arrays as they are."""
        index = cls.__new__(cls)
        widths = index._widths = tuple(int(w) for w in arrays["chunk_bits"])
        if sum(widths) != 64 or not 3 <= len(widths) <= 16:
            raise ValueError("chunk_bits: not a split of 64 bits into 3 … 16 chunks")
        n = len(arrays["hashes"])
        sizes = {1: n, "m": n * len(widths), 0: None}
        for name, (dtype, per_entry) in _FIELDS.items():
            array = arrays[name]
            if array.dtype != dtype or array.ndim != 1:
                raise ValueError(f"{name}: expected a 1-D {np.dtype(dtype).name} array")
            if sizes[per_entry] not in (None, len(array)):
                raise ValueError(f"{name}: length does not match the index")
            setattr(index, name, array)
        if len(index.chunk_starts) != sum((1 << w) + 1 for w in widths):
            raise ValueError("chunk_starts: length does not match chunk_bits")
        return index

    def arrays(self) -> dict[str, AnyArray]:
        """The arrays that make up the index, by name, for ``np.save``."""
        return {name: getattr(self, name) for name in _FIELDS}

    def __len__(self) -> int:
        return len(self.hashes)

    def uses_index(self, max_distance: int) -> bool:
        """Whether an ``"auto"`` query at this radius probes the chunks rather than scans."""
        return _probe_cost(self._widths, max_distance, len(self)) < SCAN_COST * len(self)

    def query(self, h: int, max_distance: int, *, method: Method = "auto") -> list[tuple[int, int]]:
        """``(id, distance)`` of every id within ``max_distance`` of ``h``."""
        return self.query_many([h], max_distance, method=method)[0]

    def query_many(
        self, hashes: Values, max_distance: int, *, method: Method = "auto"
    ) -> list[list[tuple[int, int]]]:
        """:meth:`query` for each hash in turn, computed together."""
        queries = _as_array(hashes, np.uint64, "hashes")
        positions, ids, distances = self.search(queries, max_distance, method=method)
        bounds = np.searchsorted(positions, np.arange(len(queries) + 1)).tolist()
        pairs = list(zip(ids.tolist(), distances.tolist(), strict=True))
        return [pairs[a:b] for a, b in pairwise(bounds)]

    def search(self, hashes: Values, max_distance: int, *, method: Method = "auto") -> Matches:
        """Parallel arrays (query position, id, distance); ``method`` may force a strategy."""
        if max_distance < 0:
            raise ValueError("max_distance must be 0 or more")
        queries = _as_array(hashes, np.uint64, "hashes")
        probing = method == "probe" or (method == "auto" and self.uses_index(max_distance))
        work = _probe_cost(self._widths, max_distance, len(self), 1.0) if probing else len(self)
        step = max(1, int(_BLOCK // max(work, 1)))
        parts: list[Matches] = []
        for start in range(0, len(queries), step):
            block = queries[start : start + step]
            q, rows, distances = (self._probe if probing else self._scan)(block, max_distance)
            parts.append((q + start, rows, distances))
        return self._best_per_id(parts)

    def _probe(self, queries: UInt64Array, max_distance: int) -> Matches:
        """Candidates sharing a chunk within radius, then their exact distances."""
        chunk, flip, base = _probe_table(self._widths, max_distance // len(self._widths))
        values = _chunk_values(queries, self._widths)
        slots = ((values[:, chunk] ^ flip) + base).ravel()
        low = self.chunk_starts[slots].astype(np.int64)
        counts = self.chunk_starts[slots + 1].astype(np.int64) - low
        offsets = np.cumsum(counts) - counts  # candidates: each bucket's range, concatenated
        positions = np.repeat(low - offsets, counts) + np.arange(int(counts.sum()))
        per_query = counts.reshape(len(queries), -1).sum(axis=1)
        q = np.repeat(np.arange(len(queries), dtype=np.int64), per_query)
        distances = np.bitwise_count(self.chunk_hashes[positions] ^ np.repeat(queries, per_query))
        keep = distances <= max_distance
        rows = self.chunk_rows[positions[keep]].astype(np.int64)
        return q[keep], rows, distances[keep].astype(np.int64)

    def _scan(self, queries: UInt64Array, max_distance: int) -> Matches:
        """Every (query, entry) pair, for small registries and large radii."""
        distances = np.bitwise_count(queries[:, None] ^ self.hashes[None, :]).ravel()
        found = np.flatnonzero(distances <= max_distance)  # 3× faster than a 2-D nonzero
        q, rows = np.divmod(found, max(1, len(self)))
        return q, rows, distances[found].astype(np.int64)

    def _best_per_id(self, parts: list[Matches]) -> Matches:
        """Each (query, id) once at its smallest distance, sorted by query, distance, id."""
        if not parts:
            return (np.empty(0, dtype=np.int64),) * 3
        q, rows, distances = (np.concatenate(column) for column in zip(*parts, strict=True))
        ids = self.ids[rows].astype(np.int64)
        if len(q) < 2:
            return q, ids, distances
        order = np.lexsort((ids, distances, q))
        q, ids, distances = q[order], ids[order], distances[order]
        _, first = np.unique(q * (1 << 32) + ids, return_index=True)
        first.sort()
        return q[first], ids[first], distances[first]


def choose_chunks(n: int, radius: int = PLANNED_RADIUS) -> int:
    """The chunk count (3 … 8) with the cheapest probing for ``n`` entries at ``radius``.

    Chunks whose bucket table would pass 4 slots per entry (and 2^16) are not considered.
    """
    fits = [m for m in range(3, 9) if 1 << chunk_widths(m)[0] <= max(4 * n, 1 << 16)]
    return min(fits, key=lambda m: _probe_cost(tuple(chunk_widths(m)), radius, n))


def chunk_widths(m: int) -> list[int]:
    """Bit widths of ``m`` chunks covering 64 bits, the wider ones first."""
    return [64 // m + (1 if j < 64 % m else 0) for j in range(m)]


@cache
def _probe_cost(
    widths: tuple[int, ...], max_distance: int, n: int, candidate: float = CANDIDATE_COST
) -> float:
    """Probes plus weighted expected candidates per query; infinite past :data:`MAX_PROBES`."""
    counts = [_probe_count(w, max_distance // len(widths)) for w in widths]
    if max(counts) > MAX_PROBES:
        return math.inf
    return float(sum(c * (1 + candidate * n / 2**w) for c, w in zip(counts, widths, strict=True)))


@cache
def _probe_count(width: int, radius: int) -> int:
    return sum(math.comb(width, k) for k in range(min(radius, width) + 1))


@cache
def _layout(widths: tuple[int, ...]) -> tuple[UInt64Array, UInt64Array]:
    bits = np.array(widths, dtype=np.uint64)
    return np.uint64(64) - np.cumsum(bits), (np.uint64(1) << bits) - np.uint64(1)


def _chunk_values(hashes: UInt64Array, widths: tuple[int, ...]) -> IntArray:
    """Each chunk of each hash, shape (hashes, chunks); chunk 0 holds the top bits."""
    shifts, masks = _layout(widths)
    values: IntArray = ((hashes[:, None] >> shifts) & masks).astype(np.int64)
    return values


@cache
def _probe_table(widths: tuple[int, ...], radius: int) -> tuple[IntArray, IntArray, IntArray]:
    """Per probe: its chunk, its XOR mask (≤ radius bits), its chunk's offset in the table."""
    chunk, flip = [], []
    for j, width in enumerate(widths):
        for k in range(min(radius, width) + 1):
            for chosen in combinations(range(width), k):
                chunk.append(j)
                flip.append(sum(1 << bit for bit in chosen))
    chunks = np.array(chunk, dtype=np.int64)
    bases = np.cumsum([0] + [(1 << w) + 1 for w in widths[:-1]])[chunks].astype(np.int64)
    return chunks, np.array(flip, dtype=np.int64), bases


def _as_array(values: Values, dtype: type[np.unsignedinteger[Any]], name: str) -> AnyArray:
    """A 1-D array of ``dtype``; refuses values that do not fit it rather than wrapping them."""
    if isinstance(values, np.ndarray) and values.dtype == dtype:
        return values.reshape(-1)
    top = int(np.iinfo(dtype).max)
    if isinstance(values, np.ndarray):
        array = values.reshape(-1)
        if not array.size:
            return array.astype(dtype)
        if array.dtype.kind not in "iu" or array.min() < 0 or array.max() > top:
            raise ValueError(f"{name} must be integers from 0 to {top}")
        return array.astype(dtype)
    items = list(values)  # not np.asarray: it turns [1, 2**64 - 1] into float64
    if not all(isinstance(v, int | np.integer) and 0 <= int(v) <= top for v in items):
        raise ValueError(f"{name} must be integers from 0 to {top}")
    return np.array([int(v) for v in items], dtype=dtype)
