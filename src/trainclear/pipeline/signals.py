"""The reservation-signal step: a record's signals that disallow the run's use, as matches.

A disallowing finding becomes a :class:`~trainclear.snapshot.index.Match` of kind
``signal`` with no work: scan counts it beside the URL rules, filter drops the record
and its exclusions line names the signal's scheme, source and deciding rule. A finding
that is an error (unreadable field, unreachable robots.txt) has the code
``signal_error``: the record is dropped because the check failed, and the report says so.
"""

from __future__ import annotations

from trainclear.domain import Purpose
from trainclear.pipeline.document import Document
from trainclear.pipeline.fields import MISSING, lookup
from trainclear.signals.model import Finding, Verdict
from trainclear.signals.records import RecordFields, SignalConfig, cached_judge
from trainclear.snapshot.index import Match
from trainclear.snapshot.model import Reason


def signal_matches(doc: Document, config: SignalConfig | None, purpose: Purpose) -> list[Match]:
    """The record's signals that disallow ``purpose`` (none when signals are off)."""
    if config is None or not config.enabled:
        return []
    judgement = cached_judge(config).judge(record_fields(doc, config))
    return [_match(f) for f in judgement.findings if f.verdict(purpose) == Verdict.DISALLOW]


def record_fields(doc: Document, config: SignalConfig) -> RecordFields:
    """The record's URL, headers, HTML, fetch time and image, as the judge reads them."""
    raw = doc.raw
    return RecordFields(
        url=doc.url,
        headers=_value(raw, config.headers_field),
        html=_value(raw, config.html_field),
        fetched_at=_value(raw, config.fetched_at_field),
        image=doc.image,
    )


def _value(raw: dict[str, object], path: str) -> object:
    value = lookup(raw, path)
    return None if value is MISSING else value


def _match(finding: Finding) -> Match:
    code = "signal_error" if finding.error is not None else "signal"
    reason = Reason(code, f"{finding.scheme}: {finding.rule}")
    return Match(None, f"{finding.scheme} {finding.source}", "signal", True, (reason,))
