"""A general-equilibrium counterfactual on one year of a trade panel (the GEPPML procedure's model).

Anderson, Larch & Yotov (2018), "GEPPML: General equilibrium analysis with PPML", The World Economy 41(10),
and Yotov et al. (2016), ch. 2: the baseline is the structural gravity model at the year's output, expenditure
and trade costs; the counterfactual changes some trade costs (an RTA removed, a cost or tariff raised) and solves
for the new resistances, factory-gate prices, output, expenditure and trade. GEPPML reaches the same equilibrium
by re-estimating PPML with the costs as an offset, because PPML with exporter and importer fixed effects
reproduces the structural resistances exactly (Fally 2015); here the system is solved directly (`ge`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from nearshore.errors import InputError, UnknownCodeError
from nearshore.scenarios.gravity.changes import (
    CONSTANTS,
    DEFAULT_REFERENCE,
    DEFAULT_SIGMA,
    Change,
    CostChange,
    GESettings,
    SetVariable,
    TariffChange,
)
from nearshore.scenarios.gravity.costs import TradeCosts
from nearshore.scenarios.gravity.ge import Economy, Equilibrium, Solver, baseline, counterfactual
from nearshore.scenarios.gravity.panel import FloatArray, Panel
from nearshore.scenarios.gravity.report import report
from nearshore.scenarios.result import ScenarioResult


@dataclass(frozen=True)
class GEOutcome:
    """The solved baseline and counterfactual, and the figures."""

    economy: Economy
    baseline: Equilibrium
    scenario: Equilibrium
    result: ScenarioResult


def simulate(
    panel: Panel,
    costs: TradeCosts,
    changes: Sequence[Change],
    *,
    year: int | None = None,
    settings: GESettings | None = None,
) -> GEOutcome:
    """Solve the baseline and the counterfactual after `changes`; raise InputError or NotConverged."""
    settings = settings or GESettings()
    if not changes:
        raise InputError("no change to simulate: give one with --set, --cost or --tariff")
    year = _year(panel, year)
    rows = panel.select(panel.year == year)
    countries, i, j = _square(rows, year)
    _known(countries, changes, settings.reference, rows.origin)
    economy = Economy(countries, *_output_expenditure(rows, countries, i, j, settings), _costs(rows, costs, i, j))
    new_costs = _apply(rows, costs, changes, countries, i, j, settings.sigma)
    solver = Solver(
        settings.sigma,
        countries.index(settings.reference),
        settings.closure,
        settings.tolerance,
        settings.max_iterations,
    )
    base = baseline(economy, solver)
    scenario = counterfactual(economy, new_costs, solver, base)
    result = report(rows, year, economy, base, scenario, costs, changes, settings)
    return GEOutcome(economy, base, scenario, result)


def _year(panel: Panel, year: int | None) -> int:
    if year is None:
        if len(panel.years) == 1:
            return panel.years[0]
        raise InputError(f"{panel.origin} has years {panel.years[0]}-{panel.years[-1]}: name one with --year")
    if year not in panel.years:
        raise InputError(f"{panel.origin}: no flows for {year}; it has {', '.join(map(str, panel.years))}")
    return year


def _square(rows: Panel, year: int) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    countries = rows.countries
    index = {c: k for k, c in enumerate(countries)}
    i = np.array([index[c] for c in rows.exporter.tolist()], dtype=np.int64)
    j = np.array([index[c] for c in rows.importer.tolist()], dtype=np.int64)
    n = len(countries)
    present = np.zeros((n, n), dtype=bool)
    present[i, j] = True
    if not present.all():
        gaps = [f"{countries[a]}->{countries[b]}" for a, b in np.argwhere(~present)[:5].tolist()]
        raise InputError(
            f"{rows.origin}: {int((~present).sum())} of the {n * n} exporter x importer flows of {year} are missing "
            f"(e.g. {', '.join(gaps)}); the general-equilibrium model needs every pair, domestic flows included "
            "(write 0 for no trade)"
        )
    return countries, i, j


def _known(countries: tuple[str, ...], changes: Sequence[Change], reference: str, origin: str) -> None:
    named = [(reference, "--reference")]
    for change in changes:
        if isinstance(change, SetVariable):
            if len(set(change.countries)) < 2:
                raise InputError(f"--set {change.variable}: name at least two countries (got {change.countries})")
            named += [(c, f"--set {change.variable}") for c in change.countries]
        else:
            option = "--cost" if isinstance(change, CostChange) else "--tariff"
            named += [(change.exporter, option), (change.importer, option)]
    for code, option in named:
        if code not in countries:
            raise UnknownCodeError(
                f"unknown country {code!r} in {option}: {origin} has {len(countries)} countries "
                f"({', '.join(countries)}); use the codes of its exporter/importer columns"
            )


def _output_expenditure(
    rows: Panel, countries: tuple[str, ...], i: np.ndarray, j: np.ndarray, settings: GESettings
) -> tuple[FloatArray, FloatArray]:
    n = len(countries)
    output = (
        _per_country(rows, settings.output, i, n, countries)
        if settings.output
        else np.bincount(i, weights=rows.trade, minlength=n).astype(np.float64)
    )
    expenditure = (
        _per_country(rows, settings.expenditure, j, n, countries)
        if settings.expenditure
        else np.bincount(j, weights=rows.trade, minlength=n).astype(np.float64)
    )
    return output, expenditure


def _per_country(rows: Panel, column: str, who: np.ndarray, n: int, countries: tuple[str, ...]) -> FloatArray:
    values = rows.variable(column)
    first = np.full(n, np.nan)
    first[who[::-1]] = values[::-1]
    spread = np.abs(values - first[who]) > 1e-9 * np.abs(first[who])
    if spread.any():
        k = int(np.flatnonzero(spread)[0])
        raise InputError(
            f"{rows.origin}: column {column!r} should hold one value per country and year, but "
            f"{countries[who[k]]} has {first[who[k]]:g} and {values[k]:g}"
        )
    return first


def _matrix(values: FloatArray, i: np.ndarray, j: np.ndarray, n: int) -> FloatArray:
    out = np.zeros((n, n))
    out[i, j] = values
    return out


def _log_costs(
    rows: Panel, costs: TradeCosts, i: np.ndarray, j: np.ndarray, overrides: dict[str, FloatArray]
) -> FloatArray:
    n = int(i.max()) + 1
    total = np.zeros((n, n)) if costs.fixed is None else _aligned_fixed(rows, costs)
    for name, beta in costs.betas:
        if name in CONSTANTS:
            total = total + beta  # a common factor: changes no result, kept so costs match the estimation
            continue
        values = overrides.get(name)
        if values is None:
            values = _matrix(_variable(rows, name), i, j, n)
        total = total + beta * values
    return total


def _variable(rows: Panel, name: str) -> FloatArray:
    if name.startswith("ln_") and name not in rows.variables and name[3:] in rows.variables:
        values = rows.variable(name[3:])
        if (values <= 0).any():
            raise InputError(f"{rows.origin}: column {name[3:]!r} must be > 0 to enter the costs in logs")
        return np.log(values)
    return rows.variable(name)


def _aligned_fixed(rows: Panel, costs: TradeCosts) -> FloatArray:
    if costs.fixed is None or tuple(costs.countries) != rows.countries:
        raise InputError("the pair trade costs were built for other countries than this year's panel")
    return costs.fixed


def _costs(rows: Panel, costs: TradeCosts, i: np.ndarray, j: np.ndarray) -> FloatArray:
    return np.exp(_log_costs(rows, costs, i, j, {}))


def _apply(
    rows: Panel,
    costs: TradeCosts,
    changes: Sequence[Change],
    countries: tuple[str, ...],
    i: np.ndarray,
    j: np.ndarray,
    sigma: float,
) -> FloatArray:
    n = len(countries)
    overrides: dict[str, FloatArray] = {}
    shift = np.zeros((n, n))
    for change in changes:
        if isinstance(change, SetVariable):
            if change.variable not in costs.variables:
                raise InputError(
                    f"--set {change.variable}: the trade costs have no coefficient for {change.variable!r}; "
                    f"they use {', '.join(costs.variables)}"
                )
            matrix = overrides.get(change.variable)
            if matrix is None:
                matrix = _matrix(_variable(rows, change.variable), i, j, n)
            members = [countries.index(c) for c in change.countries]
            for a in members:
                for b in members:
                    if a != b:
                        matrix[a, b] = change.value
            overrides[change.variable] = matrix
        elif isinstance(change, CostChange):
            if not change.percent > -100:
                raise InputError(f"--cost {change.exporter}>{change.importer}: a cost change must be > -100%")
            a, b = countries.index(change.exporter), countries.index(change.importer)
            shift[a, b] += (1.0 - sigma) * np.log1p(change.percent / 100.0)
        else:
            if not change.rate > -100:
                raise InputError(f"--tariff {change.exporter}>{change.importer}: a tariff change must be > -100%")
            a, b = countries.index(change.exporter), countries.index(change.importer)
            shift[a, b] += -sigma * np.log1p(change.rate / 100.0)
    return np.exp(_log_costs(rows, costs, i, j, overrides) + shift)


__all__ = [
    "DEFAULT_REFERENCE",
    "DEFAULT_SIGMA",
    "Change",
    "CostChange",
    "GEOutcome",
    "GESettings",
    "SetVariable",
    "TariffChange",
    "simulate",
]
