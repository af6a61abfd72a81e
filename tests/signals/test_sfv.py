"""RFC 9651 Dictionary parsing: the cases AIPREF relies on, and strictness."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trainclear.signals.sfv import (
    Date,
    DisplayString,
    InnerList,
    Item,
    SFVError,
    Token,
    parse_dictionary,
)


def _value(text: str, key: str = "a") -> object:
    member = parse_dictionary(text)[key]
    assert isinstance(member, Item)
    return member.value


def test_tokens_and_booleans() -> None:
    parsed = parse_dictionary("train-ai=n, search=y, all")
    assert parsed == {
        "train-ai": Item(Token("n")),
        "search": Item(Token("y")),
        "all": Item(True),
    }
    assert isinstance(_value("train-ai=n", "train-ai"), Token)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("a=?0", False),
        ("a=?1", True),
        ("a=42", 42),
        ("a=-7", -7),
        ("a=1.5", 1.5),
        ('a="n"', "n"),
        ('a="say \\"hi\\""', 'say "hi"'),
        ("a=:aGk=:", b"hi"),
        ("a=@1700000000", Date(1700000000)),
        ('a=%"caf%c3%a9"', DisplayString("café")),
        ("a=*tok/en:x", Token("*tok/en:x")),
    ],
)
def test_bare_item_types(text: str, value: object) -> None:
    assert _value(text) == value


def test_string_is_not_a_token() -> None:
    value = _value('a="n"')
    assert value == "n"
    assert not isinstance(value, Token)


def test_parameters_are_parsed_and_kept_apart() -> None:
    member = parse_dictionary('train-ai=y;x=1;flag;s="v"')["train-ai"]
    assert member == Item(Token("y"), (("x", 1), ("flag", True), ("s", "v")))


def test_inner_lists_are_tolerated() -> None:
    member = parse_dictionary("all=(a b;p=1), x=y")["all"]
    assert isinstance(member, InnerList)
    assert [i.value for i in member.items] == ["a", "b"]
    assert parse_dictionary("all=()")["all"] == InnerList(())


def test_last_duplicate_wins_in_its_last_position() -> None:
    parsed = parse_dictionary("a=1, b=2, a=3")
    assert parsed["a"] == Item(3)
    assert list(parsed) == ["b", "a"]


def test_whitespace_rules() -> None:
    assert parse_dictionary("  a=1 ,\tb=2  ") == {"a": Item(1), "b": Item(2)}
    assert parse_dictionary("") == {}


@pytest.mark.parametrize(
    "text",
    [
        "Train-AI=n",  # keys are lower-case
        "train-ai=n,",  # trailing comma
        "a=1 b=2",  # no comma
        'train-ai;has;parameters="?";',  # ';' without a key
        "a=",  # missing value
        'a="unterminated',
        'a="bad \\n escape"',
        "a=1234567890123456",  # 16 integer digits
        "a=1.2345",  # 4 fraction digits
        "a=1.",
        "a=?2",
        "a=(b c",
        "a=@1.5",
        'a=%"%C3%A9"',  # display strings need lower-case hex
        "a=:not base64!:",
        "a=n\u00e9",  # not ASCII
        "1a=y",
    ],
)
def test_invalid_dictionaries_fail_as_a_whole(text: str) -> None:
    with pytest.raises(SFVError):
        parse_dictionary(text)


def test_sfv_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="key"):
        parse_dictionary("A=1")


def test_bytes_input() -> None:
    assert parse_dictionary(b"a=y") == {"a": Item(Token("y"))}
    with pytest.raises(SFVError):
        parse_dictionary(b"a=\xff")


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.text(alphabet=' ,;=()"?:*@%-.0123456789abnyAZ\\\t')))
def test_fuzz_parses_or_raises_sfv_error(text: str) -> None:
    try:
        parsed = parse_dictionary(text)
    except SFVError:
        return
    assert all(isinstance(m, Item | InnerList) for m in parsed.values())


_keys = st.from_regex(r"[a-z*][a-z0-9_.*-]{0,6}", fullmatch=True)
_tokens = st.from_regex(r"[A-Za-z*][A-Za-z0-9:/!#$%&'*+.^_`|~-]{0,6}", fullmatch=True)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(_keys, _tokens, min_size=1, max_size=5))
def test_fuzz_serialised_tokens_round_trip(members: dict[str, str]) -> None:
    text = ", ".join(f"{k}={v}" for k, v in members.items())
    assert {k: _value(text, k) for k in members} == members
