"""Matching JSONL lines in place: the matches of a parsed line are those of its text
field, and a line is only parsed when a JSON parser reads it the same way."""

from __future__ import annotations

import json
import random
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trainclear.fingerprint import kernels
from trainclear.fingerprint.jsonltext import line_blocks, match_jsonl
from trainclear.fingerprint.textindex import TextIndex

WORDS = ["the", "quick", "brown", "fox", "jumps", "over", "a", "lazy", "dog"]
WORDS += ["关关雎鸠在河之洲", "國破山河在", "ﬁne", "😀", "café"]


def _text(seed: int, count: int) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) for _ in range(count))


WORK = _text(1, 2000)
INDEX = TextIndex.build([(1, WORK), (2, _text(2, 1000))])
EXCERPT = WORK[3000:6000]


def _agrees(line: bytes, found: list[Any]) -> None:
    """A parsed line is an object with a string ``text`` for both parsers, and its
    matches are those of that text."""
    record = orjson.loads(line)
    assert json.loads(line) == record
    assert isinstance(record, dict)
    assert isinstance(record["text"], str)
    assert found == INDEX.match(record["text"])


@pytest.mark.parametrize(
    ("line", "parsed"),
    [
        (b'{"id":"a","text":"hello","url":"x"}', True),
        (b'{"text":"a\\nb\\u00e9\\ud83d\\ude00\\"\\\\\\/\\b\\f\\r\\t"}', True),
        (b'{"a":[1,{"b":[true,false,null,{}],"c":[]}],"text":"x","d":-0.5}', True),
        (b'{ "text" : "x" , "a" : { "k" : "v" , "k2" : [ ] } }', True),
        (b'{"text":"x"}\r', True),
        (b'{"text":"x","text":"y"}', True),  # the last one counts
        (b'{"text":"\\ud800"}', False),  # lone surrogates: orjson refuses them
        (b'{"text":"\\udc00x"}', False),
        (b'{"text":1}', False),
        (b'{"a":1e5,"text":"x"}', False),  # exponents: parsers differ on overflow
        (b'{"a":123456789012345678901,"text":"x"}', False),
        (b'{"a":01,"text":"x"}', False),
        (b"  ", False),
        (b'{"text":"x",}', False),
        (b'{"text":"x"} ', False),
        (b'\xef\xbb\xbf{"text":"x"}', False),
        (b'{"te\\u0078t":"x"}', False),  # escaped keys are left to the parser
        (b'{"text":"\xff"}', False),
        (b'{"text":"\xed\xa0\x80"}', False),  # an encoded surrogate
        (b'{"text":"\xc0\xaf"}', False),  # overlong
        (b'{"text":"\xe4\xb8"}', False),  # truncated
        (b'{"text":"\xf4\x90\x80\x80"}', False),  # above U+10FFFF
        (b'{"text":"a\tb"}', False),  # a raw control character
        (b'{"text":"\\x"}', False),
        (b'{"text":"x","a":{"b":1,}}', False),
        (b'{"text":"x","a":[1 2]}', False),
        (b'{"text":"x","a":tru}', False),
        (b'{"text":"x"', False),
        (b"[1]", False),
        (b'{"a":"b"}', False),
        (b"{}", False),
        (b'{"a":' + b"[" * 70 + b"]" * 70 + b',"text":"x"}', False),  # deeper than 64
    ],
)
def test_lines_are_parsed_only_when_a_parser_agrees(line: bytes, parsed: bool) -> None:
    found = match_jsonl(INDEX, line + b"\n" + line)
    assert list(found.parsed) == [parsed, parsed]
    assert found.line(0) == line + b"\n"
    assert found.line(1) == line
    if parsed:
        _agrees(line, found.matches(0))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**15), 10**15) | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=6,
)
PIECES = st.sampled_from(WORDS) | st.text(max_size=15) | st.just(EXCERPT)
TEXTS = st.lists(PIECES, max_size=12).map(" ".join)


def _dump(record: dict[str, Any], style: int) -> bytes:
    if style == 0:
        return orjson.dumps(record)
    return json.dumps(record, ensure_ascii=style == 1).encode("utf-8", "surrogatepass")


@given(
    records=st.lists(
        st.tuples(JSON_VALUES, TEXTS, st.dictionaries(st.text("abcdef_", max_size=5), JSON_VALUES)),
        max_size=5,
    ),
    style=st.integers(0, 2),
)
@settings(max_examples=200)
def test_written_records_match_as_their_text(
    records: list[tuple[Any, str, dict[str, Any]]], style: int
) -> None:
    """Records as orjson and json (ASCII-only escapes, or UTF-8) write them: every one
    is parsed in place, unless its text holds a lone surrogate (orjson refuses those).
    Nested values are anything; top-level names are plain (an escaped one is left to
    the parser)."""
    lines = []
    for record_id, text, extra in records:
        record = {k: v for k, v in extra.items() if k not in {"id", "text"}}
        record.update(id=record_id, text=text)
        lines.append(_dump(record, style) if style or _encodable(record) else b"{}")
    names = ("id", "a", "b_c")
    found = match_jsonl(INDEX, b"\n".join(lines), members=names)
    assert len(found) == len(lines)
    for i, (line, (record_id, text, extra)) in enumerate(zip(lines, records, strict=True)):
        assert found.parsed[i] == (line != b"{}" and _encodable(text)), line
        if found.parsed[i]:
            assert found.matches(i) == INDEX.match(text)
            assert found.lengths[i] == len(text)
            assert orjson.loads(found.member(i) or b"null") == record_id
            for j, name in enumerate(names[1:], 1):  # located where present, not decoded
                member = found.member(i, j)
                assert (member is not None) == (name in extra)
                assert member is None or orjson.loads(member) == extra[name]


def test_members_are_top_level_and_the_last_of_a_name() -> None:
    line = b'{"m": {"id": 1, "url": 2}, "text": "x", "id": "a", "url": 3, "id": "b"}'
    found = match_jsonl(INDEX, line, members=("id", "url", "absent"))
    assert found.parsed[0]
    assert [found.member(0, j) for j in range(3)] == [b'"b"', b"3", None]


def test_empty_member_names_are_refused() -> None:
    with pytest.raises(ValueError, match="must not be empty"):
        match_jsonl(INDEX, b"{}", members=("id", ""))


def _encodable(value: Any) -> bool:
    try:
        orjson.dumps(value)
    except orjson.JSONEncodeError:
        return False
    return True


@given(
    edits=st.lists(st.tuples(st.integers(0, 10**6), st.binary(max_size=3), st.integers(0, 2))),
    seed=st.integers(0, 3),
)
@settings(max_examples=300)
def test_damaged_lines_are_never_parsed_differently(
    edits: list[tuple[int, bytes, int]], seed: int
) -> None:
    record = {"id": seed, "text": _text(seed, 30) + EXCERPT[:400], "n": [1, -2.5, None]}
    line = bytearray(json.dumps(record, ensure_ascii=seed % 2 == 0).encode())
    for at, data, cut in edits:
        at %= len(line) + 1
        line[at : at + cut] = data
    found = match_jsonl(INDEX, bytes(line).replace(b"\n", b" "))
    if found.parsed[0]:
        _agrees(found.line(0), found.matches(0))


def test_blank_lines_are_lines_left_to_the_parser() -> None:
    assert len(match_jsonl(INDEX, b"")) == 0
    found = match_jsonl(INDEX, b'\n{"text":"x"}\n\n')
    assert [found.line(i) for i in range(len(found))] == [b"\n", b'{"text":"x"}\n', b"\n"]
    assert list(found.parsed) == [False, True, False]


@pytest.mark.parametrize("ascii_only", [False, True])
def test_long_texts_across_decoding_chunks(ascii_only: bool) -> None:
    """A text is decoded a chunk at a time; escapes and windows across the seams read
    as in one piece."""
    text = "\n".join([WORK] * 8)
    assert len(text) > 4 * kernels.CHUNK
    line = json.dumps({"id": 1, "text": text}, ensure_ascii=ascii_only).encode()
    found = match_jsonl(INDEX, line)
    assert found.parsed[0]
    assert found.matches(0) == INDEX.match(text)


def test_the_excerpt_is_found_in_place() -> None:
    """A guard on the properties above: the records they write do match."""
    found = match_jsonl(INDEX, orjson.dumps({"id": 7, "text": "intro " + EXCERPT}) + b"\n")
    assert {m.work_id for m in found.matches(0)} == {1}


@pytest.mark.parametrize("size", [1, 7, 64, 1 << 20])
def test_blocks_are_whole_lines(size: int) -> None:
    lines = [b'{"text":"%d"}\n' % i for i in range(50)] + [b'{"text":"' + b"x" * 200 + b'"}']
    blocks = list(line_blocks(b"".join(lines), size))
    assert b"".join(blocks) == b"".join(lines)
    assert all(block[-1:] == b"\n" for block in blocks[:-1])
    found = [match_jsonl(INDEX, block) for block in blocks]
    assert [f.line(i) for f in found for i in range(len(f))] == lines
