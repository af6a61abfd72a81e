"""Where the pipeline and the check API find captured site policies.

A :class:`PolicySource` answers "every capture of this origin" and is picklable, so
executors ship it to workers that open it themselves: :class:`DatabaseSource` reads the
platform's ``site_policies`` table (SQLite or PostgreSQL, by URL), :class:`FileSource`
reads a captures file (JSON Lines, one :meth:`Capture.to_dict` per line) without any
database — the format ``trainclear signals import`` and ``export`` use.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

import orjson

from trainclear.clock import as_utc
from trainclear.errors import RecordError
from trainclear.signals.capture import Capture, PolicyKind, origin_of

Bad = Callable[[str, str], RecordError]


@dataclass(frozen=True, slots=True)
class StoredCapture:
    """A capture and who captured it (None for a captures file given on the command line)."""

    capture: Capture
    capturer: int | None = None


class PolicySource(Protocol):
    """Every stored capture of one origin, in any order."""

    def captures(self, origin: str) -> Sequence[StoredCapture]: ...


@dataclass
class FileSource:
    """Captures read from a JSON Lines file (loaded once, on first use)."""

    path: Path
    _by_origin: dict[str, list[StoredCapture]] | None = field(default=None, repr=False)

    def captures(self, origin: str) -> Sequence[StoredCapture]:
        if self._by_origin is None:
            table: dict[str, list[StoredCapture]] = {}
            for capture in read_captures(self.path):
                table.setdefault(capture.origin, []).append(StoredCapture(capture))
            self._by_origin = table
        return self._by_origin.get(origin, ())

    def __getstate__(self) -> dict[str, Any]:
        return {"path": self.path, "_by_origin": None}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.path = state["path"]
        self._by_origin = None


@dataclass
class DatabaseSource:
    """Captures read from the ``site_policies`` table of the database at ``url``."""

    url: str
    _engine: Any = field(default=None, repr=False)

    def captures(self, origin: str) -> Sequence[StoredCapture]:
        from sqlalchemy import create_engine, select
        from sqlalchemy.orm import Session
        from sqlalchemy.pool import NullPool

        from trainclear.store.models import SitePolicyCapture as Row

        if self._engine is None:
            # no pool: a worker's lookups are few and a pooled connection would outlive it
            self._engine = create_engine(self.url, poolclass=NullPool)
        stmt = select(Row).where(Row.origin == origin)
        with Session(self._engine) as s:
            return [StoredCapture(capture_of(r), r.captured_by) for r in s.scalars(stmt)]

    def __getstate__(self) -> dict[str, Any]:
        return {"url": self.url, "_engine": None}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.url = state["url"]
        self._engine = None


def capture_of(row: Any) -> Capture:
    """The :class:`Capture` a ``site_policies`` row holds."""
    return Capture(
        url=row.url,
        kind=PolicyKind(row.kind),
        fetched_at=row.fetched_at,
        status=row.status,
        body=row.body,
        content_type=row.content_type,
        error=row.error,
    )


def read_captures(path: Path) -> Iterator[Capture]:
    """Parse a captures file; a bad line raises RecordError naming file, line and field."""
    with open(path, "rb") as handle:
        for line_no, line in enumerate(handle, start=1):
            if line.strip():
                yield parse_capture(line, file=str(path), line=line_no)


def parse_capture(text: bytes | str, *, file: str, line: int) -> Capture:
    """One captures-file line; see :meth:`Capture.to_dict` for the fields."""

    def bad(problem: str) -> RecordError:
        return RecordError(file=file, line=line, field="(record)", problem=problem)

    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise bad(f"not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise bad("must be a JSON object")
    return capture_from_dict(data, file=file, line=line)


def capture_from_dict(data: dict[str, Any], *, file: str, line: int) -> Capture:
    """Validate one capture object (from a file or an API request)."""

    def bad(name: str, problem: str) -> RecordError:
        return RecordError(file=file, line=line, field=name, problem=problem)

    url = data.get("url")
    if not isinstance(url, str):
        raise bad("url", "must be a string")
    try:
        origin_of(url)
    except ValueError:
        raise bad("url", "must be an absolute http(s) URL") from None
    try:
        kind = PolicyKind(data.get("kind") or _kind_from_url(url))
    except ValueError:
        raise bad("kind", f"must be one of {', '.join(k.value for k in PolicyKind)}") from None
    return Capture(
        url=url,
        kind=kind,
        fetched_at=_fetched_at(data.get("fetched_at"), bad),
        status=_status(data.get("status", 200), bad),
        body=_body(data, bad),
        content_type=_optional_str(data, "content_type", bad),
        error=_optional_str(data, "error", bad),
    )


def _kind_from_url(url: str) -> str:
    path = url.split("?", 1)[0].rstrip("/")
    for kind in (PolicyKind.ROBOTS, PolicyKind.TDMREP, PolicyKind.AI_TXT):
        if kind.path and path.endswith(kind.path):
            return kind.value
    return ""


def _fetched_at(value: Any, bad: Bad) -> datetime:
    if not isinstance(value, str):
        raise bad("fetched_at", "must be an ISO 8601 date-time string")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise bad("fetched_at", f"not an ISO 8601 date-time: {value!r}") from None
    if parsed.tzinfo is None:
        raise bad("fetched_at", "must carry a time zone (e.g. Z or +08:00)")
    return as_utc(parsed)


def _status(value: Any, bad: Bad) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 100 <= value <= 599:
        raise bad("status", "must be an HTTP status (100-599) or null for unreachable")
    return value


def _body(data: dict[str, Any], bad: Bad) -> bytes:
    if "body_base64" in data:
        try:
            return base64.b64decode(data["body_base64"], validate=True)
        except (binascii.Error, TypeError, ValueError):
            raise bad("body_base64", "not valid base64") from None
    body = data.get("body", "")
    if not isinstance(body, str):
        raise bad("body", "must be a string (or give body_base64)")
    return body.encode("utf-8")


def _optional_str(data: dict[str, Any], name: str, bad: Bad) -> str | None:
    value = data.get(name)
    if value is not None and not isinstance(value, str):
        raise bad(name, "must be a string")
    return value
