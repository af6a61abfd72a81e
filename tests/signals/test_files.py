"""``judge_file``: every reservation embedded in a file (C2PA/CAWG, IPTC, TDMRep)."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trainclear.domain import Purpose
from trainclear.signals.files import MAX_MEMBER_BYTES, epub_package, judge_file
from trainclear.signals.model import Verdict, combine

A, D, U = Verdict.ALLOW, Verdict.DISALLOW, Verdict.UNKNOWN
SIGNALS = Path("data/signals")
AT = datetime(2026, 3, 2, tzinfo=UTC)
CONTAINER = (
    '<?xml version="1.0"?><container version="1.0" '
    'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
    '<rootfile full-path="{path}" media-type="application/oebps-package+xml"/>'
    "</rootfiles></container>"
)
EXPECTED = {
    "c2pa_and_cawg_training_mining_allowed.jpg": [("c2pa", U, A)],
    "cawg_training_mining_not_allowed.jpg": [("cawg", U, D)],
    "manifest_without_training_mining.jpg": [("c2pa", U, U)],
    "two_manifests_active_training_mining_allowed.jpg": [("c2pa", U, A)],
    "../spec_examples/iptc/IPTC-PhotometadataRef-Std2023.2.jpg": [("iptc", U, D)],
}


def epub(
    opf: str | bytes, *, path: str = "OEBPS/content.opf", container: str | None = None
) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/epub+zip", zipfile.ZIP_STORED)
        archive.writestr("META-INF/container.xml", container or CONTAINER.format(path=path))
        archive.writestr(path, opf)
    return buffer.getvalue()


def xpacket(body: str) -> bytes:
    return f"<?xpacket begin='' id='W5M0MpCehiHzreSzNTczkc9d'?>{body}<?xpacket end='w'?>".encode()


def test_every_c2pa_fixture_is_covered(shared_dir: Path) -> None:
    listed = {
        f["file"]
        for f in json.loads((shared_dir / SIGNALS / "c2pa/index.json").read_text())["files"]
    }
    assert listed <= set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_images(shared_dir: Path, name: str) -> None:
    data = (shared_dir / SIGNALS / "c2pa" / name).read_bytes()
    found = judge_file(data, mime="image/jpeg", source=name, fetched_at=AT)
    assert [(f.scheme, f.ai_training, f.generative_ai_training) for f in found] == EXPECTED[name]
    assert all(f.source == name and f.fetched_at == AT for f in found)


def test_judgement_over_a_reserved_image(shared_dir: Path) -> None:
    data = (shared_dir / SIGNALS / "c2pa/cawg_training_mining_not_allowed.jpg").read_bytes()
    judgement = combine(judge_file(data, source="t"))
    assert judgement.verdict(Purpose.GENERATIVE_AI_TRAINING) == D
    assert judgement.verdict(Purpose.AI_TRAINING) == U


def test_pdf_xmp_tdmrep_example(shared_dir: Path) -> None:
    snippet = (
        shared_dir / SIGNALS / "spec_examples/tdmrep/pdf_xmp_reserved_with_policy.xml"
    ).read_text()
    data = b"%PDF-1.7\n4 0 obj <</Type /Metadata>> stream\n" + xpacket(snippet) + b"\nendstream"
    (found,) = judge_file(data, mime="application/pdf", source="doc.pdf")
    assert found.scheme == "tdmrep"
    assert (found.ai_training, found.generative_ai_training) == (D, D)
    assert found.detail["tdm_policy"] == "https://publisher.com/policies/policy.json"


def test_pdf_with_iptc_and_tdmrep_in_one_packet() -> None:
    body = (
        "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF "
        "xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
        "<rdf:Description rdf:about='' xmlns:tdm='http://www.w3.org/ns/tdmrep/' "
        "xmlns:plus='http://ns.useplus.org/ldf/xmp/1.0/' tdm:reservation='0' "
        "plus:DataMining='DMI-PROHIBITED-GENAIMLTRAINING'/></rdf:RDF></x:xmpmeta>"
    )
    found = judge_file(b"%PDF-1.7\n" + xpacket(body), source="doc.pdf")
    assert [(f.scheme, f.ai_training, f.generative_ai_training) for f in found] == [
        ("iptc", U, D),
        ("tdmrep", A, A),
    ]


def test_malformed_xmp_without_any_statement_is_no_finding() -> None:
    assert judge_file(b"%PDF-1.7\n" + xpacket("<x:xmpmeta><broken"), source="t") == []


@pytest.mark.parametrize(
    "example", ["epub3_opf_reserved_with_policy.xml", "epub2_opf_reserved_with_policy.xml"]
)
def test_epub_package_tdmrep(shared_dir: Path, example: str) -> None:
    opf = (shared_dir / SIGNALS / "spec_examples/tdmrep" / example).read_text()
    (found,) = judge_file(epub(opf), mime="application/epub+zip", source="book.epub", fetched_at=AT)
    assert found.scheme == "tdmrep"
    assert found.source == "book.epub (OPF)"
    assert (found.ai_training, found.generative_ai_training) == (D, D)
    assert found.fetched_at == AT


def test_epub_package_is_found_through_container() -> None:
    assert epub_package(epub("<package/>", path="x/y.opf")) == "<package/>"


def test_zip_that_is_no_epub_has_no_package() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    assert epub_package(buffer.getvalue()) is None
    assert judge_file(buffer.getvalue(), source="t") == []


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"PK\x03\x04 truncated", "File is not a zip file"),
        (epub("<package/>", container="<container"), "container.xml:"),
        (epub("<package/>", container="<container/>"), "names no rootfile"),
        (epub("<package/>", container=CONTAINER.format(path="missing.opf")), "missing.opf"),
        (epub(b" " * (MAX_MEMBER_BYTES + 1)), "larger than"),
    ],
    ids=["bad-zip", "bad-container", "no-rootfile", "missing-opf", "oversize-opf"],
)
def test_unreadable_epub_fails_closed(data: bytes, why: str) -> None:
    (found,) = judge_file(data, source="book.epub")
    assert found.scheme == "tdmrep"
    assert found.error is not None
    assert why in found.error
    assert found.reserved


@pytest.mark.parametrize("data", [b"", b"plain text", b"\xff\xd8\xff\xd9", b"\x89PNG\r\n\x1a\n"])
def test_files_without_metadata_have_no_findings(data: bytes) -> None:
    assert judge_file(data, source="t") == []


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from([b"", b"PK\x03\x04", b"\xff\xd8", b"%PDF-1.7\n<?xpacket begin="]),
    st.binary(max_size=2048),
)
def test_fuzz_judge_file_never_raises(prefix: bytes, data: bytes) -> None:
    for found in judge_file(prefix + data, source="fuzz"):
        assert found.scheme in ("c2pa", "cawg", "iptc", "tdmrep")
        assert found.error is None or found.reserved
