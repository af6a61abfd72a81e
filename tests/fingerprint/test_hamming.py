"""HammingIndex: the same answers as a brute-force scan, saved and memory-mapped arrays."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trainclear.fingerprint.hamming import HammingIndex, choose_chunks, chunk_widths

HASHES = st.integers(min_value=0, max_value=2**64 - 1)


def brute_force(
    hashes: list[int], ids: list[int], query: int, radius: int
) -> list[tuple[int, int]]:
    """The reference: every row's distance, best per id, sorted by distance then id."""
    best: dict[int, int] = {}
    for h, i in zip(hashes, ids, strict=True):
        distance = (h ^ query).bit_count()
        if distance <= radius:
            best[i] = min(best.get(i, distance), distance)
    return sorted(best.items(), key=lambda pair: (pair[1], pair[0]))


def flip(h: int, bits: list[int]) -> int:
    for bit in bits:
        h ^= 1 << bit
    return h


@st.composite
def registries(draw: st.DrawFn) -> tuple[list[int], list[int], list[int]]:
    """Clusters of near-identical hashes, ids (some repeated), queries mostly near entries."""
    hashes: list[int] = []
    for centre in draw(st.lists(HASHES, max_size=30)):
        for _ in range(draw(st.integers(1, 6))):
            hashes.append(flip(centre, draw(st.lists(st.integers(0, 63), max_size=10))))
    ids = [draw(st.integers(0, max(1, len(hashes)))) for _ in hashes]
    queries = draw(st.lists(HASHES, max_size=2))
    if hashes:
        for h in draw(st.lists(st.sampled_from(hashes), max_size=5)):
            queries.append(flip(h, draw(st.lists(st.integers(0, 63), max_size=14))))
    return hashes, ids, queries


@settings(max_examples=150, deadline=None)
@given(
    registries(),
    st.integers(0, 12),
    st.one_of(st.none(), st.integers(3, 16)),
)
def test_query_equals_brute_force(
    data: tuple[list[int], list[int], list[int]], radius: int, chunks: int | None
) -> None:
    hashes, ids, queries = data
    index = HammingIndex(np.array(hashes, dtype=np.uint64), ids, chunks=chunks)
    expected = [brute_force(hashes, ids, q, radius) for q in queries]
    assert [index.query(q, radius, method="probe") for q in queries] == expected
    batch = np.array(queries, dtype=np.uint64)
    assert index.query_many(batch, radius, method="probe") == expected
    assert index.query_many(batch, radius, method="scan") == expected
    assert index.query_many(batch, radius) == expected


@pytest.mark.parametrize(("chunks", "radius"), [(3, 18), (4, 40), (8, 64)])
def test_large_radii_probe_and_scan_alike(chunks: int, radius: int) -> None:
    rng = np.random.default_rng(chunks)
    hashes = rng.integers(0, 2**64 - 1, 300, dtype=np.uint64, endpoint=True)
    ids = np.arange(300, dtype=np.uint32)
    index = HammingIndex(hashes, ids, chunks=chunks)
    query = int(hashes[7]) ^ 0b111
    expected = brute_force(hashes.tolist(), ids.tolist(), query, radius)
    assert index.query(query, radius, method="scan") == expected
    if chunks > 3:  # three 22-bit chunks at radius 6 would enumerate 10^5 probes each
        assert index.query(query, radius, method="probe") == expected


def test_auto_probes_large_registries_and_scans_small_ones() -> None:
    rng = np.random.default_rng(5)
    hashes = rng.integers(0, 2**64 - 1, 200_000, dtype=np.uint64, endpoint=True)
    large = HammingIndex(hashes, np.arange(len(hashes), dtype=np.uint32))
    small = HammingIndex(hashes[:100], np.arange(100, dtype=np.uint32))
    assert large.uses_index(12)
    assert not large.uses_index(40)  # a chunk neighbourhood past MAX_PROBES
    assert not small.uses_index(12)
    query = int(hashes[123]) ^ 0b1011
    assert large.query(query, 12) == large.query(query, 12, method="scan") == [(123, 3)]


def test_saved_arrays_memory_map_and_answer_the_same(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    hashes = rng.integers(0, 2**64 - 1, 5000, dtype=np.uint64, endpoint=True)
    index = HammingIndex(hashes, np.arange(5000, dtype=np.uint32))
    for name, array in index.arrays().items():
        np.save(tmp_path / f"{name}.npy", array)
    loaded = HammingIndex.from_arrays(
        {name: np.load(tmp_path / f"{name}.npy", mmap_mode="r") for name in index.arrays()}
    )
    assert all(isinstance(a, np.memmap) for a in loaded.arrays().values())
    queries = hashes[:50] ^ np.uint64(0b1010_0000_0001)
    assert loaded.query_many(queries, 12) == index.query_many(queries, 12)
    assert loaded.query(int(queries[0]), 12)[0] == (0, 3)


def test_results_keep_each_id_once_at_its_best_distance() -> None:
    index = HammingIndex([0b1111, 0b0001, 0b0011, 0xFFFF << 48], [7, 7, 2, 9])
    assert index.query(0, 4) == [(7, 1), (2, 2)]
    assert index.query(0, 64) == [(7, 1), (2, 2), (9, 16)]


def test_empty_index_and_empty_batch() -> None:
    index = HammingIndex(np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.uint32))
    assert len(index) == 0
    assert index.query(123, 12) == []
    assert index.query_many([], 12) == []


@pytest.mark.parametrize(
    ("hashes", "ids", "chunks", "problem"),
    [
        ([1, 2], [1], None, "same length"),
        ([-1], [1], None, "hashes must be integers"),
        ([2**64], [1], None, "hashes must be integers"),
        ([1.5], [1], None, "hashes must be integers"),
        ([1], [2**32], None, "ids must be integers from 0 to 4294967295"),
        ([1], [1], 2, "chunks"),
        ([1], [1], 17, "chunks"),
    ],
)
def test_bad_inputs_are_refused(
    hashes: list[int], ids: list[int], chunks: int | None, problem: str
) -> None:
    with pytest.raises(ValueError, match=problem):
        HammingIndex(hashes, ids, chunks=chunks)


def test_negative_radius_is_refused() -> None:
    with pytest.raises(ValueError, match="max_distance"):
        HammingIndex([1], [1]).query(1, -1)


def test_from_arrays_checks_types_and_lengths() -> None:
    arrays = HammingIndex(np.arange(10, dtype=np.uint64), np.arange(10, dtype=np.uint32)).arrays()
    with pytest.raises(ValueError, match="ids"):
        HammingIndex.from_arrays({**arrays, "ids": arrays["ids"].astype(np.int64)})
    with pytest.raises(ValueError, match="chunk_rows"):
        HammingIndex.from_arrays({**arrays, "chunk_rows": arrays["chunk_rows"][:-1]})
    with pytest.raises(ValueError, match="chunk_bits"):
        HammingIndex.from_arrays({**arrays, "chunk_bits": np.array([32, 32], dtype=np.uint8)})


@pytest.mark.parametrize("n", [0, 10, 10**4, 10**5, 10**6, 10**7])
def test_default_chunking_probes_at_the_planned_radius(n: int) -> None:
    m = choose_chunks(n)
    assert 3 <= m <= 8
    assert 1 << max(chunk_widths(m)) <= max(4 * n, 1 << 16)
    assert sum(chunk_widths(m)) == 64
