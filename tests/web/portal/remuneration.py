"""A remunerated world for the page tests: a CMO account with a text tariff, and a dataset
version of ModelCo whose scan measured the poem 10,000 characters and Alpha 5,000.

At the tariff's 10 fen per 1,000 characters the version owes 100 + 50 fen = CNY 1.50.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.services.remuneration import TARIFF, dataset_version
from tests.web.portal.conftest import Account, World
from trainclear.domain import PartyKind
from trainclear.schemas.tariffs import TariffCreate
from trainclear.schemas.usage import UsageReportCreate
from trainclear.services import tariffs, usage_reports
from trainclear.services.platform import Platform

PERIOD = ("2026-01-01", "2026-02-28")


@dataclass(frozen=True)
class Market:
    world: World
    cmo: Account
    version_id: int

    @property
    def tariff_choice(self) -> str:
        return f"{self.cmo.party_id}:{TARIFF['code']}"

    def form(self, **characters: int) -> dict[str, Any]:
        """The report form as a browser sends it, with the measured values unless changed."""
        w = self.world
        measured = {"poem": 10_000, "alpha": 5_000, **characters}
        return {
            "version": str(self.version_id),
            "start": PERIOD[0],
            "end": PERIOD[1],
            "model": "Qilin-7B",
            "epochs": "2",
            "tariff": self.tariff_choice,
            "work_id": [str(w.poem), str(w.alpha)],
            "records": ["1", "1"],
            "characters": [str(measured["poem"]), str(measured["alpha"])],
            "images": ["0", "0"],
            "minutes": ["0", "0"],
        }

    def submit(self, platform: Platform) -> int:
        """A report of the measured usage, through the service; its id."""
        data = UsageReportCreate(
            dataset_version_id=self.version_id,
            period="/".join(PERIOD),
            model="Qilin-7B",
            epochs=1,
            lines=[
                {"work_id": self.world.poem, "records": 1, "characters": 10_000},
                {"work_id": self.world.alpha, "records": 1, "characters": 5_000},
            ],
            tariff_code=str(TARIFF["code"]),
        )
        return usage_reports.submit_usage_report(platform, actor=self.world.dev.actor, data=data).id


def open_market(platform: Platform, world: World, make_account: Any, folder: Path) -> Market:
    """The CMO, its tariff and ModelCo's dataset version, made through the services."""
    cmo = make_account(PartyKind.CMO, "Writers CMO")
    tariffs.create_tariff(platform, actor=cmo.actor, data=TariffCreate.model_validate(TARIFF))
    measured = {world.poem: (1, 10_000), world.alpha: (1, 5_000)}
    version = dataset_version(platform, world.dev.actor, measured, folder)
    return Market(world, cmo, version)
