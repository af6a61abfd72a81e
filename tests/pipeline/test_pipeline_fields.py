"""Field maps: where records keep their fields, what is malformed, which identifiers count."""

from __future__ import annotations

from typing import Any

import pytest

from trainclear.errors import RecordError
from trainclear.pipeline import FieldMap, metadata_identifiers


def test_default_fields_make_a_document() -> None:
    raw = {"id": "a", "text": "t", "url": "https://x.org", "metadata": {"isbn": "0141439513"}}
    doc = FieldMap().to_document(raw, source="s.jsonl", line=3)
    assert (doc.id, doc.text, doc.url, doc.source, doc.line) == (
        "a",
        "t",
        "https://x.org",
        "s.jsonl",
        3,
    )
    assert doc.raw is raw
    assert doc.identifiers == (("isbn", "9780141439518"),)


def test_url_and_metadata_are_optional() -> None:
    doc = FieldMap().to_document({"id": "a", "text": "t", "url": None}, source="s", line=1)
    assert (doc.url, doc.metadata, doc.identifiers) == (None, {}, ())


def test_configured_and_dotted_fields() -> None:
    fields = FieldMap(id="doc_id", text="content", url="meta.source.url", metadata="meta")
    raw = {"doc_id": "a", "content": "t", "meta": {"source": {"url": "https://x.org/p"}}}
    doc = fields.to_document(raw, source="s", line=1)
    assert (doc.id, doc.text, doc.url) == ("a", "t", "https://x.org/p")
    assert doc.metadata == {"source": {"url": "https://x.org/p"}}


def test_a_literal_key_with_a_dot_wins_over_a_path() -> None:
    fields = FieldMap(url="meta.url")
    raw = {"id": "a", "text": "t", "meta.url": "https://flat.org", "meta": {"url": "https://n.org"}}
    assert fields.to_document(raw, source="s", line=1).url == "https://flat.org"


@pytest.mark.parametrize(
    ("raw", "field", "problem"),
    [
        ({"text": "t"}, "id", "missing"),
        ({"id": None, "text": "t"}, "id", "missing"),
        ({"id": 1, "text": "t"}, "id", "must be a string, not a number"),
        ({"id": "a"}, "text", "missing"),
        ({"id": "a", "text": ["t"]}, "text", "must be a string, not an array"),
        ({"id": "a", "text": "t", "url": True}, "url", "must be a string, not a boolean"),
        ({"id": "a", "text": "t", "metadata": "x"}, "metadata", "must be an object, not str"),
    ],
)
def test_malformed_records_name_the_field(raw: dict[str, Any], field: str, problem: str) -> None:
    with pytest.raises(RecordError) as caught:
        FieldMap().to_document(raw, source="shard.jsonl", line=12)
    error = caught.value
    assert (error.file, error.line, error.field, error.problem) == (
        "shard.jsonl",
        12,
        field,
        problem,
    )
    assert str(error).startswith(f"shard.jsonl:12: field '{field}'")


def test_a_dotted_field_is_named_as_configured() -> None:
    with pytest.raises(RecordError) as caught:
        FieldMap(text="body.text").to_document({"id": "a", "body": {}}, source="s", line=1)
    assert caught.value.field == "body.text"


@pytest.mark.parametrize(
    ("metadata", "expected"),
    [
        ({}, ()),
        ({"isbn": "978-0-14-143951-8"}, (("isbn", "9780141439518"),)),
        ({"isbn": ["0-14-143951-3", "bogus", 12]}, (("isbn", "9780141439518"),)),
        ({"isbn": "978-0-00-000000-0"}, ()),
        ({"doi": "https://doi.org/10.5555/ABC"}, (("doi", "10.5555/abc"),)),
        (
            {"isrc": "us-rc1-76-07839", "iswc": "T-034.524.680-1"},
            (
                ("iswc", "T0345246801"),
                ("isrc", "USRC17607839"),
            ),
        ),
        ({"url": "https://x.org", "title": "ignored"}, ()),
        ({"doi": {"nested": "10.5555/abc"}}, ()),
    ],
)
def test_metadata_identifiers_are_canonical_and_invalid_ones_ignored(
    metadata: dict[str, Any], expected: tuple[tuple[str, str], ...]
) -> None:
    assert metadata_identifiers(metadata) == tuple(sorted(expected))
