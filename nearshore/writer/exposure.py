"""Tariff exposure by sector: the tariff engine's rates on the actual import mix, as `nearshore tariff effective`
computes them, summed by the brief's named sectors.

For each month of the year, the rate panel of the partner on the 15th (every measure of the policy file stacked on
the HTS general rate) is applied to that month's imports for consumption by HTS10 line (DataWeb): the value that
claimed USMCA at the USMCA rate, the rest at the rate without a claim, with each month's claims calibrated to the
Census USMCA-claimed series (claims 'census', the default of `tariff effective`). A sector's rate is its modelled
duty over its imports; the total over every line is `effective_rate(...).total.modelled_rate`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np

from nearshore.analytics.result import Figure, Period, Provenance
from nearshore.analytics.sectors import all_sectors
from nearshore.data import query
from nearshore.data.query import When
from nearshore.errors import DataNotFound
from nearshore.tariffs import effective as eff
from nearshore.tariffs.panel import country_rates, kind_weights
from nearshore.tariffs.vector import line_arrays

if TYPE_CHECKING:
    from nearshore.data.store import Store
    from nearshore.tariffs.policy import Policy
    from nearshore.tariffs.schedule import Schedule
    from nearshore.tariffs.vector import LineArrays

METHOD = (
    "panel rates on the 15th of each month x HTS10 imports for consumption (DataWeb), USMCA-claimed value at the "
    "USMCA rate, claims calibrated to the Census USMCA series (as `nearshore tariff effective --claims census`)"
)


@dataclass(frozen=True)
class SectorDuty:
    """A sector's imports and modelled duty over the year (dollars)."""

    id: str
    name: str
    imports: float
    duty: float

    @property
    def rate(self) -> float:
        """Modelled duty over imports, percent."""
        return 100.0 * self.duty / self.imports if self.imports else 0.0


@dataclass(frozen=True)
class Exposure:
    """Modelled tariff duty on a year of imports from the partners: in total and by named sector."""

    partners: tuple[str, ...]
    year: int
    total: SectorDuty
    sectors: tuple[SectorDuty, ...]
    provenance: Provenance

    def figure(self, part: SectorDuty, label: str) -> Figure:
        return Figure(
            part.rate,
            "percent",
            label,
            Period.year(self.year),
            self.provenance,
            comparison=f"modelled duty / imports for consumption ({METHOD})",
            decimals=1,
        )


Lines = dict[int, dict[str, tuple[float, float]]]


def _imports(store: Store, partner: str, year: int, as_of: str | None) -> tuple[Lines, str]:
    """HTS10 code -> (imports, USMCA-claimed value) by month, as `tariff effective` reads them, and the SQL."""
    imports, sql = eff._imports_and_sql(store, partner, year, as_of)
    if not imports:
        raise DataNotFound(
            f"no HTS10 imports for consumption from {partner} in {year} in the store, so no tariff exposure by "
            "sector; load DataWeb files with `nearshore data load dataweb FILE`"
        )
    return imports, sql


def _partner_duty(
    store: Store,
    schedule: Schedule,
    policy: Policy,
    partner: str,
    year: int,
    as_of: str | None,
    held: tuple[Lines, str],
) -> tuple[dict[str, tuple[float, float]], Provenance]:
    """HTS10 code -> (imports, modelled duty) over the year, and where the imports came from; `held` is what
    `_imports` read (the lines and the SQL)."""
    imports, sql = held
    claims = eff._claims_by_month(imports, "census", eff._census_claimed(store, partner, year, as_of))
    arrays = line_arrays(schedule, policy)
    weights = kind_weights(arrays.metal_share)
    index = {line.code: i for i, line in enumerate(arrays.lines)}
    out: dict[str, tuple[float, float]] = {}
    for month in sorted(imports):
        rate_all, rate_usmca = _month_rates(arrays, weights, policy, partner, date(year, month, 15))
        lines = imports[month]
        at = np.array([index.get(code, -1) for code in lines], dtype=np.int64)
        value = np.array([v for v, _ in lines.values()], dtype=np.float64)
        usmca = np.array([claims[month][code] for code in lines], dtype=np.float64)
        duty = np.where(at >= 0, (value - usmca) * rate_all[at] + usmca * rate_usmca[at], 0.0)
        for code, v, d in zip(lines, value.tolist(), duty.tolist(), strict=True):
            before = out.get(code, (0.0, 0.0))
            out[code] = (before[0] + v, before[1] + d)
    when = When.year(year, monthly=True)
    scope = eff.HTS10_SCOPE.with_partners(partner)
    prov = query.provenance(store, scope, as_of, sql, METHOD, when=when)
    claimed = eff.CLAIMED_SCOPE.with_partners(eff.CENSUS_CLAIMED[partner])
    prov = prov.merge(query.provenance(store, claimed, as_of, "", when=when))
    return out, prov


def _month_rates(
    arrays: LineArrays, weights: Any, policy: Policy, partner: str, on: date
) -> tuple[np.ndarray[Any, np.dtype[np.float64]], np.ndarray[Any, np.dtype[np.float64]]]:
    """The partner's total rate on each line on `on`, without and with a USMCA claim, as `build_panel` gives them
    (stored as float32 there, so rounded the same way here: the brief's figures stay the panel's)."""
    policy.check_date(on)
    rates = country_rates(arrays, policy, partner, on, usmca=False, weights=weights)["total"]
    claimed = rates
    if partner in policy.groups.get("USMCA", frozenset()):
        claimed = country_rates(arrays, policy, partner, on, usmca=True, weights=weights)["total"]
    return rates.astype(np.float32).astype(np.float64), claimed.astype(np.float32).astype(np.float64)


def exposure(
    store: Store,
    partners: Sequence[str],
    year: int,
    *,
    as_of: str | None = None,
    schedule: Schedule | None = None,
    policy: Policy | None = None,
) -> Exposure:
    """The modelled duty on the year's imports from `partners` (ISO3), in total and for each named sector."""
    from nearshore.tariffs.policy import load_policy
    from nearshore.tariffs.schedule import load_schedule

    held = {partner: _imports(store, partner, year, as_of) for partner in partners}  # before the schedule loads
    schedule = schedule or load_schedule(store, as_of=as_of)
    policy = policy or load_policy()
    lines: dict[str, list[float]] = {}
    provs = []
    for partner in partners:
        found, prov = _partner_duty(store, schedule, policy, partner, year, as_of, held[partner])
        provs.append(prov)
        for code, (value, duty) in found.items():
            acc = lines.setdefault(code, [0.0, 0.0])
            acc[0] += value
            acc[1] += duty
    sectors = []
    for sector in all_sectors():
        covered = [v for code, v in lines.items() if code.startswith(sector.hs)]  # sector.covers, at C speed
        value = sum(v[0] for v in covered)
        if value:
            sectors.append(SectorDuty(sector.id, sector.name, value, sum(v[1] for v in covered)))
    total = SectorDuty("all", "all goods", sum(v[0] for v in lines.values()), sum(v[1] for v in lines.values()))
    first, *rest = provs
    prov = first.merge(*rest)
    prov = Provenance(
        (*prov.sources, "hts", "tariff-policy"),
        (*prov.vintages, f"HTS {schedule.revision}", f"policy {policy.version}"),
        prov.query,
        prov.notes,
    )
    return Exposure(tuple(partners), year, total, tuple(sectors), prov)


__all__ = ["METHOD", "Exposure", "SectorDuty", "exposure"]
