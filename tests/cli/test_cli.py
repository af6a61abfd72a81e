"""The CLI end to end on the test database: the loop, errors, and malformed input."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from trainclear.cli.context import State
from trainclear.cli.main import app
from trainclear.clock import FixedClock
from trainclear.services.platform import Platform


class Cli:
    def __init__(self, platform: Platform) -> None:
        self.platform = platform
        self.runner = CliRunner()

    def __call__(self, *args: str, token: str | None = None, code: int = 0) -> Any:
        state = State(platform=self.platform, token=token, lang="en")
        result = self.runner.invoke(app, ["--json", *args], obj=state)
        assert result.exit_code == code, (result.stdout, result.stderr)
        return json.loads(result.stdout) if code == 0 and result.stdout.strip() else result

    def party(self, kind: str, name: str) -> tuple[int, str]:
        out = self("party", "create", kind, name)
        return out["id"], out["token"]


@pytest.fixture
def cli(platform: Platform) -> Cli:
    return Cli(platform)


def _corpus(tmp_path: Path, texts: dict[str, str]) -> Path:
    shard = tmp_path / "shard.jsonl"
    lines = [
        json.dumps({"id": k, "text": v, "url": f"https://x.example/{k}"}) for k, v in texts.items()
    ]
    shard.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return shard


def test_the_loop_through_the_cli(cli: Cli, clock: FixedClock, tmp_path: Path) -> None:
    holder, holder_token = cli.party("rights_holder", "Alice")
    _, dev_token = cli.party("developer", "ModelCo")
    text = tmp_path / "poem.txt"
    text.write_text("The quick brown fox\njumps over the lazy dog.", encoding="utf-8")
    work = cli("work", "register", "--title", "Fox", "--file", str(text), token=holder_token)
    other = cli(
        "work", "register", "--title", "Other", "--id", "isbn:9780306406157", token=holder_token
    )
    shard = _corpus(
        tmp_path, {"r1": "THE QUICK BROWN FOX, JUMPS OVER THE LAZY DOG", "r2": "unrelated"}
    )
    registry = cli("snapshot", "export", token=dev_token)
    report = tmp_path / "scan.json"
    scanned = cli(
        "scan", str(shard), "--snapshot", registry["id"], "--report", str(report), token=dev_token
    )
    assert [w["work_id"] for w in scanned["works"]] == [work["id"]]
    draft = cli(
        "notice",
        "create",
        "--model",
        "m1",
        "--from-scan",
        str(report),
        "--work",
        str(other["id"]),
        token=dev_token,
    )
    notice = cli("notice", "publish", str(draft["id"]), token=dev_token)
    assert notice["state"] == "open"
    [objection] = cli(
        "objection", "file", str(notice["id"]), "--work", str(work["id"]), token=holder_token
    )
    assert objection["in_window"] is True
    clock.advance(timedelta(days=30))
    assert cli("notice", "advance", str(notice["id"]))["state"] == "effective"
    snap = cli("snapshot", "export", "--notice", str(notice["id"]), token=dev_token)
    assert cli("snapshot", "verify", snap["id"])["ok"] is True
    out = tmp_path / "out"
    filtered = cli(
        "filter", str(shard), "--snapshot", snap["id"][:12], "--out", str(out), token=dev_token
    )
    assert (filtered["kept"], filtered["excluded"]) == (1, 1)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["snapshot_id"] == snap["id"]
    assert holder > 0


def test_writes_need_a_token(cli: Cli, tmp_path: Path) -> None:
    result = cli("work", "register", "--title", "T", "--id", "doi:10.1000/x", code=1)
    assert "API token" in result.stderr


def test_domain_errors_are_one_line_with_the_code(cli: Cli) -> None:
    _, holder_token = cli.party("rights_holder", "Alice")
    result = cli("notice", "create", "--model", "m", "--work", "1", token=holder_token, code=1)
    assert result.stderr.startswith("error [forbidden]:")


def test_malformed_jsonl_names_file_and_line_and_writes_nothing(cli: Cli, tmp_path: Path) -> None:
    _, dev_token = cli.party("developer", "ModelCo")
    snap = cli("snapshot", "export", token=dev_token)
    data = tmp_path / "data"
    data.mkdir()
    shard = data / "bad.jsonl"
    shard.write_text('{"id": "a", "text": "ok"}\n{"id": "b", "txt": "typo"}\n', encoding="utf-8")
    out = data / "out"
    result = cli(
        "filter", str(shard), "--snapshot", snap["id"], "--out", str(out), token=dev_token, code=1
    )
    assert f"{shard}:2" in result.stderr
    assert "text" in result.stderr
    assert list(data.iterdir()) == [shard]  # no output, no staging left behind


def test_snapshot_build_delta_info_and_diff(
    cli: Cli, clock: FixedClock, tmp_path: Path, shared_dir: Path
) -> None:
    _, holder_token = cli.party("rights_holder", "Alice")
    _, dev_token = cli.party("developer", "ModelCo")
    text = shared_dir / "data/texts/dev/zh/lunyu.txt"
    work = cli("work", "register", "--title", "W", "--file", str(text), token=holder_token)
    first = cli("snapshot", "build", token=dev_token)
    info = cli("snapshot", "info", first["id"][:10])
    assert (info["works"], info["excluded"], info["deltas_applied"]) == (1, 0, [])
    assert info["text_entries"] > 0
    clock.advance(timedelta(hours=1))
    cli("optout", "declare", "--work", str(work["id"]), token=holder_token)
    delta = cli("snapshot", "build", "--base", first["id"], token=dev_token)
    assert (delta["seq"], delta["works_changed"]) == (1, 1)
    assert cli("snapshot", "info", first["id"])["deltas_applied"] == [1]
    second = cli("snapshot", "build", token=dev_token)
    assert cli("snapshot", "verify", second["id"])["ok"] is True
    diff = cli("snapshot", "diff", first["id"], second["id"])
    assert diff["newly_excluded"] == []  # the base already carries its delta when loaded
    assert cli("snapshot", "info", second["id"])["excluded"] == 1


def test_signals_import_list_and_offline_check(cli: Cli, tmp_path: Path) -> None:
    _, dev = cli.party("developer", "ModelCo")
    captures = tmp_path / "captures.jsonl"
    robots = {
        "url": "https://site.example/robots.txt",
        "fetched_at": "2026-03-01T00:00:00Z",
        "body": "User-agent: CCBot\nDisallow: /\n",
    }
    captures.write_text(json.dumps(robots) + "\n", encoding="utf-8")
    assert cli("signals", "import", str(captures), token=dev)["count"] == 1
    assert [c["origin"] for c in cli("signals", "list")] == ["https://site.example"]
    blocked = cli("signals", "check", "--offline", "https://site.example/x", code=3)
    assert "disallow" in blocked.stdout
    out = cli("signals", "check", "--offline", "https://other.example/x")
    assert out["items"][0]["verdict"] == "unknown"
    exported = tmp_path / "out.jsonl"
    assert cli("signals", "export", str(exported))["exported"] == 1
    assert json.loads(exported.read_text("utf-8"))["body"] == robots["body"]


def test_log_export_and_offline_verify(cli: Cli, tmp_path: Path) -> None:
    cli("party", "create", "rights_holder", "Alice")
    head = cli("log", "head")
    assert head["tree_size"] >= 2
    out = cli("log", "export", str(tmp_path / "log"))
    assert out["tree_size"] == head["tree_size"]
    (tmp_path / "head.json").write_text(json.dumps(head), encoding="utf-8")
    ok = cli("log", "verify", str(tmp_path / "log"), "--head", str(tmp_path / "head.json"))
    assert ok["ok"] is True
    entries = tmp_path / "log" / "entries.jsonl"
    entries.write_bytes(entries.read_bytes().replace(b'"kind":"party.created"', b'"kind":"x"'))
    bad = cli("log", "verify", str(tmp_path / "log"), code=1)
    assert "problems" in bad.stdout
    assert cli("log", "audit")["ok"] is True
    assert len(cli("log", "proof", "0")["proof"]) >= 1
