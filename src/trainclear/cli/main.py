"""The ``trainclear`` command: global options, error reporting, and the command groups."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from trainclear import __version__
from trainclear.cli.commands import (
    accounts,
    datasets,
    demo,
    disputes,
    distributions,
    log,
    notices,
    objections,
    optouts,
    parties,
    pipeline,
    serve,
    signals,
    snapshots,
    tariffs,
    usage,
    works,
)
from trainclear.cli.context import state
from trainclear.errors import TrainclearError


class _ErrorReportingGroup(TyperGroup):
    """Turns a domain error into one bilingual line on stderr and exit status 1."""

    def invoke(self, ctx: Any) -> Any:  # click's Context (vendored by newer Typer)
        try:
            return super().invoke(ctx)
        except TrainclearError as exc:
            lang = state(ctx).lang
            typer.echo(f"error [{exc.code}]: {exc.message(lang)}", err=True)
            raise typer.Exit(1) from None


app = typer.Typer(
    cls=_ErrorReportingGroup,
    help="trainclear — copyright clearing for AI training data (训练数据著作权清算).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback()
def _root(
    ctx: typer.Context,
    token: Annotated[
        str | None, typer.Option(envvar="TRAINCLEAR_TOKEN", help="API token of the acting party.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    if version:
        typer.echo(__version__)
        raise typer.Exit()
    st = state(ctx)
    st.token, st.as_json = token or st.token, as_json


app.add_typer(parties.app, name="party", help="Parties and their API tokens (operator).")
app.add_typer(accounts.app, name="account", help="Web accounts for the portals (operator).")
app.add_typer(works.app, name="work", help="Register works, list them, set CMO mandates.")
app.add_typer(optouts.app, name="optout", help="Declare, withdraw and list opt-outs.")
app.add_typer(notices.app, name="notice", help="Draft, publish, amend and read notices.")
app.add_typer(objections.app, name="objection", help="Object to works listed in a notice.")
app.add_typer(disputes.app, name="dispute", help="Contest objections; decide disputes.")
app.add_typer(snapshots.app, name="snapshot", help="Export and verify exclusion snapshots.")
app.add_typer(datasets.app, name="dataset", help="Dataset versions: register, query, affected.")
app.add_typer(datasets.models, name="model", help="Register models against dataset versions.")
app.add_typer(log.app, name="log", help="The transparency log: heads, proofs, export, verify.")
app.add_typer(
    signals.app, name="signals", help="Check URLs for reservations; manage site-policy captures."
)
app.add_typer(tariffs.app, name="tariff", help="Tariffs (付酬标准): publish, list, show, end.")
app.add_typer(tariffs.cmo, name="cmo", help="A CMO's distribution settings.")
app.add_typer(usage.app, name="usage", help="Usage reports: submit, measured usage, list, show.")
app.add_typer(usage.invoice, name="invoice", help="Invoices: list, show, pay.")
app.add_typer(usage.attribution, name="attribution", help="Output-attribution scores.")
app.add_typer(distributions.app, name="distribution", help="Distribution runs and reports.")
app.add_typer(distributions.statement, name="statement", help="Holders' statements.")
app.add_typer(distributions.reserve_app, name="reserve", help="The reserve: list, claim, release.")
app.command("scan")(pipeline.scan)
app.command("filter")(pipeline.filter_corpus)
app.command("serve")(serve.serve)
app.command("demo")(demo.demo)
app.command("db-upgrade")(serve.db_upgrade)


def main() -> None:
    """Console-script entry point."""
    app()
