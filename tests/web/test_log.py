"""The transparency log over HTTP: a third party verifies an entry from the head alone."""

from __future__ import annotations

import base64

from tests.web.conftest import Cast, assert_error
from trainclear.ledger.merkle import leaf_hash, verify_consistency, verify_inclusion
from trainclear.ledger.sth import SignedTreeHead, load_public_key, verify


def test_a_third_party_checks_an_entry_with_head_key_and_proof(cast: Cast) -> None:
    client = cast.client
    head = SignedTreeHead.from_dict(client.get("/v1/log/head").json())
    key = load_public_key(bytes.fromhex(client.get("/v1/log/key").json()["public_key"]))
    verify(head, key)
    size = head.head.tree_size
    entry = client.get("/v1/log/entries", params={"start": size - 1, "end": size}).json()[0]
    assert leaf_hash(entry["canonical"].encode()).hex() == entry["leaf_hash"]
    body = client.get("/v1/log/proofs/inclusion", params={"seq": size - 1, "tree_size": size})
    proof = [bytes.fromhex(h) for h in body.json()["proof"]]
    verify_inclusion(bytes.fromhex(entry["leaf_hash"]), size - 1, size, proof, head.head.root_hash)
    assert base64.b64decode(client.get("/v1/log/head").json()["signature"]) == head.signature


def test_heads_are_consistent_as_the_log_grows(cast: Cast) -> None:
    client = cast.client
    first = SignedTreeHead.from_dict(client.get("/v1/log/head").json())
    cast.post(cast.alice, "/v1/works", {"title": "Gamma", "text": "gamma text"})
    second = SignedTreeHead.from_dict(client.get("/v1/log/head").json())
    m, n = first.head.tree_size, second.head.tree_size
    assert n == m + 1
    body = client.get("/v1/log/proofs/consistency", params={"first": m, "second": n}).json()
    proof = [bytes.fromhex(h) for h in body["proof"]]
    verify_consistency(m, n, proof, first.head.root_hash, second.head.root_hash)


def test_bad_proof_requests_get_the_error_shape(cast: Cast) -> None:
    size = cast.client.get("/v1/log/head").json()["tree_size"]
    params = {"seq": size, "tree_size": size}
    assert_error(cast.client.get("/v1/log/proofs/inclusion", params=params), 422, "log.bad_index")
    params = {"seq": 0, "tree_size": size + 5}
    assert_error(cast.client.get("/v1/log/proofs/inclusion", params=params), 404, "not_found")
    params = {"first": 0, "second": size}
    assert_error(cast.client.get("/v1/log/proofs/consistency", params=params), 422, "log.bad_range")
