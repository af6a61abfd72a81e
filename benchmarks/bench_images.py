"""Benchmark image fingerprints: hashing throughput and Hamming index queries vs a scan.

Run ``python benchmarks/bench_images.py`` (``--help`` for options). It prints markdown
tables: images hashed per second for the real photos in ``shared/`` and for generated JPEGs
of a few sizes, then, for 10^4, 10^5 and 10^6 random hashes, the time to build the index and
the mean time per query at the default radius, probing one query at a time and in a batch,
next to a vectorised numpy linear scan, and what ``method="auto"`` would pick. Queries are
half planted near-duplicates of registry entries (so they have answers) and half random.
Timings, not assertions: the tests never time anything.
"""

from __future__ import annotations

import argparse
import io
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np
from PIL import Image

from trainclear.fingerprint.hamming import HammingIndex, choose_chunks
from trainclear.fingerprint.image import DEFAULT_MAX_DISTANCE, image_hash

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
PHOTOS = [
    *sorted((SHARED / "data/signals/c2pa").glob("*.jpg")),
    SHARED / "data/signals/spec_examples/iptc/IPTC-PhotometadataRef-Std2023.2.jpg",
]


def timed(action: Callable[[], object], repeat: int = 1) -> float:
    """Best wall time of ``repeat`` runs, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best


def generated_jpeg(width: int, height: int, seed: int) -> bytes:
    """A noisy gradient photo stand-in, JPEG-encoded at quality 85."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width]
    base = (x / width * 160 + y / height * 60)[..., None] + rng.normal(0, 20, (height, width, 3))
    buffer = io.BytesIO()
    Image.fromarray(np.clip(base, 0, 255).astype(np.uint8)).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def hash_all(blobs: list[bytes]) -> list[int]:
    return [image_hash(blob) for blob in blobs]


def hash_rows(repeat: int) -> list[str]:
    """Throughput rows: real photos from shared/ and generated JPEGs."""
    sets = {"shared photos (375² … 2048×1365)": [p.read_bytes() for p in PHOTOS if p.exists()]}
    for width, height in ((640, 480), (1920, 1080), (4000, 3000)):
        sets[f"generated JPEG {width}×{height}"] = [
            generated_jpeg(width, height, s) for s in (1, 2)
        ]
    rows = []
    for name, blobs in sets.items():
        if not blobs:
            continue
        seconds = timed(partial(hash_all, blobs), repeat)
        rows.append(f"| {name} | {len(blobs)} | {len(blobs) / seconds:,.1f} |")
    return rows


def planted_queries(hashes: np.ndarray, count: int, radius: int, seed: int) -> np.ndarray:
    """Half near-duplicates (≤ radius flipped bits) of random entries, half random hashes."""
    rng = np.random.default_rng(seed)
    near = hashes[rng.integers(0, len(hashes), count // 2)].copy()
    for i in range(len(near)):
        for bit in rng.choice(64, size=rng.integers(0, radius + 1), replace=False):
            near[i] ^= np.uint64(1) << np.uint64(bit)
    far = rng.integers(0, 2**64 - 1, count - len(near), dtype=np.uint64, endpoint=True)
    return np.concatenate([near, far])


def linear_scan(hashes: np.ndarray, query: np.uint64, radius: int) -> np.ndarray:
    """The baseline: one vectorised pass over every hash."""
    return np.flatnonzero(np.bitwise_count(hashes ^ query) <= radius)


def index_row(n: int, chunks: int | None, queries: int, radius: int) -> str:
    """Build and probe times for ``n`` random hashes, against the linear scan."""
    rng = np.random.default_rng(n)
    hashes = rng.integers(0, 2**64 - 1, n, dtype=np.uint64, endpoint=True)
    ids = np.arange(n, dtype=np.uint32)
    build = timed(lambda: HammingIndex(hashes, ids, chunks=chunks))
    index = HammingIndex(hashes, ids, chunks=chunks)
    probe = planted_queries(hashes, queries, radius, seed=n + 1)
    single = timed(lambda: [index.query(int(h), radius, method="probe") for h in probe], 2)
    batch = timed(lambda: index.search(probe, radius, method="probe"), 2)
    scan = timed(lambda: [linear_scan(hashes, h, radius) for h in probe], 2)
    auto = "probe" if index.uses_index(radius) else "scan"
    return (
        f"| {n:,} | {len(index.chunk_bits)} | {build * 1e3:,.0f} | {single / queries * 1e6:,.0f} "
        f"| {batch / queries * 1e6:,.0f} | {scan / queries * 1e6:,.0f} "
        f"| {scan / single:,.1f}× | {scan / batch:,.1f}× | {auto} |"
    )


def main() -> None:
    """Parse options and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10**4, 10**5, 10**6])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--radius", type=int, default=DEFAULT_MAX_DISTANCE)
    parser.add_argument("--chunks", type=int, nargs="*", default=[], help="also try these m")
    parser.add_argument("--repeat", type=int, default=3, help="hashing runs, best kept")
    args = parser.parse_args()
    print("| images | count | images/s |\n|---|---|---|")
    print("\n".join(hash_rows(args.repeat)))
    print(f"\nradius {args.radius}, {args.queries} queries (half planted near-duplicates)\n")
    print(
        "| entries | chunks | build ms | probe µs/query | batched µs/query | numpy scan µs "
        "| speed-up single | speed-up batched | auto picks |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for n in args.sizes:
        for chunks in dict.fromkeys([choose_chunks(n), *args.chunks]):
            print(index_row(n, chunks, args.queries, args.radius), flush=True)


if __name__ == "__main__":
    main()
