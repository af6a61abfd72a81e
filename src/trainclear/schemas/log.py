"""The transparency log over the API: heads, entries, proofs (hashes in hex)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class HeadPublic(BaseModel):
    tree_size: int
    root_hash: str
    timestamp: str
    key_id: str
    signature: str
    """Base64 Ed25519 signature over the canonical head (see docs/provenance.md)."""


class KeyPublic(BaseModel):
    key_id: str
    public_key: str
    """The raw 32-byte Ed25519 public key, hex."""


class EntryPublic(BaseModel):
    seq: int
    leaf_hash: str
    entry: dict[str, Any]
    canonical: str
    """The exact UTF-8 text hashed into the leaf (``SHA-256(0x00 || canonical)``)."""


class InclusionProof(BaseModel):
    seq: int
    tree_size: int
    leaf_hash: str
    proof: list[str]


class ConsistencyProof(BaseModel):
    first: int
    second: int
    proof: list[str]
