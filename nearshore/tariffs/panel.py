"""The rate panel: every statistical (HTS10) line x every partner country, on one date, vectorised.

For each country the policy's measures become numpy arrays over the lines (product masks x dated rates),
exemptions replace rates where their product masks hold, floors subtract the general rate, and the stacking
rules zero the excluded measures where a displacing measure applies. Rates are ad valorem: a line whose base
rate has specific (per-unit) terms carries only its ad valorem part and `base_specific = True`. The panel
assumes the metal content is the whole value for Section 232 metals and that no U.S. content is declared
(the upper bound); `total_usmca` is the rate when the goods claim USMCA (Canada and Mexico only).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from nearshore.tariffs.policy import Measure, Policy
from nearshore.tariffs.schedule import Line, Schedule

AUTHORITY_COLUMNS = {
    "IEEPA fentanyl/border": "ieepa_fentanyl", "IEEPA reciprocal": "ieepa_reciprocal",
    "IEEPA country": "ieepa_country", "Section 232": "s232", "Section 301": "s301", "Section 122": "s122",
}
COLUMNS = ("base", *dict.fromkeys(AUTHORITY_COLUMNS.values()), "total", "total_usmca")
Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Panel:
    on: date
    codes: list[str]
    partners: list[str]
    base_specific: npt.NDArray[np.bool_]  # per line
    rates: dict[str, npt.NDArray[np.float32]]  # column -> (partners x lines)
    revision: str
    policy_version: str

    @property
    def rows(self) -> int:
        return len(self.codes) * len(self.partners)

    def to_arrow(self) -> Any:
        import pyarrow as pa

        n_lines, n_partners = len(self.codes), len(self.partners)
        line_index = np.tile(np.arange(n_lines, dtype=np.int32), n_partners)
        partner_index = np.repeat(np.arange(n_partners, dtype=np.int32), n_lines)
        data: dict[str, Any] = {
            "hts10": pa.DictionaryArray.from_arrays(pa.array(line_index), pa.array(self.codes)),
            "partner": pa.DictionaryArray.from_arrays(pa.array(partner_index), pa.array(self.partners)),
            "base_specific": pa.array(np.tile(self.base_specific, n_partners)),
        }
        for column in COLUMNS:
            data[column] = pa.array(self.rates[column].reshape(-1))
        metadata = {"date": self.on.isoformat(), "hts_revision": self.revision, "policy_version": self.policy_version}
        return pa.table(data).replace_schema_metadata(metadata)

    def rate(self, hts10: str, partner: str, column: str = "total") -> float:
        return float(self.rates[column][self.partners.index(partner), self.codes.index(hts10)])


def _ad_valorem(rate: Any) -> float:
    return float(rate.ad_valorem) if rate is not None else 0.0


def _has_specific(line: Line) -> bool:
    return bool(line.general is not None and line.general.specific)


def _mask(lines: list[Line], covers: Callable[[str], bool]) -> npt.NDArray[np.bool_]:
    return np.fromiter((covers(line.code) for line in lines), dtype=bool, count=len(lines))


def _measure_rates(measure: Measure, country: str, on: date, base: Floats, masks: dict[str, Any],
                   usmca: bool) -> Floats | None:
    if not measure.covers_country(country):
        return None
    period = measure.period(country, on)
    if period is None:
        return None
    n = len(base)
    rate = np.full(n, period.rate)
    if period.floor:
        rate = np.maximum(period.rate - base, 0.0)
    for ex in reversed(measure.exemptions):  # the first exemption that matches wins, as in duty.py
        if not ex.active(on) or (ex.usmca and not usmca) or ex.us_content or ex.rate is None:
            continue
        where = masks[f"{measure.id}/{ex.id}"]
        rate = np.where(where, ex.rate, rate) if where is not None else np.full(n, ex.rate)
    result: Floats = np.where(masks[measure.id], rate, 0.0)
    return result


def _country_rates(policy: Policy, country: str, on: date, base: Floats, masks: dict[str, Any],
                   usmca: bool) -> dict[str, Floats]:
    by_measure = {}
    for measure in policy.measures:
        rates = _measure_rates(measure, country, on, base, masks, usmca)
        if rates is not None:
            by_measure[measure.id] = rates
    for rule in policy.stacking:
        if on < rule.start:
            continue
        present = [by_measure[m] for m in rule.when if m in by_measure]
        if not present:
            continue
        displaced = np.logical_or.reduce([r > 0 for r in present])
        for excluded in rule.excludes:
            if excluded in by_measure:
                by_measure[excluded] = np.where(displaced, 0.0, by_measure[excluded])
    return by_measure


def build_panel(schedule: Schedule, policy: Policy, on: date, partners: list[str] | None = None) -> Panel:
    """Every HTS10 line x partner rate on `on` (fractions of customs value)."""
    from nearshore.data.reference.countries import census_table

    policy.check_date(on)
    lines = [line for line in schedule.statistical_lines() if line.general is not None]
    if partners is None:
        partners = sorted({p.id for p in census_table().values() if p.kind == "country"})
    codes = [line.code for line in lines]
    general = np.array([_ad_valorem(line.general) for line in lines])
    column2 = np.array([_ad_valorem(line.column2) for line in lines])
    usmca_base = np.array([_ad_valorem(_usmca_rate(line)) for line in lines])
    masks: dict[str, Any] = {}
    for measure in policy.measures:
        masks[measure.id] = _mask(lines, measure.products.covers)
        for ex in measure.exemptions:
            masks[f"{measure.id}/{ex.id}"] = None if ex.products is None else _mask(lines, ex.products.covers)
    shape = (len(partners), len(lines))
    out = {column: np.zeros(shape, dtype=np.float32) for column in COLUMNS}
    usmca_countries = policy.groups.get("USMCA", frozenset())
    for i, country in enumerate(partners):
        base = column2 if country in policy.column2 else general
        out["base"][i] = base
        total = base.copy()
        for measure_id, rates in _country_rates(policy, country, on, base, masks, usmca=False).items():
            column = AUTHORITY_COLUMNS[policy.measure(measure_id).authority]
            out[column][i] += rates
            total += rates
        out["total"][i] = total
        if country in usmca_countries:
            claimed = usmca_base.copy()
            for rates in _country_rates(policy, country, on, usmca_base, masks, usmca=True).values():
                claimed += rates
            out["total_usmca"][i] = claimed
        else:
            out["total_usmca"][i] = total
    specific = np.array([_has_specific(line) for line in lines])
    return Panel(on, codes, partners, specific, out, schedule.revision, policy.version)


def _usmca_rate(line: Line) -> Any:
    from nearshore.tariffs.special import program_rate

    for code in ("S", "S+"):
        rate = program_rate(line.special, code)
        if rate is not None:
            return rate
    return line.general


def write_panel(panel: Panel, path: str) -> int:
    import pyarrow.parquet as pq

    table = panel.to_arrow()
    pq.write_table(table, path, compression="zstd")
    return int(table.num_rows)


__all__ = ["AUTHORITY_COLUMNS", "COLUMNS", "Panel", "build_panel", "write_panel"]
