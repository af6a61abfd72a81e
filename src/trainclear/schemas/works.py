"""Works, holders and identifiers."""

from __future__ import annotations

from datetime import datetime
from fractions import Fraction

from pydantic import BaseModel, ConfigDict, Field

from trainclear.domain import Stance, WorkType
from trainclear.fingerprint.identifiers import Scheme


class HolderShare(BaseModel):
    """A co-holder and its share, written as ``1``, ``0.5``, ``1/3`` or ``50%``."""

    holder_id: int
    share: str = "1"


class Identifier(BaseModel):
    scheme: Scheme
    value: str = Field(min_length=1, max_length=1000)


class WorkCreate(BaseModel):
    type: WorkType = WorkType.TEXT
    title: str = Field(min_length=1, max_length=500)
    text: str | None = Field(default=None, description="the work's text, fingerprinted, not stored")
    fingerprint: str | None = Field(default=None, description="a precomputed sha256: fingerprint")
    image: str | None = Field(
        default=None, description="an image work's file, base64 (perceptually hashed, not stored)"
    )
    identifiers: list[Identifier] = Field(default_factory=list)
    holders: list[HolderShare] = Field(default_factory=list)
    cmo_id: int | None = None
    cmo_stance: Stance | None = None
    holder_unidentified: bool = Field(
        default=False,
        description="a CMO registers a repertoire work whose holder nobody has identified "
        "(no holders; its share of a distribution is kept in the reserve)",
    )


class HolderPublic(BaseModel):
    holder_id: int
    share: str


class WorkPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    type: WorkType
    title: str
    fingerprint: str | None
    image_hash: str | None = None
    characters: int | None
    identifiers: list[Identifier]
    holders: list[HolderPublic]
    cmo_id: int | None
    cmo_stance: Stance | None
    registered_by: int
    created_at: datetime


class MandateUpdate(BaseModel):
    cmo_id: int | None
    cmo_stance: Stance | None = None


def share_text(value: Fraction) -> str:
    """Render a share exactly: ``1``, ``1/2``."""
    return str(value)
