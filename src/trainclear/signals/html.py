"""Meta tags from the head of an HTML page: a fast, tolerant scanner.

TDMRep (``<meta name="tdm-reservation">``) and meta robots (``noai``) read the
``<meta name=... content=...>`` and ``<meta property=... content=...>`` pairs of a page's
head. The scanner finds them the way a browser's tokenizer would, without building a
tree: comments and the raw-text elements (script, style, title, textarea, template) are
skipped, so a ``<meta>`` quoted inside them is not read; scanning stops at ``</head>`` or
``<body>`` (metadata after the head is not the document's, HTML Living Standard §4.2.5);
and only the first :data:`MAX_SCAN_CHARS` characters are read, so a hostile page costs
bounded time. Attribute values are entity-decoded. Nothing here raises on bad markup.
"""

from __future__ import annotations

import re
from html import unescape

MAX_SCAN_CHARS = 512 * 1024
"""Characters of a page read at most: a head longer than this is not a head."""

_RAW_TEXT = frozenset({"script", "style", "title", "textarea", "template", "xmp", "noembed"})
_TAG_NAME = re.compile(r"[A-Za-z][^\s/>]*")
_ATTRIBUTE = re.compile(
    r"""[\s/]*([^\s/>=][^\s/>=]*)(?:\s*=\s*(?:"([^"]*)"?|'([^']*)'?|([^\s>]*)))?"""
)
_TAG_END = re.compile(r"[\s/]*>")
_CLOSERS = {tag: re.compile(rf"</{tag}[\s/>]", re.IGNORECASE) for tag in _RAW_TEXT}


def meta_tags(html: str | bytes) -> list[tuple[str, str]]:
    """Every ``(name, content)`` of the head's ``<meta>`` elements, in document order.

    ``name`` is the ``name`` attribute, lower-cased and stripped; a ``property`` attribute
    (Open Graph, RDFa) yields a pair of its own. A meta without ``content`` is skipped.
    Bytes are read as UTF-8, undecodable bytes replaced.
    """
    text = html.decode("utf-8", "replace") if isinstance(html, bytes) else html
    text = text[:MAX_SCAN_CHARS]
    found: list[tuple[str, str]] = []
    pos = text.find("<")
    while pos != -1:
        pos = _step(text, pos, found)
        if pos == -1:
            break
        pos = text.find("<", pos)
    return found


def attributes(text: str, start: int = 0) -> tuple[dict[str, str], int]:
    """The attributes of a start tag whose name ends at ``start``, and where the tag ends.

    The first occurrence of a repeated attribute wins (as in HTML); names are lower-cased;
    values are entity-decoded; an unterminated quote runs to the end of the text.
    """
    attrs: dict[str, str] = {}
    pos = start
    while pos < len(text):
        end = _TAG_END.match(text, pos)
        if end is not None:
            return attrs, end.end()
        match = _ATTRIBUTE.match(text, pos)
        if match is None or match.end() == pos:
            pos += 1
            continue
        name = match.group(1).lower()
        raw = next((g for g in match.group(2, 3, 4) if g is not None), "")
        attrs.setdefault(name, unescape(raw))
        pos = match.end()
    return attrs, len(text)


def _step(text: str, pos: int, found: list[tuple[str, str]]) -> int:
    """Read the markup at ``text[pos] == "<"``; the position to go on from, -1 to stop."""
    if text.startswith("<!--", pos):
        return _after(text, "-->", pos + 4)
    if text.startswith(("<!", "<?"), pos):
        return _after(text, ">", pos + 2)
    if text.startswith("</", pos):
        name = _TAG_NAME.match(text, pos + 2)
        if name is not None and name.group().lower() == "head":
            return -1
        return _after(text, ">", pos + 2)
    name = _TAG_NAME.match(text, pos + 1)
    if name is None:
        return pos + 1
    tag = name.group().lower()
    if tag == "body":
        return -1
    attrs, end = attributes(text, name.end())
    if tag == "meta":
        _collect(attrs, found)
    elif tag in _RAW_TEXT:
        return _close(text, tag, end)
    return end


def _collect(attrs: dict[str, str], found: list[tuple[str, str]]) -> None:
    content = attrs.get("content")
    if content is None:
        return
    content = content.strip()
    name = attrs.get("name", "").strip().lower()
    prop = attrs.get("property", "").strip().lower()
    if name:
        found.append((name, content))
    if prop and prop != name:
        found.append((prop, content))


def _after(text: str, marker: str, pos: int) -> int:
    """Just past the next ``marker`` at or after ``pos``; -1 when there is none."""
    at = text.find(marker, pos)
    return -1 if at == -1 else at + len(marker)


def _close(text: str, tag: str, pos: int) -> int:
    """Just past the end tag of raw-text element ``tag``; -1 when it is never closed."""
    match = _CLOSERS[tag].search(text, pos)
    return -1 if match is None else _after(text, ">", match.start())
