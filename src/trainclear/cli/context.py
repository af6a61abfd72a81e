"""What every command needs: the platform (opened lazily) and the acting party."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import typer

from trainclear.domain import Actor
from trainclear.messages import Lang
from trainclear.services.parties import authenticate
from trainclear.services.platform import Platform


@dataclass
class State:
    """Per-invocation state kept in ``ctx.obj``; tests pass one with their own platform."""

    platform: Platform | None = None
    token: str | None = None
    as_json: bool = False
    lang: Lang = field(default_factory=lambda: default_lang())

    def open(self) -> Platform:
        if self.platform is None:
            self.platform = Platform.from_settings()
        return self.platform

    def actor(self) -> Actor:
        """Authenticate with ``--token`` / ``TRAINCLEAR_TOKEN``; every write needs it."""
        return authenticate(self.open(), self.token or os.environ.get("TRAINCLEAR_TOKEN"))


def state(ctx: typer.Context) -> State:
    """The State of this invocation, created on first use."""
    root = ctx.find_root()
    if not isinstance(root.obj, State):
        root.obj = State()
    return root.obj


def default_lang() -> Lang:
    """zh-CN when TRAINCLEAR_LANG or LANG asks for Chinese, English otherwise."""
    value = os.environ.get("TRAINCLEAR_LANG") or os.environ.get("LANG", "")
    return "zh-CN" if value.lower().startswith("zh") else "en"
