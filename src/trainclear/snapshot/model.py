"""The snapshot content model and its canonical serialisation (format v0)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

FORMAT = "trainclear-snapshot"
VERSION = 1

UrlRuleKind = Literal["prefix", "domain"]


@dataclass(frozen=True, slots=True)
class Reason:
    """Why something is excluded: a code plus the registry record that caused it.

    Codes: ``opt_out`` (work, holder, URL or domain opt-out), ``objection`` (filed inside
    a notice's window), ``disputed`` (objection under dispute: stays excluded until
    decided), ``cmo_opted_out`` (the CMO mandate's stance is opted out).
    """

    code: str
    ref: str
    """The registry record, e.g. ``opt_out:12`` or ``objection:4``."""


@dataclass(frozen=True, slots=True)
class SnapshotWork:
    """One registered work as the matcher sees it."""

    work_id: int
    title: str
    fingerprint: str | None
    identifiers: tuple[tuple[str, str], ...]
    """(scheme, canonical value) pairs, URL identifiers included."""
    reasons: tuple[Reason, ...] = ()
    length: int | None = None
    """Characters of the registered text (None for non-text works)."""
    folded_length: int | None = None
    """Its folded length (letters and digits), the unit of text-match work offsets."""
    image_hash: str | None = None
    """``phash:<16 hex>`` for image works."""

    @property
    def excluded(self) -> bool:
        return bool(self.reasons)


@dataclass(frozen=True, slots=True)
class UrlRule:
    """An opt-out for every record under a URL prefix or inside a domain."""

    kind: UrlRuleKind
    value: str
    reason: Reason


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A registry state as of ``as_of``, for uses with ``purpose``.

    ``scope`` is ``registry`` (every opt-out in force) or ``notice`` (additionally the
    objections to ``notice_id``).
    """

    scope: Literal["registry", "notice"]
    purpose: str
    as_of: str
    """ISO-8601 UTC instant the exclusion set is valid for."""
    works: tuple[SnapshotWork, ...]
    url_rules: tuple[UrlRule, ...] = ()
    notice_id: int | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def canonical_bytes(self) -> bytes:
        """Canonical JSON: sorted keys, works and rules in a fixed order, UTF-8."""
        body = {
            "format": FORMAT,
            "version": VERSION,
            "scope": self.scope,
            "notice_id": self.notice_id,
            "purpose": self.purpose,
            "as_of": self.as_of,
            "works": [work_to_dict(w) for w in sorted(self.works, key=lambda w: w.work_id)],
            "url_rules": [
                asdict(r)
                for r in sorted(self.url_rules, key=lambda r: (r.kind, r.value, r.reason.ref))
            ],
            "meta": self.meta,
        }
        return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()

    @property
    def id(self) -> str:
        """Content address: hex SHA-256 of the canonical bytes."""
        return hashlib.sha256(self.canonical_bytes()).hexdigest()

    @property
    def excluded_works(self) -> tuple[SnapshotWork, ...]:
        return tuple(w for w in self.works if w.excluded)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Snapshot:
        """Rebuild a snapshot from its canonical JSON object."""
        if data.get("format") != FORMAT or data.get("version") not in (0, VERSION):
            raise ValueError(f"not a {FORMAT} v{VERSION} document")
        works = tuple(work_from_dict(w) for w in data["works"])
        rules = tuple(
            UrlRule(r["kind"], r["value"], Reason(**r["reason"])) for r in data["url_rules"]
        )
        return cls(
            scope=data["scope"],
            purpose=data["purpose"],
            as_of=data["as_of"],
            works=works,
            url_rules=rules,
            notice_id=data["notice_id"],
            meta=data.get("meta", {}),
        )


def work_to_dict(work: SnapshotWork) -> dict[str, Any]:
    return {
        "work_id": work.work_id,
        "title": work.title,
        "fingerprint": work.fingerprint,
        "identifiers": sorted([list(pair) for pair in work.identifiers]),
        "reasons": sorted([asdict(r) for r in work.reasons], key=lambda r: (r["code"], r["ref"])),
        "length": work.length,
        "folded_length": work.folded_length,
        "image_hash": work.image_hash,
    }


def work_from_dict(data: dict[str, Any]) -> SnapshotWork:
    return SnapshotWork(
        work_id=int(data["work_id"]),
        title=data["title"],
        fingerprint=data["fingerprint"],
        identifiers=tuple((s, v) for s, v in data["identifiers"]),
        reasons=tuple(Reason(**r) for r in data["reasons"]),
        length=data.get("length"),
        folded_length=data.get("folded_length"),
        image_hash=data.get("image_hash"),
    )
