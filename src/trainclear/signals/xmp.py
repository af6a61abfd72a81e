"""Find XMP packets in a file's bytes and read their RDF properties.

XMP (ISO 16684-1) is how IPTC/PLUS data-mining values, TDMRep's ``tdm:`` properties
in PDF and many other rights statements travel inside files. Two carriers are read:

* JPEG APP1 segments whose payload starts with ``http://ns.adobe.com/xap/1.0/\\0``
  (XMP Specification Part 3, 1.1.3), and *extended XMP* split over APP1 segments
  headed ``http://ns.adobe.com/xmp/extension/\\0``, reassembled per GUID;
* the ``<?xpacket begin=`` … ``<?xpacket end=…?>`` wrapper (Part 1, 7.3), found
  anywhere in PDF, PNG, TIFF, MP4 or other bytes.

Scanning is bounded (packet count and size) so hostile files cannot make it expensive.
Not handled: compressed PDF metadata streams (ISO 32000 recommends they stay
uncompressed so that tools like this one can find them) and UTF-16/32 packets.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import chain
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

MAX_PACKETS = 16
"""At most this many packets are returned from one file."""
MAX_PACKET_BYTES = 4 * 1024 * 1024
"""A packet larger than this is skipped (real packets are kilobytes; padding included)."""

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XML = "http://www.w3.org/XML/1998/namespace"
_XMP_APP1 = b"http://ns.adobe.com/xap/1.0/\x00"
_EXT_APP1 = b"http://ns.adobe.com/xmp/extension/\x00"
_BEGIN = b"<?xpacket begin="
_END = re.compile(rb"<\?xpacket\s+end=[\"'][rw]?[\"']\s*\?>")
_META_END = b"</x:xmpmeta>"
_PADDING = "\ufeff \t\r\n\x00"
_CONTAINERS = {f"{{{RDF}}}Bag", f"{{{RDF}}}Seq", f"{{{RDF}}}Alt"}
_SYNTAX_ATTRS = {f"{{{RDF}}}{n}" for n in ("about", "ID", "nodeID", "parseType", "resource")}


class XmpError(ValueError):
    """An XMP packet that is not well-formed (or is hostile) XML."""


def xmp_packets(data: bytes) -> list[str]:
    """Every distinct XMP packet in ``data``, in file order, decoded as UTF-8.

    JPEG APP1 packets come first (their ``xpacket`` wrapper is optional), then any
    wrapped packet found by scanning the whole file; duplicates are dropped.
    """
    seen: dict[str, None] = {}
    for raw in chain(_jpeg_packets(data), _wrapped_packets(data)):
        if len(seen) >= MAX_PACKETS:
            break
        seen.setdefault(raw.decode("utf-8", errors="replace").strip(_PADDING), None)
    return list(seen)


def xmp_properties(packet: str) -> dict[str, list[str]]:
    """The simple properties of every top-level ``rdf:Description`` in ``packet``.

    Keys are Clark names, ``{namespace-uri}localname`` (e.g.
    ``{http://ns.useplus.org/ldf/xmp/1.0/}DataMining``); values keep document order.
    Both RDF forms are read (RDF/XML syntax 2.5 and 2.12): a property attribute on
    ``rdf:Description`` and a property element, whose value is its text, its
    ``rdf:resource`` URI, an ``rdf:value``, or the items of an ``rdf:Bag``/``Seq``/
    ``Alt``. Struct values (nested properties) are not flattened.

    Raises:
        XmpError: the packet is not well-formed XML, or declares a DTD or entities.
    """
    root = _parse(packet)
    found: dict[str, list[str]] = {}
    for description in _descriptions(root):
        for name, value in description.attrib.items():
            if name not in _SYNTAX_ATTRS and not name.startswith(f"{{{XML}}}"):
                found.setdefault(name, []).append(value.strip())
        for prop in description:
            values = _values(prop)
            if values:
                found.setdefault(prop.tag, []).extend(values)
    return found


def _parse(packet: str) -> Element:
    if len(packet) > MAX_PACKET_BYTES:
        raise XmpError("XMP packet too large")
    try:
        return SafeET.fromstring(packet.strip(), forbid_dtd=True)
    except (ParseError, DefusedXmlException) as exc:
        raise XmpError(f"malformed XMP: {exc}") from exc


def _descriptions(root: Element) -> Iterator[Element]:
    """``rdf:Description`` elements directly under an ``rdf:RDF`` (not qualifier nodes)."""
    rdfs = [root] if root.tag == f"{{{RDF}}}RDF" else root.iter(f"{{{RDF}}}RDF")
    for rdf in rdfs:
        yield from rdf.iterfind(f"{{{RDF}}}Description")


def _values(node: Element) -> list[str]:
    """The literal or URI values of a property element or an ``rdf:li``."""
    resource = node.get(f"{{{RDF}}}resource") or node.get(f"{{{RDF}}}value")
    if resource is not None:
        return [resource.strip()]
    children = list(node)
    if not children:
        text = (node.text or "").strip()
        return [text] if text else []
    out: list[str] = []
    for child in children:
        if child.tag in _CONTAINERS:
            for item in child.iterfind(f"{{{RDF}}}li"):
                out.extend(_values(item))
        elif child.tag == f"{{{RDF}}}value":
            out.extend(_values(child))
        elif child.tag == f"{{{RDF}}}Description":
            value = child.find(f"{{{RDF}}}value")
            out.extend(_values(value) if value is not None else [])
    return out


def jpeg_segments(data: bytes) -> Iterator[tuple[int, bytes]]:
    """(marker, payload) of each JPEG marker segment before the image data (also used
    by :mod:`.c2pa` to find APP11 JUMBF); stops at the first malformed length."""
    if not data.startswith(b"\xff\xd8"):
        return
    pos = 2
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker in (0xD9, 0xDA):  # end of image, start of scan: no more metadata
            return
        if marker == 0xFF or 0xD0 <= marker <= 0xD8 or marker == 0x01:  # fill / no length
            pos += 1 if marker == 0xFF else 2
            continue
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        if length < 2:
            return
        yield marker, data[pos + 4 : pos + 2 + length]
        pos += 2 + length


def _jpeg_packets(data: bytes) -> Iterator[bytes]:
    """Standard APP1 packets, then each reassembled extended packet (Part 3, 1.1.3.1)."""
    extended: dict[bytes, dict[int, bytes]] = {}
    for marker, payload in jpeg_segments(data):
        if marker != 0xE1:
            continue
        if payload.startswith(_XMP_APP1):
            yield payload[len(_XMP_APP1) :]
        elif payload.startswith(_EXT_APP1) and len(payload) >= len(_EXT_APP1) + 40:
            head = len(_EXT_APP1)
            guid = payload[head : head + 32]
            offset = int.from_bytes(payload[head + 36 : head + 40], "big")
            chunks = extended.setdefault(guid, {})
            if len(extended) <= MAX_PACKETS and offset < MAX_PACKET_BYTES:
                chunks[offset] = payload[head + 40 :]
    for chunks in extended.values():
        yield b"".join(chunks[offset] for offset in sorted(chunks))


def _wrapped_packets(data: bytes) -> Iterator[bytes]:
    """``<?xpacket begin=…?>`` … ``<?xpacket end=…?>`` packets anywhere in ``data``.

    At most ``4 * MAX_PACKETS`` begin markers are examined, each within
    ``MAX_PACKET_BYTES``, so the work is bounded whatever the file holds.
    """
    start = data.find(_BEGIN)
    for _ in range(4 * MAX_PACKETS):
        if start == -1:
            return
        limit = start + MAX_PACKET_BYTES
        end = _END.search(data, start, limit)
        if end is not None:
            yield data[start : end.end()]
        else:
            meta_end = data.find(_META_END, start, limit)
            if meta_end != -1:  # unterminated wrapper: keep the complete xmpmeta
                yield data[start : meta_end + len(_META_END)]
        start = data.find(_BEGIN, start + len(_BEGIN))
