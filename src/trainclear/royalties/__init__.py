"""The remuneration engine (issue 5): tariffs, usage reports, invoices, distribution, statements.

Pure and exact: no database, no clock, no floats. Money is ``int`` minor units with an
ISO 4217 currency; every split is largest remainder with ties broken by key, so parts
sum to their whole to the unit and the input's order never matters.

==================  =============================================================
module              what it holds
==================  =============================================================
``money``           :class:`Money`, :func:`exact`, :func:`round_half_up`, :func:`allocate`
``vector``          :func:`allocate_groups`: the same split over numpy arrays, exact
``brackets``        marginal brackets shared by tariff tiers and fee schedules
``periods``         :class:`Period`, :func:`check_period` (never distribute a period twice)
``tariffs``         :class:`Tariff`, :class:`RateSchedule`, :func:`price`, selection by date
``codec``           tariffs as plain JSON/YAML data and back
``usage``           :class:`UsageReport`, :func:`check_against_measured`
``invoice``         :func:`build_invoice`: lines per work and per CMO
``fees``            :class:`FeeSchedule`, :func:`management_fee`
``tables``          the distribution's ``int64`` input tables
``owners``          co-owners' shares and attribution scores as integer weights
``reserve``         :class:`ReserveEntry`, :class:`ReservePolicy`, claims and release
``distribution``    :class:`DistributionInput`, :class:`DistributionResult`
``engine``          :func:`run_distribution`
``statements``      per-holder statements (JSON, CSV)
``report``          the CMO's report of a run
==================  =============================================================

docs/remuneration.md walks through a complete example that the tests reproduce.
"""

from trainclear.royalties.brackets import Bracket
from trainclear.royalties.codec import tariff_from_dict, tariff_to_dict
from trainclear.royalties.distribution import (
    DistributionInput,
    DistributionResult,
    HolderAccounts,
    ReserveRows,
    RunSummary,
    ShareRows,
    WorkAllocations,
)
from trainclear.royalties.engine import run_distribution
from trainclear.royalties.fees import FeeSchedule, management_fee
from trainclear.royalties.invoice import (
    CmoTotal,
    Invoice,
    InvoiceLine,
    InvoiceState,
    TypeCharge,
    WorkRef,
    build_invoice,
)
from trainclear.royalties.money import Money, allocate, allocate_map, exact, round_half_up
from trainclear.royalties.owners import Owner, owners_of, scores_of
from trainclear.royalties.periods import Period, PriorRun, add_years, check_period
from trainclear.royalties.report import CmoReport, cmo_report
from trainclear.royalties.reserve import (
    DEFAULT_CLAIM_YEARS,
    ReserveClaim,
    ReserveEntry,
    ReservePolicy,
    ReserveRelease,
    claim,
    release_expired,
)
from trainclear.royalties.statements import (
    HolderStatement,
    StatementRow,
    holder_statement,
    holder_statements,
)
from trainclear.royalties.tables import UNIDENTIFIED, Balances, Collections, Owners, Scores, Uses
from trainclear.royalties.tariffs import (
    Price,
    RateSchedule,
    Tariff,
    Unit,
    check_versions,
    price,
    select_tariff,
    tariff_for_period,
)
from trainclear.royalties.usage import (
    Shortfall,
    UsageReport,
    UsageUnderstated,
    WorkUsage,
    check_against_measured,
)
from trainclear.royalties.vector import allocate_groups

__all__ = [
    "DEFAULT_CLAIM_YEARS",
    "UNIDENTIFIED",
    "Balances",
    "Bracket",
    "CmoReport",
    "CmoTotal",
    "Collections",
    "DistributionInput",
    "DistributionResult",
    "FeeSchedule",
    "HolderAccounts",
    "HolderStatement",
    "Invoice",
    "InvoiceLine",
    "InvoiceState",
    "Money",
    "Owner",
    "Owners",
    "Period",
    "Price",
    "PriorRun",
    "RateSchedule",
    "ReserveClaim",
    "ReserveEntry",
    "ReservePolicy",
    "ReserveRelease",
    "ReserveRows",
    "RunSummary",
    "Scores",
    "ShareRows",
    "Shortfall",
    "StatementRow",
    "Tariff",
    "TypeCharge",
    "Unit",
    "UsageReport",
    "UsageUnderstated",
    "Uses",
    "WorkAllocations",
    "WorkRef",
    "WorkUsage",
    "add_years",
    "allocate",
    "allocate_groups",
    "allocate_map",
    "build_invoice",
    "check_against_measured",
    "check_period",
    "check_versions",
    "claim",
    "cmo_report",
    "exact",
    "holder_statement",
    "holder_statements",
    "management_fee",
    "owners_of",
    "price",
    "release_expired",
    "round_half_up",
    "run_distribution",
    "scores_of",
    "select_tariff",
    "tariff_for_period",
    "tariff_from_dict",
    "tariff_to_dict",
]
