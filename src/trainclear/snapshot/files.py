"""Snapshot folders (format v1): ``<dir>/<id>/`` holding ``snapshot.json`` and index files.

``snapshot.json`` is the canonical registry state (works, reasons, URL rules) and lists
every index file with its SHA-256 under ``meta.index``; the folder's name, the snapshot
id, is the SHA-256 of ``snapshot.json``. So the id covers every byte, a folder is
written once (staged, then renamed), and loading verifies before anything is used.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from trainclear.errors import NotFound, ValidationFailed
from trainclear.fingerprint.fold import fold_table
from trainclear.fingerprint.hamming import HammingIndex
from trainclear.fingerprint.textindex import DEFAULT, NgramParams, TextIndex
from trainclear.snapshot.imagefiles import load_image_index, write_image_index
from trainclear.snapshot.model import Snapshot
from trainclear.snapshot.textfiles import Sample, load_text_index, write_text_index

SNAPSHOT_FILE = "snapshot.json"


@dataclass(frozen=True)
class Bundle:
    """A loaded snapshot: the registry state, its text index, and where it lies."""

    snapshot: Snapshot
    text: TextIndex
    path: Path
    images: HammingIndex | None = None

    @property
    def id(self) -> str:
        return self.path.name


def write_snapshot(
    snapshot: Snapshot,
    directory: Path,
    text: Iterable[Sample] = (),
    params: NgramParams = DEFAULT,
) -> Path:
    """Write a snapshot folder (staged, then renamed); an existing identical one is kept."""
    directory.mkdir(parents=True, exist_ok=True)
    staging = directory / f".tmp-{secrets.token_hex(6)}"
    try:
        files = write_text_index(text, staging, params)
        files.update({p.name: _sha256(p) for p in write_image_index(snapshot.works, staging)})
        final = replace(snapshot, meta={**snapshot.meta, "index": _index_meta(files, params)})
        (staging / SNAPSHOT_FILE).write_bytes(final.canonical_bytes())
        target = directory / final.id
        if target.exists():
            shutil.rmtree(staging)
            return target
        for path in staging.iterdir():
            path.chmod(0o444)
        os.replace(staging, target)
        return target
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def resolve_snapshot_path(ref: str, directory: Path) -> Path:
    """A reference is a snapshot folder, its ``snapshot.json``, an id or a unique 8+ prefix."""
    candidate = Path(ref)
    if candidate.name == SNAPSHOT_FILE and candidate.is_file():
        return candidate.parent
    if (candidate / SNAPSHOT_FILE).is_file():
        return candidate
    if len(ref) >= 8 and "/" not in ref and directory.is_dir():
        hits = [p for p in directory.glob(f"{ref}*") if (p / SNAPSHOT_FILE).is_file()]
        if len(hits) == 1:
            return hits[0]
    raise NotFound("snapshot.missing", id=ref, where=str(directory))


def load_snapshot(ref: str, directory: Path, *, verify: bool = True) -> Snapshot:
    """The registry state of a snapshot, verified against its id (and its index files)."""
    path = resolve_snapshot_path(ref, directory)
    data = (path / SNAPSHOT_FILE).read_bytes()
    if hashlib.sha256(data).hexdigest() != path.name:
        raise ValidationFailed("snapshot.corrupt", path=str(path), problem="hash mismatch")
    try:
        snapshot = Snapshot.from_json(json.loads(data))
    except (ValueError, KeyError, TypeError) as exc:
        raise ValidationFailed("snapshot.corrupt", path=str(path), problem=str(exc)) from exc
    if snapshot.canonical_bytes() != data:
        raise ValidationFailed("snapshot.corrupt", path=str(path), problem="not canonical")
    if verify:
        _verify_files(path, index_files(snapshot))
    return snapshot


def load_bundle(ref: str, directory: Path, *, verify: bool = True) -> Bundle:
    """Load a snapshot and memory-map its text index."""
    path = resolve_snapshot_path(ref, directory)
    snapshot = load_snapshot(str(path), directory, verify=verify)
    params = index_params(snapshot)
    text = load_text_index(path, index_files(snapshot), params)
    images = load_image_index(path, index_files(snapshot))
    return Bundle(snapshot, text, path, images)


def index_files(snapshot: Snapshot) -> dict[str, str]:
    files: dict[str, str] = snapshot.meta.get("index", {}).get("files", {})
    return files


def index_params(snapshot: Snapshot) -> NgramParams:
    """The matcher settings the index was built with (defaults for v0 snapshots)."""
    stored = snapshot.meta.get("index", {}).get("params")
    return NgramParams(**stored) if stored else DEFAULT


def _index_meta(files: dict[str, str], params: NgramParams) -> dict[str, Any]:
    return {
        "files": dict(sorted(files.items())),
        "params": {
            "sample_bits": params.sample_bits,
            "max_df": params.max_df,
            "min_score": params.min_score,
            "min_hits": params.min_hits,
            "max_gap": params.max_gap,
            "tol": params.tol,
            "drift": params.drift,
        },
        "fold": fold_table().version,
    }


def _verify_files(path: Path, files: dict[str, str]) -> None:
    for name, expected in files.items():
        file = path / name
        if not file.is_file():
            raise ValidationFailed("snapshot.corrupt", path=str(file), problem="missing")
        if _sha256(file) != expected:
            raise ValidationFailed("snapshot.corrupt", path=str(file), problem="hash mismatch")


def _sha256(file: Path) -> str:
    digest = hashlib.sha256()
    with file.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
