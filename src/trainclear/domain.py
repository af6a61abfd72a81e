"""The registry's vocabulary: kinds, states and purposes, with their zh-CN names.

Plain string enums so they serialise as themselves in the database, JSON and the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class PartyKind(StrEnum):
    RIGHTS_HOLDER = "rights_holder"
    DEVELOPER = "developer"
    CMO = "cmo"
    ADMINISTRATION = "administration"


PARTY_KIND_ZH = {
    PartyKind.RIGHTS_HOLDER: "权利人",
    PartyKind.DEVELOPER: "开发者",
    PartyKind.CMO: "集体管理组织",
    PartyKind.ADMINISTRATION: "版权行政管理部门",
}


class WorkType(StrEnum):
    TEXT = "text"
    IMAGE = "image"
    AUDIO = "audio"
    VIDEO = "video"
    CODE = "code"


class Stance(StrEnum):
    """A CMO mandate's stance on AI training."""

    DEFAULT_LICENCE = "default_licence"
    OPTED_OUT = "opted_out"


class OptOutScope(StrEnum):
    WORK = "work"
    HOLDER = "holder"
    URL_PREFIX = "url_prefix"
    DOMAIN = "domain"


class Purpose(StrEnum):
    """What a use (or a reservation against it) is about.

    Generative training is a kind of AI training: an opt-out from all AI training
    also covers generative uses; an opt-out from generative training covers only those.
    """

    AI_TRAINING = "ai_training"
    GENERATIVE_AI_TRAINING = "generative_ai_training"


def reservation_applies(reserved: Purpose, use: Purpose) -> bool:
    """Whether a reservation for ``reserved`` excludes a use for ``use``."""
    return reserved == Purpose.AI_TRAINING or use == Purpose.GENERATIVE_AI_TRAINING


class NoticeState(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    EFFECTIVE = "effective"
    WITHDRAWN = "withdrawn"
    SUPERSEDED = "superseded"


class ObjectionState(StrEnum):
    EFFECTIVE = "effective"
    """Excludes the work (inside the window) or stands as an opt-out (after it)."""
    DISPUTED = "disputed"
    """Contested by the developer; the work stays excluded until decided."""
    DISMISSED = "dismissed"
    """Dismissed by the administration; the work is no longer excluded by it."""


class DisputeState(StrEnum):
    PENDING = "pending"
    OBJECTION_UPHELD = "objection_upheld"
    OBJECTION_DISMISSED = "objection_dismissed"


@dataclass(frozen=True, slots=True)
class Actor:
    """An authenticated party acting through a token (API or CLI)."""

    party_id: int
    kind: PartyKind
    name: str
