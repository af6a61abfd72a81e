"""Scan: read a corpus against a snapshot and report which registered works it contains.

Nothing is written or dropped; the report tells a developer what a notice should
list and what a filter with the same snapshot would remove. Memory grows with the
number of works found and their distinct source hosts, not with the corpus.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from trainclear import __version__
from trainclear.clock import as_utc
from trainclear.fingerprint.identifiers import url_host
from trainclear.pipeline.document import Document
from trainclear.pipeline.fields import FieldMap
from trainclear.pipeline.inputs import check_inputs
from trainclear.pipeline.policy import OnError, record_error_policy
from trainclear.pipeline.progress import Progress, Ticks, counted
from trainclear.pipeline.readers import read_documents
from trainclear.pipeline.readers.jsonl_blocks import (
    BlockItem,
    QuietLines,
    TextHitLine,
    read_blocks,
    reads_in_blocks,
)
from trainclear.pipeline.report import RuleHits, ScanInput, ScanReport, ScanTotals, WorkHits
from trainclear.pipeline.signals import signal_matches
from trainclear.signals.records import SignalConfig
from trainclear.snapshot.index import Match, SnapshotIndex, union_length

COMPACT_AT = 256
"""Merge a work's used spans when this many accumulate (bounds memory per work)."""
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
    used: list[tuple[int, int]] = field(default_factory=list)
    """Spans of the work (folded offsets) the corpus reproduces, merged as they grow."""
    length: int | None = None
    folded_length: int | None = None

    def merge(self, other: _Tally) -> None:
        self.records += other.records
        self.characters += other.characters
        self.kinds |= other.kinds
        self.domains.update(other.domains)
        self.use(other.used)

    def use(self, spans: Iterable[tuple[int, int]]) -> None:
        """Record reproduced spans; overlapping spans count once."""
        self.used.extend(spans)
        if len(self.used) > COMPACT_AT:
            self.used = merge_intervals(self.used)

    def usage(self) -> tuple[int, float]:
        """Characters of the work used (estimated from folded spans) and the share used."""
        if not self.folded_length:
            return 0, 0.0
        folded = union_length(self.used)
        share = min(folded / self.folded_length, 1.0)
        return round(share * (self.length or self.folded_length)), round(share, 4)


TallyKey = int | tuple[str, str]
K = TypeVar("K", int, tuple[str, str])


@dataclass(slots=True)
class Tallies:
    """What a scan counts: totals, per-work and per-rule tallies; shards' tallies add up."""

    totals: Counter[str] = field(default_factory=Counter)
    works: dict[int, _Tally] = field(default_factory=dict)
    rules: dict[tuple[str, str], _Tally] = field(default_factory=dict)

    def add(self, doc: Document, matches: list[Match], characters: int | None = None) -> None:
        """Count one record; ``characters``: its text's length, when ``doc.text`` is not
        its text (a record read in blocks, see :mod:`.readers.jsonl_blocks`)."""
        if characters is None:
            characters = len(doc.text)
        self.count(doc.url, matches, characters)

    def count(self, url: str | None, matches: list[Match], characters: int) -> None:
        """Count one record by its URL, its matches and its text's length."""
        self.totals.update(records=1, characters=characters)
        self.totals.update(matched=bool(matches), excluded=any(m.excluded for m in matches))
        host = url_host(url) if url else ""
        seen: set[TallyKey] = set()
        for match in matches:
            key, tally = self._tally(match)
            tally.kinds.add(match.kind)
            tally.use(_spans_used(match))
            if key not in seen:
                seen.add(key)
                tally.records += 1
                tally.characters += characters
                if host:
                    tally.domains[host] += 1

    def add_quiet(self, lines: QuietLines) -> None:
        """Count records that matched nothing."""
        self.totals.update(records=lines.records, characters=lines.characters)

    def merge(self, other: Tallies) -> None:
        """Add ``other``'s counts (another shard of the same scan) to these."""
        self.totals.update(other.totals)
        for work_id, tally in other.works.items():
            _merge_into(self.works, work_id, tally)
        for rule, tally in other.rules.items():
            _merge_into(self.rules, rule, tally)

    def _tally(self, match: Match) -> tuple[TallyKey, _Tally]:
        reasons = tuple((r.code, r.ref) for r in match.reasons)
        if match.work_id is None:
            rule = (match.kind, match.title)
            tally = self.rules.setdefault(rule, _Tally(match.title, True, reasons))
            return rule, tally
        new = _Tally(
            match.title,
            match.excluded,
            reasons,
            length=match.length,
            folded_length=match.folded_length,
        )
        return match.work_id, self.works.setdefault(match.work_id, new)


@dataclass(frozen=True, slots=True)
class ShardScan:
    """One shard's scan: its input line in the report and its tallies (picklable)."""

    input: ScanInput
    tallies: Tallies


def scan_shard(
    path: Path,
    index: SnapshotIndex,
    fields: FieldMap | None = None,
    on_error: OnError = "fail",
    progress: Progress | None = None,
    signals: SignalConfig | None = None,
    *,
    blocks: bool = True,
) -> ShardScan:
    """Match every record of one shard against ``index`` and count what was found.

    A plain JSONL shard is read in blocks where the run allows (as the filter does,
    :mod:`.readers.jsonl_blocks`); ``blocks=False`` parses every record: the same
    counts, slower.
    """
    fields = fields or FieldMap()
    tallies = Tallies()
    on_bad = record_error_policy(on_error, lambda _e: tallies.totals.update(skipped=1))
    index.refresh()  # opt-outs recorded since the snapshot apply from this shard on
    if blocks and reads_in_blocks(path, fields, index, signals):
        items = read_blocks(path, fields, index, on_bad, signals)
        _count_blocks(items, index, tallies, Ticks(progress), signals)
    else:
        for doc in counted(read_documents(path, fields, on_bad), progress):
            tallies.add(doc, index.match(doc) + signal_matches(doc, signals, index.purpose))
    return ShardScan(ScanInput(str(path), tallies.totals["records"]), tallies)


def _count_blocks(
    items: Iterable[BlockItem],
    index: SnapshotIndex,
    tallies: Tallies,
    ticks: Ticks,
    signals: SignalConfig | None,
) -> None:
    """Count what :func:`.readers.jsonl_blocks.read_blocks` gives."""
    for item in items:
        if isinstance(item, QuietLines):
            tallies.add_quiet(item)
            ticks.add(item.records)
            continue
        ticks.add(1)
        if isinstance(item, TextHitLine):
            matches = index.match_text(item.text_hits())
            tallies.count(item.url, matches, item.characters)
            continue
        matches = index.match(item.doc, text_hits=item.text_hits)
        matches += signal_matches(item.doc, signals, index.purpose)
        tallies.add(item.doc, matches, item.characters)
    ticks.close()


def scan(
    inputs: Sequence[Path],
    index: SnapshotIndex,
    fields: FieldMap | None = None,
    on_error: OnError = "fail",
    *,
    progress: Progress | None = None,
    now: datetime | None = None,
    signals: SignalConfig | None = None,
) -> ScanReport:
    """Match every record of ``inputs`` against ``index`` and count what was found.

    Runs in this process; :func:`trainclear.pipeline.corpus.scan_corpus` spreads shards
    over an executor's workers.

    Args:
        on_error: ``"fail"`` stops at the first malformed record; ``"skip"`` counts it
            in ``totals.skipped`` and goes on.
        progress: called with records processed, every so often and after each shard.
        now: the report's ``created_at`` (defaults to the current UTC time).
    """
    paths = check_inputs(inputs)
    shards = [scan_shard(path, index, fields, on_error, progress, signals) for path in paths]
    return scan_report(index.snapshot_id, shards, now)


def scan_report(
    snapshot_id: str, shards: Sequence[ShardScan], now: datetime | None = None
) -> ScanReport:
    """The report for a scan's shards, given in input order."""
    tallies = Tallies()
    for shard in shards:
        tallies.merge(shard.tallies)
    totals = tallies.totals
    return ScanReport(
        snapshot_id=snapshot_id,
        created_at=as_utc(now or datetime.now(UTC)).isoformat(timespec="seconds"),
        tool_version=__version__,
        inputs=tuple(shard.input for shard in shards),
        totals=ScanTotals(
            shards=len(shards),
            **{k: totals[k] for k in ("records", "characters", "matched", "excluded", "skipped")},
        ),
        works=tuple(_work_hits(i, t) for i, t in sorted(tallies.works.items())),
        url_rules=tuple(_rule_hits(k, t) for k, t in sorted(tallies.rules.items())),
    )


def _merge_into(table: dict[K, _Tally], key: K, tally: _Tally) -> None:
    if key in table:
        table[key].merge(tally)
    else:
        table[key] = tally


def _spans_used(match: Match) -> list[tuple[int, int]]:
    """Text matches use their spans; whole-work matches (fingerprint, identifier, URL)
    use the whole work."""
    if match.kind == "text":
        return [(span[2], span[3]) for span in match.spans]
    if match.work_id is not None and match.folded_length:
        return [(0, match.folded_length)]
    return []


def merge_intervals(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping intervals covering the same points."""
    merged: list[tuple[int, int]] = []
    for start, stop in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], stop))
        else:
            merged.append((start, stop))
    return merged


def _work_hits(work_id: int, tally: _Tally) -> WorkHits:
    top = sorted(tally.domains.items(), key=lambda item: (-item[1], item[0]))[:TOP_DOMAINS]
    used, share = tally.usage()
    return WorkHits(
        work_id=work_id,
        title=tally.title,
        excluded=tally.excluded,
        records=tally.records,
        characters=tally.characters,
        kinds=tuple(sorted(tally.kinds)),
        domains=dict(top),
        characters_used=used,
        share_used=share,
    )


def _rule_hits(key: tuple[str, str], tally: _Tally) -> RuleHits:
    kind, value = key
    return RuleHits(kind, value, tally.records, tally.characters, tally.reasons)
