"""The general-equilibrium structural gravity system, solved with vectorised fixed-point iterations.

Notation (Anderson & van Wincoop 2003; Yotov et al. 2016, ch. 2; Anderson, Larch & Yotov 2018), i exporter,
j importer, T_ij = t_ij^(1-sigma) the trade-cost term, y_i = Y_i / sum Y output shares, e_j = E_j / sum E
expenditure shares, OMR_i = Pi_i^(1-sigma), IMR_j = P_j^(1-sigma):

    X_ij  = E_j y_i T_ij / (OMR_i IMR_j)
    OMR_i = sum_j T_ij e_j / IMR_j            IMR_j = sum_i T_ij y_i / OMR_i          IMR_ref = 1

The two resistance equations are a matrix-scaling problem (Sinkhorn-Knopp): alternating the two sums converges
to the unique solution given the normalisation. Output is an endowment valued at the factory-gate price p_i,
Y_i' = p_i Y_i, and expenditure keeps its baseline ratio to output, E_i' = phi_i Y_i'. The market-clearing
condition (beta_i p_i)^(1-sigma) = y_i / OMR_i, with beta_i calibrated so that baseline prices are 1, gives

    full      p_i = [ (sum Y' / sum Y) OMR_i' / OMR_i ]^(1/sigma), iterated with the resistances to a fixed point
    one-step  p_i = (OMR_i / OMR_i^c)^(1/(1-sigma)) with OMR^c the resistances at baseline output and
              expenditure: the first round of the Guide's iterative procedure, and what gegravity 0.3 reports
    conditional  p_i = 1: resistances adjust, output and expenditure stay at the baseline (the Guide's
              "conditional general equilibrium")

Every solve either meets its tolerance or raises NotConverged with the iterations and the residual.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal, get_args

import numpy as np

from nearshore.errors import InputError, NotConverged
from nearshore.scenarios.gravity.panel import FloatArray

Closure = Literal["full", "one-step", "conditional"]
CLOSURES: Final = get_args(Closure)
RESISTANCE_TOLERANCE_FACTOR: Final = 1e-3


@dataclass(frozen=True)
class Economy:
    """The baseline: countries, output Y_i, expenditure E_j and trade costs T_ij = t_ij^(1-sigma)
    (exporters in rows, importers in columns, both in `countries` order)."""

    countries: tuple[str, ...]
    output: FloatArray
    expenditure: FloatArray
    costs: FloatArray

    def __post_init__(self) -> None:
        n = len(self.countries)
        if self.costs.shape != (n, n) or self.output.shape != (n,) or self.expenditure.shape != (n,):
            raise InputError(f"inconsistent economy: {n} countries, costs {self.costs.shape}")
        _positive(self.output, "output", self.countries)
        _positive(self.expenditure, "expenditure", self.countries)
        check_costs(self.costs, self.countries, "baseline")

    def index(self, country: str) -> int:
        return self.countries.index(country)


@dataclass(frozen=True)
class Equilibrium:
    """One solved state: resistances (as powers 1-sigma), prices, output, expenditure and modelled trade."""

    omr: FloatArray
    imr: FloatArray
    price: FloatArray
    output: FloatArray
    expenditure: FloatArray
    trade: FloatArray
    iterations: int
    residual: float


@dataclass(frozen=True)
class Solver:
    """Tolerances and limits. `tolerance` bounds the largest relative change in prices (full closure) and,
    a thousand times tighter, in the resistances, between two iterations at the solution."""

    sigma: float = 7.0
    reference: int = 0
    closure: Closure = "full"
    tolerance: float = 1e-10
    max_iterations: int = 10_000

    def __post_init__(self) -> None:
        if not self.sigma > 1:
            raise InputError(f"sigma must be > 1 (goods are substitutes); got {self.sigma:g}")
        if not 0 < self.tolerance < 1e-2:
            raise InputError(f"tolerance must be between 0 and 0.01; got {self.tolerance:g}")
        if self.closure not in CLOSURES:
            raise InputError(f"closure {self.closure!r} is not one of: {', '.join(CLOSURES)}")


def resistances(
    costs: FloatArray,
    output_share: FloatArray,
    expenditure_share: FloatArray,
    reference: int,
    *,
    tolerance: float,
    max_iterations: int,
    start: FloatArray | None = None,
) -> tuple[FloatArray, FloatArray, int, float]:
    """OMR and IMR (powers 1-sigma) with IMR[reference] = 1; raises NotConverged."""
    imr = np.ones(len(output_share)) if start is None else start.copy()
    residual = np.inf
    for iteration in range(1, max_iterations + 1):
        omr = costs @ (expenditure_share / imr)
        updated = costs.T @ (output_share / omr)
        updated /= updated[reference]
        residual = float(np.max(np.abs(np.log(updated / imr))))
        imr = updated
        if residual < tolerance:
            return costs @ (expenditure_share / imr), imr, iteration, residual
    raise NotConverged(
        f"the multilateral resistances did not converge after {max_iterations:,} iterations: the largest "
        f"relative change was {residual:.3g}, above the tolerance {tolerance:.3g}. Raise --max-iterations, "
        "or check that every country's trade costs are finite and not all negligible",
        iterations=max_iterations,
        residual=residual,
        tolerance=tolerance,
    )


def baseline(economy: Economy, solver: Solver) -> Equilibrium:
    y = economy.output / economy.output.sum()
    e = economy.expenditure / economy.expenditure.sum()
    omr, imr, iterations, residual = resistances(
        economy.costs, y, e, solver.reference, tolerance=_inner(solver), max_iterations=solver.max_iterations
    )
    trade = _trade(economy.costs, y, economy.expenditure, omr, imr)
    ones = np.ones(len(y))
    return Equilibrium(omr, imr, ones, economy.output, economy.expenditure, trade, iterations, residual)


def counterfactual(economy: Economy, costs: FloatArray, solver: Solver, base: Equilibrium) -> Equilibrium:
    """The equilibrium under new trade costs `costs` (same layout as economy.costs)."""
    check_costs(costs, economy.countries, "counterfactual")
    if solver.closure == "full":
        return _full(economy, costs, solver, base)
    y = economy.output / economy.output.sum()
    e = economy.expenditure / economy.expenditure.sum()
    omr, imr, iterations, residual = resistances(
        costs, y, e, solver.reference, tolerance=_inner(solver), max_iterations=solver.max_iterations, start=base.imr
    )
    # conditional: prices stay at 1; one-step: the Guide's first price update
    price = np.ones(len(y)) if solver.closure == "conditional" else (base.omr / omr) ** (1.0 / (1.0 - solver.sigma))
    return _state(economy, costs, price, omr, imr, iterations, residual)


def _full(economy: Economy, costs: FloatArray, solver: Solver, base: Equilibrium) -> Equilibrium:
    phi = economy.expenditure / economy.output
    price = np.ones(len(economy.countries))
    imr = base.imr
    residual = np.inf
    for iteration in range(1, solver.max_iterations + 1):
        output = price * economy.output
        expenditure = phi * output
        omr, imr, _, _ = resistances(
            costs,
            output / output.sum(),
            expenditure / expenditure.sum(),
            solver.reference,
            tolerance=_inner(solver),
            max_iterations=solver.max_iterations,
            start=imr,
        )
        updated = ((output.sum() / economy.output.sum()) * omr / base.omr) ** (1.0 / solver.sigma)
        residual = float(np.max(np.abs(updated / price - 1.0)))
        price = updated
        if residual < solver.tolerance:
            output = price * economy.output
            omr, imr, _, _ = resistances(
                costs,
                output / output.sum(),
                phi * output / (phi * output).sum(),
                solver.reference,
                tolerance=_inner(solver),
                max_iterations=solver.max_iterations,
                start=imr,
            )
            return _state(economy, costs, price, omr, imr, iteration, residual)
    raise NotConverged(
        f"the general equilibrium did not converge after {solver.max_iterations:,} iterations: the largest "
        f"relative change in factory-gate prices was {residual:.3g}, above the tolerance {solver.tolerance:.3g}. "
        "Raise --max-iterations, or try a smaller shock or another --sigma",
        iterations=solver.max_iterations,
        residual=residual,
        tolerance=solver.tolerance,
    )


def _state(
    economy: Economy,
    costs: FloatArray,
    price: FloatArray,
    omr: FloatArray,
    imr: FloatArray,
    iterations: int,
    residual: float,
) -> Equilibrium:
    output = price * economy.output
    expenditure = economy.expenditure / economy.output * output
    trade = _trade(costs, output / output.sum(), expenditure, omr, imr)
    return Equilibrium(omr, imr, price, output, expenditure, trade, iterations, residual)


def _trade(costs: FloatArray, y: FloatArray, expenditure: FloatArray, omr: FloatArray, imr: FloatArray) -> FloatArray:
    result: FloatArray = costs * np.outer(y / omr, expenditure / imr)
    return result


def _inner(solver: Solver) -> float:
    return solver.tolerance * RESISTANCE_TOLERANCE_FACTOR


def check_costs(costs: FloatArray, countries: tuple[str, ...], which: str) -> None:
    bad = np.argwhere(~np.isfinite(costs) | (costs <= 0))
    if len(bad):
        i, j = (int(k) for k in bad[0])
        raise InputError(
            f"{which} trade cost for {countries[i]}->{countries[j]} is {costs[i, j]:g}; t^(1-sigma) must be a "
            f"positive finite number ({len(bad)} such pairs). Check the cost variables and coefficients"
        )


def _positive(values: FloatArray, what: str, countries: tuple[str, ...]) -> None:
    bad = np.flatnonzero(~np.isfinite(values) | (values <= 0))
    if len(bad):
        k = int(bad[0])
        raise InputError(
            f"{what} of {countries[k]} is {values[k]:g}; every country needs a positive {what} "
            "(its domestic flow, or the output/expenditure column)"
        )


__all__ = [
    "CLOSURES",
    "Closure",
    "Economy",
    "Equilibrium",
    "Solver",
    "baseline",
    "check_costs",
    "counterfactual",
    "resistances",
]
