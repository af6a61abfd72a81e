"""Scan: read a corpus against a snapshot and report which registered works it contains.

Nothing is written or dropped; the report tells a developer what a notice should
list and what a filter with the same snapshot would remove. Memory grows with the
number of works found and their distinct source hosts, not with the corpus.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from trainclear import __version__
from trainclear.clock import as_utc
from trainclear.fingerprint.identifiers import url_host
from trainclear.pipeline.document import Document
from trainclear.pipeline.fields import FieldMap
from trainclear.pipeline.inputs import check_inputs
from trainclear.pipeline.policy import OnError, record_error_policy
from trainclear.pipeline.progress import Progress, counted
from trainclear.pipeline.readers import read_documents
from trainclear.pipeline.report import RuleHits, ScanInput, ScanReport, ScanTotals, WorkHits
from trainclear.snapshot.index import Match, SnapshotIndex

TOP_DOMAINS = 10
"""How many source hosts a report lists per work."""


@dataclass(slots=True)
class _Tally:
    """Running counts for one work or rule."""

    title: str
    excluded: bool
    reasons: tuple[tuple[str, str], ...] = ()
    records: int = 0
    characters: int = 0
    kinds: set[str] = field(default_factory=set)
    domains: Counter[str] = field(default_factory=Counter)


@dataclass(slots=True)
class _Scan:
    """The state of one scan: totals, per-work and per-rule tallies."""

    index: SnapshotIndex
    totals: Counter[str] = field(default_factory=Counter)
    works: dict[int, _Tally] = field(default_factory=dict)
    rules: dict[tuple[str, str], _Tally] = field(default_factory=dict)

    def add(self, doc: Document) -> None:
        matches = self.index.match(doc)
        self.totals.update(records=1, characters=len(doc.text))
        self.totals.update(matched=bool(matches), excluded=any(m.excluded for m in matches))
        host = url_host(doc.url) if doc.url else ""
        seen: set[int | tuple[str, str]] = set()
        for match in matches:
            key, tally = self._tally(match)
            tally.kinds.add(match.kind)
            if key not in seen:
                seen.add(key)
                tally.records += 1
                tally.characters += len(doc.text)
                if host:
                    tally.domains[host] += 1

    def _tally(self, match: Match) -> tuple[int | tuple[str, str], _Tally]:
        reasons = tuple((r.code, r.ref) for r in match.reasons)
        if match.work_id is None:
            rule = (match.kind, match.title)
            tally = self.rules.setdefault(rule, _Tally(match.title, True, reasons))
            return rule, tally
        new = _Tally(match.title, match.excluded, reasons)
        return match.work_id, self.works.setdefault(match.work_id, new)


def scan(
    inputs: Sequence[Path],
    index: SnapshotIndex,
    fields: FieldMap | None = None,
    on_error: OnError = "fail",
    *,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> ScanReport:
    """Match every record of ``inputs`` against ``index`` and count what was found.

    Args:
        on_error: ``"fail"`` stops at the first malformed record; ``"skip"`` counts it
            in ``totals.skipped`` and goes on.
        progress: called with records processed, every so often and after each shard.
        now: the report's ``created_at`` (defaults to the current UTC time).
    """
    paths = check_inputs(inputs)
    state = _Scan(index)
    shard_inputs = []
    for path in paths:
        before = state.totals["records"]
        on_bad = record_error_policy(on_error, lambda _e: state.totals.update(skipped=1))
        for doc in counted(read_documents(path, fields, on_bad), progress):
            state.add(doc)
        shard_inputs.append(ScanInput(str(path), state.totals["records"] - before))
    return _report(state, tuple(shard_inputs), now or datetime.now(UTC))


def _report(state: _Scan, inputs: tuple[ScanInput, ...], now: datetime) -> ScanReport:
    totals = state.totals
    return ScanReport(
        snapshot_id=state.index.snapshot_id,
        created_at=as_utc(now).isoformat(timespec="seconds"),
        tool_version=__version__,
        inputs=inputs,
        totals=ScanTotals(
            shards=len(inputs),
            **{k: totals[k] for k in ("records", "characters", "matched", "excluded", "skipped")},
        ),
        works=tuple(_work_hits(i, t) for i, t in sorted(state.works.items())),
        url_rules=tuple(_rule_hits(k, t) for k, t in sorted(state.rules.items())),
    )


def _work_hits(work_id: int, tally: _Tally) -> WorkHits:
    top = sorted(tally.domains.items(), key=lambda item: (-item[1], item[0]))[:TOP_DOMAINS]
    return WorkHits(
        work_id=work_id,
        title=tally.title,
        excluded=tally.excluded,
        records=tally.records,
        characters=tally.characters,
        kinds=tuple(sorted(tally.kinds)),
        domains=dict(top),
    )


def _rule_hits(key: tuple[str, str], tally: _Tally) -> RuleHits:
    kind, value = key
    return RuleHits(kind, value, tally.records, tally.characters, tally.reasons)
