"""What a GE counterfactual changes (a trade-cost variable, a cost, a tariff) and how it is solved (sigma, the
reference country, the closure): the inputs shared by the simulation and its report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from nearshore.scenarios.gravity.ge import Closure

DEFAULT_SIGMA: Final = 7.0
DEFAULT_REFERENCE: Final = "DEU"
CONSTANTS: Final = ("constant", "_cons", "(Intercept)", "Intercept")


@dataclass(frozen=True)
class SetVariable:
    """Set a trade-cost variable (e.g. rta = 0) for every ordered pair of two different `countries`."""

    variable: str
    value: float
    countries: tuple[str, ...]

    def describe(self) -> str:
        return f"{self.variable} set to {self.value:g} between every pair of {', '.join(self.countries)}"


@dataclass(frozen=True)
class CostChange:
    """Raise (or cut) the trade cost t_ij of `exporter`'s goods sold in `importer` by `percent`."""

    exporter: str
    importer: str
    percent: float

    def describe(self) -> str:
        return f"trade cost of goods from {self.exporter} in {self.importer} {self.percent:+g}%"


@dataclass(frozen=True)
class TariffChange:
    """An additional ad valorem tariff of `rate` percent by `importer` on goods from `exporter`; it enters
    the gravity equation as (1 + rate/100)^(-sigma) (Yotov et al. 2016, appendix B)."""

    exporter: str
    importer: str
    rate: float

    def describe(self) -> str:
        return f"{self.importer} tariff on goods from {self.exporter} raised by {self.rate:g} percentage points"


Change = SetVariable | CostChange | TariffChange


@dataclass(frozen=True)
class GESettings:
    """sigma: elasticity of substitution; reference: the country whose inward resistance is 1; output and
    expenditure: panel columns holding Y_i and E_j (None: the sums of the year's flows, domestic included)."""

    sigma: float = DEFAULT_SIGMA
    reference: str = DEFAULT_REFERENCE
    closure: Closure = "full"
    tolerance: float = 1e-10
    max_iterations: int = 10_000
    output: str | None = None
    expenditure: str | None = None


__all__ = [
    "CONSTANTS",
    "DEFAULT_REFERENCE",
    "DEFAULT_SIGMA",
    "Change",
    "CostChange",
    "GESettings",
    "SetVariable",
    "TariffChange",
]
