"""The text index on disk: key-range shards of ``.npy`` arrays, built in bounded memory.

Building spills every work's sampled n-grams into 256 buckets by the keys' top byte,
then sorts one shard (a run of buckets) at a time, so memory is bounded by the largest
shard, not the registry. Loading memory-maps each shard (``np.load(mmap_mode="r")``):
worker processes share the pages, and a registry larger than memory still works.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from trainclear.fingerprint.textindex import (
    DEFAULT,
    NgramParams,
    TextIndex,
    build_arrays,
    index_rows,
)

BUCKET_BITS = 8
SHARD_ENTRIES = 1 << 25
"""Target entries per shard (about 400 MiB of arrays)."""

Sample = tuple[int, np.ndarray, np.ndarray]
"""(work id, sampled keys uint32, folded positions)."""


def write_text_index(
    samples: Iterable[Sample], directory: Path, params: NgramParams = DEFAULT
) -> dict[str, str]:
    """Write the shards into ``directory``; returns ``{file name: sha256}``."""
    spill = directory / ".spill"
    spill.mkdir(parents=True)
    counts = _spill(samples, spill)
    bits = _shard_bits(int(counts.sum()))
    files: dict[str, str] = {}
    per_shard = 1 << (BUCKET_BITS - bits)
    for shard in range(1 << bits):
        buckets = range(shard * per_shard, (shard + 1) * per_shard)
        rows = _read_buckets(spill, buckets)
        arrays = index_rows(rows[:, 0], rows[:, 1], rows[:, 2], max_df=params.max_df)
        for name, array in arrays.items():
            files.update(_save(directory / f"text-{shard:03d}-{name}.npy", array))
    for leftover in spill.iterdir():
        leftover.unlink()
    spill.rmdir()
    return files


def load_text_index(directory: Path, files: Iterable[str], params: NgramParams) -> TextIndex:
    """Memory-map the shards listed in a snapshot's manifest."""
    names = sorted(f for f in files if f.startswith("text-"))
    shard_ids = sorted({name.split("-")[1] for name in names})
    shards = [
        {
            field: np.load(directory / f"text-{sid}-{field}.npy", mmap_mode="r")
            for field in TextIndex.ARRAYS
        }
        for sid in shard_ids
    ]
    return TextIndex(shards or [build_arrays([], params.max_df)], params)


FLUSH_ROWS = 1 << 22


def _spill(samples: Iterable[Sample], spill: Path) -> np.ndarray:
    """Append (key, work, position) rows to one file per top-byte bucket, in batches."""
    counts = np.zeros(1 << BUCKET_BITS, np.int64)
    pending: list[np.ndarray] = []
    size = 0
    for work_id, keys, positions in samples:
        rows = np.empty((len(keys), 3), np.uint32)
        rows[:, 0], rows[:, 1], rows[:, 2] = keys, work_id, positions
        pending.append(rows)
        size += len(rows)
        if size >= FLUSH_ROWS:
            _flush(pending, spill, counts)
            pending, size = [], 0
    _flush(pending, spill, counts)
    return counts


def _flush(pending: list[np.ndarray], spill: Path, counts: np.ndarray) -> None:
    if not pending:
        return
    rows = np.concatenate(pending)
    bucket = rows[:, 0] >> np.uint32(32 - BUCKET_BITS)
    order = np.argsort(bucket, kind="stable")
    rows, bucket = rows[order], bucket[order]
    edges = np.searchsorted(bucket, np.arange((1 << BUCKET_BITS) + 1))
    for b in range(1 << BUCKET_BITS):
        start, end = edges[b], edges[b + 1]
        if end > start:
            with (spill / f"{b:03d}.bin").open("ab") as handle:
                handle.write(rows[start:end].tobytes())
            counts[b] += end - start


def _read_buckets(spill: Path, buckets: range) -> np.ndarray:
    parts = [
        np.fromfile(spill / f"{b:03d}.bin", np.uint32).reshape(-1, 3)
        for b in buckets
        if (spill / f"{b:03d}.bin").exists()
    ]
    return np.concatenate(parts) if parts else np.empty((0, 3), np.uint32)


def _shard_bits(entries: int) -> int:
    bits = 0
    while (entries >> bits) > SHARD_ENTRIES and bits < BUCKET_BITS:
        bits += 1
    return bits


def _save(path: Path, array: np.ndarray) -> dict[str, str]:
    np.save(path, np.ascontiguousarray(array), allow_pickle=False)
    return {path.name: _sha256(path)}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
