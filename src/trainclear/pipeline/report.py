"""The scan report: which registered works a corpus contains, as stable JSON.

Developers attach it to a notice ("works it intends to use, from a scan"), so its JSON
is sorted and round-trips through :meth:`ScanReport.from_json` unchanged.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

FORMAT = "trainclear-scan-report"
VERSION = 0


@dataclass(frozen=True, slots=True)
class WorkHits:
    """A registered work found in the corpus."""

    work_id: int
    title: str
    excluded: bool
    records: int
    characters: int
    kinds: tuple[str, ...]
    """How it matched: ``fingerprint``, ``text``, ``identifier`` and/or ``url``."""
    domains: dict[str, int]
    """The hosts its matched records came from (the most frequent ones) with counts."""
    characters_used: int = 0
    """Characters of the work the corpus reproduces (overlaps counted once; estimated
    from folded spans)."""
    share_used: float = 0.0
    """``characters_used`` as a share of the work (0 to 1)."""


@dataclass(frozen=True, slots=True)
class RuleHits:
    """A URL prefix or domain rule that records fell under."""

    kind: str
    value: str
    records: int
    characters: int
    reasons: tuple[tuple[str, str], ...]
    """(code, ref) pairs of the opt-outs behind the rule."""


@dataclass(frozen=True, slots=True)
class ScanTotals:
    shards: int
    records: int
    """Well-formed records read (malformed ones are counted in ``skipped``)."""
    characters: int
    matched: int
    """Records matching any work or rule."""
    excluded: int
    """Records a filter with the same snapshot would drop."""
    skipped: int
    """Malformed records passed over (``on_error="skip"``)."""


@dataclass(frozen=True, slots=True)
class ScanInput:
    path: str
    records: int
    """Well-formed records in this shard."""


@dataclass(frozen=True, slots=True)
class ScanReport:
    """What a scan found, against which snapshot, when and with which tool version."""

    snapshot_id: str
    created_at: str
    tool_version: str
    inputs: tuple[ScanInput, ...]
    totals: ScanTotals
    works: tuple[WorkHits, ...]
    url_rules: tuple[RuleHits, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data; works sorted by id, rules by kind and value."""
        return {
            "format": FORMAT,
            "version": VERSION,
            "snapshot_id": self.snapshot_id,
            "created_at": self.created_at,
            "tool_version": self.tool_version,
            "inputs": [asdict(i) for i in self.inputs],
            "totals": asdict(self.totals),
            "works": [_work_dict(w) for w in sorted(self.works, key=lambda w: w.work_id)],
            "url_rules": [
                _rule_dict(r) for r in sorted(self.url_rules, key=lambda r: (r.kind, r.value))
            ],
        }

    def to_json(self) -> str:
        """Stable JSON text: sorted keys, two-space indent, UTF-8 left unescaped."""
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str | bytes) -> ScanReport:
        """Parse a report; ValueError saying what is wrong when it is not one."""
        try:
            return cls.from_dict(json.loads(text))
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"not a scan report: {exc!r}") from exc

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ScanReport:
        """Rebuild a report from :meth:`to_dict` data."""
        if data.get("format") != FORMAT or data.get("version") != VERSION:
            raise ValueError(f"not a {FORMAT} v{VERSION} document")
        return cls(
            snapshot_id=str(data["snapshot_id"]),
            created_at=str(data["created_at"]),
            tool_version=str(data["tool_version"]),
            inputs=tuple(ScanInput(str(i["path"]), int(i["records"])) for i in data["inputs"]),
            totals=ScanTotals(**{k: int(v) for k, v in data["totals"].items()}),
            works=tuple(_work_from(w) for w in data["works"]),
            url_rules=tuple(_rule_from(r) for r in data["url_rules"]),
        )


def _work_dict(work: WorkHits) -> dict[str, Any]:
    return {**asdict(work), "kinds": sorted(work.kinds)}


def _work_from(data: dict[str, Any]) -> WorkHits:
    return WorkHits(
        work_id=int(data["work_id"]),
        title=str(data["title"]),
        excluded=bool(data["excluded"]),
        records=int(data["records"]),
        characters=int(data["characters"]),
        kinds=tuple(sorted(str(k) for k in data["kinds"])),
        domains={str(k): int(v) for k, v in data["domains"].items()},
        characters_used=int(data.get("characters_used", 0)),
        share_used=float(data.get("share_used", 0.0)),
    )


def _rule_dict(rule: RuleHits) -> dict[str, Any]:
    reasons = [{"code": code, "ref": ref} for code, ref in sorted(rule.reasons)]
    return {**asdict(rule), "reasons": reasons}


def _rule_from(data: dict[str, Any]) -> RuleHits:
    return RuleHits(
        kind=str(data["kind"]),
        value=str(data["value"]),
        records=int(data["records"]),
        characters=int(data["characters"]),
        reasons=tuple(sorted((str(r["code"]), str(r["ref"])) for r in data["reasons"])),
    )
