"""Works (co-holders, identifiers, fingerprints, mandates) and opt-outs."""

from __future__ import annotations

import base64
from datetime import timedelta
from pathlib import Path

import pytest

from tests.conftest import MakeParty
from tests.services.conftest import World
from trainclear.clock import FixedClock
from trainclear.domain import OptOutScope, PartyKind, Purpose, Stance, WorkType
from trainclear.errors import Conflict, Forbidden, ValidationFailed
from trainclear.fingerprint.text import text_fingerprint
from trainclear.schemas.optouts import OptOutCreate
from trainclear.schemas.works import HolderShare, Identifier, MandateUpdate, WorkCreate
from trainclear.services.optouts import declare_opt_out, list_opt_outs, withdraw_opt_out
from trainclear.services.platform import Platform
from trainclear.services.works import list_works, parse_share, register_work, set_mandate


@pytest.mark.parametrize(
    ("shares", "ok"),
    [
        (["1/2", "1/2"], True),
        (["1/3", "2/3"], True),
        (["0.5", "50%"], True),
        (["1/3", "1/3"], False),
        (["0.5", "0.6"], False),
    ],
)
def test_shares_must_sum_to_exactly_one(
    platform: Platform, world: World, shares: list[str], ok: bool
) -> None:
    holders = [
        HolderShare(holder_id=world.alice.id, share=shares[0]),
        HolderShare(holder_id=world.bob.id, share=shares[1]),
    ]
    data = WorkCreate(title="Co-owned", text="co owned text", holders=holders)
    if ok:
        work = register_work(platform, actor=world.alice.actor, data=data)
        assert sorted(h.holder_id for h in work.holders) == [world.alice.id, world.bob.id]
    else:
        with pytest.raises(ValidationFailed) as err:
            register_work(platform, actor=world.alice.actor, data=data)
        assert err.value.key == "work.shares_sum"


@pytest.mark.parametrize("bad", ["0", "-1/2", "3/2", "abc", "1/0"])
def test_invalid_shares_are_refused(bad: str) -> None:
    with pytest.raises(ValidationFailed):
        parse_share(bad)


def test_holder_registers_only_own_works(platform: Platform, world: World) -> None:
    data = WorkCreate(title="Not mine", text="x", holders=[HolderShare(holder_id=world.bob.id)])
    with pytest.raises(Forbidden):
        register_work(platform, actor=world.alice.actor, data=data)
    with pytest.raises(Forbidden):
        register_work(platform, actor=world.dev.actor, data=WorkCreate(title="t", text="x"))


def test_fingerprint_ignores_layout(platform: Platform, world: World) -> None:
    work = register_work(
        platform, actor=world.alice.actor, data=WorkCreate(title="T", text="Hello,  World!\n")
    )
    assert (
        work.fingerprint == text_fingerprint("hello world") == text_fingerprint("ＨＥＬＬＯ world")
    )


def test_identifiers_are_canonical_and_unique(platform: Platform, world: World) -> None:
    ids = [
        Identifier(scheme="isbn", value="0-306-40615-2"),
        Identifier(scheme="url", value="HTTPS://Example.com/Book/"),
    ]
    work = register_work(
        platform, actor=world.alice.actor, data=WorkCreate(title="Book", identifiers=ids)
    )
    assert [(i.scheme, i.value) for i in work.identifiers] == [
        ("isbn", "9780306406157"),
        ("url", "https://example.com/Book"),
    ]
    again = WorkCreate(title="Dup", identifiers=[Identifier(scheme="isbn", value="9780306406157")])
    with pytest.raises(Conflict):
        register_work(platform, actor=world.bob.actor, data=again)
    bad = WorkCreate(title="Bad", identifiers=[Identifier(scheme="isbn", value="9780306406158")])
    with pytest.raises(ValidationFailed):
        register_work(platform, actor=world.bob.actor, data=bad)


def test_cmo_registers_under_its_mandate(
    platform: Platform, world: World, make_party: MakeParty
) -> None:
    other = make_party(PartyKind.CMO, "Other CMO")
    data = WorkCreate(title="Song", text="la la", holders=[HolderShare(holder_id=world.bob.id)])
    work = register_work(platform, actor=world.cmo.actor, data=data)
    assert (work.cmo_id, work.cmo_stance) == (world.cmo.id, Stance.DEFAULT_LICENCE)
    with pytest.raises(Forbidden):
        register_work(
            platform, actor=world.cmo.actor, data=data.model_copy(update={"cmo_id": other.id})
        )
    assert [w.id for w in list_works(platform, cmo_id=world.cmo.id)] == [world.work_b, work.id]


def test_mandate_changes(platform: Platform, world: World) -> None:
    update = MandateUpdate(cmo_id=world.cmo.id, cmo_stance=Stance.OPTED_OUT)
    work = set_mandate(platform, actor=world.bob.actor, work_id=world.work_b, data=update)
    assert work.cmo_stance == Stance.OPTED_OUT
    with pytest.raises(Forbidden):
        set_mandate(platform, actor=world.alice.actor, work_id=world.work_b, data=update)


def test_work_opt_out_by_holder_or_mandated_cmo(platform: Platform, world: World) -> None:
    data = OptOutCreate(scope=OptOutScope.WORK, work_id=world.work_b)
    by_cmo = declare_opt_out(platform, actor=world.cmo.actor, data=data)
    assert by_cmo.declared_by == world.cmo.id
    with pytest.raises(Forbidden):
        declare_opt_out(platform, actor=world.alice.actor, data=data)


@pytest.mark.parametrize(
    ("data", "target"),
    [
        (
            OptOutCreate(scope=OptOutScope.URL_PREFIX, target="https://Blog.example.org/posts/"),
            "https://blog.example.org/posts",
        ),
        (OptOutCreate(scope=OptOutScope.DOMAIN, target="Example.ORG."), "example.org"),
    ],
)
def test_url_opt_outs_are_canonical(
    platform: Platform, world: World, data: OptOutCreate, target: str
) -> None:
    assert declare_opt_out(platform, actor=world.alice.actor, data=data).target == target


@pytest.mark.parametrize(
    "data",
    [
        OptOutCreate(scope=OptOutScope.WORK),
        OptOutCreate(scope=OptOutScope.DOMAIN, target="not a domain"),
        OptOutCreate(scope=OptOutScope.URL_PREFIX, target="ftp://x.org/a"),
        OptOutCreate(scope=OptOutScope.DOMAIN, target="x.org", work_id=1),
    ],
)
def test_malformed_opt_outs_are_refused(
    platform: Platform, world: World, data: OptOutCreate
) -> None:
    with pytest.raises(ValidationFailed):
        declare_opt_out(platform, actor=world.alice.actor, data=data)


def test_withdrawal_keeps_history(platform: Platform, world: World, clock: FixedClock) -> None:
    data = OptOutCreate(scope=OptOutScope.HOLDER, purpose=Purpose.GENERATIVE_AI_TRAINING)
    opt = declare_opt_out(platform, actor=world.alice.actor, data=data)
    with pytest.raises(Forbidden):
        withdraw_opt_out(platform, actor=world.bob.actor, opt_out_id=opt.id)
    clock.advance(timedelta(days=2))
    withdrawn = withdraw_opt_out(platform, actor=world.alice.actor, opt_out_id=opt.id)
    assert withdrawn.withdrawn_at == clock.now()
    with pytest.raises(Conflict):
        withdraw_opt_out(platform, actor=world.alice.actor, opt_out_id=opt.id)
    assert list_opt_outs(platform) == []
    assert [o.id for o in list_opt_outs(platform, include_withdrawn=True)] == [opt.id]


def test_opt_out_cannot_be_backdated(platform: Platform, world: World, clock: FixedClock) -> None:
    data = OptOutCreate(scope=OptOutScope.HOLDER, effective_from=clock.now() - timedelta(days=1))
    with pytest.raises(ValidationFailed):
        declare_opt_out(platform, actor=world.alice.actor, data=data)


def test_image_work_is_perceptually_hashed(
    platform: Platform, world: World, shared_dir: Path
) -> None:
    photo = (shared_dir / "data/signals/c2pa/cawg_training_mining_not_allowed.jpg").read_bytes()
    encoded = base64.b64encode(photo).decode()
    data = WorkCreate(type=WorkType.IMAGE, title="Photo", image=encoded)
    work = register_work(platform, actor=world.alice.actor, data=data)
    assert work.image_hash is not None
    assert work.image_hash.startswith("phash:")
    assert work.fingerprint is None


@pytest.mark.parametrize(
    ("type_", "image"),
    [(WorkType.TEXT, "aGVsbG8="), (WorkType.IMAGE, "not base64!"), (WorkType.IMAGE, "aGVsbG8=")],
)
def test_bad_images_are_refused(
    platform: Platform, world: World, type_: WorkType, image: str
) -> None:
    with pytest.raises(ValidationFailed):
        register_work(
            platform, actor=world.alice.actor, data=WorkCreate(type=type_, title="x", image=image)
        )
