"""An in-memory index over a snapshot, so each corpus record is matched in O(1) lookups.

Built once per run from a :class:`~trainclear.snapshot.model.Snapshot`. A record
matches a work when its text fingerprint, one of its metadata identifiers or its
canonical URL equals the work's; it matches a URL rule when its URL lies under a
prefix rule (at a path-segment boundary) or its host inside a domain rule.

``http`` and ``https`` are the same resource for URL matching: an opt-out must not be
dodged by a change of scheme. Works that are registered but not excluded still match
(a scan reports them), with ``excluded=False``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal, Protocol, get_args

import numpy as np

from trainclear.domain import Purpose
from trainclear.errors import ValidationFailed
from trainclear.fingerprint.hamming import HammingIndex
from trainclear.fingerprint.identifiers import Scheme, canonical_url, url_authority, url_host
from trainclear.fingerprint.image import DEFAULT_MAX_DISTANCE, image_hash
from trainclear.fingerprint.text import text_fingerprint
from trainclear.fingerprint.textindex import (
    DEFAULT,
    TextIndex,
    TextMatch,
    build_arrays,
    sample_text,
)
from trainclear.snapshot.delta import list_deltas, read_delta
from trainclear.snapshot.model import Reason, Snapshot, SnapshotWork, UrlRule

MatchKind = Literal[
    "fingerprint", "text", "image", "identifier", "url", "url_prefix", "domain", "signal"
]
WHOLE_HASH_BELOW = 2_000
"""Folded length under which a work is also matched by its whole-text hash."""
_KIND_ORDER = {kind: rank for rank, kind in enumerate(get_args(MatchKind))}


class Matchable(Protocol):
    """What the index reads from a record (a pipeline ``Document`` fits)."""

    @property
    def text(self) -> str: ...

    @property
    def url(self) -> str | None: ...

    @property
    def identifiers(self) -> tuple[tuple[str, str], ...]: ...


@dataclass(frozen=True, slots=True)
class Match:
    """One reason a record concerns the registry: a work or a URL rule it matched.

    ``work_id`` is None for URL prefix and domain rules; their ``title`` is the rule's
    canonical value (a prefix as ``host/path`` without scheme, a domain as its name).
    """

    work_id: int | None
    title: str
    kind: MatchKind
    excluded: bool
    reasons: tuple[Reason, ...]
    spans: tuple[tuple[int, int, int, int], ...] = ()
    """For ``text`` matches: (record start, record end, work start, work end) per span;
    record offsets in characters, work offsets in the work's folded characters."""
    characters: int = 0
    """Characters of the work the record reproduces (text matches; estimated from the
    folded span and the work's folded-to-original ratio)."""
    length: int | None = None
    """The work's length in characters (text works), for usage shares."""
    folded_length: int | None = None
    """The work's folded length, the unit of the spans' work offsets."""

    @property
    def sort_key(self) -> tuple[int, int, str]:
        """Kind first, then work, then title: the order :meth:`SnapshotIndex.match` uses."""
        work = -1 if self.work_id is None else self.work_id
        return (_KIND_ORDER[self.kind], work, self.title)


class SnapshotIndex:
    """Lookup tables over one snapshot: fingerprints, identifiers, URLs, URL rules, and
    (when given) the excerpt-aware text index."""

    def __init__(
        self,
        snapshot: Snapshot,
        text: TextIndex | None = None,
        *,
        snapshot_id: str | None = None,
        images: HammingIndex | None = None,
    ) -> None:
        self.snapshot_id = snapshot_id or snapshot.id
        self.purpose = _purpose(snapshot.purpose)
        """The use the snapshot was built for; reservation signals are judged for it."""
        self.text = text if text is not None and text.entries else None
        self.params = text.params if text is not None else DEFAULT
        self.images = images if images is not None and len(images) else None
        self.delta_dir: Path | None = None
        self.applied: list[int] = []
        self._delta_text: TextIndex | None = None
        self._delta_samples: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._tables(snapshot.works, snapshot.url_rules)

    def _tables(self, works: Iterable[SnapshotWork], rules: Iterable[UrlRule]) -> None:
        """(Re)build every lookup table from the works and URL rules."""
        self.works = {w.work_id: w for w in works}
        self._fingerprints: dict[str, list[SnapshotWork]] = defaultdict(list)
        self._identifiers: dict[tuple[str, str], list[SnapshotWork]] = defaultdict(list)
        self._urls: dict[str, list[SnapshotWork]] = defaultdict(list)
        rules = list(rules)
        self.rules = rules
        self._prefixes = _rule_table(r for r in rules if r.kind == "prefix")
        self._domains = _rule_table(r for r in rules if r.kind == "domain")
        for work in sorted(self.works.values(), key=lambda w: w.work_id):
            self._add_work(work)
        self._url_hosts = {_key_authority(k) for k in (*self._urls, *self._prefixes)}
        """The authorities some URL work or prefix rule lies under: a URL of any other
        authority can match domain rules only, so its path is never canonicalised."""
        self._gates: dict[str, tuple[bool, tuple[Match, ...]]] = {}
        """:meth:`_gate` by URL head, for the URLs a bulk check asks about."""
        # whole copies of long text works are found by the text index; hashing every record
        # whole is needed only for works registered by fingerprint alone or too short to
        # carry enough sampled n-grams
        self._fingerprint_only = any(
            w.fingerprint and (w.folded_length or 0) < WHOLE_HASH_BELOW for w in self.works.values()
        )

    def refresh(self) -> list[int]:
        """Apply the deltas written since the last refresh; returns their sequence numbers."""
        if self.delta_dir is None:
            return []
        last = self.applied[-1] if self.applied else 0
        fresh = [read_delta(p) for p in list_deltas(self.delta_dir) if int(p.stem) > last]
        for delta in fresh:
            if delta.base != self.snapshot_id:
                continue
            works = {**self.works, **{w.work_id: w for w in delta.works}}
            self._tables(works.values(), delta.url_rules)
            self._delta_samples.update(delta.text)
            self.applied.append(delta.seq)
        if fresh and self._delta_samples:
            parts = [(w, k, p) for w, (k, p) in sorted(self._delta_samples.items())]
            arrays = build_arrays(parts, self.params.max_df)
            self._delta_text = TextIndex(arrays, self.params) if len(arrays["keys"]) else None
        return [d.seq for d in fresh]

    def _add_work(self, work: SnapshotWork) -> None:
        if work.fingerprint:
            self._fingerprints[work.fingerprint].append(work)
        for scheme, value in work.identifiers:
            if scheme == Scheme.URL.value:
                key = url_key(value)
                if key is not None:
                    self._urls[key].append(work)
            else:
                self._identifiers[(scheme, value)].append(work)

    def match_url(self, url: str) -> list[Match]:
        """The works and URL rules a bare URL matches (the bulk check's registry part).

        A registry without URL works or rules (a common case) matches no URL, so the
        URL is not even canonicalised; nor is the path of a URL whose authority no URL
        work or prefix rule lies under (most URLs a crawler asks about).
        """
        if not (self._urls or self._prefixes or self._domains):
            return []
        slash = url.find("/", 8)  # past "https://": the head holds the whole authority
        head = url if slash == -1 else url[:slash]
        gate = self._gates.get(head)
        if gate is None:
            gate = self._gate(head)
        if gate[0]:
            key = url_key(url)
            return [] if key is None else list(self._url_matches(key))
        return list(gate[1])

    def _gate(self, head: str) -> tuple[bool, tuple[Match, ...]]:
        """For URLs starting with ``head`` (all of a URL up to a ``/`` after its scheme):
        whether the whole URL must be canonicalised, else the domain rules it matches.

        A plain head (see :func:`url_authority`) fixes the URL's canonical authority
        whatever follows it; a URL of an authority no URL work or prefix rule lies under
        can match domain rules only, and those depend on the authority alone.
        """
        authority = url_authority(head)
        # a space in the authority (kept by the canonical form) makes the domain lookup
        # depend on what follows it: such URLs take the whole path
        if authority is None or " " in authority or authority in self._url_hosts:
            gate: tuple[bool, tuple[Match, ...]] = (True, ())
        else:
            gate = (False, tuple(self._domain_matches(_domains_or_none(authority))))
        if len(self._gates) >= 65536:
            self._gates.clear()
        self._gates[head] = gate
        return gate

    def match_fingerprint(self, fingerprint: str) -> list[Match]:
        """The works registered with this whole-text fingerprint."""
        return [_work_match(w, "fingerprint") for w in self._fingerprints.get(fingerprint, ())]

    @property
    def text_indexes(self) -> list[TextIndex]:
        """The snapshot's text index and the deltas', in the order their hits are taken."""
        return [i for i in (self.text, self._delta_text) if i is not None]

    @property
    def hashes_whole_texts(self) -> bool:
        """Whether a record's whole text is also hashed (some work is registered by its
        fingerprint alone, or is too short for the text index)."""
        return self._fingerprint_only

    @property
    def reads_urls(self) -> bool:
        """Whether a record's URL can match anything (URL works, prefix or domain rules)."""
        return bool(self._urls or self._prefixes or self._domains)

    @property
    def reads_identifiers(self) -> bool:
        """Whether a record's metadata identifiers can match a work."""
        return bool(self._identifiers)

    def text_reasons(self, work_id: int) -> tuple[Reason, ...] | None:
        """The reasons a text match of work ``work_id`` carries, as :meth:`match` gives
        them (none: registered but not excluded); None when the snapshot has no such work,
        whose hits :meth:`match` ignores."""
        work = self.works.get(work_id)
        return None if work is None else _work_reasons(work.reasons)

    def match(self, doc: Matchable, *, text_hits: list[TextMatch] | None = None) -> list[Match]:
        """Every work and URL rule ``doc`` matches, one entry per (work or rule, kind).

        ``text_hits``, when given, are what the text indexes found in ``doc``'s text
        (matched elsewhere, say a block of JSONL lines in compiled code), and the text is
        not read: not allowed when :attr:`hashes_whole_texts`.
        """
        if text_hits is not None and self._fingerprint_only:
            raise ValueError("this snapshot hashes whole texts: match the document's text")
        found = {(m.kind, m.work_id, m.title): m for m in self._matches(doc, text_hits)}
        return sorted(found.values(), key=lambda m: m.sort_key)

    def match_text(self, hits: list[TextMatch]) -> list[Match]:
        """What :meth:`match` gives a record whose text hits are its only matches (its URL,
        identifiers and image are not read): one text match per work, in work order."""
        return sorted(self._text_matches(hits), key=lambda m: m.sort_key)

    def _matches(self, doc: Matchable, text_hits: list[TextMatch] | None) -> Iterator[Match]:
        if self._fingerprint_only:
            for work in self._fingerprints.get(text_fingerprint(doc.text), ()):
                yield _work_match(work, "fingerprint")
        if text_hits is not None:
            yield from self._text_matches(text_hits)
        elif self.text is not None or self._delta_text is not None:
            yield from self._text_matches(self._text_hits(doc.text))
        image = getattr(doc, "image", None)
        if self.images is not None and image:
            yield from self._image_matches(image)
        for pair in doc.identifiers:
            for work in self._identifiers.get(pair, ()):
                yield _work_match(work, "identifier")
        key = url_key(doc.url) if doc.url and self.reads_urls else None
        if key is not None:
            yield from self._url_matches(key)

    def _text_matches(self, hits: list[TextMatch]) -> Iterator[Match]:
        spans: dict[int, list[TextMatch]] = defaultdict(list)
        for hit in hits:
            spans[hit.work_id].append(hit)
        for work_id, found in spans.items():
            work = self.works.get(work_id)
            if work is not None:
                yield _text_match(work, found)

    def _text_hits(self, text: str) -> list[TextMatch]:
        """The text index's hits, then the deltas'. With one index (the usual case) the
        record is sampled and matched in one compiled call; with both it is sampled once."""
        indexes = [i for i in (self.text, self._delta_text) if i is not None]
        if len(indexes) == 1:
            return indexes[0].match(text, self.params)
        sample = sample_text(text, self.params)
        return [hit for index in indexes for hit in index.match_sample(sample, self.params)]

    def _image_matches(self, data: bytes) -> Iterator[Match]:
        """Registered images within the perceptual-hash distance of the record's image;
        an image that cannot be decoded matches nothing (its text and URL still count)."""
        assert self.images is not None
        try:
            h = image_hash(data)
        except ValidationFailed:
            return
        for work_id, _distance in self.images.query(h, DEFAULT_MAX_DISTANCE):
            work = self.works.get(work_id)
            if work is not None:
                yield _work_match(work, "image")

    def _url_matches(self, key: str) -> Iterator[Match]:
        """Works by URL, then prefix rules, then domain rules; a kind of rule the
        registry has none of is not looked up."""
        for work in self._urls.get(key, ()):
            yield _work_match(work, "url")
        if self._prefixes:
            for prefix in segment_prefixes(key):
                if prefix in self._prefixes:
                    yield _rule_match(prefix, "url_prefix", self._prefixes[prefix])
        yield from self._domain_matches(_domains_or_none(key))

    def _domain_matches(self, domains: tuple[str, ...]) -> Iterator[Match]:
        """The domain rules among ``domains`` (a host's :func:`host_suffixes`)."""
        if self._domains:
            for domain in domains:
                if domain in self._domains:
                    yield _rule_match(domain, "domain", self._domains[domain])


def _purpose(value: str) -> Purpose:
    """The snapshot's purpose; one not in the vocabulary is read as generative training,
    the use every reservation applies to (fail closed)."""
    try:
        return Purpose(value)
    except ValueError:
        return Purpose.GENERATIVE_AI_TRAINING


def url_key(url: str | None) -> str | None:
    """The canonical URL without its scheme (``host/path?query``); None if not a URL."""
    if url is None:
        return None
    try:
        return canonical_url(url).partition("://")[2]
    except ValueError:
        return None


def segment_prefixes(key: str) -> Iterator[str]:
    """The host, each path-segment prefix of ``key``, and ``key`` itself (with query).

    A prefix ends before each ``/`` of the path, so ``h/a//b`` yields ``h``, ``h/a``,
    ``h/a/`` and ``h/a//b``.
    """
    path = key.partition("?")[0]
    slash = path.find("/")
    while slash != -1:
        yield path[:slash]
        slash = path.find("/", slash + 1)
    yield path
    if path != key:
        yield key


def _key_authority(key: str) -> str:
    """The authority (``host[:port]``) a URL key or prefix rule key starts with."""
    end = len(key)
    for mark in "/?":
        at = key.find(mark, 0, end)
        if at != -1:
            end = at
    return key[:end]


def host_suffixes(host: str) -> Iterator[str]:
    """``a.b.com`` yields ``a.b.com``, ``b.com``, ``com``: the domains it lies inside."""
    yield host
    dot = host.find(".")
    while dot != -1:
        yield host[dot + 1 :]
        dot = host.find(".", dot + 1)


def _domains(key: str) -> tuple[str, ...]:
    """The domains the host of a URL key lies inside (:func:`host_suffixes` of its host,
    without any port). The host is that of the key's authority, the part before the
    first ``/``, ``?`` or ``#``, so they are worked out once per distinct authority."""
    end = len(key)
    for mark in "/?#":
        at = key.find(mark, 0, end)
        if at != -1:
            end = at
    # a delimiter after the authority keeps url_host's strip() off a trailing space
    return _authority_domains(key[:end] + ("/" if end < len(key) else ""))


def _domains_or_none(key: str) -> tuple[str, ...]:
    """:func:`_domains`, or none when the key's authority cannot be read back as a URL's
    (``https://[::1]@]`` canonicalises to the host ``]``): such a host lies inside no
    domain a rule can name, and a hostile URL must not break a bulk check."""
    try:
        return _domains(key)
    except ValueError:
        return ()


@lru_cache(maxsize=65536)
def _authority_domains(authority: str) -> tuple[str, ...]:
    """:func:`host_suffixes` of the :func:`url_host` of ``https://`` + ``authority``."""
    return tuple(host_suffixes(url_host("https://" + authority)))


def _rule_table(rules: Iterable[UrlRule]) -> dict[str, tuple[Reason, ...]]:
    """Rules keyed by their canonical value; rules with the same value pool their reasons."""
    table: dict[str, set[Reason]] = defaultdict(set)
    for rule in rules:
        table[_rule_key(rule)].add(rule.reason)
    return {key: _sorted_reasons(reasons) for key, reasons in table.items()}


def _rule_key(rule: UrlRule) -> str:
    """A prefix rule's URL key (a bare ``host/path`` is read as https) or a domain's name."""
    if rule.kind == "domain":
        return rule.value.strip().lower().strip(".")
    value = rule.value.strip()
    key = url_key(value) or url_key("https://" + value)
    if key is None:
        raise ValueError(f"URL prefix rule {rule.value!r} is not a URL")
    return key


def _work_match(work: SnapshotWork, kind: MatchKind) -> Match:
    reasons = _work_reasons(work.reasons)
    return Match(
        work.work_id,
        work.title,
        kind,
        bool(reasons),
        reasons,
        length=work.length,
        folded_length=work.folded_length,
    )


def _text_match(work: SnapshotWork, found: list[TextMatch]) -> Match:
    reasons = _work_reasons(work.reasons)
    spans = tuple(sorted((m.record_start, m.record_end, m.work_start, m.work_end) for m in found))
    folded = union_length([(m.work_start, m.work_end) for m in found])
    ratio = (work.length or 0) / work.folded_length if work.folded_length else 1.0
    characters = min(round(folded * ratio), work.length or round(folded * ratio))
    return Match(
        work.work_id,
        work.title,
        "text",
        bool(reasons),
        reasons,
        spans,
        characters,
        work.length,
        work.folded_length,
    )


def union_length(intervals: list[tuple[int, int]]) -> int:
    """Total length covered by possibly overlapping half-open intervals."""
    total, end = 0, -1
    for start, stop in sorted(intervals):
        if stop > end:
            total += stop - max(start, end)
            end = stop
    return total


def _rule_match(value: str, kind: MatchKind, reasons: tuple[Reason, ...]) -> Match:
    return Match(None, value, kind, True, reasons)


@lru_cache(maxsize=65536)
def _work_reasons(reasons: tuple[Reason, ...]) -> tuple[Reason, ...]:
    """:func:`_sorted_reasons` of a work's reasons, which many of its matches share."""
    return _sorted_reasons(reasons)


def _sorted_reasons(reasons: Iterable[Reason]) -> tuple[Reason, ...]:
    return tuple(sorted(set(reasons), key=lambda r: (r.code, r.ref)))
