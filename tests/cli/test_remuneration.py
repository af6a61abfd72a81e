"""Remuneration through the CLI: tariff file, settings, usage report from CSV, invoice paid,
distribution run, the CMO's report and a holder's statement as CSV; bad files named."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.cli.test_cli import Cli
from tests.services.remuneration import PERIOD, dataset_version
from trainclear.cli.context import State
from trainclear.cli.main import app
from trainclear.services.parties import authenticate
from trainclear.services.platform import Platform

TARIFF_YAML = """\
code: TXT-2026
title: Text, 2026
currency: CNY
effective_from: 2026-01-01
schedules:
  - work_type: text
    unit: per_1000_chars
    minimum_fee: 0
    tiers:
      - {up_to: null, rate: "10"}
"""


@pytest.fixture
def cli(platform: Platform) -> Cli:
    return Cli(platform)


def _raw(cli: Cli, *args: str, token: str) -> str:
    state = State(platform=cli.platform, token=token, lang="en")
    result = CliRunner().invoke(app, list(args), obj=state)
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result.stdout


def test_remuneration_through_the_cli(cli: Cli, tmp_path: Path) -> None:
    cmo_id, cmo = cli.party("cmo", "Writers CMO")
    holder_id, holder = cli.party("rights_holder", "Alice")
    _, dev = cli.party("developer", "ModelCo")
    tariff_file = tmp_path / "tariff.yaml"
    tariff_file.write_text(TARIFF_YAML, encoding="utf-8")
    tariff = cli("tariff", "create", str(tariff_file), token=cmo)
    assert (tariff["code"], tariff["schedules"][0]["tiers"][0]["rate"]) == ("TXT-2026", "10")
    assert [t["id"] for t in cli("tariff", "list", "--on", "2026-02-01")] == [tariff["id"]]
    fee = ("--fee", "20000:0.12", "--fee", ":0.08", "--minimum-payout", "0")
    settings = cli("cmo", "settings", "set", *fee, token=cmo)
    assert settings["fee_schedule"][0] == {"up_to": "20000", "rate": "0.12"}
    work = cli(
        "work", "register", "--title", "Poems", "--id", "isbn:9780306406157",
        "--cmo", str(cmo_id), token=holder,
    )  # fmt: skip

    actor = authenticate(cli.platform, dev)
    version = dataset_version(cli.platform, actor, {work["id"]: (2, 25_000)}, tmp_path)
    template = _raw(cli, "usage", "measured", str(version), "--csv", token=dev)
    assert template.splitlines() == [
        "work_id,records,characters,images,minutes",
        f"{work['id']},2,25000,0,0",
    ]
    lines = tmp_path / "usage.csv"
    lines.write_text(template, encoding="utf-8")
    header = (
        "--dataset-version",
        str(version),
        "--period",
        PERIOD,
        "--model",
        "m",
        "--epochs",
        "1",
    )
    report = cli("usage", "submit", str(lines), *header, "--tariff", "TXT-2026", token=dev)
    [invoice] = report["invoices"]
    assert (invoice["total"], invoice["cmo_id"]) == (250, cmo_id)
    assert [i["id"] for i in cli("invoice", "list", token=cmo)] == [invoice["id"]]
    assert cli("invoice", "pay", str(invoice["id"]), token=cmo)["state"] == "paid"

    run = cli("distribution", "run", PERIOD, token=cmo)
    assert (run["summary"]["fee"], run["summary"]["paid_out"]) == (30, 220)
    assert cli("distribution", "run", PERIOD, token=cmo)["replayed"] is True
    csv_report = _raw(
        cli, "distribution", "report", str(run["id"]), "--format", "csv", "--lang", "en", token=cmo
    )
    assert "fee,management fee,30" in csv_report.splitlines()
    statement = _raw(cli, "statement", "show", str(run["id"]), "--format", "csv", token=holder)
    assert (
        statement.splitlines()[1]
        == f"work,{work['id']},25 per_1000_chars,{invoice['id']},250,220,0,220,1,220"
    )
    assert cli("statement", "list", token=holder)[0]["payout"] == 220
    assert cli("reserve", "list", token=cmo) == []
    assert cli("reserve", "release", token=cmo)["amount"] == 0
    refused = cli("statement", "show", str(run["id"]), str(holder_id), token=dev, code=1)
    assert refused.stderr.startswith("error [forbidden]:")


def test_bad_input_files_are_named_by_file_line_and_field(cli: Cli, tmp_path: Path) -> None:
    _, cmo = cli.party("cmo", "Writers CMO")
    _, dev = cli.party("developer", "ModelCo")
    floating = tmp_path / "tariff.yaml"
    floating.write_text(TARIFF_YAML.replace('rate: "10"', "rate: 12.5"), encoding="utf-8")
    result = cli("tariff", "create", str(floating), token=cmo, code=1)
    assert f"{floating}:10: field 'schedules[0].tiers[0].rate'" in result.stderr
    assert "float" in result.stderr
    missing = tmp_path / "tariff.json"
    missing.write_text('{\n  "code": "X",\n  "effective_from": "2026-01-01"\n}\n', encoding="utf-8")
    result = cli("tariff", "create", str(missing), token=cmo, code=1)
    assert f"{missing}:1: field 'schedules'" in result.stderr
    usage = tmp_path / "usage.csv"
    usage.write_text("work_id,characters\n1,100\n2,many\n", encoding="utf-8")
    header = ("--dataset-version", "1", "--period", PERIOD, "--model", "m", "--epochs", "1")
    result = cli("usage", "submit", str(usage), *header, token=dev, code=1)
    assert f"{usage}:3: field 'characters'" in result.stderr
    usage.write_text("work_id,chars\n1,100\n", encoding="utf-8")
    result = cli("usage", "submit", str(usage), *header, token=dev, code=1)
    assert f"{usage}:1: field 'chars'" in result.stderr
    usage.write_text("work_id,characters\n1,100\n", encoding="utf-8")
    result = cli("usage", "submit", str(usage), token=dev, code=1)
    assert "--dataset-version" in result.stderr
    bad_fee = cli("cmo", "settings", "set", "--fee", "twelve", token=cmo, code=1)
    assert "--fee" in bad_fee.stderr
