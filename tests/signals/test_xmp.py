"""XMP packet discovery (JPEG APP1, extended XMP, xpacket wrappers) and RDF reading."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trainclear.signals.xmp import MAX_PACKETS, XmpError, xmp_packets, xmp_properties

IPTC_DIR = "data/signals/spec_examples/iptc"
PLUS = "{http://ns.useplus.org/ldf/xmp/1.0/}"
DC = "{http://purl.org/dc/elements/1.1/}"
RDF_OPEN = (
    "<x:xmpmeta xmlns:x='adobe:ns:meta/'>"
    "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
)
RDF_CLOSE = "</rdf:RDF></x:xmpmeta>"
NS = "xmlns:plus='http://ns.useplus.org/ldf/xmp/1.0/' xmlns:dc='http://purl.org/dc/elements/1.1/'"


def rdf(body: str) -> str:
    return RDF_OPEN + body + RDF_CLOSE


def wrapped(body: str) -> str:
    return f"<?xpacket begin='\ufeff' id='W5M0MpCehiHzreSzNTczkc9d'?>{rdf(body)}<?xpacket end='w'?>"


def segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + (len(payload) + 2).to_bytes(2, "big") + payload


def jpeg(*segments: bytes) -> bytes:
    return b"\xff\xd8" + b"".join(segments) + b"\xff\xda\x00\x02scan data\xff\xd9"


def test_iptc_reference_jpeg_has_exactly_the_published_packet(shared_dir: Path) -> None:
    data = (shared_dir / IPTC_DIR / "IPTC-PhotometadataRef-Std2023.2.jpg").read_bytes()
    packet = (shared_dir / IPTC_DIR / "IPTC-PhotometadataRef-Std2023.2.xmp").read_text("utf-8")
    assert xmp_packets(data) == [packet.strip("\ufeff \n")]


def test_iptc_reference_packet_properties(shared_dir: Path) -> None:
    packet = (shared_dir / IPTC_DIR / "IPTC-PhotometadataRef-Std2023.2.xmp").read_text("utf-8")
    props = xmp_properties(packet)
    vocab = "http://ns.useplus.org/ldf/vocab/"
    assert props[PLUS + "DataMining"] == [vocab + "DMI-PROHIBITED-GENAIMLTRAINING"]
    assert props[PLUS + "ModelReleaseID"] == [
        "Model Release ID 1 (ref2023.2)",
        "Model Release ID 2 (ref2023.2)",
    ]
    assert "{http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/}CreatorContactInfo" not in props


@pytest.mark.parametrize(
    ("body", "key", "expected"),
    [
        (f"<rdf:Description {NS} plus:DataMining=' DMI-ALLOWED '/>", "DataMining", ["DMI-ALLOWED"]),
        (
            f"<rdf:Description {NS}><plus:DataMining>x</plus:DataMining></rdf:Description>",
            "DataMining",
            ["x"],
        ),
        (
            f"<rdf:Description {NS}><plus:DataMining rdf:resource='http://u/v'/></rdf:Description>",
            "DataMining",
            ["http://u/v"],
        ),
        (
            f"<rdf:Description {NS}><dc:subject><rdf:Bag><rdf:li>a</rdf:li><rdf:li>b</rdf:li>"
            "</rdf:Bag></dc:subject></rdf:Description>",
            "subject",
            ["a", "b"],
        ),
        (
            f"<rdf:Description {NS}><dc:creator><rdf:Seq><rdf:li>c</rdf:li></rdf:Seq>"
            "</dc:creator></rdf:Description>",
            "creator",
            ["c"],
        ),
        (
            f"<rdf:Description {NS}><dc:rights><rdf:Alt><rdf:li xml:lang='x-default'>r</rdf:li>"
            "</rdf:Alt></dc:rights></rdf:Description>",
            "rights",
            ["r"],
        ),
        (
            f"<rdf:Description {NS}><plus:DataMining rdf:parseType='Resource'>"
            "<rdf:value>q</rdf:value></plus:DataMining></rdf:Description>",
            "DataMining",
            ["q"],
        ),
        (
            f"<rdf:Description {NS}><plus:DataMining><rdf:Description><rdf:value>w</rdf:value>"
            "</rdf:Description></plus:DataMining></rdf:Description>",
            "DataMining",
            ["w"],
        ),
        (
            f"<rdf:Description {NS} plus:DataMining='one'/><rdf:Description {NS}>"
            "<plus:DataMining>two</plus:DataMining></rdf:Description>",
            "DataMining",
            ["one", "two"],
        ),
    ],
    ids=["attribute", "element", "resource", "bag", "seq", "alt", "value", "qualified", "merge"],
)
def test_property_forms(body: str, key: str, expected: list[str]) -> None:
    prefix = DC if key in ("subject", "creator", "rights") else PLUS
    assert xmp_properties(rdf(body))[prefix + key] == expected


def test_syntax_attributes_and_empty_values_are_not_properties() -> None:
    body = f"<rdf:Description rdf:about='' xml:lang='en' {NS}><plus:Empty/></rdf:Description>"
    assert xmp_properties(rdf(body)) == {}


def test_bare_rdf_root_is_read() -> None:
    text = (
        "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
        f"<rdf:Description {NS} plus:DataMining='v'/></rdf:RDF>"
    )
    assert xmp_properties(text) == {PLUS + "DataMining": ["v"]}


@pytest.mark.parametrize(
    "text",
    [
        "<x:xmpmeta>",
        "not xml at all",
        '<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>',
        "<!DOCTYPE x SYSTEM 'http://example.com/x.dtd'><x/>",
    ],
)
def test_malformed_or_hostile_xml_raises_xmp_error(text: str) -> None:
    with pytest.raises(XmpError):
        xmp_properties(text)


def test_wrapped_packet_found_anywhere_in_bytes() -> None:
    packet = wrapped(f"<rdf:Description {NS} plus:DataMining='pdf'/>")
    data = b"%PDF-1.7\n1 0 obj <</Type /Metadata>> stream\n" + packet.encode() + b"\nendstream"
    assert xmp_packets(data) == [packet]


def test_unterminated_wrapper_keeps_complete_xmpmeta() -> None:
    body = rdf(f"<rdf:Description {NS} plus:DataMining='v'/>")
    data = b"junk <?xpacket begin='' id='x'?>" + body.encode() + b" trailing junk"
    (packet,) = xmp_packets(data)
    assert packet.endswith("</x:xmpmeta>")
    assert xmp_properties(packet) == {PLUS + "DataMining": ["v"]}


def test_begin_without_end_or_xmpmeta_yields_nothing() -> None:
    assert xmp_packets(b"<?xpacket begin='' id='x'?><x:xmpmeta> cut off") == []


def test_jpeg_app1_packet_without_wrapper() -> None:
    body = rdf(f"<rdf:Description {NS} plus:DataMining='app1'/>")
    data = jpeg(segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + body.encode()))
    assert xmp_packets(data) == [body]


def test_jpeg_packet_after_image_data_is_still_found_by_scanning() -> None:
    packet = wrapped(f"<rdf:Description {NS} plus:DataMining='late'/>")
    assert xmp_packets(jpeg() + packet.encode()) == [packet]


def test_extended_xmp_is_reassembled_in_offset_order() -> None:
    body = rdf(f"<rdf:Description {NS} plus:DataMining='extended'/>").encode()
    guid = b"0123456789ABCDEF0123456789ABCDEF"
    header = b"http://ns.adobe.com/xmp/extension/\x00" + guid + len(body).to_bytes(4, "big")
    half = len(body) // 2
    second = segment(0xE1, header + half.to_bytes(4, "big") + body[half:])
    first = segment(0xE1, header + (0).to_bytes(4, "big") + body[:half])
    assert xmp_packets(jpeg(second, first)) == [body.decode()]


def test_duplicate_packets_are_dropped_and_count_is_bounded() -> None:
    packet = wrapped(f"<rdf:Description {NS} plus:DataMining='same'/>").encode()
    assert len(xmp_packets(packet * 3)) == 1
    many = b"".join(wrapped(f"<rdf:Description {NS} plus:N='{i}'/>").encode() for i in range(40))
    assert len(xmp_packets(many)) == MAX_PACKETS


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2048))
def test_fuzz_xmp_packets_never_raises(data: bytes) -> None:
    for packet in xmp_packets(data):
        assert isinstance(packet, str)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=512), st.binary(max_size=512))
def test_fuzz_packets_around_wrappers_and_segments(head: bytes, tail: bytes) -> None:
    data = b"\xff\xd8\xff\xe1" + head + b"<?xpacket begin=" + tail + b"<?xpacket end='w'?>"
    for packet in xmp_packets(data):
        with contextlib.suppress(XmpError):
            xmp_properties(packet)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=1024))
def test_fuzz_xmp_properties_raises_only_xmp_error(text: str) -> None:
    try:
        props = xmp_properties(RDF_OPEN + text + RDF_CLOSE)
    except XmpError:
        return
    assert all(isinstance(v, list) for v in props.values())
