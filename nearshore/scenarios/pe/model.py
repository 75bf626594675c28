"""The single-market partial-equilibrium model of WITS-SMART, over many markets at once.

A market is one product g imported from several partners c (Armington varieties). For each line (g, c): baseline
imports M (at world prices, so value = quantity with the world price normalised to 1), the tariff before t0 and
after t1 (fractions of the customs value). Per product: the import demand elasticity e (< 0), the elasticity of
substitution between partners s (> 0) and the export supply elasticity x (> 0, inf = perfectly elastic).
Jammes & Olarreaga (2005), "Explaining SMART and GSIM", sections 1-2; the WITS SMART user manual, ch. 3.

    tau_c  = (t1_c - t0_c) / (1 + t0_c)                      change in the domestic price from the tariff
    TC_c   = e M_c tau_c / (1 - e / x)                        trade creation (x = inf: e M_c tau_c)
    pi_c   = TC_c / (M_c x)                                   change in the world price (0 when x = inf)
    PE_c   = M_c pi_c = TC_c / x                              price effect (value of the world price change)
    s1_c   = s0_c r_c^(-s) / sum_k s0_k r_k^(-s),  r = (1 + t1) / (1 + t0),  s0 = M / sum M
    TD_c   = (sum_k M_k) (s1_c - s0_c)                        trade diversion: the CES share reallocation at a
                                                              constant total, so sum_c TD_c = 0 and no partner
                                                              loses more than its imports (SMART's ceiling)
    V1_c   = M_c + TC_c + TD_c + PE_c                         imports after (value at world prices)
    dR_c   = t1_c V1_c - t0_c M_c                             tariff revenue change
    dCS_c  = -((1 + t1_c)(1 + pi_c) - (1 + t0_c)) (M_c + M_c + TC_c + TD_c) / 2
                                                              consumer surplus change (price change times the
                                                              mean of the quantities before and after)
    W_c    = dCS_c + dR_c                                     net welfare of the importing country

Doubling e doubles creation when x is infinite (the SMART manual: "Doubling this elasticity will double the change
in imports"); with no tariff change every effect is zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]

EFFECTS: Final = (
    "imports_base",
    "creation",
    "diversion",
    "price_effect",
    "total_effect",
    "imports_new",
    "revenue_base",
    "revenue_change",
    "consumer_surplus",
    "welfare",
    "duty_base_weighted",
    "duty_new_weighted",
)


@dataclass(frozen=True)
class Lines:
    """The lines of many markets: `product` indexes each line's market (0..n_products-1)."""

    product: Ints
    imports: Floats
    t0: Floats
    t1: Floats

    def __post_init__(self) -> None:
        n = len(self.product)
        if not all(len(a) == n for a in (self.imports, self.t0, self.t1)):
            raise ValueError("lines: product, imports, t0 and t1 must have the same length")


@dataclass(frozen=True)
class Parameters:
    """Per product: import demand (< 0), substitution (> 0) and export supply (> 0, inf allowed) elasticities."""

    import_demand: Floats
    substitution: Floats
    export_supply: Floats


@dataclass(frozen=True)
class Effects:
    """Per line, in the units of the imports (U.S. dollars): every name in EFFECTS."""

    values: dict[str, Floats]

    def __getitem__(self, name: str) -> Floats:
        return self.values[name]


def simulate(lines: Lines, params: Parameters) -> Effects:
    """The SMART effects of moving every line from t0 to t1 (see the module docstring)."""
    g = lines.product
    m, t0, t1 = lines.imports, lines.t0, lines.t1
    e, s, x = params.import_demand[g], params.substitution[g], params.export_supply[g]
    tau = (t1 - t0) / (1.0 + t0)
    damping = 1.0 - np.divide(e, x, out=np.zeros_like(e), where=np.isfinite(x))
    creation = e * m * tau / damping
    price_effect = np.divide(creation, x, out=np.zeros_like(creation), where=np.isfinite(x))
    diversion = _diversion(g, m, (1.0 + t1) / (1.0 + t0), s)
    quantity = m + creation + diversion
    imports_new = quantity + price_effect
    world_price = np.divide(price_effect, m, out=np.zeros_like(m), where=m > 0)
    price_change = (1.0 + t1) * (1.0 + world_price) - (1.0 + t0)
    revenue_base = t0 * m
    revenue_change = t1 * imports_new - revenue_base
    consumer = -price_change * (m + quantity) / 2.0
    values = {
        "imports_base": m,
        "creation": creation,
        "diversion": diversion,
        "price_effect": price_effect,
        "total_effect": creation + diversion + price_effect,
        "imports_new": imports_new,
        "revenue_base": revenue_base,
        "revenue_change": revenue_change,
        "consumer_surplus": consumer,
        "welfare": consumer + revenue_change,
        "duty_base_weighted": t0 * m,
        "duty_new_weighted": t1 * m,
    }
    return Effects(values)


def _diversion(product: Ints, imports: Floats, ratio: Floats, sigma: Floats) -> Floats:
    """TD_c = M_g (s1_c - s0_c) with CES shares at a constant total per market (sums to 0 in each market)."""
    n = int(product.max()) + 1 if len(product) else 0
    total = np.bincount(product, weights=imports, minlength=n)
    weighted = imports * ratio ** (-sigma)
    new_total = np.bincount(product, weights=weighted, minlength=n)
    base_total = total[product]
    share0 = np.divide(imports, base_total, out=np.zeros_like(imports), where=base_total > 0)
    share1 = np.divide(weighted, new_total[product], out=np.zeros_like(imports), where=new_total[product] > 0)
    diversion: Floats = base_total * (share1 - share0)
    return diversion


def aggregate(effects: Effects, groups: Ints, count: int) -> dict[str, Floats]:
    """Every effect summed over the lines of each group (0..count-1; -1 leaves a line out)."""
    keep = groups >= 0
    return {
        name: np.bincount(groups[keep], weights=values[keep], minlength=count).astype(np.float64)
        for name, values in effects.values.items()
    }


__all__ = ["EFFECTS", "Effects", "Lines", "Parameters", "aggregate", "simulate"]
