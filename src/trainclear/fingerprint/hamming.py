"""Hamming-distance search over 64-bit hashes by multi-index hashing.

The 64 bits are cut into ``m`` disjoint chunks. If two hashes differ in at most ``r`` bits,
by pigeonhole at least one chunk differs in at most ``floor(r / m)`` bits. So a query
enumerates, per chunk, every value within that small radius of its own chunk ("probes"),
looks up the entries holding each, and verifies the full distance of those candidates only,
with ``np.bitwise_count``. Nothing at query time loops over the registry in Python; the only
loop runs over blocks of queries.

Layout: per chunk, the hashes and their rows sorted by the chunk's value, and a bucket table
``starts`` where entries with chunk value ``v`` lie at ``starts[v] : starts[v + 1]`` (what
``np.searchsorted`` of every possible value would return, precomputed). A probe is then two
array reads instead of a binary search through the registry: in the benchmark this made
queries on 10^6 hashes 2–5× faster than ``searchsorted``. Candidates are read from
contiguous memory. Per entry that is 12 + 12·m bytes, plus 4·(2^w + 1) bytes per chunk of
w bits; :func:`choose_chunks` keeps that table no larger than 4 entries per hash.

When one chunk's neighbourhood would pass :data:`MAX_PROBES` values (3 chunks and r ≥ 15,
say), probing cannot beat reading everything, and the query becomes a vectorised scan;
:meth:`HammingIndex.uses_index` says which a query takes.

A hash may appear under several ids and an id under several hashes; results hold each id
once, at its smallest distance, sorted by distance then id.

The index is six flat numpy arrays (:meth:`HammingIndex.arrays`), so a snapshot can write
them with ``np.save`` and open them with ``np.load(mmap_mode="r")`` without copying.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import cache
from itertools import combinations, pairwise
from typing import Any

import numpy as np
import numpy.typing as npt

MAX_PROBES = 1 << 16  # chunk neighbours enumerated per query before a scan is cheaper
PLANNED_RADIUS = 12  # the radius the default chunk count is tuned for
CANDIDATE_COST = 0.15  # verifying a candidate, in probes (fitted in benchmarks/bench_images)
_BLOCK = 1 << 20  # probes (or scanned pairs) handled per vectorised step

UInt64Array = npt.NDArray[np.uint64]
IntArray = npt.NDArray[np.int64]
AnyArray = npt.NDArray[Any]
Matches = tuple[IntArray, IntArray, IntArray]
_FIELDS = {  # name: (dtype, elements per entry: 1, m (one per chunk), or None: other)
    "hashes": (np.uint64, 1),
    "ids": (np.uint32, 1),
    "chunk_bits": (np.uint8, None),
    "chunk_starts": (np.uint32, None),
    "chunk_hashes": (np.uint64, "m"),
    "chunk_rows": (np.uint32, "m"),
}


class HammingIndex:
    """Ids of 64-bit hashes, searchable by Hamming distance."""

    def __init__(
        self, hashes: npt.ArrayLike, ids: npt.ArrayLike, *, chunks: int | None = None
    ) -> None:
        """Index parallel arrays of hashes (uint64) and ids (uint32) in ``chunks`` chunks.

        The default chunk count minimises :func:`choose_chunks`'s cost model.
        """
        self.hashes = _as_array(hashes, np.uint64, "hashes")
        self.ids = _as_array(ids, np.uint32, "ids")
        n = len(self.hashes)
        if self.ids.shape != (n,):
            raise ValueError("hashes and ids must be 1-D arrays of the same length")
        m = chunks if chunks is not None else choose_chunks(n)
        if not 3 <= m <= 16 or m * n >= 1 << 32:
            raise ValueError(f"need 3 … 16 chunks and chunks × entries < 2^32, got {m}, {n}")
        self.chunk_bits = np.array(chunk_widths(m), dtype=np.uint8)
        values = _chunk_values(self.hashes, self.chunk_bits)
        order = np.argsort(values, axis=0, kind="stable").T.astype(np.uint32)
        self.chunk_rows = order.ravel()
        self.chunk_hashes = self.hashes[self.chunk_rows]
        starts = []
        for j, width in enumerate(chunk_widths(m)):
            counts = np.bincount(values[:, j], minlength=1 << width)
            starts.append(np.concatenate([[0], np.cumsum(counts)]) + j * n)
        self.chunk_starts = np.concatenate(starts).astype(np.uint32)

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, AnyArray]) -> HammingIndex:
        """Rebuild from :meth:`arrays`, keeping (memory-mapped) arrays as they are."""
        index = cls.__new__(cls)
        for name, (dtype, _) in _FIELDS.items():
            if arrays[name].dtype != dtype or arrays[name].ndim != 1:
                raise ValueError(f"{name}: expected a 1-D {np.dtype(dtype).name} array")
            setattr(index, name, arrays[name])
        n, widths = len(index.hashes), [int(w) for w in index.chunk_bits]
        if sum(widths) != 64 or not 3 <= len(widths) <= 16:
            raise ValueError("chunk_bits: not a split of 64 bits into 3 … 16 chunks")
        if len(index.chunk_starts) != sum((1 << w) + 1 for w in widths):
            raise ValueError("chunk_starts: length does not match chunk_bits")
        for name, (_, per_entry) in _FIELDS.items():
            size = {1: n, "m": n * len(widths)}.get(per_entry, len(arrays[name]))
            if len(arrays[name]) != size:
                raise ValueError(f"{name}: length does not match the index")
        return index

    def arrays(self) -> dict[str, AnyArray]:
        """The arrays that make up the index, by name, for ``np.save``."""
        return {name: getattr(self, name) for name in _FIELDS}

    def __len__(self) -> int:
        return len(self.hashes)

    def uses_index(self, max_distance: int) -> bool:
        """Whether a query at this radius probes the chunks (True) or scans (False)."""
        radius = max_distance // len(self.chunk_bits)
        return all(_probe_count(int(w), radius) <= MAX_PROBES for w in self.chunk_bits)

    def query(self, h: int, max_distance: int) -> list[tuple[int, int]]:
        """``(id, distance)`` of every id within ``max_distance`` of ``h``."""
        return self.query_many([h], max_distance)[0]

    def query_many(self, hashes: npt.ArrayLike, max_distance: int) -> list[list[tuple[int, int]]]:
        """:meth:`query` for each hash in turn, computed together."""
        queries = _as_array(hashes, np.uint64, "hashes")
        positions, ids, distances = self.search(queries, max_distance)
        bounds = np.searchsorted(positions, np.arange(len(queries) + 1)).tolist()
        pairs = list(zip(ids.tolist(), distances.tolist(), strict=True))
        return [pairs[a:b] for a, b in pairwise(bounds)]

    def search(self, hashes: npt.ArrayLike, max_distance: int) -> Matches:
        """Matches as parallel arrays (query position, id, distance), by query, distance, id."""
        if max_distance < 0:
            raise ValueError("max_distance must be 0 or more")
        queries = _as_array(hashes, np.uint64, "hashes")
        probing = self.uses_index(max_distance)
        width = len(self._probes(max_distance)[0]) if probing else max(1, len(self))
        step = max(1, _BLOCK // width)
        parts: list[Matches] = []
        for start in range(0, len(queries), step):
            block = queries[start : start + step]
            q, rows, distances = (self._probe if probing else self._scan)(block, max_distance)
            parts.append((q + start, rows, distances))
        return self._best_per_id(parts)

    def _probes(self, max_distance: int) -> tuple[IntArray, IntArray, IntArray]:
        widths = tuple(int(w) for w in self.chunk_bits)
        return _probe_table(widths, max_distance // len(widths))

    def _probe(self, queries: UInt64Array, max_distance: int) -> Matches:
        """Candidates sharing a chunk within radius, then their exact distances."""
        chunk, flip, base = self._probes(max_distance)
        values = _chunk_values(queries, self.chunk_bits)
        slots = ((values[:, chunk] ^ flip) + base).ravel()
        low = self.chunk_starts[slots].astype(np.int64)
        counts = self.chunk_starts[slots + 1].astype(np.int64) - low
        positions = expand_ranges(low, counts)
        per_query = counts.reshape(len(queries), -1).sum(axis=1)
        q = np.repeat(np.arange(len(queries), dtype=np.int64), per_query)
        distances = np.bitwise_count(self.chunk_hashes[positions] ^ np.repeat(queries, per_query))
        keep = distances <= max_distance
        rows = self.chunk_rows[positions[keep]].astype(np.int64)
        return q[keep], rows, distances[keep].astype(np.int64)

    def _scan(self, queries: UInt64Array, max_distance: int) -> Matches:
        """Every (query, entry) pair; used when probing would read more than this."""
        distances = np.bitwise_count(queries[:, None] ^ self.hashes[None, :])
        q, rows = np.nonzero(distances <= max_distance)
        return q.astype(np.int64), rows.astype(np.int64), distances[q, rows].astype(np.int64)

    def _best_per_id(self, parts: list[Matches]) -> Matches:
        """Each (query, id) once at its smallest distance, sorted by query, distance, id."""
        if not parts:
            empty = np.empty(0, dtype=np.int64)
            return empty, empty, empty
        q, rows, distances = (np.concatenate(column) for column in zip(*parts, strict=True))
        ids = self.ids[rows].astype(np.int64)
        order = np.lexsort((ids, distances, q))
        q, ids, distances = q[order], ids[order], distances[order]
        _, first = np.unique(q * (1 << 32) + ids, return_index=True)
        first.sort()
        return q[first], ids[first], distances[first]


def choose_chunks(n: int, radius: int = PLANNED_RADIUS) -> int:
    """The chunk count (3 … 8) with the least probes-plus-candidates cost for ``n`` entries.

    Chunks too wide for their bucket table (over 4 slots per entry, or 2^16) are skipped.
    """

    def cost(m: int) -> float:
        widths = chunk_widths(m)
        counts = [_probe_count(w, radius // m) for w in widths]
        if max(counts) > MAX_PROBES or 1 << widths[0] > max(4 * n, 1 << 16):
            return math.inf
        candidates = sum(c * n / 2**w for c, w in zip(counts, widths, strict=True))
        return float(sum(counts) + CANDIDATE_COST * candidates)

    return min(range(3, 9), key=cost)


def chunk_widths(m: int) -> list[int]:
    """Bit widths of ``m`` chunks covering 64 bits, the wider ones first."""
    return [64 // m + (1 if j < 64 % m else 0) for j in range(m)]


def expand_ranges(starts: IntArray, counts: IntArray) -> IntArray:
    """Concatenate ``range(s, s + c)`` for each start and count, without a Python loop."""
    offsets = np.cumsum(counts) - counts
    return np.repeat(starts - offsets, counts) + np.arange(int(counts.sum()), dtype=np.int64)


@cache
def _layout(widths: tuple[int, ...]) -> tuple[UInt64Array, UInt64Array, IntArray]:
    """Per chunk: its shift, its mask, and where its bucket table begins in chunk_starts."""
    bits = np.array(widths, dtype=np.uint64)
    shifts = np.uint64(64) - np.cumsum(bits)
    masks = (np.uint64(1) << bits) - np.uint64(1)
    bases = np.cumsum([0] + [(1 << w) + 1 for w in widths[:-1]]).astype(np.int64)
    return shifts, masks, bases


def _chunk_values(hashes: UInt64Array, widths: npt.NDArray[np.uint8]) -> IntArray:
    """Each chunk of each hash, shape (hashes, chunks); chunk 0 holds the top bits."""
    shifts, masks, _ = _layout(tuple(int(w) for w in widths))
    values: IntArray = ((hashes[:, None] >> shifts) & masks).astype(np.int64)
    return values


@cache
def _probe_count(width: int, radius: int) -> int:
    return sum(math.comb(width, k) for k in range(min(radius, width) + 1))


@cache
def _probe_table(widths: tuple[int, ...], radius: int) -> tuple[IntArray, IntArray, IntArray]:
    """For every probe: its chunk, its XOR mask (≤ radius bits), its chunk's table base.

    The probe's bucket bounds sit at ``chunk_starts[(value[chunk] ^ mask) + base]`` and the
    slot after it.
    """
    chunk, flip = [], []
    for j, width in enumerate(widths):
        for k in range(min(radius, width) + 1):
            for chosen in combinations(range(width), k):
                chunk.append(j)
                flip.append(sum(1 << bit for bit in chosen))
    chunks = np.array(chunk, dtype=np.int64)
    tables = chunks, np.array(flip, dtype=np.int64), _layout(widths)[2][chunks]
    for table in tables:
        table.setflags(write=False)
    return tables


def _as_array(values: npt.ArrayLike, dtype: type[np.unsignedinteger[Any]], name: str) -> AnyArray:
    """A 1-D array of ``dtype``; refuses values that do not fit it."""
    array = np.asarray(values)
    if array.dtype != dtype:
        if array.size and (array.dtype.kind not in "iu" or array.min() < 0):
            raise ValueError(f"{name} must be unsigned integers")
        if array.size and int(array.max()) > np.iinfo(dtype).max:
            raise ValueError(f"{name} do not fit {np.dtype(dtype).name}")
        array = array.astype(dtype)
    return array.reshape(-1)
