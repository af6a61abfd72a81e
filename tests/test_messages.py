"""Every user-facing message exists in zh-CN and en with the same fields."""

from __future__ import annotations

import string

import pytest

from trainclear.errors import Forbidden, RecordError
from trainclear.messages import MESSAGES, render


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_both_languages_use_the_same_fields(key: str) -> None:
    en, zh = MESSAGES[key]
    assert en
    assert zh
    assert en != zh
    assert _fields(en) == _fields(zh)


def test_error_shape_carries_both_languages() -> None:
    body = Forbidden("work.not_holder", party_id=3, work_id=9).to_dict("zh-CN")["error"]
    assert body["status"] == 403
    assert body["code"] == "forbidden"
    assert body["message"] == body["messages"]["zh-CN"]
    assert "9" in body["messages"]["en"]
    assert "9" in body["messages"]["zh-CN"]


def test_record_error_names_file_line_and_field() -> None:
    err = RecordError(file="a.jsonl", line=7, field="text", problem="missing")
    assert str(err) == "a.jsonl:7: field 'text': missing"
    assert "第 7 行" in err.message("zh-CN")


def test_unknown_key_renders_as_itself() -> None:
    assert render("no.such.key", "en") == "no.such.key"


def test_not_found_names_the_kind_in_chinese() -> None:
    assert render("not_found", "zh-CN", kind="notice", id=4) == "未找到公告 4"
    assert render("not_found", "en", kind="notice", id=4) == "notice 4 not found"
