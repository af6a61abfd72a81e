"""The log benchmark's parts at a tiny size: the synthetic tree it loads is the right tree,
its proofs verify (and stop verifying when the stored tree is altered), and the append
cases build an auditable log. Nothing here times anything."""

from __future__ import annotations

import random

import pytest
import sqlalchemy as sa
from benchmarks.bench_log import (
    Latency,
    Row,
    append_rate,
    commit_floor,
    fill_tree,
    profile_batch,
    proof_latency,
    random_sizes,
    relaxed_durability,
    synthetic_leaf,
    table,
)

from trainclear.ledger import merkle
from trainclear.services.log import audit_log, inclusion_proof, log_size, root_at
from trainclear.services.log_append import node_id
from trainclear.services.platform import Platform

SIZE = 200


@pytest.fixture
def tree(platform: Platform) -> dict[int, bytes]:
    """A synthetic log of SIZE leaves loaded in chunks of 64, roots kept at every size."""
    return fill_tree(platform, SIZE, range(1, SIZE), chunk=64, progress=lambda _: None)


def _leaves(size: int) -> list[bytes]:
    return [synthetic_leaf(i) for i in range(size)]


def test_the_loaded_tree_is_the_rfc_tree(platform: Platform, tree: dict[int, bytes]) -> None:
    leaves = _leaves(SIZE)
    assert sorted(tree) == list(range(1, SIZE + 1))
    with platform.db.transaction() as s:
        assert log_size(s) == SIZE
        for size in (1, 2, 3, 64, 65, 128, 199, SIZE):
            assert tree[size] == merkle.root(leaves[:size]) == root_at(s, size)


def test_stored_proofs_equal_the_list_based_ones(
    platform: Platform, tree: dict[int, bytes]
) -> None:
    leaves = _leaves(SIZE)
    for seq in range(0, SIZE, 7):
        expected = merkle.inclusion_proof(leaves, seq, SIZE)
        assert inclusion_proof(platform, seq=seq, tree_size=SIZE) == expected


def test_every_timed_proof_verifies(platform: Platform, tree: dict[int, bytes]) -> None:
    seqs, firsts = random_sizes(SIZE, 50, random.Random(1))
    inclusion, consistency = proof_latency(platform, SIZE, tree, seqs, firsts)
    for latency in (inclusion, consistency):
        assert 0 < latency.median_ms <= latency.p95_ms <= latency.max_ms
        assert latency.cpu_median_ms > 0


@pytest.mark.parametrize(
    ("level", "index", "seqs", "firsts"),
    [
        (0, 3, [2], [5]),  # leaf 3 is leaf 2's sibling in its inclusion proof
        (2, 1, [150], [4]),  # leaves 4-7 are the first hash of the proof from 4
        (7, 0, [199], [128]),  # a node of the root itself
    ],
)
def test_an_altered_node_fails_verification(
    platform: Platform,
    tree: dict[int, bytes],
    level: int,
    index: int,
    seqs: list[int],
    firsts: list[int],
) -> None:
    with platform.db.transaction() as s:
        s.execute(
            sa.text("UPDATE log_nodes SET hash = :h WHERE id = :id"),
            {"h": b"\x00" * 32, "id": node_id(level, index)},
        )
    with pytest.raises(merkle.ProofError):
        proof_latency(platform, SIZE, tree, seqs, firsts)


@pytest.mark.parametrize(
    ("per_tx", "events", "bulk"), [(1, 5, False), (50, 120, False), (40, 100, True)]
)
def test_appends_build_an_auditable_log(
    platform: Platform, per_tx: int, events: int, bulk: bool
) -> None:
    rate = append_rate(platform, per_tx=per_tx, events=events, bulk=bulk)
    assert rate.events == events
    assert rate.per_second > 0
    assert audit_log(platform) == []
    with platform.db.transaction() as s:
        assert log_size(s) == events


def test_relaxed_durability_appends_the_same_log(platform: Platform) -> None:
    with relaxed_durability(platform):
        append_rate(platform, per_tx=1, events=3)
    append_rate(platform, per_tx=1, events=2)
    assert audit_log(platform) == []


def test_commit_floor_leaves_no_table_behind(platform: Platform) -> None:
    assert commit_floor(platform, 5) > 0
    assert "bench_floor" not in sa.inspect(platform.db.engine).get_table_names()


def test_the_profile_names_the_append(platform: Platform) -> None:
    assert "append_events" in profile_batch(platform, 10, bulk=False)
    assert audit_log(platform) == []


def test_latency_percentiles() -> None:
    wall = [ms / 1000 for ms in range(100, 0, -1)]
    latency = Latency.of(wall, [t / 2 for t in wall])
    expected = (51, 96, 100, 25.5)
    assert (
        latency.median_ms,
        latency.p95_ms,
        latency.max_ms,
        latency.cpu_median_ms,
    ) == pytest.approx(expected)


def test_the_table_marks_a_missed_target() -> None:
    rows = [Row("sqlite", "append", "10 events/s", ">= 5,000/s", False), Row("pg", "load", "1 s")]
    lines = table(rows).splitlines()
    assert lines[2] == "| sqlite | append | 10 events/s | >= 5,000/s | **no** |"
    assert lines[3] == "| pg | load | 1 s | — | — |"
