"""A strict parser for RFC 9651 Structured Field Values, Dictionaries only.

AIPREF serialises preferences as a Dictionary (``train-ai=n, search=y``). This module
implements the parsing algorithms of RFC 9651 §4.2 for that one top-level type: keys,
Items with every bare type (Integer, Decimal, String, Token, Byte Sequence, Boolean,
Date, Display String), Parameters and Inner Lists. The parse is all-or-nothing, as
§4.2 requires: any deviation raises :class:`SFVError`, which callers turn into an
error finding. Values are returned as plain Python objects; :class:`Token` marks a
Token apart from a String.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

_LCALPHA = frozenset("abcdefghijklmnopqrstuvwxyz")
_DIGITS = frozenset("0123456789")
_ALPHA = _LCALPHA | frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_KEY_CHARS = _LCALPHA | _DIGITS | frozenset("_-.*")
_TCHAR = _ALPHA | _DIGITS | frozenset("!#$%&'*+-.^_`|~")
_TOKEN_CHARS = _TCHAR | frozenset(":/")
_BASE64 = _ALPHA | _DIGITS | frozenset("+/=")
_LCHEX = frozenset("0123456789abcdef")


class SFVError(ValueError):
    """The input is not a valid RFC 9651 Dictionary (§4.2: parsing fails as a whole)."""


class Token(str):
    """An RFC 9651 Token (§3.3.4), distinct from a String of the same characters."""

    __slots__ = ()


class DisplayString(str):
    """An RFC 9651 Display String (§3.3.8): Unicode text, decoded."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class Date:
    """An RFC 9651 Date (§3.3.7): seconds since the Unix epoch."""

    seconds: int


BareItem = int | float | str | bytes | bool | Date
Params = tuple[tuple[str, BareItem], ...]


@dataclass(frozen=True, slots=True)
class Item:
    """A bare value with its Parameters (§3.3)."""

    value: BareItem
    params: Params = ()


@dataclass(frozen=True, slots=True)
class InnerList:
    """A parenthesised list of Items with Parameters (§3.1.1)."""

    items: tuple[Item, ...]
    params: Params = ()


Member = Item | InnerList


def parse_dictionary(field: str | bytes) -> dict[str, Member]:
    """Parse a Dictionary field value (§4.2 with §4.2.2); later duplicate keys win.

    Raises:
        SFVError: the value is not a valid Dictionary (non-ASCII input included).
    """
    if isinstance(field, bytes):
        try:
            field = field.decode("ascii")
        except UnicodeDecodeError as exc:
            raise SFVError("not ASCII") from exc
    if not field.isascii():
        raise SFVError("not ASCII")
    return _Parser(field.strip(" ")).dictionary()


class _Parser:
    """Cursor over one field value; each method follows the §4.2 step of its name."""

    __slots__ = ("i", "s")

    def __init__(self, text: str) -> None:
        self.s = text
        self.i = 0

    def peek(self) -> str:
        return self.s[self.i] if self.i < len(self.s) else ""

    def fail(self, what: str) -> SFVError:
        return SFVError(f"{what} at offset {self.i}")

    def skip(self, chars: str) -> None:
        while self.i < len(self.s) and self.s[self.i] in chars:
            self.i += 1

    def dictionary(self) -> dict[str, Member]:
        out: dict[str, Member] = {}
        while self.i < len(self.s):
            key = self.key()
            if self.peek() == "=":
                self.i += 1
                member: Member = self.item_or_inner_list()
            else:
                member = Item(True, self.parameters())
            out.pop(key, None)  # §4.2.2: overwrite; keep the last position too
            out[key] = member
            self.skip(" \t")
            if self.i >= len(self.s):
                return out
            if self.peek() != ",":
                raise self.fail("expected ','")
            self.i += 1
            self.skip(" \t")
            if self.i >= len(self.s):
                raise self.fail("trailing ','")
        return out

    def item_or_inner_list(self) -> Member:
        if self.peek() == "(":
            return self.inner_list()
        return Item(self.bare_item(), self.parameters())

    def inner_list(self) -> InnerList:
        self.i += 1
        items: list[Item] = []
        while self.i < len(self.s):
            self.skip(" ")
            if self.peek() == ")":
                self.i += 1
                return InnerList(tuple(items), self.parameters())
            items.append(Item(self.bare_item(), self.parameters()))
            if self.peek() not in (" ", ")"):
                raise self.fail("bad inner list")
        raise self.fail("unterminated inner list")

    def parameters(self) -> Params:
        params: dict[str, BareItem] = {}
        while self.peek() == ";":
            self.i += 1
            self.skip(" ")
            key = self.key()
            value: BareItem = True
            if self.peek() == "=":
                self.i += 1
                value = self.bare_item()
            params.pop(key, None)
            params[key] = value
        return tuple(params.items())

    def key(self) -> str:
        start = self.i
        if self.peek() not in _LCALPHA and self.peek() != "*":
            raise self.fail("bad key")
        while self.i < len(self.s) and self.s[self.i] in _KEY_CHARS:
            self.i += 1
        return self.s[start : self.i]

    def bare_item(self) -> BareItem:
        c = self.peek()
        if c == "-" or c in _DIGITS:
            return self.number()
        if c == '"':
            return self.string()
        if c in _ALPHA or c == "*":
            return self.token()
        if c == ":":
            return self.byte_sequence()
        if c == "?":
            return self.boolean()
        if c == "@":
            self.i += 1
            value = self.number()
            if not isinstance(value, int):
                raise self.fail("date is not an integer")
            return Date(value)
        if c == "%":
            return self.display_string()
        raise self.fail("bad item")

    def number(self) -> int | float:
        """§4.2.4: at most 15 integer digits, or 12 + '.' + 1–3 fraction digits."""
        start = self.i
        if self.peek() == "-":
            self.i += 1
        digits_start = self.i
        if self.peek() not in _DIGITS:
            raise self.fail("bad number")
        self.skip("0123456789.")
        text = self.s[digits_start : self.i]
        whole, dot, frac = text.partition(".")
        if not dot and len(whole) <= 15:
            return int(self.s[start : self.i])
        if dot and "." not in frac and len(whole) <= 12 and 1 <= len(frac) <= 3:
            return float(self.s[start : self.i])
        raise self.fail("bad number")

    def string(self) -> str:
        self.i += 1
        chars: list[str] = []
        while self.i < len(self.s):
            c = self.s[self.i]
            self.i += 1
            if c == "\\":
                nxt = self.peek()
                if nxt not in ('"', "\\"):
                    raise self.fail("bad escape")
                chars.append(nxt)
                self.i += 1
            elif c == '"':
                return "".join(chars)
            elif not " " <= c <= "~":
                raise self.fail("bad string character")
            else:
                chars.append(c)
        raise self.fail("unterminated string")

    def token(self) -> Token:
        start = self.i
        self.i += 1
        while self.i < len(self.s) and self.s[self.i] in _TOKEN_CHARS:
            self.i += 1
        return Token(self.s[start : self.i])

    def byte_sequence(self) -> bytes:
        end = self.s.find(":", self.i + 1)
        if end < 0:
            raise self.fail("unterminated byte sequence")
        body = self.s[self.i + 1 : end]
        if any(c not in _BASE64 for c in body):
            raise self.fail("bad base64")
        self.i = end + 1
        try:
            return base64.b64decode(body + "=" * (-len(body) % 4))
        except binascii.Error as exc:
            raise self.fail("bad base64") from exc

    def boolean(self) -> bool:
        value = self.s[self.i + 1 : self.i + 2]
        if value not in ("0", "1"):
            raise self.fail("bad boolean")
        self.i += 2
        return value == "1"

    def display_string(self) -> DisplayString:
        if self.s[self.i : self.i + 2] != '%"':
            raise self.fail("bad display string")
        self.i += 2
        out = bytearray()
        while self.i < len(self.s):
            c = self.s[self.i]
            if c == '"':
                self.i += 1
                try:
                    return DisplayString(out.decode("utf-8"))
                except UnicodeDecodeError as exc:
                    raise self.fail("bad UTF-8 in display string") from exc
            if c == "%":
                octet = self.s[self.i + 1 : self.i + 3]
                if len(octet) != 2 or any(h not in _LCHEX for h in octet):
                    raise self.fail("bad percent-encoding")
                out.append(int(octet, 16))
                self.i += 3
            elif " " <= c <= "~":
                out.append(ord(c))
                self.i += 1
            else:
                raise self.fail("bad display string character")
        raise self.fail("unterminated display string")
