"""Dataset manifests: the set of a dataset version's content hashes and its Merkle root.

A record's content hash is its text's fingerprint (SHA-256 of the folded text, the same
value the registry keeps for a work, so an exact copy of a registered work is found by
lookup) or, for an image record, the SHA-256 of the file. The manifest is the sorted set
of those 32-byte hashes; its root is the RFC 9162 Merkle tree hash over them in that
order, so two parties holding the same records compute the same root, and one holding a
hash can be given an inclusion proof. Consecutive versions are compared by a merge of
their sorted sets (added, removed).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from trainclear.fingerprint.text import FINGERPRINT_PREFIX, text_fingerprint
from trainclear.ledger.merkle import MerkleAppender, leaf_hash

HASH = 32


def content_hash(text: str, image: bytes | None = None) -> bytes:
    """The 32-byte content hash of a record (its image's SHA-256 when it has one)."""
    if image:
        return hashlib.sha256(image).digest()
    return fingerprint_bytes(text_fingerprint(text))


def fingerprint_bytes(fingerprint: str) -> bytes:
    """A registry fingerprint (``sha256:<hex>``) as 32 bytes."""
    return bytes.fromhex(fingerprint.removeprefix(FINGERPRINT_PREFIX))


@dataclass(frozen=True, slots=True)
class Manifest:
    """A version's content hashes, sorted and distinct, as an ``(n, 32)`` uint8 array."""

    hashes: np.ndarray

    @classmethod
    def of(cls, hashes: list[bytes]) -> Manifest:
        if not hashes:
            return cls(np.zeros((0, HASH), np.uint8))
        raw = np.frombuffer(b"".join(hashes), np.uint8).reshape(-1, HASH)
        return cls(np.unique(raw.view(f"V{HASH}").ravel()).view(np.uint8).reshape(-1, HASH))

    def __len__(self) -> int:
        return int(self.hashes.shape[0])

    @property
    def root(self) -> bytes:
        """RFC 9162 Merkle tree hash over ``leaf_hash(h)`` for each hash, in sorted order."""
        appender = MerkleAppender()
        for row in self.hashes:
            appender.append(leaf_hash(row.tobytes()))
        return appender.root()

    def contains(self, digest: bytes) -> bool:
        """Binary search for one 32-byte hash."""
        keys = self._keys()
        i = int(np.searchsorted(keys, np.frombuffer(digest, f"V{HASH}")[0]))
        return i < len(keys) and keys[i].tobytes() == digest

    def diff(self, parent: Manifest) -> tuple[int, int]:
        """(added, removed) relative to ``parent``."""
        mine, theirs = self._keys(), parent._keys()
        common = len(np.intersect1d(mine, theirs, assume_unique=True))
        return len(mine) - common, len(theirs) - common

    def save(self, folder: Path) -> Path:
        """Write ``<root hex>.hashes`` (the raw sorted hashes) into ``folder``."""
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{self.root.hex()}.hashes"
        if not path.exists():
            tmp = path.with_suffix(".tmp")
            tmp.write_bytes(self.hashes.tobytes())
            tmp.replace(path)
        return path

    @classmethod
    def load(cls, folder: Path, root_hex: str) -> Manifest:
        """Read a saved manifest and check it still hashes to ``root_hex``."""
        data = (folder / f"{root_hex}.hashes").read_bytes()
        if len(data) % HASH:
            raise ValueError(f"manifest {root_hex}: truncated ({len(data)} bytes)")
        manifest = cls(np.frombuffer(data, np.uint8).reshape(-1, HASH))
        if manifest.root.hex() != root_hex:
            raise ValueError(f"manifest {root_hex}: its hashes no longer match its root")
        return manifest

    def _keys(self) -> np.ndarray:
        return np.ascontiguousarray(self.hashes).view(f"V{HASH}").ravel()
