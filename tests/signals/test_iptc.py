"""IPTC / PLUS ``plus:DataMining`` read from XMP, against the PLUS vocabulary and the
IPTC reference image."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trainclear.signals import iptc
from trainclear.signals.model import Verdict

A, D, U = Verdict.ALLOW, Verdict.DISALLOW, Verdict.UNKNOWN
SPEC = Path("data/signals/spec_examples")
VOCAB_NAME = "iptc/plus_datamining_vocabulary.json"
VOCAB_FILE = SPEC / VOCAB_NAME
INTERPRETATION = {
    "unknown": (U, U),
    "not_reserved": (A, A),
    "reserved": (D, D),
    "reserved_for_generative_training": (U, D),
}
"""The vocabulary file's reading of each value, as (AI training, generative) verdicts."""
NS = (
    "xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#' "
    "xmlns:plus='http://ns.useplus.org/ldf/xmp/1.0/'"
)
AT = datetime(2026, 3, 2, tzinfo=UTC)


def packet(*values: str, constraints: str = "") -> str:
    items = "".join(f"<rdf:li>{v}</rdf:li>" for v in values)
    other = f"<plus:OtherConstraints>{constraints}</plus:OtherConstraints>" if constraints else ""
    return (
        f"<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF {NS}><rdf:Description rdf:about=''>"
        f"<plus:DataMining><rdf:Bag>{items}</rdf:Bag></plus:DataMining>{other}"
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
    )


def vocabulary(shared: Path) -> list[dict[str, Any]]:
    values: list[dict[str, Any]] = json.loads((shared / VOCAB_FILE).read_text())["values"]
    return values


def spec_cases(shared: Path) -> list[dict[str, Any]]:
    index = json.loads((shared / SPEC / "index.json").read_text())
    return [f for f in index["files"] if f["scheme"] == "iptc-plus" and f["file"] != VOCAB_NAME]


def test_vocabulary_file_is_fully_covered(shared_dir: Path) -> None:
    codes = {v["code"] for v in vocabulary(shared_dir)}
    assert codes == set(iptc.CODES)
    assert {v["uri"] for v in vocabulary(shared_dir)} == {iptc.VOCAB + c for c in codes}


@pytest.mark.parametrize("form", ["uri", "code", "label"])
def test_every_vocabulary_value_in_every_form(shared_dir: Path, form: str) -> None:
    for value in vocabulary(shared_dir):
        found = iptc.from_xmp(packet(value[form]), source="t")
        assert found is not None
        expected = INTERPRETATION[value["interpretation"]]
        assert (found.ai_training, found.generative_ai_training) == expected, value["code"]
        assert found.detail["codes"] == [value["code"]]


def test_spec_examples_from_the_index(shared_dir: Path) -> None:
    cases = spec_cases(shared_dir)
    assert {c["file"] for c in cases} == {
        "iptc/IPTC-PhotometadataRef-Std2023.2.jpg",
        "iptc/IPTC-PhotometadataRef-Std2023.2.xmp",
    }
    for case in cases:
        path = shared_dir / SPEC / case["file"]
        if path.suffix == ".xmp":
            found = iptc.from_xmp(path.read_text("utf-8"), source=case["file"], fetched_at=AT)
        else:
            found = iptc.from_file(path.read_bytes(), source=case["file"], fetched_at=AT)
        assert case["expected"] == "reserved (generative AI/ML training)"
        assert found is not None
        assert (found.ai_training, found.generative_ai_training) == (U, D)
        assert found.detail["values"] == [case["value"]]
        assert found.fetched_at == AT
        assert found.scheme == "iptc"
        assert found.detail["other_constraints"] == [
            "Data Mining for Generative AI/ML training is definitely prohibited"
        ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://ns.useplus.org/ldf/vocab/DMI-PROHIBITED", (D, D)),
        ("  dmi-allowed ", (A, A)),
        ("PROHIBITED FOR AI/ML TRAINING", (D, D)),
        ("http://ns.useplus.org/ldf/vocab/DMI-PROHIBITED-EXCEPTSEARCHENGINEINDEXING", (D, D)),
        ("http://example.com/DMI-ALLOWED", (D, D)),
        ("DMI-MAYBE", (D, D)),
    ],
    ids=["https", "bare-lowercase", "label-uppercase", "except-indexing", "foreign-uri", "unknown"],
)
def test_value_forms(value: str, expected: tuple[Verdict, Verdict]) -> None:
    found = iptc.from_xmp(packet(value), source="t")
    assert found is not None
    assert (found.ai_training, found.generative_ai_training) == expected


@pytest.mark.parametrize("value", ["DMI-MAYBE", "http://example.com/DMI-ALLOWED"])
def test_unknown_values_fail_closed_with_a_warning(value: str) -> None:
    found = iptc.from_xmp(packet(value), source="t")
    assert found is not None
    assert found.error is None
    assert found.detail["codes"] == [None]
    assert any("not in the PLUS vocabulary" in w for w in found.warnings)


@pytest.mark.parametrize(
    "code",
    [
        "DMI-PROHIBITED-SEECONSTRAINT",
        "DMI-PROHIBITED-SEEEMBEDDEDRIGHTSEXPR",
        "DMI-PROHIBITED-SEELINKEDRIGHTSEXPR",
    ],
)
def test_see_values_disallow_and_say_constraints_are_unread(code: str) -> None:
    found = iptc.from_xmp(packet(code, constraints="AI training allowed on Sundays"), source="t")
    assert found is not None
    assert (found.ai_training, found.generative_ai_training) == (D, D)
    assert found.warnings == (
        f"{code}: the referenced constraints are not interpreted; read as prohibited",
    )
    assert found.detail["other_constraints"] == ["AI training allowed on Sundays"]


def test_several_values_combine_most_restrictively_per_purpose() -> None:
    found = iptc.from_xmp(packet("DMI-ALLOWED", "DMI-PROHIBITED-GENAIMLTRAINING"), source="t")
    assert found is not None
    assert (found.ai_training, found.generative_ai_training) == (A, D)
    assert found.rule == "plus:DataMining = DMI-ALLOWED, DMI-PROHIBITED-GENAIMLTRAINING"


def test_unspecified_is_a_finding_that_decides_nothing() -> None:
    found = iptc.from_xmp(packet("DMI-UNSPECIFIED"), source="t")
    assert found is not None
    assert (found.ai_training, found.generative_ai_training) == (U, U)
    assert not found.reserved


@pytest.mark.parametrize(
    "text",
    [
        packet(),
        packet("   "),
        f"<rdf:RDF {NS}><rdf:Description plus:Other='x'/></rdf:RDF>",
        "<broken",
    ],
    ids=["empty-bag", "blank", "no-property", "malformed-without-mention"],
)
def test_no_statement_is_none(text: str) -> None:
    assert iptc.from_xmp(text, source="t") is None


def test_malformed_packet_that_mentions_data_mining_fails_closed() -> None:
    found = iptc.from_xmp(
        packet("DMI-ALLOWED").replace("</rdf:Bag>", ""), source="t", fetched_at=AT
    )
    assert found is not None
    assert found.error is not None
    assert found.error.startswith("malformed XMP")
    assert (found.ai_training, found.generative_ai_training) == (D, D)
    assert found.fetched_at == AT


def test_file_without_xmp_is_none() -> None:
    assert iptc.from_file(b"\xff\xd8\xff\xd9", source="t") is None


def test_values_from_several_packets_of_one_file_combine() -> None:
    data = (
        b"<?xpacket begin='' id='a'?>" + packet("DMI-ALLOWED").encode() + b"<?xpacket end='w'?>"
        b"<?xpacket begin='' id='b'?>" + packet("DMI-PROHIBITED").encode() + b"<?xpacket end='w'?>"
    )
    found = iptc.from_file(data, source="t")
    assert found is not None
    assert (found.ai_training, found.generative_ai_training) == (D, D)
    assert found.detail["codes"] == ["DMI-ALLOWED", "DMI-PROHIBITED"]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=512))
def test_fuzz_from_xmp_never_raises_and_never_allows_garbage(text: str) -> None:
    found = iptc.from_xmp(text, source="fuzz")
    assert found is None or found.ai_training != Verdict.ALLOW


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_fuzz_values_never_raise(value: str) -> None:
    found = iptc.from_values([value], source="fuzz")
    assert found is None or found.scheme == "iptc"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=1024))
def test_fuzz_from_file_never_raises(data: bytes) -> None:
    wrapped = b"<?xpacket begin='' id='z'?>" + data + b"plus:DataMining<?xpacket end='w'?>"
    for candidate in (data, wrapped):
        found = iptc.from_file(candidate, source="fuzz")
        assert found is None or found.ai_training != Verdict.ALLOW
