"""The header navigation, per role. A feature adds its pages here and its router to
:data:`trainclear.web.pages.PAGE_ROUTERS`; nothing else needs to change."""

from __future__ import annotations

from dataclasses import dataclass

from trainclear.domain import Actor, PartyKind

HOLDER = frozenset({PartyKind.RIGHTS_HOLDER})
DEVELOPER = frozenset({PartyKind.DEVELOPER})
ADMINISTRATION = frozenset({PartyKind.ADMINISTRATION})
CMO = frozenset({PartyKind.CMO})


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
    NavItem("/holder/statements", "nav.my_statements", HOLDER),
    NavItem("/developer/notices", "nav.my_notices", DEVELOPER),
    NavItem("/developer/notices/new", "nav.new_notice", DEVELOPER),
    NavItem("/developer/objections", "nav.objections_received", DEVELOPER),
    NavItem("/developer/usage-reports", "nav.my_usage_reports", DEVELOPER),
    NavItem("/developer/invoices", "nav.my_invoices", DEVELOPER),
    NavItem("/admin/notices", "nav.all_notices", ADMINISTRATION),
    NavItem("/admin/disputes", "nav.dispute_queue", ADMINISTRATION),
    NavItem("/admin/usage-reports", "nav.usage_reports_received", ADMINISTRATION),
    NavItem("/admin/compliance", "nav.compliance", ADMINISTRATION),
    NavItem("/cmo/repertoire", "nav.repertoire", CMO),
    NavItem("/cmo/tariffs", "nav.tariffs", CMO),
    NavItem("/cmo/invoices", "nav.invoices_received", CMO),
    NavItem("/cmo/runs", "nav.distributions", CMO),
    NavItem("/cmo/settings", "nav.cmo_settings", CMO),
]

HOME: dict[PartyKind, str] = {
    PartyKind.RIGHTS_HOLDER: "/holder/works",
    PartyKind.DEVELOPER: "/developer/notices",
    PartyKind.ADMINISTRATION: "/admin/disputes",
    PartyKind.CMO: "/cmo/repertoire",
}
"""Where a party lands after signing in."""


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
