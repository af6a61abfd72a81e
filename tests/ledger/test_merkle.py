"""The Merkle engine against the RFC 6962 vectors and probes, and as properties."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trainclear.ledger.merkle import (
    EMPTY_ROOT,
    MerkleAppender,
    Node,
    NodeRef,
    Partial,
    ProofError,
    consistency_path,
    consistency_proof,
    inclusion_path,
    inclusion_proof,
    leaf_hash,
    node_hash,
    proof_from_store,
    range_nodes,
    required_nodes,
    root,
    root_from_store,
    subtree,
    verify_consistency,
    verify_inclusion,
)

Store = dict[tuple[int, int], bytes]


@pytest.fixture(scope="module")
def vectors(shared_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((shared_dir / "data/merkle/rfc6962_vectors.json").read_text())
    return data


def unhex(values: list[str]) -> list[bytes]:
    return [bytes.fromhex(v) for v in values]


def build(hashes: list[bytes]) -> tuple[Store, list[bytes]]:
    """Append every leaf; return the stored nodes and the root after each size (0..n)."""
    appender, store, roots = MerkleAppender(), {}, [EMPTY_ROOT]
    for h in hashes:
        for level, index, value in appender.append(h):
            store[level, index] = value
        roots.append(appender.root())
    return store, roots


def getter(store: Store) -> Callable[[int, int], bytes]:
    return lambda level, index: store[level, index]


# --- the RFC 6962 vectors ------------------------------------------------------------


@pytest.fixture(scope="module")
def tree(vectors: dict[str, Any]) -> list[bytes]:
    return [leaf_hash(data) for data in unhex(vectors["leaves"])]


def test_leaf_hashes(vectors: dict[str, Any], tree: list[bytes]) -> None:
    assert [h.hex() for h in tree] == vectors["leaf_hashes"]


def test_node_hashes_by_level(vectors: dict[str, Any], tree: list[bytes]) -> None:
    store, _ = build(tree)
    expected = {
        (level, index): bytes.fromhex(value)
        for level, row in enumerate(vectors["node_hashes_by_level"])
        for index, value in enumerate(row)
    }
    assert len(expected) == 15
    for (level, index), value in expected.items():
        assert root(tree[index << level : (index + 1) << level]) == value
    assert store == expected


def test_roots(vectors: dict[str, Any], tree: list[bytes]) -> None:
    _, appended = build(tree)
    for size, value in vectors["roots"].items():
        n, want = int(size), bytes.fromhex(value)
        assert root(tree[:n]) == want
        assert appended[n] == want
        assert root_from_store(n, getter(build(tree)[0])) == want


def test_inclusion_vectors(vectors: dict[str, Any], tree: list[bytes]) -> None:
    store, _ = build(tree)
    assert vectors["inclusion"]
    for case in vectors["inclusion"]:
        index, size, want = case["leaf_index"], case["tree_size"], unhex(case["proof"])
        assert inclusion_proof(tree, index, size) == want
        assert proof_from_store(inclusion_path(index, size), getter(store)) == want
        verify_inclusion(tree[index], index, size, want, bytes.fromhex(vectors["roots"][str(size)]))


def test_consistency_vectors(vectors: dict[str, Any], tree: list[bytes]) -> None:
    store, _ = build(tree)
    assert vectors["consistency"]
    for case in vectors["consistency"]:
        size1, size2, want = case["size1"], case["size2"], unhex(case["proof"])
        assert consistency_proof(tree, size1, size2) == want
        assert proof_from_store(consistency_path(size1, size2), getter(store)) == want
        root1, root2 = (bytes.fromhex(vectors["roots"][str(n)]) for n in (size1, size2))
        verify_consistency(size1, size2, want, root1, root2)


def rejects_inclusion(probe: dict[str, Any]) -> bool:
    try:
        verify_inclusion(
            bytes.fromhex(probe["leaf_hash"]),
            probe["leaf_index"],
            probe["tree_size"],
            unhex(probe["proof"]),
            bytes.fromhex(probe["root"]),
        )
    except ProofError:
        return True
    return False


def rejects_consistency(probe: dict[str, Any]) -> bool:
    try:
        verify_consistency(
            probe["size1"],
            probe["size2"],
            unhex(probe["proof"]),
            bytes.fromhex(probe["root1"]),
            bytes.fromhex(probe["root2"]),
        )
    except ProofError:
        return True
    return False


@pytest.mark.parametrize(
    ("kind", "rejects"),
    [("inclusion_probes", rejects_inclusion), ("consistency_probes", rejects_consistency)],
)
def test_probes(
    vectors: dict[str, Any], kind: str, rejects: Callable[[dict[str, Any]], bool]
) -> None:
    """Every upstream probe gets the verdict it asks for (``want_error``)."""
    probes = vectors[kind]
    assert len(probes) == 98
    assert {p["want_error"] for p in probes} == {True, False}
    wrong = [(p["file"], p["want_error"]) for p in probes if rejects(p) != p["want_error"]]
    assert not wrong, f"verdicts differ from want_error for {wrong}"


# --- node addressing -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "nodes"),
    [
        (0, 0, []),
        (0, 1, [(0, 0)]),
        (1, 4, [(0, 1), (1, 1)]),
        (0, 7, [(2, 0), (1, 2), (0, 6)]),
        (0, 8, [(3, 0)]),
        (3, 8, [(0, 3), (2, 1)]),
        (4, 7, [(1, 2), (0, 6)]),
        (5, 13, [(0, 5), (1, 3), (2, 2), (0, 12)]),
    ],
)
def test_range_nodes(start: int, end: int, nodes: list[tuple[int, int]]) -> None:
    assert range_nodes(start, end) == nodes


@pytest.mark.parametrize(
    ("index", "size", "refs"),
    [
        (0, 1, []),
        (6, 7, [Node(1, 2), Node(2, 0)]),
        (0, 7, [Node(0, 1), Node(1, 1), Partial(4, 7)]),
        (4, 7, [Node(0, 5), Node(0, 6), Node(2, 0)]),
        (2, 11, [Node(0, 3), Node(1, 0), Node(2, 1), Partial(8, 11)]),
    ],
)
def test_inclusion_path(index: int, size: int, refs: list[NodeRef]) -> None:
    assert inclusion_path(index, size) == refs


@pytest.mark.parametrize(
    ("size1", "size2", "refs"),
    [
        (3, 3, []),
        (4, 7, [Partial(4, 7)]),
        (3, 7, [Node(0, 2), Node(0, 3), Node(1, 0), Partial(4, 7)]),
        (6, 8, [Node(1, 2), Node(1, 3), Node(2, 0)]),
    ],
)
def test_consistency_path(size1: int, size2: int, refs: list[NodeRef]) -> None:
    assert consistency_path(size1, size2) == refs


@pytest.mark.parametrize(("start", "end"), [(0, 0), (5, 4), (2, 5), (4, 9), (-1, 3)])
def test_partial_refuses_ranges_that_are_no_subtree(start: int, end: int) -> None:
    with pytest.raises(ValueError, match="range"):
        Partial(start, end)


def test_subtree_is_a_node_when_complete() -> None:
    assert subtree(8, 12) == Node(2, 2)
    assert subtree(8, 11) == Partial(8, 11)
    assert required_nodes([Node(2, 2), Partial(8, 11), Node(1, 4)]) == [
        Node(2, 2),
        Node(1, 4),
        Node(0, 10),
    ]


def test_store_proofs_take_logarithmic_lookups() -> None:
    size = 10_000
    store, roots = build([leaf_hash(i.to_bytes(4, "big")) for i in range(size)])
    calls = 0

    def get(level: int, index: int) -> bytes:
        nonlocal calls
        calls += 1
        return store[level, index]

    for index in (0, 4_999, 9_998, 9_999):
        calls = 0
        proof = proof_from_store(inclusion_path(index, size), get)
        assert calls <= 2 * size.bit_length()
        verify_inclusion(leaf_hash(index.to_bytes(4, "big")), index, size, proof, roots[size])
    calls = 0
    assert root_from_store(size, get) == roots[size]
    assert calls == size.bit_count()


# --- argument checks -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("check", "message"),
    [
        (lambda: verify_inclusion(bytes(32), 3, 3, [], bytes(32)), "not in a tree of size 3"),
        (lambda: verify_inclusion(bytes(32), 0, 0, [], EMPTY_ROOT), "not in a tree of size 0"),
        (lambda: verify_inclusion(bytes(31), 0, 1, [], bytes(32)), "leaf hash must be 32"),
        (lambda: verify_inclusion(bytes(32), 0, 2, [b""], bytes(32)), "proof hash 0 must be"),
        (lambda: verify_inclusion(bytes(32), 0, 2, [], bytes(32)), "fewer than"),
        (lambda: verify_inclusion(bytes(32), 0, 1, [bytes(32)], bytes(32)), "more than"),
        (lambda: verify_inclusion(bytes(32), 0, 1, [], bytes([1] * 32)), "does not lead"),
        (lambda: verify_consistency(2, 1, [], bytes(32), bytes(32)), "between 0 and size2"),
        (lambda: verify_consistency(0, 0, [], EMPTY_ROOT, EMPTY_ROOT), "empty tree"),
        (lambda: verify_consistency(0, 4, [bytes(32)], EMPTY_ROOT, bytes(32)), "empty tree"),
        (lambda: verify_consistency(2, 2, [bytes(32)], bytes(32), bytes(32)), "empty proof"),
        (lambda: verify_consistency(2, 2, [], bytes(32), bytes([1] * 32)), "different roots"),
        (lambda: verify_consistency(1, 2, [], bytes(32), bytes(32)), "is empty"),
        (lambda: verify_consistency(1, 2, [bytes(32)], bytes(3), bytes(32)), "root1 must be"),
        (lambda: verify_consistency(3, 4, [bytes(32)], bytes(32), bytes(32)), "too few"),
        (lambda: verify_consistency(2, 4, [bytes(32)] * 2, bytes(32), bytes(32)), "too many"),
    ],
)
def test_verifiers_say_what_failed(check: Callable[[], None], message: str) -> None:
    with pytest.raises(ProofError, match=message):
        check()


@pytest.mark.parametrize(
    "call",
    [
        lambda: inclusion_proof([bytes(32)] * 4, 4, 4),
        lambda: inclusion_proof([bytes(32)] * 4, 0, 5),
        lambda: consistency_proof([bytes(32)] * 4, 0, 4),
        lambda: consistency_proof([bytes(32)] * 4, 3, 2),
        lambda: inclusion_path(-1, 4),
        lambda: consistency_path(5, 4),
        lambda: MerkleAppender(3, [bytes(32)]),
        lambda: MerkleAppender(1, [bytes(31)]),
        lambda: MerkleAppender().append(b"short"),
        lambda: root_from_store(-1, lambda level, index: bytes(32)),
    ],
)
def test_producers_refuse_bad_arguments(call: Callable[[], object]) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - each message is checked above
        call()


# --- properties over random trees --------------------------------------------------------

sizes = st.integers(min_value=1, max_value=300)
seeds = st.binary(max_size=8)


def leaves(n: int, seed: bytes) -> list[bytes]:
    return [leaf_hash(seed + i.to_bytes(4, "big")) for i in range(n)]


@settings(database=None, max_examples=60, deadline=None)
@given(n=sizes, seed=seeds, data=st.data())
def test_inclusion_proofs_verify(n: int, seed: bytes, data: st.DataObject) -> None:
    tree = leaves(n, seed)
    store, roots = build(tree)
    for index in range(n):
        proof = proof_from_store(inclusion_path(index, n), getter(store))
        verify_inclusion(tree[index], index, n, proof, roots[n])
    index = data.draw(st.integers(0, n - 1))
    size = data.draw(st.integers(index + 1, n))
    direct = inclusion_proof(tree, index, size)
    assert proof_from_store(inclusion_path(index, size), getter(store)) == direct
    verify_inclusion(tree[index], index, size, direct, roots[size])


@settings(database=None, max_examples=60, deadline=None)
@given(n=sizes, seed=seeds, data=st.data())
def test_consistency_proofs_verify(n: int, seed: bytes, data: st.DataObject) -> None:
    tree = leaves(n, seed)
    store, roots = build(tree)
    for size1 in range(1, n + 1):
        proof = proof_from_store(consistency_path(size1, n), getter(store))
        verify_consistency(size1, n, proof, roots[size1], roots[n])
    size2 = data.draw(st.integers(1, n))
    size1 = data.draw(st.integers(1, size2))
    direct = consistency_proof(tree, size1, size2)
    assert proof_from_store(consistency_path(size1, size2), getter(store)) == direct
    verify_consistency(size1, size2, direct, roots[size1], roots[size2])


@settings(database=None, max_examples=40, deadline=None)
@given(n=sizes, seed=seeds)
def test_appender_matches_the_rfc_definition(n: int, seed: bytes) -> None:
    tree = leaves(n, seed)
    store, roots = build(tree)
    assert all(roots[size] == root(tree[:size]) for size in range(n + 1))
    assert len(store) == 2 * n - n.bit_count()
    for (level, index), value in store.items():
        assert value == root(tree[index << level : (index + 1) << level])


@settings(database=None, max_examples=40, deadline=None)
@given(n=sizes, seed=seeds, data=st.data())
def test_appender_resumes_from_its_frontier(n: int, seed: bytes, data: st.DataObject) -> None:
    tree = leaves(n, seed)
    store, roots = build(tree)
    cut = data.draw(st.integers(0, n))
    first = MerkleAppender()
    for h in tree[:cut]:
        first.append(h)
    resumed = MerkleAppender(first.size, first.frontier)
    from_store = MerkleAppender.from_store(cut, getter(store))
    assert from_store.frontier == first.frontier
    for size in range(cut, n):
        step = first.append(tree[size])
        assert resumed.append(tree[size]) == step == from_store.append(tree[size])
        assert resumed.root() == first.root() == roots[size + 1]
    assert resumed.size == n


def flips(values: list[bytes]) -> list[list[bytes]]:
    """Every copy of ``values`` with one byte changed."""
    out = []
    for i, value in enumerate(values):
        for j in range(len(value)):
            changed = bytearray(value)
            changed[j] ^= 0x5A
            out.append([*values[:i], bytes(changed), *values[i + 1 :]])
    return out


@settings(database=None, max_examples=25, deadline=None)
@given(n=sizes, seed=seeds, data=st.data())
def test_any_changed_byte_breaks_an_inclusion_proof(
    n: int, seed: bytes, data: st.DataObject
) -> None:
    tree = leaves(n, seed)
    store, roots = build(tree)
    index = data.draw(st.integers(0, n - 1))
    proof = proof_from_store(inclusion_path(index, n), getter(store))
    for leaf, rooted, *path in flips([tree[index], roots[n], *proof]):
        with pytest.raises(ProofError):
            verify_inclusion(leaf, index, n, path, rooted)
    for other in {index - 1, index + 1, n} - {-1}:
        with pytest.raises(ProofError):
            verify_inclusion(tree[index], other, n, proof, roots[n])
    with pytest.raises(ProofError):
        verify_inclusion(tree[index], index, n, [*proof, roots[n]], roots[n])


@settings(database=None, max_examples=25, deadline=None)
@given(n=st.integers(2, 300), seed=seeds, data=st.data())
def test_any_changed_byte_breaks_a_consistency_proof(
    n: int, seed: bytes, data: st.DataObject
) -> None:
    tree = leaves(n, seed)
    store, roots = build(tree)
    size1 = data.draw(st.integers(1, n - 1))
    proof = proof_from_store(consistency_path(size1, n), getter(store))
    for root1, root2, *path in flips([roots[size1], roots[n], *proof]):
        with pytest.raises(ProofError):
            verify_consistency(size1, n, path, root1, root2)
    with pytest.raises(ProofError):
        verify_consistency(size1, n, proof[:-1], roots[size1], roots[n])
    with pytest.raises(ProofError):
        verify_consistency(size1, n, proof, roots[size1 - 1], roots[n])


def test_node_hash_and_leaf_hash_are_domain_separated() -> None:
    left, right = bytes(32), bytes([1] * 32)
    assert node_hash(left, right) != leaf_hash(left + right)
