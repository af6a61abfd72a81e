"""Writing and loading snapshot files: ``<dir>/<id>.json``, written once, verified on load."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from trainclear.errors import NotFound, ValidationFailed
from trainclear.snapshot.model import Snapshot


def write_snapshot(snapshot: Snapshot, directory: Path) -> Path:
    """Write ``snapshot`` atomically as ``<id>.json``; an existing file is left as is."""
    data = snapshot.canonical_bytes()
    digest = hashlib.sha256(data).hexdigest()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{digest}.json"
    if path.exists():
        return path
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".json")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    os.chmod(path, 0o444)
    return path


def resolve_snapshot_path(ref: str, directory: Path) -> Path:
    """A snapshot reference is a file path or an id (full, or a unique prefix of 8+)."""
    candidate = Path(ref)
    if candidate.suffix == ".json" and candidate.exists():
        return candidate
    if len(ref) >= 8 and directory.is_dir():
        hits = sorted(directory.glob(f"{ref}*.json"))
        if len(hits) == 1:
            return hits[0]
    raise NotFound("snapshot.missing", id=ref, where=str(directory))


def load_snapshot(ref: str, directory: Path) -> Snapshot:
    """Load and verify a snapshot: its bytes must hash to the id in its name."""
    path = resolve_snapshot_path(ref, directory)
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if path.stem != digest:
        raise ValidationFailed("snapshot.corrupt", path=str(path), problem="hash mismatch")
    try:
        snapshot = Snapshot.from_json(json.loads(data))
    except (ValueError, KeyError, TypeError) as exc:
        raise ValidationFailed("snapshot.corrupt", path=str(path), problem=str(exc)) from exc
    if snapshot.canonical_bytes() != data:
        raise ValidationFailed("snapshot.corrupt", path=str(path), problem="not canonical")
    return snapshot
