"""A small registry scenario for the service tests."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.conftest import MakeParty, PartyHandle
from trainclear.domain import PartyKind
from trainclear.schemas.notices import NoticeCreate, NoticePublic, NoticeWorkIn
from trainclear.schemas.works import HolderShare, WorkCreate
from trainclear.services.notices import create_notice
from trainclear.services.platform import Platform
from trainclear.services.works import register_work


@dataclass
class World:
    alice: PartyHandle
    bob: PartyHandle
    cmo: PartyHandle
    dev: PartyHandle
    admin: PartyHandle
    work_a: int
    work_b: int
    work_shared: int

    def draft(self, platform: Platform, *work_ids: int) -> NoticePublic:
        works = [NoticeWorkIn(work_id=w) for w in work_ids]
        return create_notice(
            platform, actor=self.dev.actor, data=NoticeCreate(model="m-1", works=works)
        )


@pytest.fixture
def world(platform: Platform, make_party: MakeParty) -> World:
    alice = make_party(PartyKind.RIGHTS_HOLDER, "Alice")
    bob = make_party(PartyKind.RIGHTS_HOLDER, "Bob")
    cmo = make_party(PartyKind.CMO, "Writers CMO")
    dev = make_party(PartyKind.DEVELOPER, "ModelCo")
    admin = make_party(PartyKind.ADMINISTRATION, "Copyright Office")
    work_a = register_work(
        platform, actor=alice.actor, data=WorkCreate(title="Alpha", text="alpha text")
    ).id
    work_b = register_work(
        platform, actor=bob.actor, data=WorkCreate(title="Beta", text="beta text", cmo_id=cmo.id)
    ).id
    shared = register_work(
        platform,
        actor=alice.actor,
        data=WorkCreate(
            title="Shared",
            text="shared text",
            holders=[
                HolderShare(holder_id=alice.id, share="2/3"),
                HolderShare(holder_id=bob.id, share="1/3"),
            ],
        ),
    ).id
    return World(alice, bob, cmo, dev, admin, work_a, work_b, shared)
