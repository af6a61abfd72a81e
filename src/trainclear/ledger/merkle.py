"""RFC 9162 Merkle trees: hashes, proofs, verifiers and a node-addressed store API.

Hashing is RFC 9162 §2.1.1 with SHA-256: a leaf is ``H(0x00 || data)``, an interior node
``H(0x01 || left || right)``, the empty tree ``H('')``. The list-based producers
(:func:`root`, :func:`inclusion_proof`, :func:`consistency_proof`) follow the RFC's
recursive definitions literally and cost O(n); they serve tests and small trees.

A big log stores every *complete subtree* once, addressed as :class:`Node` ``(level,
index)``: the hash of leaves ``[index * 2**level, (index + 1) * 2**level)``. Every proof
hash is either such a node or the root of the ragged right edge of the tree, a
:class:`Partial` range, itself folded from O(log n) complete nodes. So
:func:`inclusion_path` / :func:`consistency_path` name the nodes, :func:`proof_from_store`
fetches them, and :class:`MerkleAppender` writes them, about two per leaf.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple, TypeAlias

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()

GetNode: TypeAlias = Callable[[int, int], bytes]
"""Looks up a stored complete node by ``(level, index)``."""


class ProofError(ValueError):
    """A proof, a hash or the sizes it is about failed verification."""


def leaf_hash(data: bytes) -> bytes:
    """The hash of one log entry: ``H(0x00 || data)`` (RFC 9162 §2.1.1)."""
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """The hash of an interior node: ``H(0x01 || left || right)`` (RFC 9162 §2.1.1)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def split_point(n: int) -> int:
    """The largest power of two smaller than ``n`` (``n > 1``): where RFC 9162 §2.1.1 splits."""
    return 1 << ((n - 1).bit_length() - 1)


# --- node addressing ---------------------------------------------------------------


class Node(NamedTuple):
    """A complete subtree: the hash of leaves ``[index * 2**level, (index + 1) * 2**level)``."""

    level: int
    index: int  # type: ignore[assignment]  # the field shadows tuple.index, on purpose

    @property
    def start(self) -> int:
        return self.index << self.level

    @property
    def end(self) -> int:
        return (self.index + 1) << self.level


@dataclass(frozen=True, slots=True)
class Partial:
    """The RFC 9162 subtree hash over leaves ``[start, end)`` that no single node holds.

    Such a range is the right edge of a tree whose size is not a power of two. ``start``
    must be aligned to the smallest power of two not below the width, which is what makes
    the RFC's left-heavy split coincide with :func:`range_nodes` (largest node first).
    """

    start: int
    end: int

    def __post_init__(self) -> None:
        width = self.end - self.start
        if self.start < 0 or width < 1:
            raise ValueError(f"empty or negative leaf range [{self.start}, {self.end})")
        if self.start % (1 << (width - 1).bit_length()):
            raise ValueError(f"leaf range [{self.start}, {self.end}) is not a subtree")


NodeRef: TypeAlias = Node | Partial


def subtree(start: int, end: int) -> NodeRef:
    """The reference to the subtree over ``[start, end)``: a node when it is complete."""
    width = end - start
    if width > 0 and width & (width - 1) == 0:
        level = width.bit_length() - 1
        if start % width == 0:
            return Node(level, start >> level)
    return Partial(start, end)


def range_nodes(start: int, end: int) -> list[Node]:
    """The fewest complete nodes covering ``[start, end)``, left to right.

    For ``[0, size)`` this is the frontier of a log of ``size`` leaves (one node per set
    bit of ``size``); for a :class:`Partial` range, the nodes whose right fold is its hash.
    """
    if start < 0 or end < start:
        raise ValueError(f"invalid leaf range [{start}, {end})")
    nodes = []
    while start < end:
        level = (end - start).bit_length() - 1
        if start:
            level = min(level, (start & -start).bit_length() - 1)
        nodes.append(Node(level, start >> level))
        start += 1 << level
    return nodes


def inclusion_path(index: int, size: int) -> list[NodeRef]:
    """The subtrees an inclusion proof is made of, in proof order (RFC 9162 §2.1.3.1)."""
    _check_leaf_index(index, size)
    refs: list[NodeRef] = []
    start, end = 0, size
    while end - start > 1:
        mid = start + split_point(end - start)
        if index < mid:
            refs.append(subtree(mid, end))
            end = mid
        else:
            refs.append(subtree(start, mid))
            start = mid
    return refs[::-1]


def consistency_path(size1: int, size2: int) -> list[NodeRef]:
    """The subtrees a consistency proof is made of, in proof order (RFC 9162 §2.1.4.1)."""
    _check_sizes(size1, size2)
    refs: list[NodeRef] = []
    start, end, whole = 0, size2, True
    while size1 != end:
        mid = start + split_point(end - start)
        if size1 <= mid:
            refs.append(subtree(mid, end))
            end = mid
        else:
            refs.append(subtree(start, mid))
            start, whole = mid, False
    if not whole:
        refs.append(subtree(start, end))
    return refs[::-1]


def fold_right(hashes: Sequence[bytes]) -> bytes:
    """Hash nodes of decreasing size into one: ``h0 · (h1 · (... · hk))``."""
    result = hashes[-1]
    for left in reversed(hashes[:-1]):
        result = node_hash(left, result)
    return result


def required_nodes(refs: Iterable[NodeRef]) -> list[Node]:
    """Every stored node :func:`proof_from_store` reads for ``refs``, for one batched query."""
    nodes: list[Node] = []
    for ref in refs:
        nodes.extend([ref] if isinstance(ref, Node) else range_nodes(ref.start, ref.end))
    return list(dict.fromkeys(nodes))


def resolve(ref: NodeRef, get_node: GetNode) -> bytes:
    """The hash of one subtree: a lookup, or a fold of O(log n) lookups for a partial one."""
    if isinstance(ref, Node):
        return get_node(ref.level, ref.index)
    return fold_right([get_node(level, index) for level, index in range_nodes(ref.start, ref.end)])


def proof_from_store(refs: Iterable[NodeRef], get_node: GetNode) -> list[bytes]:
    """Assemble proof hashes from stored complete nodes."""
    return [resolve(ref, get_node) for ref in refs]


def root_from_store(size: int, get_node: GetNode) -> bytes:
    """The tree head hash of the first ``size`` leaves from stored complete nodes."""
    if size < 0:
        raise ValueError(f"tree size must not be negative, got {size}")
    return resolve(subtree(0, size), get_node) if size else EMPTY_ROOT


# --- list-based producers, literally as RFC 9162 defines them ----------------------


def root(leaf_hashes: Sequence[bytes]) -> bytes:
    """MTH over the given leaf hashes (RFC 9162 §2.1.1)."""
    return _mth(leaf_hashes, 0, len(leaf_hashes)) if leaf_hashes else EMPTY_ROOT


def inclusion_proof(leaf_hashes: Sequence[bytes], index: int, size: int) -> list[bytes]:
    """PATH(index, D[0:size]) (RFC 9162 §2.1.3.1)."""
    _check_available(leaf_hashes, size)
    _check_leaf_index(index, size)
    return _path(leaf_hashes, index, 0, size)


def consistency_proof(leaf_hashes: Sequence[bytes], size1: int, size2: int) -> list[bytes]:
    """PROOF(size1, D[0:size2]) (RFC 9162 §2.1.4.1); empty when the sizes are equal."""
    _check_available(leaf_hashes, size2)
    _check_sizes(size1, size2)
    return _subproof(leaf_hashes, size1, 0, size2, whole=True)


def _mth(hashes: Sequence[bytes], start: int, end: int) -> bytes:
    if end - start == 1:
        return hashes[start]
    mid = start + split_point(end - start)
    return node_hash(_mth(hashes, start, mid), _mth(hashes, mid, end))


def _path(hashes: Sequence[bytes], m: int, start: int, end: int) -> list[bytes]:
    if end - start == 1:
        return []
    k = split_point(end - start)
    if m < k:
        return [*_path(hashes, m, start, start + k), _mth(hashes, start + k, end)]
    return [*_path(hashes, m - k, start + k, end), _mth(hashes, start, start + k)]


def _subproof(hashes: Sequence[bytes], m: int, start: int, end: int, whole: bool) -> list[bytes]:
    n = end - start
    if m == n:
        return [] if whole else [_mth(hashes, start, end)]
    k = split_point(n)
    if m <= k:
        return [*_subproof(hashes, m, start, start + k, whole), _mth(hashes, start + k, end)]
    return [*_subproof(hashes, m - k, start + k, end, False), _mth(hashes, start, start + k)]


def _check_leaf_index(index: int, size: int) -> None:
    if not 0 <= index < size:
        raise ValueError(f"leaf index {index} is not in a tree of size {size}")


def _check_sizes(size1: int, size2: int) -> None:
    if not 0 < size1 <= size2:
        raise ValueError(f"a consistency proof needs 0 < size1 <= size2, got {size1}, {size2}")


def _check_available(leaf_hashes: Sequence[bytes], size: int) -> None:
    if size > len(leaf_hashes):
        raise ValueError(f"tree size {size} exceeds the {len(leaf_hashes)} leaves given")


# --- verifiers, step by step as RFC 9162 §2.1.3.2 and §2.1.4.2 write them ----------


def verify_inclusion(
    leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> None:
    """Check that ``leaf_hash`` is leaf ``index`` of the tree of ``size`` with ``root``.

    Raises:
        ProofError: naming what failed; returns None on success.
    """
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} is not in a tree of size {size}")
    _check_hash("leaf hash", leaf_hash)
    _check_proof_hashes(proof)
    fn, sn, r = index, size - 1, leaf_hash
    for p in proof:
        if sn == 0:
            raise ProofError(f"inclusion proof has more than the hashes a tree of {size} needs")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError(f"inclusion proof has fewer than the hashes a tree of {size} needs")
    if r != root:
        raise ProofError(f"inclusion proof for leaf {index} does not lead to the given root")


def verify_consistency(
    size1: int, size2: int, proof: Sequence[bytes], root1: bytes, root2: bytes
) -> None:
    """Check that the tree of ``size2`` with ``root2`` extends the one of ``size1``/``root1``.

    A first tree of size 0 is refused: it proves nothing, so a verifier asked for it is
    being misused. Equal sizes need an empty proof and equal roots.

    Raises:
        ProofError: naming what failed; returns None on success.
    """
    if size1 < 0 or size1 > size2:
        raise ProofError(f"size1 ({size1}) must be between 0 and size2 ({size2})")
    _check_proof_hashes(proof)
    if size1 == 0:
        raise ProofError("a consistency proof from the empty tree (size1 = 0) proves nothing")
    if size1 == size2:
        if proof:
            raise ProofError(f"trees of equal size need an empty proof, got {len(proof)} hashes")
        if root1 != root2:
            raise ProofError(f"two trees of size {size1} have different roots")
        return
    _check_hash("root1", root1)
    _check_hash("root2", root2)
    if not proof:
        raise ProofError(f"consistency proof from {size1} to {size2} is empty")
    _replay_consistency(size1, size2, proof, root1, root2)


def _replay_consistency(
    size1: int, size2: int, proof: Sequence[bytes], root1: bytes, root2: bytes
) -> None:
    path = [root1, *proof] if size1 & (size1 - 1) == 0 else list(proof)
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofError(f"consistency proof {size1}->{size2} has too many hashes")
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError(f"consistency proof {size1}->{size2} has too few hashes")
    if fr != root1:
        raise ProofError(f"consistency proof does not lead to the root of size {size1}")
    if sr != root2:
        raise ProofError(f"consistency proof does not lead to the root of size {size2}")


def _check_hash(name: str, value: bytes) -> None:
    if len(value) != HASH_SIZE:
        raise ProofError(f"{name} must be {HASH_SIZE} bytes, got {len(value)}")


def _check_proof_hashes(proof: Sequence[bytes]) -> None:
    for i, value in enumerate(proof):
        _check_hash(f"proof hash {i}", value)


# --- incremental appending -----------------------------------------------------------


class MerkleAppender:
    """A log's compact range: the O(log n) frontier nodes covering leaves ``[0, size)``.

    Appending a leaf returns the complete nodes it finishes, so a store can keep every
    node once; the root is a fold of the frontier. Resume from a store with
    :meth:`from_store` (the frontier is ``range_nodes(0, size)``).
    """

    def __init__(self, size: int = 0, frontier: Sequence[bytes] = ()) -> None:
        if size < 0 or len(frontier) != size.bit_count():
            raise ValueError(f"a log of {size} leaves has a frontier of {size.bit_count()} hashes")
        for i, value in enumerate(frontier):
            _check_hash(f"frontier hash {i}", value)
        self._size = size
        self._frontier = list(frontier)

    @classmethod
    def from_store(cls, size: int, get_node: GetNode) -> MerkleAppender:
        """Resume a log of ``size`` leaves from its stored complete nodes."""
        return cls(size, [get_node(level, index) for level, index in range_nodes(0, size)])

    @property
    def size(self) -> int:
        return self._size

    @property
    def frontier(self) -> tuple[bytes, ...]:
        """The hashes of ``range_nodes(0, size)``, largest subtree first."""
        return tuple(self._frontier)

    def append(self, leaf_hash: bytes) -> list[tuple[int, int, bytes]]:
        """Add one leaf; return ``(level, index, hash)`` of the leaf and each node it completes."""
        _check_hash("leaf hash", leaf_hash)
        index, level, value = self._size, 0, leaf_hash
        completed = [(0, index, value)]
        while index & 1:
            value = node_hash(self._frontier.pop(), value)
            index, level = index >> 1, level + 1
            completed.append((level, index, value))
        self._frontier.append(value)
        self._size += 1
        return completed

    def root(self) -> bytes:
        """The tree head hash of the leaves so far (RFC 9162 §2.1.1)."""
        return fold_right(self._frontier) if self._frontier else EMPTY_ROOT
