"""The demo's parties and works (public-domain texts standing in for protected works)."""

from __future__ import annotations

from dataclasses import dataclass, field

from trainclear.domain import Actor, PartyKind
from trainclear.fingerprint.identifiers import Scheme
from trainclear.schemas.parties import PartyCreate
from trainclear.schemas.works import HolderShare, Identifier, WorkCreate
from trainclear.services import parties, works
from trainclear.services.platform import Platform


@dataclass
class Cast:
    cmo_zh: Actor
    cmo_en: Actor
    lin: Actor
    chen: Actor
    eleanor: Actor
    samuel: Actor
    developer: Actor
    admin: Actor
    works: dict[str, int] = field(default_factory=dict)


def register_cast(p: Platform, texts: dict[str, str]) -> Cast:
    """Create the parties, then register their works (with mandates and co-owners)."""
    cast = Cast(
        cmo_zh=_party(p, PartyKind.CMO, "中国文字作品集体管理协会(示例)"),
        cmo_en=_party(p, PartyKind.CMO, "Authors' Collective Society (demo)"),
        lin=_party(p, PartyKind.RIGHTS_HOLDER, "林文静 Lin Wenjing"),
        chen=_party(p, PartyKind.RIGHTS_HOLDER, "陈默 Chen Mo"),
        eleanor=_party(p, PartyKind.RIGHTS_HOLDER, "Eleanor Hart"),
        samuel=_party(p, PartyKind.RIGHTS_HOLDER, "Samuel Reed"),
        developer=_party(p, PartyKind.DEVELOPER, "极光智能 Aurora AI Lab"),
        admin=_party(
            p, PartyKind.ADMINISTRATION, "国家版权局(示例) Copyright Administration (demo)"
        ),
    )
    _register(p, cast, texts)
    return cast


def _register(p: Platform, cast: Cast, texts: dict[str, str]) -> None:
    wuthering_url = Identifier(scheme=Scheme.URL, value="https://www.example.com/wuthering-heights")
    plan: list[tuple[str, str, Actor, list[Identifier], int | None]] = [
        ("lunyu", "论语", cast.lin, [], cast.cmo_zh.party_id),
        ("shijing", "诗经", cast.lin, [], None),
        ("songci", "宋词三百首", cast.chen, [], None),
        ("pride", "Pride and Prejudice", cast.eleanor, [], cast.cmo_en.party_id),
        ("dracula", "Dracula", cast.eleanor, [], None),
        ("jekyll", "Strange Case of Dr Jekyll and Mr Hyde", cast.samuel, [], None),
    ]
    for key, title, holder, ids, cmo in plan:
        data = WorkCreate(title=title, text=texts[key], identifiers=ids, cmo_id=cmo)
        cast.works[key] = works.register_work(p, actor=holder, data=data).id
    co_owned = WorkCreate(
        title="Wuthering Heights",
        text=texts["wuthering"],
        identifiers=[wuthering_url],
        holders=[
            HolderShare(holder_id=cast.eleanor.party_id, share="1/2"),
            HolderShare(holder_id=cast.samuel.party_id, share="1/2"),
        ],
    )
    cast.works["wuthering"] = works.register_work(p, actor=cast.eleanor, data=co_owned).id


def _party(p: Platform, kind: PartyKind, name: str) -> Actor:
    party = parties.create_party(p, data=PartyCreate(kind=kind, name=name))
    return Actor(party_id=party.id, kind=kind, name=name)
