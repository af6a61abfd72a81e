"""The transparency log: signed heads, entries and proofs anyone can check (RFC 9162).

All reads, no token: the point of the log is that nobody has to trust the operator.
"""

from __future__ import annotations

from fastapi import APIRouter

from trainclear.ledger.merkle import leaf_hash
from trainclear.ledger.sth import key_id, public_key_bytes
from trainclear.schemas.log import (
    ConsistencyProof,
    EntryPublic,
    HeadPublic,
    InclusionProof,
    KeyPublic,
)
from trainclear.services import log
from trainclear.services.log_keys import signing_key
from trainclear.web.deps import PlatformDep

router = APIRouter(prefix="/v1/log", tags=["transparency log"])


@router.get("/head")
def head(p: PlatformDep) -> HeadPublic:
    """The signed head of the log now (signed afresh when the log has grown)."""
    return HeadPublic(**log.current_head(p).to_dict())


@router.get("/key")
def key(p: PlatformDep) -> KeyPublic:
    """The public key heads are signed with."""
    public = signing_key(p.settings).public_key()
    return KeyPublic(key_id=key_id(public), public_key=public_key_bytes(public).hex())


@router.get("/entries")
def entries(p: PlatformDep, start: int = 0, end: int = 100) -> list[EntryPublic]:
    """Entries ``start`` ≤ seq < ``end`` (at most 1,000 per call)."""
    out = []
    for record in log.entries(p, start=start, end=end):
        data = record.canonical()
        out.append(
            EntryPublic(
                seq=record.seq,
                leaf_hash=leaf_hash(data).hex(),
                entry=record.to_dict(),
                canonical=data.decode("utf-8"),
            )
        )
    return out


@router.get("/proofs/inclusion")
def inclusion(p: PlatformDep, seq: int, tree_size: int) -> InclusionProof:
    """The audit path of entry ``seq`` in the tree of ``tree_size`` entries."""
    proof = log.inclusion_proof(p, seq=seq, tree_size=tree_size)
    [record] = log.entries(p, start=seq, end=seq + 1)
    digest = leaf_hash(record.canonical()).hex()
    return InclusionProof(
        seq=seq, tree_size=tree_size, leaf_hash=digest, proof=[h.hex() for h in proof]
    )


@router.get("/proofs/consistency")
def consistency(p: PlatformDep, first: int, second: int) -> ConsistencyProof:
    """Proof that the log of ``first`` entries is a prefix of the one of ``second``."""
    proof = log.consistency_proof(p, first=first, second=second)
    return ConsistencyProof(first=first, second=second, proof=[h.hex() for h in proof])
