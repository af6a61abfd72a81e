"""The header navigation, per role. A feature adds its pages here and its router to
:data:`trainclear.web.pages.PAGE_ROUTERS`; nothing else needs to change.

Planned entries (issue 7), once their services exist: the CMO console (repertoire,
tariffs, distributions), statements for rights holders, usage reports and invoices for
developers, usage reports received and a compliance overview for the administration.
"""

from __future__ import annotations

from dataclasses import dataclass

from trainclear.domain import Actor, PartyKind

HOLDER = frozenset({PartyKind.RIGHTS_HOLDER})
DEVELOPER = frozenset({PartyKind.DEVELOPER})
ADMINISTRATION = frozenset({PartyKind.ADMINISTRATION})


@dataclass(frozen=True, slots=True)
class NavItem:
    href: str
    label: str
    """A key of the page catalogue (:mod:`trainclear.web.pages.i18n`)."""
    kinds: frozenset[PartyKind] = frozenset()
    """Who sees it; empty: everyone, signed in or not."""


@dataclass(frozen=True, slots=True)
class NavLink:
    href: str
    label: str
    current: bool


NAV: list[NavItem] = [
    NavItem("/", "nav.board"),
    NavItem("/holder/works", "nav.my_works", HOLDER),
    NavItem("/holder/opt-outs", "nav.my_opt_outs", HOLDER),
    NavItem("/holder/notices", "nav.notices_using_my_works", HOLDER),
    NavItem("/holder/objections", "nav.my_objections", HOLDER),
    NavItem("/developer/notices", "nav.my_notices", DEVELOPER),
    NavItem("/developer/notices/new", "nav.new_notice", DEVELOPER),
    NavItem("/developer/objections", "nav.objections_received", DEVELOPER),
    NavItem("/developer/usage-reports", "nav.my_usage_reports", DEVELOPER),
    NavItem("/developer/invoices", "nav.my_invoices", DEVELOPER),
    NavItem("/admin/notices", "nav.all_notices", ADMINISTRATION),
    NavItem("/admin/disputes", "nav.dispute_queue", ADMINISTRATION),
    NavItem("/admin/usage-reports", "nav.usage_reports_received", ADMINISTRATION),
    NavItem("/admin/compliance", "nav.compliance", ADMINISTRATION),
]

HOME: dict[PartyKind, str] = {
    PartyKind.RIGHTS_HOLDER: "/holder/works",
    PartyKind.DEVELOPER: "/developer/notices",
    PartyKind.ADMINISTRATION: "/admin/disputes",
}
"""Where a party lands after signing in (the board for kinds without a portal yet)."""


def nav_for(actor: Actor | None, path: str) -> list[NavLink]:
    """The entries ``actor`` sees, the one for ``path`` marked current."""
    kind = actor.kind if actor else None
    shown = [i for i in NAV if not i.kinds or kind in i.kinds]
    best = max((i.href for i in shown if _covers(i.href, path)), key=len, default=None)
    return [NavLink(i.href, i.label, i.href == best) for i in shown]


def home_for(actor: Actor) -> str:
    return HOME.get(actor.kind, "/")


def _covers(href: str, path: str) -> bool:
    return path == href or (href != "/" and path.startswith(href + "/"))
