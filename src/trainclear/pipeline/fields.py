"""Where a record keeps its id, text, URL and metadata, and how identifiers are read.

Corpora name their fields differently (``content`` for text, ``meta.url`` for the
URL), so a :class:`FieldMap` says where to look; dotted paths walk nested objects.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import asdict, dataclass
from typing import Any

from trainclear.errors import RecordError
from trainclear.fingerprint.identifiers import Scheme, canonical
from trainclear.pipeline.document import Document

IDENTIFIER_KEYS = (Scheme.ISBN, Scheme.ISRC, Scheme.ISWC, Scheme.DOI)
"""Metadata keys read as work identifiers; their values are strings or lists of strings."""

_MISSING = object()
MISSING = _MISSING
"""What :func:`lookup` returns for a path the record does not have."""


@dataclass(frozen=True, slots=True)
class FieldMap:
    """Names (or dotted paths) of the record fields the pipeline reads."""

    id: str = "id"
    text: str = "text"
    url: str = "url"
    metadata: str = "metadata"
    image: str = "image"

    def to_dict(self) -> dict[str, str]:
        """The map as plain JSON, for manifests."""
        return asdict(self)

    def to_document(
        self, data: dict[str, Any], *, source: str, line: int, encoded: bytes | None = None
    ) -> Document:
        """Pull a :class:`Document` out of one record; RecordError when it is malformed.

        ``id`` and ``text`` must be strings; ``url`` is optional but must be a string
        when present; ``metadata`` is optional but must be an object when present.
        """
        where = {"file": source, "line": line}
        doc_id = self._required(data, self.id, where)
        text = self._required(data, self.text, where)
        url = self._optional(data, self.url, str, "a string", where)
        metadata = self._optional(data, self.metadata, dict, "an object", where) or {}
        return Document(
            id=doc_id,
            text=text,
            url=url,
            metadata=metadata,
            raw=data,
            source=source,
            line=line,
            identifiers=metadata_identifiers(metadata),
            encoded=encoded,
            image=self._image(data, where),
        )

    def _image(self, data: dict[str, Any], where: dict[str, Any]) -> bytes | None:
        """Image bytes: Parquet binary, or base64 text (optionally a ``data:`` URI)."""
        value = lookup(data, self.image)
        if value is _MISSING or value is None:
            return None
        if isinstance(value, bytes):
            return value
        if not isinstance(value, str):
            raise RecordError(**where, field=self.image, problem="must be base64 text or bytes")
        encoded = value.split(",", 1)[1] if value.startswith("data:") else value
        try:
            return base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise RecordError(**where, field=self.image, problem="not base64") from None

    @staticmethod
    def _required(data: dict[str, Any], path: str, where: dict[str, Any]) -> str:
        value = lookup(data, path)
        if value is _MISSING or value is None:
            raise RecordError(**where, field=path, problem="missing")
        if not isinstance(value, str):
            raise RecordError(**where, field=path, problem=f"must be a string, not {_kind(value)}")
        return value

    @staticmethod
    def _optional(
        data: dict[str, Any], path: str, kind: type, noun: str, where: dict[str, Any]
    ) -> Any:
        value = lookup(data, path)
        if value is _MISSING or value is None:
            return None
        if not isinstance(value, kind):
            raise RecordError(**where, field=path, problem=f"must be {noun}, not {_kind(value)}")
        return value


def lookup(data: dict[str, Any], path: str) -> Any:
    """The value at ``path``: a literal key first, else a dotted walk; a sentinel if absent."""
    if path in data:
        return data[path]
    value: Any = data
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return _MISSING
        value = value[part]
    return value


def metadata_identifiers(metadata: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """Canonical (scheme, value) pairs under the ISBN/ISRC/ISWC/DOI keys of ``metadata``.

    Invalid or non-string values are ignored rather than fatal: corpus metadata is
    scraped and often dirty, and a bad ISBN must not stop a filter run. Such a record
    can still match by fingerprint or URL.
    """
    found: set[tuple[str, str]] = set()
    for scheme in IDENTIFIER_KEYS:
        value = metadata.get(scheme.value)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                try:
                    found.add((scheme.value, canonical(scheme, item)))
                except ValueError:
                    continue
    return tuple(sorted(found))


def _kind(value: Any) -> str:
    """A JSON-ish name for a value's type, for error messages."""
    names = {bool: "a boolean", int: "a number", float: "a number", list: "an array"}
    return names.get(type(value), "an object" if isinstance(value, dict) else type(value).__name__)
