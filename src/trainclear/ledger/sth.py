"""Signed tree heads: the log's size and root at an instant, signed with Ed25519.

A tree head is what anyone holding the log's public key can check every proof against
(the role of RFC 9162 §4.10). The signature covers :meth:`TreeHead.signed_bytes`, one
canonical form (version 1): compact ASCII JSON with sorted keys and no spaces::

    {"format":"trainclear-sth/1","key_id":"<64 hex>","root_hash":"<64 hex>",
     "timestamp_ms":<integer milliseconds since 1970-01-01T00:00:00Z>,"tree_size":<integer>}

(on one line). The ``format`` member keeps a tree-head signature from being valid as any
other message signed with the same key; naming the key id binds the head to its signer.
Exchanged JSON (:meth:`SignedTreeHead.to_dict`) carries hashes in hex, the signature in
base64 and the timestamp as ISO 8601 UTC with milliseconds.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from trainclear.clock import as_utc

FORMAT = "trainclear-sth/1"
HASH_SIZE = 32
SIGNATURE_SIZE = 64
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MS = timedelta(milliseconds=1)
_LOWER_HEX = set("0123456789abcdef")
_T = TypeVar("_T")


class SignatureError(ValueError):
    """A signed tree head's signature does not verify under the given key."""


@dataclass(frozen=True, slots=True)
class TreeHead:
    """The log's size and root hash at ``timestamp``, as claimed by key ``key_id``.

    The timestamp is normalised to UTC and truncated to milliseconds, the precision the
    signature covers (a naive datetime is read as UTC, as everywhere in trainclear).
    """

    tree_size: int
    root_hash: bytes
    timestamp: datetime
    key_id: str

    def __post_init__(self) -> None:
        if self.tree_size < 0:
            raise ValueError(f"tree_size must not be negative, got {self.tree_size}")
        if len(self.root_hash) != HASH_SIZE:
            raise ValueError(f"root_hash must be {HASH_SIZE} bytes, got {len(self.root_hash)}")
        if len(self.key_id) != 2 * HASH_SIZE or not set(self.key_id) <= _LOWER_HEX:
            raise ValueError(f"key_id must be 64 lowercase hex digits, got {self.key_id!r}")
        ts = as_utc(self.timestamp)
        object.__setattr__(self, "timestamp", ts.replace(microsecond=ts.microsecond // 1000 * 1000))

    @property
    def timestamp_ms(self) -> int:
        """Milliseconds since the Unix epoch."""
        return (self.timestamp - _EPOCH) // _MS

    def signed_bytes(self) -> bytes:
        """The canonical bytes a signature covers (see the module docstring)."""
        body = {
            "format": FORMAT,
            "key_id": self.key_id,
            "root_hash": self.root_hash.hex(),
            "timestamp_ms": self.timestamp_ms,
            "tree_size": self.tree_size,
        }
        return json.dumps(body, sort_keys=True, separators=(",", ":")).encode("ascii")


@dataclass(frozen=True, slots=True)
class SignedTreeHead:
    """A tree head and the Ed25519 signature over its :meth:`TreeHead.signed_bytes`."""

    head: TreeHead
    signature: bytes

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: hex hashes, base64 signature, ISO 8601 UTC timestamp."""
        return {
            "tree_size": self.head.tree_size,
            "root_hash": self.head.root_hash.hex(),
            "timestamp": self.head.timestamp.isoformat(timespec="milliseconds")[:-6] + "Z",
            "key_id": self.head.key_id,
            "signature": base64.b64encode(self.signature).decode("ascii"),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SignedTreeHead:
        """Parse :meth:`to_dict` output; a ``ValueError`` names the bad field."""
        head = TreeHead(
            tree_size=_field(data, "tree_size", _integer),
            root_hash=_field(data, "root_hash", _hex),
            timestamp=_field(data, "timestamp", _instant),
            key_id=_field(data, "key_id", _text),
        )
        signature = _field(data, "signature", _base64)
        return cls(head=head, signature=signature)


def key_id(public_key: Ed25519PublicKey) -> str:
    """The SHA-256 of the raw 32-byte public key, in hex: a key's stable name."""
    return hashlib.sha256(public_key_bytes(public_key)).hexdigest()


def sign(head: TreeHead, private_key: Ed25519PrivateKey) -> SignedTreeHead:
    """Sign a tree head; refuses a head that names another key."""
    own = key_id(private_key.public_key())
    if head.key_id != own:
        raise ValueError(f"tree head names key {head.key_id} but the signing key is {own}")
    return SignedTreeHead(head=head, signature=private_key.sign(head.signed_bytes()))


def verify(sth: SignedTreeHead, public_key: Ed25519PublicKey) -> None:
    """Check the signature; raises :class:`SignatureError` naming what failed."""
    expected = key_id(public_key)
    if sth.head.key_id != expected:
        raise SignatureError(f"tree head names key {sth.head.key_id}, verifying with {expected}")
    if len(sth.signature) != SIGNATURE_SIZE:
        raise SignatureError(f"signature must be {SIGNATURE_SIZE} bytes, got {len(sth.signature)}")
    try:
        public_key.verify(sth.signature, sth.head.signed_bytes())
    except InvalidSignature:
        raise SignatureError(
            f"signature over tree head of size {sth.head.tree_size} does not verify"
        ) from None


# --- keys ----------------------------------------------------------------------------


def generate_key() -> Ed25519PrivateKey:
    """A fresh Ed25519 signing key."""
    return Ed25519PrivateKey.generate()


def public_key_bytes(key: Ed25519PublicKey | Ed25519PrivateKey) -> bytes:
    """The raw 32-byte public key (of a private key: its public half)."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_pem(key: Ed25519PublicKey | Ed25519PrivateKey) -> bytes:
    """The public key as PEM SubjectPublicKeyInfo, for publishing beside the log."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def load_public_key(data: bytes) -> Ed25519PublicKey:
    """Read a public key from 32 raw bytes or PEM SubjectPublicKeyInfo."""
    if len(data) == HASH_SIZE:
        return Ed25519PublicKey.from_public_bytes(data)
    key = serialization.load_pem_public_key(data)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError(f"expected an Ed25519 public key, got {type(key).__name__}")
    return key


def save_private_key(key: Ed25519PrivateKey, path: Path | str) -> None:
    """Write the key as unencrypted PKCS#8 PEM, readable by the owner only (0600).

    The file is created 0600 beside its target and renamed over it, so the key is never
    readable by others, not even for an instant, and a crash leaves no half-written key.
    """
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    path = Path(path)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def load_private_key(path: Path | str) -> Ed25519PrivateKey:
    """Read a signing key from a PKCS#8 PEM file or a file of 32 raw seed bytes."""
    data = Path(path).read_bytes()
    if len(data) == HASH_SIZE:
        return Ed25519PrivateKey.from_private_bytes(data)
    key = serialization.load_pem_private_key(data, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path}: expected an Ed25519 private key, got {type(key).__name__}")
    return key


# --- parsing helpers -----------------------------------------------------------------


def _field(data: dict[str, Any], name: str, parse: Callable[[Any], _T]) -> _T:
    if name not in data:
        raise ValueError(f"signed tree head: missing field {name!r}")
    try:
        return parse(data[name])
    except (TypeError, ValueError, binascii.Error) as exc:
        raise ValueError(f"signed tree head: bad {name!r}: {exc}") from None


def _integer(value: Any) -> int:
    if type(value) is not int:
        raise TypeError(f"expected an integer, got {value!r}")
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {value!r}")
    return value


def _instant(value: Any) -> datetime:
    parsed = datetime.fromisoformat(_text(value))
    if parsed.tzinfo is None:
        raise ValueError(f"timestamp {value!r} has no time zone")
    return parsed


def _hex(value: Any) -> bytes:
    return binascii.unhexlify(_text(value))


def _base64(value: Any) -> bytes:
    return base64.b64decode(_text(value), validate=True)
