"""Offline verification of an exported log, by anyone holding a signed tree head.

An export is a folder with ``entries.jsonl`` (each line the exact canonical bytes of
one entry, seq 0, 1, 2, …) and ``head.json`` (the signed tree head the operator
published). :func:`verify_export` recomputes every leaf hash and the root of the first
``tree_size`` entries and checks them, and the head's signature, against the head and
key the verifier trusts — an entry altered, removed, inserted or reordered changes the
root (RFC 9162 §2.1.1) and is reported. :func:`verify_entry` checks one entry with only
an inclusion proof and a head (RFC 9162 §2.1.3.2).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from trainclear.ledger.entries import LogRecord
from trainclear.ledger.merkle import MerkleAppender, ProofError, leaf_hash, verify_inclusion
from trainclear.ledger.sth import SignatureError, SignedTreeHead, verify

ENTRIES = "entries.jsonl"
HEAD = "head.json"


class LogVerificationError(ValueError):
    """The log does not match the signed tree head; ``problems`` says where."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("; ".join(problems[:5]) + (" …" if len(problems) > 5 else ""))
        self.problems = list(problems)


@dataclass(frozen=True, slots=True)
class Verified:
    """What a successful verification established."""

    tree_size: int
    root_hash: bytes
    entries: int
    problems: list[str] = field(default_factory=list)


def read_head(path: Path) -> SignedTreeHead:
    return SignedTreeHead.from_dict(json.loads(path.read_text(encoding="utf-8")))


def verify_export(
    folder: Path, key: Ed25519PublicKey, head: SignedTreeHead | None = None
) -> Verified:
    """Check ``folder`` against ``head`` (default: the folder's own ``head.json``).

    Raises LogVerificationError listing every problem found.
    """
    head = head or read_head(folder / HEAD)
    problems = _signature(head, key)
    appender = MerkleAppender()
    count = 0
    with open(folder / ENTRIES, "rb") as lines:
        for seq, line in enumerate(lines):
            count += 1
            if seq < head.head.tree_size:
                problems += _entry_problems(seq, line.rstrip(b"\n"))
                appender.append(leaf_hash(line.rstrip(b"\n")))
    if count < head.head.tree_size:
        problems.append(
            f"the export holds {count} entries; the head commits to {head.head.tree_size}"
        )
    elif appender.root() != head.head.root_hash:
        problems.append(
            "the entries do not hash to the head's root: an entry was altered, removed or reordered"
        )
    if problems:
        raise LogVerificationError(problems)
    return Verified(head.head.tree_size, head.head.root_hash, count)


def verify_entry(
    entry: bytes, seq: int, proof: Sequence[bytes], head: SignedTreeHead, key: Ed25519PublicKey
) -> LogRecord:
    """Check that ``entry`` is leaf ``seq`` of the signed tree; returns the parsed entry."""
    problems = _signature(head, key) + _entry_problems(seq, entry)
    try:
        verify_inclusion(
            leaf_hash(entry), seq, head.head.tree_size, list(proof), head.head.root_hash
        )
    except ProofError as exc:
        problems.append(f"inclusion proof: {exc}")
    if problems:
        raise LogVerificationError(problems)
    return LogRecord.from_dict(json.loads(entry))


def _signature(head: SignedTreeHead, key: Ed25519PublicKey) -> list[str]:
    try:
        verify(head, key)
    except SignatureError as exc:
        return [f"tree head signature: {exc}"]
    return []


def _entry_problems(seq: int, line: bytes) -> list[str]:
    """An entry must parse, carry its own position and be in canonical form."""
    try:
        record = LogRecord.from_dict(json.loads(line))
    except (ValueError, UnicodeDecodeError) as exc:
        return [f"entry {seq}: {exc}"]
    if record.seq != seq:
        return [f"entry {seq}: says it is entry {record.seq} (reordered)"]
    if record.canonical() != line:
        return [f"entry {seq}: not in canonical form"]
    return []
