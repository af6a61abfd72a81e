"""Checks on a run's inputs, made before any record is read, and a streaming file hash."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Collection, Sequence
from pathlib import Path

from trainclear.errors import ValidationFailed
from trainclear.pipeline.readers.base import detect_format

HASH_CHUNK = 1 << 20


def check_inputs(inputs: Sequence[Path], *, reserved: Collection[str] = ()) -> tuple[Path, ...]:
    """The inputs as paths, once each is a readable shard of a known format.

    Outputs are named after their inputs, so two inputs with the same file name, or
    an input named like one of the run's report files (``reserved``), are refused.
    """
    paths = tuple(Path(p) for p in inputs)
    if not paths:
        raise ValidationFailed("pipeline.no_inputs")
    for path in paths:
        detect_format(path)
        if not path.is_file():
            raise ValidationFailed("pipeline.unreadable", path=str(path), problem="no such file")
        if path.name in reserved:
            raise ValidationFailed("pipeline.reserved_name", path=str(path), name=path.name)
    _check_unique_names(paths)
    return paths


def _check_unique_names(paths: Sequence[Path]) -> None:
    by_name: dict[str, list[str]] = defaultdict(list)
    for path in paths:
        by_name[path.name].append(str(path))
    for name, same in by_name.items():
        if len(same) > 1:
            raise ValidationFailed("pipeline.duplicate_name", name=name, paths=", ".join(same))


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file, read in chunks so memory does not grow with its size."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
