"""Captures files: parsing, validation errors that name file, line and field, pickling."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime
from pathlib import Path

import pytest

from trainclear.errors import RecordError
from trainclear.signals.capture import Capture, PolicyKind, origin_of
from trainclear.signals.sources import FileSource, capture_from_dict, read_captures

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def test_origin_is_scheme_host_and_non_default_port() -> None:
    assert origin_of("HTTPS://Example.COM:443/a?b") == "https://example.com"
    assert origin_of("http://example.com:8080/") == "http://example.com:8080"
    with pytest.raises(ValueError, match="not an absolute"):
        origin_of("ftp://example.com/robots.txt")


def test_capture_round_trips_through_its_dict() -> None:
    text = Capture("https://a.example/robots.txt", PolicyKind.ROBOTS, T0, 200, b"User-agent: *\n")
    binary = Capture("https://a.example/ai.txt", PolicyKind.AI_TXT, T0, 200, b"\xff\xfe")
    for capture in (text, binary):
        assert capture_from_dict(capture.to_dict(), file="f", line=1) == capture
    assert "body_base64" in binary.to_dict()


def test_kind_is_inferred_from_a_well_known_path() -> None:
    data = {"url": "https://a.example/.well-known/tdmrep.json", "fetched_at": T0.isoformat()}
    assert capture_from_dict(data, file="f", line=1).kind == PolicyKind.TDMREP


@pytest.mark.parametrize(
    ("line", "field", "problem"),
    [
        ('{"url": 3}', "url", "must be a string"),
        ('{"url": "mailto:x@y"}', "url", "absolute http(s) URL"),
        ('{"url": "https://a.example/x", "fetched_at": "2026-03-01T00:00:00Z"}', "kind", "one of"),
        ('{"url": "https://a.example/robots.txt", "fetched_at": "yesterday"}', "fetched_at", "ISO"),
        (
            '{"url": "https://a.example/robots.txt", "fetched_at": "2026-03-01T00:00:00"}',
            "fetched_at",
            "time zone",
        ),
        (
            '{"url": "https://a.example/robots.txt", "fetched_at": "2026-03-01T00:00:00Z", '
            '"status": 42}',
            "status",
            "HTTP status",
        ),
        (
            '{"url": "https://a.example/robots.txt", "fetched_at": "2026-03-01T00:00:00Z", '
            '"body_base64": "***"}',
            "body_base64",
            "base64",
        ),
        ("[1, 2]", "(record)", "JSON object"),
        ("{not json", "(record)", "not valid JSON"),
    ],
)
def test_a_bad_line_names_file_line_and_field(
    tmp_path: Path, line: str, field: str, problem: str
) -> None:
    good = Capture("https://a.example/robots.txt", PolicyKind.ROBOTS, T0, 200, b"")
    path = tmp_path / "captures.jsonl"
    path.write_text(f"{_json(good)}\n\n{line}\n", encoding="utf-8")
    with pytest.raises(RecordError) as caught:
        list(read_captures(path))
    error = caught.value
    assert (error.file, error.line, error.field) == (str(path), 3, field)
    assert problem in error.problem


def test_file_source_groups_by_origin_and_pickles_without_its_cache(tmp_path: Path) -> None:
    a = Capture("https://a.example/robots.txt", PolicyKind.ROBOTS, T0, 200, b"x")
    b = Capture("https://b.example/ai.txt", PolicyKind.AI_TXT, T0, 404)
    path = tmp_path / "c.jsonl"
    path.write_text(f"{_json(a)}\n{_json(b)}\n", encoding="utf-8")
    source = FileSource(path)
    assert [s.capture for s in source.captures("https://a.example")] == [a]
    clone = pickle.loads(pickle.dumps(source))
    assert clone._by_origin is None
    assert [s.capture for s in clone.captures("https://b.example")] == [b]
    assert clone.captures("https://c.example") == ()


def _json(capture: Capture) -> str:
    import json

    return json.dumps(capture.to_dict())
