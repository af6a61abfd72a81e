"""The image index on disk: a :class:`HammingIndex` over registered works' perceptual hashes,
one ``.npy`` file per array, memory-mapped on load."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np

from trainclear.fingerprint.hamming import HammingIndex
from trainclear.fingerprint.image import parse_hash
from trainclear.snapshot.model import SnapshotWork

PREFIX = "image-"


def write_image_index(works: Iterable[SnapshotWork], directory: Path) -> list[Path]:
    """Index the works that carry an image hash; returns the files written (none if none)."""
    pairs = [(parse_hash(w.image_hash), w.work_id) for w in works if w.image_hash]
    if not pairs:
        return []
    hashes = np.array([h for h, _ in pairs], dtype=np.uint64)
    ids = np.array([i for _, i in pairs], dtype=np.uint32)
    written = []
    for name, array in HammingIndex(hashes, ids).arrays().items():
        path = directory / f"{PREFIX}{name}.npy"
        np.save(path, np.ascontiguousarray(array), allow_pickle=False)
        written.append(path)
    return written


def load_image_index(directory: Path, files: Iterable[str]) -> HammingIndex | None:
    """Memory-map the image index listed in a snapshot's manifest, if it has one."""
    names = [f for f in files if f.startswith(PREFIX)]
    if not names:
        return None
    arrays = {
        name.removeprefix(PREFIX).removesuffix(".npy"): np.load(directory / name, mmap_mode="r")
        for name in names
    }
    return HammingIndex.from_arrays(arrays)
