"""Parties: who is registered (public), and who the token belongs to (``/me``).

Creating a party and issuing or revoking its API tokens are operator actions done with
the CLI against the database; the API deliberately has no endpoint for them, so no
token, however privileged, can mint parties or further tokens over the network.
"""

from __future__ import annotations

from fastapi import APIRouter

from trainclear.domain import PartyKind
from trainclear.schemas.parties import PartyPublic
from trainclear.services import parties as svc
from trainclear.web.deps import CurrentActor, PlatformDep

router = APIRouter(prefix="/v1", tags=["parties"])


@router.get("/parties")
def list_parties(p: PlatformDep, kind: PartyKind | None = None) -> list[PartyPublic]:
    """Every party, optionally of one kind; names and kinds are public."""
    return svc.list_parties(p, kind=kind)


@router.get("/parties/{party_id}")
def get_party(p: PlatformDep, party_id: int) -> PartyPublic:
    return svc.get_party(p, party_id=party_id)


@router.get("/me")
def me(p: PlatformDep, actor: CurrentActor) -> PartyPublic:
    """The party the Bearer token belongs to (a quick check that a token works)."""
    return svc.get_party(p, party_id=actor.party_id)
