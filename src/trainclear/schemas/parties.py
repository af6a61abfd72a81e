"""Parties and tokens."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from trainclear.domain import PartyKind


class PartyCreate(BaseModel):
    kind: PartyKind
    name: str = Field(min_length=1, max_length=200)
    email: str | None = Field(default=None, max_length=320)


class PartyPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    kind: PartyKind
    name: str
    created_at: datetime


class TokenIssued(BaseModel):
    """A freshly created token: the secret is shown once and never stored."""

    party_id: int
    token: str
    label: str
