"""The page catalogue: both languages for every string the pages can show."""

from __future__ import annotations

import re
import string
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path

import pytest

from trainclear.domain import (
    DisputeState,
    NoticeState,
    ObjectionState,
    OptOutScope,
    PartyKind,
    Purpose,
    WorkType,
)
from trainclear.web.pages import i18n
from trainclear.web.pages.nav import NAV

WEB = Path(__file__).resolve().parents[3] / "src" / "trainclear" / "web"
_USED = re.compile(r"(?<![\w.])t\(\s*[\"']([a-z_.]+)[\"']")
_FLASH = re.compile(r"[\"'](flash\.[a-z_]+)[\"']")


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(i18n.TEXTS))
def test_both_languages_with_the_same_fields(key: str) -> None:
    en, zh = i18n.TEXTS[key]
    assert en.strip()
    assert zh.strip()
    assert en != zh
    assert _fields(en) == _fields(zh)


def test_every_key_a_template_or_route_uses_exists() -> None:
    used: set[str] = set()
    for path in (WEB / "templates").rglob("*.html"):
        used |= set(_USED.findall(path.read_text(encoding="utf-8")))
    for path in (WEB / "pages").rglob("*.py"):
        used |= set(_FLASH.findall(path.read_text(encoding="utf-8")))
    used |= {item.label for item in NAV}
    assert len(used) > 150
    prefixes = {k for k in used if k.endswith(".")}  # t("state." ~ value): tested below
    assert sorted(k for k in used - prefixes if not i18n.has(k)) == []


@pytest.mark.parametrize(
    ("prefix", "values"),
    [
        ("kind", PartyKind),
        ("state", NoticeState),
        ("purpose", Purpose),
        ("scope", OptOutScope),
        ("type", WorkType),
        ("objection_state", ObjectionState),
        ("dispute_state", DisputeState),
    ],
)
def test_every_value_of_the_vocabulary_has_a_name(prefix: str, values: type[StrEnum]) -> None:
    for value in values:
        assert i18n.has(f"{prefix}.{value}"), f"{prefix}.{value}"


def test_opt_out_sources_have_names() -> None:
    assert i18n.has("source.declaration")
    assert i18n.has("source.objection")


@pytest.mark.parametrize(
    ("given", "lang"),
    [
        ("en", "en"),
        ("EN-us", "en"),
        ("zh-CN", "zh-CN"),
        ("zh", "zh-CN"),
        ("fr", None),
        (None, None),
    ],
)
def test_parse_lang(given: str | None, lang: str | None) -> None:
    assert i18n.parse_lang(given) == lang


def test_remaining_time_in_both_languages() -> None:
    now = datetime(2026, 3, 2, 9, tzinfo=UTC)
    end = now + timedelta(days=12, hours=3, minutes=59)
    assert i18n.remaining("en", end, now) == "12 days 3 hours left"
    assert i18n.remaining("zh-CN", end, now) == "剩余 12 天 3 小时"
    assert i18n.remaining("en", now - timedelta(days=2, hours=1), now) == "ended 2 days ago"
    assert i18n.remaining("zh-CN", now - timedelta(hours=1), now) == "已于一天内结束"
