"""A filter hashes plain JSONL shards as it reads and writes them; the manifest's hashes
must be those of the files, whatever the format and path."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.pipeline.conftest import Texts, write_shard
from tests.pipeline.test_filter_text_lines import _registry
from trainclear.pipeline import MANIFEST, run_filter
from trainclear.pipeline.inputs import sha256_file
from trainclear.pipeline.loading import open_index


@pytest.mark.parametrize("blocks", [True, False])
def test_manifest_hashes_are_the_files_hashes(texts: Texts, tmp_path: Path, blocks: bool) -> None:
    pp = texts["en/pride-and-prejudice"]
    records = [
        {"id": "nested", "text": pp[21_400:23_200]},
        {"id": "plain", "text": texts["en/dracula"][:3000], "url": "https://a.example/"},
        {"id": "other", "text": texts["zh/lunyu"][:1000]},
    ]
    (tmp_path / "in").mkdir()
    inputs = [
        write_shard(tmp_path / "in" / name, records)
        for name in ("a.jsonl", "b.jsonl.zst", "c.parquet")
    ]
    (tmp_path / "in" / "empty.jsonl").touch()
    inputs.append(tmp_path / "in" / "empty.jsonl")
    index = open_index(_registry(texts, tmp_path / "snap"))
    out = tmp_path / f"out-{blocks}"
    result = run_filter(inputs, out, index, blocks=blocks)
    assert [(s.kept, s.excluded) for s in result.shards] == [(2, 1)] * 3 + [(0, 0)]
    for path, shard in zip(inputs, result.shards, strict=True):
        assert shard.input_sha256 == sha256_file(path)
        assert shard.output_sha256 == sha256_file(out / path.name)


def test_both_paths_write_the_same_manifest(texts: Texts, tmp_path: Path) -> None:
    shard = tmp_path / "in" / "a.jsonl"
    shard.parent.mkdir()
    shard.write_bytes(b"\n".join([b'{"id": "a", "text": "x"}'] * 3) + b"\n\r\n")
    index = open_index(_registry(texts, tmp_path / "snap"))
    for blocks in (True, False):
        run_filter([shard], tmp_path / f"out-{blocks}", index, blocks=blocks, on_error="skip")
    manifests = [(tmp_path / f"out-{b}" / MANIFEST).read_bytes() for b in (True, False)]
    assert manifests[0] == manifests[1]
