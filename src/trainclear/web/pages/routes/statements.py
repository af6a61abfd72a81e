"""A rights holder's statements: every run that paid or carried something for it, and
one statement per run (each work's usage, pools, share and amount; the account), with
its payouts over time drawn as a chart and the statement to download as JSON or CSV.

The holder is always the signed-in party: the statement service refuses another's.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query
from starlette.responses import Response

from trainclear.services import statement_views, statements
from trainclear.web.pages.chart_views import payout_chart
from trainclear.web.pages.deps import HolderPage, page_router
from trainclear.web.pages.download import download

router = page_router()


@router.get("/holder/statements")
def statement_list(page: HolderPage) -> Response:
    rows = statements.list_statements(page.platform, viewer=page.actor)
    names = statement_views.party_names(page.platform, party_ids={r.cmo_id for r in rows})
    return page.render(
        "holder/statements.html", statements=rows, names=names, chart=payout_chart(page, rows)
    )


@router.get("/holder/statements/{run_id}")
def statement_page(page: HolderPage, run_id: int) -> Response:
    me = page.actor.party_id
    found = statements.get_statement(page.platform, viewer=page.actor, run_id=run_id, holder_id=me)
    history = statements.list_statements(page.platform, viewer=page.actor)
    titles = statement_views.work_titles(page.platform, work_ids=[r.work_id for r in found.rows])
    cmo = statement_views.party_names(page.platform, party_ids=[found.cmo_id])
    return page.render(
        "holder/statement.html",
        run_id=run_id,
        statement=found,
        titles=titles,
        cmo_name=cmo.get(found.cmo_id, ""),
        history=history,
        chart=payout_chart(page, history),
    )


@router.get("/holder/statements/{run_id}/download")
def statement_file(
    page: HolderPage, run_id: int, format: Annotated[Literal["json", "csv"], Query()] = "csv"
) -> Response:
    me = page.actor.party_id
    found = statements.get_statement(page.platform, viewer=page.actor, run_id=run_id, holder_id=me)
    body = found.to_csv() if format == "csv" else found.to_json()
    return download(body, f"statement-{run_id}-{me}.{format}")
