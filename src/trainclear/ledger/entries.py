"""The canonical bytes of a log entry: what a leaf hash commits to.

An entry is one platform event. Its bytes are UTF-8 JSON with sorted keys, no
insignificant whitespace, non-ASCII kept as is, and the time as ISO 8601 UTC with
microseconds — the same event always gives the same bytes, on any machine, so anyone
holding an exported entry can recompute its leaf hash (RFC 9162 §2.1.1:
``leaf_hash = SHA-256(0x00 || entry)``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

ENTRY_VERSION = 1


@dataclass(frozen=True, slots=True)
class LogRecord:
    """An event as the log sees it."""

    seq: int
    event_id: int
    at: datetime
    kind: str
    subject: str
    actor_id: int | None
    payload: dict[str, Any]

    def canonical(self) -> bytes:
        """The entry's canonical bytes (see the module docstring)."""
        return canonical_json(self.to_dict())

    def to_dict(self) -> dict[str, Any]:
        return {
            "v": ENTRY_VERSION,
            "seq": self.seq,
            "event_id": self.event_id,
            "at": self.at.astimezone(UTC).isoformat(timespec="microseconds"),
            "kind": self.kind,
            "subject": self.subject,
            "actor_id": self.actor_id,
            "payload": self.payload,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LogRecord:
        """Rebuild a record from :meth:`to_dict` data (ValueError when it is not one)."""
        if data.get("v") != ENTRY_VERSION:
            raise ValueError(f"not a version {ENTRY_VERSION} log entry")
        try:
            return cls(
                seq=int(data["seq"]),
                event_id=int(data["event_id"]),
                at=datetime.fromisoformat(data["at"]),
                kind=str(data["kind"]),
                subject=str(data["subject"]),
                actor_id=None if data["actor_id"] is None else int(data["actor_id"]),
                payload=dict(data["payload"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"not a log entry: {exc}") from exc


def canonical_json(value: Any) -> bytes:
    """Sorted keys, compact separators, UTF-8 (floats, if any, in Python's shortest
    round-trip form, which JSON parsers elsewhere read back to the same number)."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")
