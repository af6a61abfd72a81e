"""The filter manifest: what went in, what came out, against which snapshot, with hashes.

Everything in it is a pure function of the inputs, the snapshot and the options except
``created_at``, so two runs can be compared by their manifests.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from dataclasses import fields as dataclass_fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from trainclear import __version__
from trainclear.clock import as_utc
from trainclear.pipeline.fields import FieldMap
from trainclear.pipeline.inputs import sha256_file
from trainclear.signals.records import SignalConfig

FORMAT = "trainclear-filter-manifest"
VERSION = 0
MANIFEST = "manifest.json"
EXCLUSIONS = "exclusions.jsonl"


@dataclass(frozen=True, slots=True)
class ShardResult:
    """One input shard and the filtered shard written for it."""

    input: str
    """The input path as given."""
    output: str
    """The output's file name inside the output folder."""
    input_sha256: str
    output_sha256: str
    records: int
    """Records read, malformed ones included."""
    kept: int
    excluded: int
    skipped: int

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data, as a completion marker stores it."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ShardResult:
        """Rebuild a result from :meth:`to_dict` data; KeyError when a field is missing."""
        return cls(**{f.name: data[f.name] for f in dataclass_fields(cls)})


@dataclass(frozen=True, slots=True)
class RunInfo:
    """The run-wide facts a manifest records."""

    snapshot_id: str
    created_at: str
    fields: FieldMap
    on_error: str
    exclusions: int
    """Lines in the exclusions report."""
    signals: dict[str, Any] | None = None
    """How reservation signals were judged (None: they were not)."""

    @classmethod
    def of(
        cls,
        snapshot_id: str,
        created_at: str,
        fields: FieldMap,
        on_error: str,
        shards: tuple[ShardResult, ...],
        signals: SignalConfig | None = None,
    ) -> RunInfo:
        """The run's facts; the report holds a line per excluded and per skipped record."""
        exclusions = sum(s.excluded + s.skipped for s in shards)
        judged = signals.to_dict() if signals is not None else None
        return cls(snapshot_id, created_at, fields, on_error, exclusions, judged)


def created_stamp(now: datetime | None = None) -> str:
    """A manifest's ``created_at``: ``now`` (default: the current time) in UTC, to the second."""
    return as_utc(now or datetime.now(UTC)).isoformat(timespec="seconds")


def write_manifest(folder: Path, info: RunInfo, shards: tuple[ShardResult, ...]) -> Path:
    """Write ``manifest.json`` into ``folder`` (sorted keys, UTF-8) and return its path."""
    path = folder / MANIFEST
    text = json.dumps(manifest_dict(folder, info, shards), ensure_ascii=False, sort_keys=True)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def manifest_dict(folder: Path, info: RunInfo, shards: tuple[ShardResult, ...]) -> dict[str, Any]:
    """The manifest's content; ``folder`` holds the exclusions report to hash."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "snapshot_id": info.snapshot_id,
        "created_at": info.created_at,
        "tool_version": __version__,
        "fields": info.fields.to_dict(),
        "on_error": info.on_error,
        "signals": info.signals,
        "counts": {
            "records": sum(s.records for s in shards),
            "kept": sum(s.kept for s in shards),
            "excluded": sum(s.excluded for s in shards),
            "skipped": sum(s.skipped for s in shards),
        },
        "inputs": [
            {"path": s.input, "sha256": s.input_sha256, "records": s.records} for s in shards
        ],
        "outputs": [
            {"path": s.output, "sha256": s.output_sha256, "records": s.kept} for s in shards
        ],
        "exclusions": {
            "path": EXCLUSIONS,
            "sha256": sha256_file(folder / EXCLUSIONS),
            "records": info.exclusions,
        },
    }
