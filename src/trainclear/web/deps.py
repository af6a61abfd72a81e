"""Dependencies shared by the routes, as ``Annotated`` aliases.

``CurrentActor`` requires a Bearer token and resolves it to the party behind it;
``OptionalActor`` is for public reads that show more to a known party (a developer
sees its own drafts). A token that is present but unknown or revoked is refused with
401 on both, so a client never mistakes a bad token for anonymous access.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from trainclear.domain import Actor
from trainclear.services.parties import authenticate
from trainclear.services.platform import Platform

_bearer = HTTPBearer(
    auto_error=False,
    description="An API token issued to a party by the operator (CLI).",
)
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def get_platform(request: Request) -> Platform:
    """The installation the app was created for (see :func:`trainclear.web.app.create_app`)."""
    platform: Platform = request.app.state.platform
    return platform


PlatformDep = Annotated[Platform, Depends(get_platform)]


def current_actor(p: PlatformDep, credentials: Credentials) -> Actor:
    """The authenticated party; 401 when the token is missing, unknown or revoked."""
    return authenticate(p, credentials.credentials if credentials else None)


def optional_actor(p: PlatformDep, credentials: Credentials) -> Actor | None:
    """The authenticated party, or None for an anonymous request."""
    if credentials is None:
        return None
    return authenticate(p, credentials.credentials)


CurrentActor = Annotated[Actor, Depends(current_actor)]
OptionalActor = Annotated[Actor | None, Depends(optional_actor)]


def party_id_of(actor: Actor | None) -> int | None:
    """The viewer's party id for services that show more to a known party."""
    return actor.party_id if actor else None
