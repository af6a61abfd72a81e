"""Judge the reservations a file carries in its own bytes.

A file can state an opt-out without any web server: a C2PA/CAWG training-mining
assertion in its manifest (:mod:`.c2pa`), an IPTC/PLUS ``plus:DataMining`` value in its
XMP (:mod:`.iptc`), TDMRep ``tdm:`` properties in a PDF's XMP or an EPUB's OPF package
document (TDMRep, "PDF files" and "EPUB files"). :func:`judge_file` runs every reader
and returns their findings; :func:`trainclear.signals.model.combine` decides.
"""

from __future__ import annotations

import io
import lzma
import zipfile
import zlib
from collections.abc import Iterator
from datetime import datetime
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from trainclear.signals import c2pa, iptc, tdmrep
from trainclear.signals.model import Finding, error_finding
from trainclear.signals.xmp import xmp_packets

MAX_MEMBER_BYTES = 4 * 1024 * 1024
"""An EPUB's container.xml or OPF larger than this is not read (real ones are kilobytes)."""
_ZIP = b"PK\x03\x04"
_CONTAINER = "META-INF/container.xml"
_OCF = "urn:oasis:names:tc:opendocument:xmlns:container"
_TDM_NS = "http://www.w3.org/ns/tdmrep"
"""Both TDMRep namespaces start so (``/`` in PDF XMP, ``#`` in EPUB)."""


def judge_file(
    data: bytes, *, mime: str | None = None, source: str, fetched_at: datetime | None = None
) -> list[Finding]:
    """Every finding embedded in ``data``: C2PA/CAWG, IPTC, then TDMRep (XMP, EPUB OPF).

    Never raises: unreadable metadata that may hold a statement yields error findings.
    """
    packets = xmp_packets(data)
    found = [
        c2pa.from_file(data, mime=mime, source=source, fetched_at=fetched_at),
        iptc.from_packets(packets, source=source, fetched_at=fetched_at),
    ]
    found.extend(_tdmrep(data, packets, source=source, fetched_at=fetched_at))
    return [f for f in found if f is not None]


def _tdmrep(
    data: bytes, packets: list[str], *, source: str, fetched_at: datetime | None
) -> Iterator[Finding | None]:
    """TDMRep in XMP (PDF, and any file whose XMP uses the ``tdm`` namespace) and in
    an EPUB's package document. Packets without the TDMRep namespace are skipped: they
    cannot hold a ``tdm:`` property, and their being malformed is no TDMRep error."""
    for packet in packets:
        if _TDM_NS in packet:
            yield tdmrep.from_xmp(packet, source=source, fetched_at=fetched_at)
    if not data.startswith(_ZIP):
        return
    try:
        opf = epub_package(data)
    except ValueError as exc:
        yield error_finding(tdmrep.SCHEME, source, f"EPUB unreadable: {exc}", fetched_at=fetched_at)
        return
    if opf is not None:
        yield tdmrep.from_opf(opf, source=f"{source} (OPF)", fetched_at=fetched_at)


def epub_package(data: bytes) -> str | None:
    """The OPF package document of an EPUB (OCF 3.3, 3.5.2.1: ``META-INF/container.xml``
    names it in its first ``rootfile``), or None when ``data`` is a ZIP but no EPUB.

    Raises:
        ValueError: the ZIP, its container.xml or the OPF cannot be read within limits.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if _CONTAINER not in archive.namelist():
                return None
            container = _read_member(archive, _CONTAINER)
            path = _rootfile(container)
            if path is None:
                raise ValueError("container.xml names no rootfile")
            return _read_member(archive, path)
    except (
        zipfile.BadZipFile,
        KeyError,
        OSError,
        EOFError,
        RuntimeError,
        zlib.error,
        lzma.LZMAError,
    ) as exc:
        raise ValueError(str(exc) or type(exc).__name__) from exc


def _read_member(archive: zipfile.ZipFile, name: str) -> str:
    if archive.getinfo(name).file_size > MAX_MEMBER_BYTES:
        raise ValueError(f"{name} larger than {MAX_MEMBER_BYTES} bytes")
    with archive.open(name) as member:
        raw = member.read(MAX_MEMBER_BYTES + 1)
    if len(raw) > MAX_MEMBER_BYTES:
        raise ValueError(f"{name} larger than {MAX_MEMBER_BYTES} bytes")
    return raw.decode("utf-8", errors="replace")


def _rootfile(container: str) -> str | None:
    try:
        root = SafeET.fromstring(container, forbid_dtd=True)
    except (ParseError, DefusedXmlException) as exc:
        raise ValueError(f"container.xml: {exc}") from exc
    for rootfile in root.iter(f"{{{_OCF}}}rootfile"):
        path = rootfile.get("full-path")
        if path:
            return path
    return None
