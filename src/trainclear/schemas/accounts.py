"""Web accounts and sessions (the portals' sign-in; the JSON API keeps its tokens)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from trainclear.domain import Actor, PartyKind


class SignUp(BaseModel):
    """A rights holder or developer signing up on the web (others are made by the operator)."""

    kind: PartyKind
    name: str = Field(min_length=1, max_length=200)
    email: str = Field(max_length=320)
    password: str = Field(max_length=1024)


class AccountCreate(BaseModel):
    """An operator creating a web account, for an existing party or a new one."""

    email: str = Field(max_length=320)
    password: str = Field(max_length=1024)
    party_id: int | None = None
    kind: PartyKind | None = None
    name: str | None = Field(default=None, min_length=1, max_length=200)


class AccountPublic(BaseModel):
    id: int
    party_id: int
    kind: PartyKind
    name: str
    email: str
    created_at: datetime
    last_sign_in_at: datetime | None


class WebSessionInfo(BaseModel):
    """A live session: who it is, and the token its forms must carry."""

    session_id: int
    account_id: int
    email: str
    actor: Actor
    csrf_secret: str
    expires_at: datetime


class SessionIssued(WebSessionInfo):
    """A session just opened: ``token`` goes into the cookie and is never stored."""

    token: str
