"""Signed tree heads: canonical bytes, signing, verification, JSON and key files."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import stat
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from trainclear.ledger.sth import (
    SignatureError,
    SignedTreeHead,
    TreeHead,
    generate_key,
    key_id,
    load_private_key,
    load_public_key,
    public_key_bytes,
    public_key_pem,
    save_private_key,
    sign,
    verify,
)

AT = datetime(2026, 3, 2, 9, 0, 0, 123456, tzinfo=UTC)
SEED = bytes(range(32))


@pytest.fixture(scope="module")
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(SEED)


@pytest.fixture(scope="module")
def sth(key: Ed25519PrivateKey) -> SignedTreeHead:
    head = TreeHead(5, hashlib.sha256(b"root").digest(), AT, key_id(key.public_key()))
    return sign(head, key)


def test_signed_bytes_are_the_documented_canonical_form() -> None:
    head = TreeHead(5, bytes(range(32)), AT, "ab" * 32)
    assert head.signed_bytes() == (
        b'{"format":"trainclear-sth/1","key_id":"' + b"ab" * 32 + b'",'
        b'"root_hash":"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",'
        b'"timestamp_ms":1772442000123,"tree_size":5}'
    )


def test_timestamp_is_utc_with_milliseconds() -> None:
    east = AT.astimezone(timezone(timedelta(hours=8)))
    head = TreeHead(1, bytes(32), east, "0" * 64)
    assert head.timestamp == datetime(2026, 3, 2, 9, 0, 0, 123000, tzinfo=UTC)
    assert head.timestamp.utcoffset() == timedelta(0)
    assert TreeHead(1, bytes(32), AT.replace(tzinfo=None), "0" * 64) == head


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"tree_size": -1}, "tree_size"),
        ({"root_hash": bytes(31)}, "root_hash"),
        ({"key_id": "AB" * 32}, "key_id"),
        ({"key_id": "ab"}, "key_id"),
    ],
)
def test_tree_head_refuses_bad_fields(fields: dict[str, Any], message: str) -> None:
    good: dict[str, Any] = {
        "tree_size": 1,
        "root_hash": bytes(32),
        "timestamp": AT,
        "key_id": "0" * 64,
    }
    with pytest.raises(ValueError, match=message):
        TreeHead(**(good | fields))


def test_sign_and_verify(key: Ed25519PrivateKey, sth: SignedTreeHead) -> None:
    verify(sth, key.public_key())
    assert len(sth.signature) == 64
    assert sign(sth.head, key) == sth, "Ed25519 signatures are deterministic"


TAMPERS: dict[str, Callable[[TreeHead], TreeHead]] = {
    "tree_size": lambda h: dataclasses.replace(h, tree_size=h.tree_size + 1),
    "root_hash": lambda h: dataclasses.replace(h, root_hash=bytes(32)),
    "timestamp": lambda h: dataclasses.replace(
        h, timestamp=h.timestamp + timedelta(milliseconds=1)
    ),
    "key_id": lambda h: dataclasses.replace(h, key_id="f" * 64),
}


@pytest.mark.parametrize("field", sorted(TAMPERS))
def test_tampered_field_is_rejected(
    key: Ed25519PrivateKey, sth: SignedTreeHead, field: str
) -> None:
    tampered = SignedTreeHead(TAMPERS[field](sth.head), sth.signature)
    with pytest.raises(SignatureError):
        verify(tampered, key.public_key())


@settings(database=None, max_examples=50)
@given(position=st.integers(0, 63), mask=st.integers(1, 255))
def test_changed_signature_is_rejected(position: int, mask: int) -> None:
    key = Ed25519PrivateKey.from_private_bytes(SEED)
    good = sign(TreeHead(3, bytes(32), AT, key_id(key.public_key())), key)
    changed = bytearray(good.signature)
    changed[position] ^= mask
    with pytest.raises(SignatureError, match="does not verify"):
        verify(SignedTreeHead(good.head, bytes(changed)), key.public_key())


def test_truncated_signature_is_rejected(key: Ed25519PrivateKey, sth: SignedTreeHead) -> None:
    with pytest.raises(SignatureError, match="64 bytes"):
        verify(SignedTreeHead(sth.head, sth.signature[:-1]), key.public_key())


def test_wrong_key_is_rejected(key: Ed25519PrivateKey, sth: SignedTreeHead) -> None:
    other = generate_key()
    with pytest.raises(SignatureError, match="names key"):
        verify(sth, other.public_key())
    forged = SignedTreeHead(
        dataclasses.replace(sth.head, key_id=key_id(other.public_key())), sth.signature
    )
    with pytest.raises(SignatureError, match="does not verify"):
        verify(forged, other.public_key())


def test_sign_refuses_a_head_naming_another_key(sth: SignedTreeHead) -> None:
    with pytest.raises(ValueError, match="signing key"):
        sign(sth.head, generate_key())


def test_json_round_trip(key: Ed25519PrivateKey, sth: SignedTreeHead) -> None:
    data = json.loads(json.dumps(sth.to_dict()))
    assert data["timestamp"] == "2026-03-02T09:00:00.123Z"
    assert data["root_hash"] == sth.head.root_hash.hex()
    again = SignedTreeHead.from_dict(data)
    assert again == sth
    verify(again, key.public_key())


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("tree_size", "5"),
        ("tree_size", True),
        ("root_hash", "zz" * 32),
        ("root_hash", "ab" * 31),
        ("timestamp", "2026-03-02T09:00:00"),
        ("timestamp", "yesterday"),
        ("key_id", 7),
        ("signature", "not base64!"),
    ],
)
def test_from_dict_names_the_bad_field(sth: SignedTreeHead, field: str, value: object) -> None:
    with pytest.raises(ValueError, match=field):
        SignedTreeHead.from_dict(sth.to_dict() | {field: value})


def test_from_dict_names_a_missing_field(sth: SignedTreeHead) -> None:
    data = sth.to_dict()
    del data["signature"]
    with pytest.raises(ValueError, match="missing field 'signature'"):
        SignedTreeHead.from_dict(data)


# --- keys ------------------------------------------------------------------------------


def test_key_id_is_the_sha256_of_the_raw_public_key(key: Ed25519PrivateKey) -> None:
    raw = public_key_bytes(key)
    assert raw == public_key_bytes(key.public_key())
    assert len(raw) == 32
    assert key_id(key.public_key()) == hashlib.sha256(raw).hexdigest()


def test_private_key_file_is_owner_only(tmp_path: Path, key: Ed25519PrivateKey) -> None:
    path = tmp_path / "log.key"
    path.write_bytes(b"old")
    path.chmod(0o644)
    save_private_key(key, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert public_key_bytes(load_private_key(path)) == public_key_bytes(key)
    assert [p.name for p in tmp_path.iterdir()] == ["log.key"]


def test_private_key_from_raw_seed_file(tmp_path: Path, key: Ed25519PrivateKey) -> None:
    path = tmp_path / "seed.bin"
    path.write_bytes(SEED)
    assert public_key_bytes(load_private_key(str(path))) == public_key_bytes(key)


def test_private_key_of_another_algorithm_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ec.pem"
    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.write_bytes(pem)
    with pytest.raises(ValueError, match="Ed25519"):
        load_private_key(path)


def test_public_key_from_raw_or_pem(key: Ed25519PrivateKey) -> None:
    raw = public_key_bytes(key)
    assert public_key_bytes(load_public_key(raw)) == raw
    assert public_key_bytes(load_public_key(public_key_pem(key))) == raw
    with pytest.raises(ValueError):  # noqa: PT011 - cryptography's own message
        load_public_key(b"neither raw nor PEM")
