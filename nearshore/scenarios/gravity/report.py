"""The figures of a general-equilibrium counterfactual: per country and per pair, with their assumptions.

Changes are percent changes from the model's baseline (the flows the structural system fits at the baseline
costs, output and expenditure), as in the Guide's applications and in gegravity. Resistances are reported in
levels (Pi_i, P_j), not in the powers 1-sigma the solver works with. Welfare is real expenditure E/P (Arkolakis,
Costinot & Rodriguez-Clare 2012); with expenditure a fixed multiple of output it moves exactly as real GDP Y/P.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

import numpy as np

from nearshore.analytics.result import Figure, FigureRow, FigureTable, Period, Provenance, Unit
from nearshore.scenarios.gravity.ge import Economy, Equilibrium
from nearshore.scenarios.gravity.panel import FloatArray, Panel
from nearshore.scenarios.result import Assumption, ScenarioResult

if TYPE_CHECKING:
    from nearshore.scenarios.gravity.changes import Change, GESettings
    from nearshore.scenarios.gravity.costs import TradeCosts

COUNTRY_MEASURES: Final = (
    ("exports", "change in exports to other countries"),
    ("imports", "change in imports from other countries"),
    ("domestic", "change in sales at home (intra-national trade)"),
    ("price", "change in the factory-gate price"),
    ("omr", "change in the outward multilateral resistance (producers' incidence of trade costs)"),
    ("imr", "change in the inward multilateral resistance (consumers' price index)"),
    ("output", "change in the value of output"),
    ("welfare", "change in welfare (real expenditure E/P, equal to real GDP Y/P)"),
)
GUIDE: Final = "Yotov, Piermartini, Monteiro & Larch (2016), ch. 2"
CLOSURE_MEANING: Final = {
    "full": "full endowment general equilibrium: prices, output, expenditure and resistances solved jointly "
    "to a fixed point (Anderson, Larch & Yotov 2018)",
    "one-step": "first round of the Guide's iterative procedure: resistances at baseline output and "
    "expenditure, prices from the change in outward resistance (what gegravity 0.3 reports)",
    "conditional": "conditional general equilibrium: resistances adjust, factory-gate prices, output and "
    "expenditure stay at the baseline (Yotov et al. 2016, ch. 2)",
}


def report(
    rows: Panel,
    year: int,
    economy: Economy,
    base: Equilibrium,
    scenario: Equilibrium,
    costs: TradeCosts,
    changes: Sequence[Change],
    settings: GESettings,
) -> ScenarioResult:
    period = Period.year(year)
    provenance = rows.provenance.with_note(
        *costs.notes,
        "changes are from the model's baseline flows (the structural system at baseline costs, output and "
        "expenditure), as in the Guide and in gegravity",
        f"baseline resistances solved in {base.iterations:,} iterations; counterfactual ({settings.closure}) in "
        f"{scenario.iterations:,} iterations, last relative change {scenario.residual:.2g}",
    )
    title = "; ".join(c.describe() for c in changes)
    tables = (
        ("countries", _countries(economy, base, scenario, settings.sigma, period, provenance, title)),
        ("pairs", _pairs(economy, base, scenario, period, provenance, title)),
    )
    return ScenarioResult(
        engine="gravity-ge",
        title=f"General-equilibrium effects of: {title} ({year})",
        tables=tables,
        assumptions=_assumptions(year, costs, changes, settings),
        provenance=provenance,
    )


def country_changes(economy: Economy, base: Equilibrium, scenario: Equilibrium, sigma: float) -> dict[str, FloatArray]:
    """Percent changes per country, keyed as COUNTRY_MEASURES."""
    power = 1.0 / (1.0 - sigma)
    inward_base, inward = base.imr**power, scenario.imr**power
    return {
        "exports": _pct(_foreign(scenario.trade, 1), _foreign(base.trade, 1)),
        "imports": _pct(_foreign(scenario.trade, 0), _foreign(base.trade, 0)),
        "domestic": _pct(np.diag(scenario.trade), np.diag(base.trade)),
        "price": 100.0 * (scenario.price - 1.0),
        "omr": _pct(scenario.omr**power, base.omr**power),
        "imr": _pct(inward, inward_base),
        "output": _pct(scenario.output, base.output),
        "welfare": _pct(scenario.expenditure / inward, base.expenditure / inward_base),
    }


def _foreign(trade: FloatArray, axis: int) -> FloatArray:
    total: FloatArray = trade.sum(axis=axis) - np.diag(trade)
    return total


def _pct(new: FloatArray, old: FloatArray) -> FloatArray:
    with np.errstate(divide="ignore", invalid="ignore"):
        change: FloatArray = 100.0 * (new / old - 1.0)
    return change


def _countries(
    economy: Economy,
    base: Equilibrium,
    scenario: Equilibrium,
    sigma: float,
    period: Period,
    provenance: Provenance,
    title: str,
) -> FigureTable:
    changes = country_changes(economy, base, scenario, sigma)
    rows = []
    for k, country in enumerate(economy.countries):
        subject = (("country", country),)
        figures = tuple(
            _figure(float(changes[name][k]), "percent", f"{country}: {label}", period, provenance, subject, 3)
            for name, label in COUNTRY_MEASURES
        )
        rows.append(FigureRow((country,), figures))
    return FigureTable(
        title=f"Percent change from the baseline, by country: {title}",
        key_columns=("country",),
        measures=tuple(name for name, _ in COUNTRY_MEASURES),
        rows=tuple(rows),
        provenance=provenance,
    )


def _pairs(
    economy: Economy, base: Equilibrium, scenario: Equilibrium, period: Period, provenance: Provenance, title: str
) -> FigureTable:
    change = _pct(scenario.trade, base.trade)
    rows = []
    for a, exporter in enumerate(economy.countries):
        for b, importer in enumerate(economy.countries):
            subject = (("exporter", exporter), ("importer", importer))
            flow = f"{exporter}->{importer}"
            figures = (
                _figure(
                    float(base.trade[a, b]),
                    "index",
                    f"{flow} baseline trade (data units)",
                    period,
                    provenance,
                    subject,
                    1,
                ),
                _figure(
                    float(scenario.trade[a, b]),
                    "index",
                    f"{flow} counterfactual trade (data units)",
                    period,
                    provenance,
                    subject,
                    1,
                ),
                _figure(float(change[a, b]), "percent", f"{flow} change in trade", period, provenance, subject, 3),
            )
            rows.append(FigureRow((exporter, importer), figures))
    return FigureTable(
        title=f"Effects by pair: {title}",
        key_columns=("exporter", "importer"),
        measures=("baseline_trade", "scenario_trade", "trade_change"),
        rows=tuple(rows),
        provenance=provenance,
    )


def _figure(
    value: float,
    unit: Unit,
    label: str,
    period: Period,
    provenance: Provenance,
    subject: tuple[tuple[str, str], ...],
    decimals: int,
) -> Figure:
    return Figure(value, unit, label, period, provenance, decimals=decimals, subject=subject)


def _assumptions(
    year: int, costs: TradeCosts, changes: Sequence[Change], settings: GESettings
) -> tuple[Assumption, ...]:
    from nearshore.scenarios.gravity.changes import DEFAULT_REFERENCE, DEFAULT_SIGMA, TariffChange

    sigma_source = (
        f"default, the value of the Guide's chapter 2 applications ({GUIDE})"
        if settings.sigma == DEFAULT_SIGMA
        else "option --sigma"
    )
    reference_source = (
        "default, as in the Guide and in gegravity's example"
        if settings.reference == DEFAULT_REFERENCE
        else "option --reference"
    )
    flows = (
        f"columns {settings.output!r} and {settings.expenditure!r}"
        if settings.output and settings.expenditure
        else "sums of each country's flows in the year, domestic included"
    )
    items = [
        Assumption("year", year, "baseline year", "option --year"),
        Assumption(
            "sigma",
            settings.sigma,
            "elasticity of substitution between origins (trade elasticity 1-sigma)",
            sigma_source,
        ),
        Assumption(
            "reference", settings.reference, "country whose inward multilateral resistance is 1", reference_source
        ),
        Assumption("closure", settings.closure, CLOSURE_MEANING[settings.closure], "option --closure"),
        Assumption("trade_costs", costs.describe(), "t^(1-sigma) = exp(sum b x) coefficients", costs.source),
        Assumption("output_expenditure", flows, "baseline output Y_i and expenditure E_j", GUIDE),
        Assumption("expenditure_rule", "E = phi Y", "expenditure keeps its baseline ratio to output", GUIDE),
    ]
    items += [
        Assumption(f"change_{k}", c.describe(), "the counterfactual", "options") for k, c in enumerate(changes, 1)
    ]
    if any(isinstance(c, TariffChange) for c in changes):
        items.append(
            Assumption(
                "tariff_revenue",
                "not modelled",
                "a tariff enters costs as (1+t)^(-sigma); its revenue is not added to the importer's expenditure",
                "Yotov et al. (2016), appendix B",
            )
        )
    return tuple(items)


__all__ = ["COUNTRY_MEASURES", "country_changes", "report"]
