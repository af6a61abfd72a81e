"""Deltas: opt-outs and objections recorded after a base snapshot, without a rebuild.

A delta is a small canonical JSON file ``<base id>.deltas/<seq>.json`` beside the base
snapshot folder. It carries the works whose exclusion changed (or that were registered
since, with their sampled n-grams) and the complete URL rules as of the delta. A running
pipeline polls the folder (:meth:`SnapshotIndex.refresh`) and applies new deltas in
sequence order: the paper's real-time dynamic filtering. Deltas only ever replace whole
work records, so applying them in order always reproduces the registry at the delta.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from trainclear.snapshot.model import (
    Reason,
    Snapshot,
    SnapshotWork,
    UrlRule,
    work_from_dict,
    work_to_dict,
)

FORMAT = "trainclear-snapshot-delta"


@dataclass(frozen=True)
class Delta:
    base: str
    seq: int
    as_of: str
    works: tuple[SnapshotWork, ...]
    url_rules: tuple[UrlRule, ...]
    text: dict[int, tuple[np.ndarray, np.ndarray]]
    """Sampled n-grams (keys, positions) of works registered after the base."""

    def to_bytes(self) -> bytes:
        body = {
            "format": FORMAT,
            "base": self.base,
            "seq": self.seq,
            "as_of": self.as_of,
            "works": [work_to_dict(w) for w in sorted(self.works, key=lambda w: w.work_id)],
            "url_rules": sorted(
                [r.kind, r.value, r.reason.code, r.reason.ref] for r in self.url_rules
            ),
            "text": {str(w): [k.tolist(), p.tolist()] for w, (k, p) in sorted(self.text.items())},
        }
        return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()

    @classmethod
    def from_bytes(cls, data: bytes) -> Delta:
        body: dict[str, Any] = json.loads(data)
        if body.get("format") != FORMAT:
            raise ValueError("not a snapshot delta")
        return cls(
            base=body["base"],
            seq=int(body["seq"]),
            as_of=body["as_of"],
            works=tuple(work_from_dict(w) for w in body["works"]),
            url_rules=tuple(UrlRule(k, v, Reason(c, r)) for k, v, c, r in body["url_rules"]),
            text={
                int(w): (np.asarray(k, np.uint32), np.asarray(p, np.uint32))
                for w, (k, p) in body["text"].items()
            },
        )


def delta_dir(snapshot_path: Path) -> Path:
    """Where the deltas of the snapshot folder ``snapshot_path`` live."""
    return snapshot_path.parent / f"{snapshot_path.name}.deltas"


def changed_works(base: Snapshot, current: Snapshot) -> tuple[SnapshotWork, ...]:
    """Works of ``current`` that are new or differ from ``base`` (the delta's content)."""
    before = {w.work_id: w for w in base.works}
    return tuple(w for w in current.works if before.get(w.work_id) != w)


def write_delta(
    snapshot_path: Path,
    base_id: str,
    current: Snapshot,
    previous: Snapshot,
    text: dict[int, tuple[np.ndarray, np.ndarray]],
) -> Path:
    """Write the next delta (relative to ``previous``, the state with earlier deltas applied)."""
    folder = delta_dir(snapshot_path)
    folder.mkdir(exist_ok=True)
    seq = len(list_deltas(folder)) + 1
    delta = Delta(
        base_id, seq, current.as_of, changed_works(previous, current), current.url_rules, text
    )
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    with os.fdopen(fd, "wb") as handle:
        handle.write(delta.to_bytes())
    target = folder / f"{seq:06d}.json"
    os.link(tmp, target)  # fails if another writer took this sequence number
    os.unlink(tmp)
    return target


def list_deltas(folder: Path) -> list[Path]:
    """Delta files in sequence order."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("[0-9]*.json"))


def read_delta(path: Path) -> Delta:
    return Delta.from_bytes(path.read_bytes())
