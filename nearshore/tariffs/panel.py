"""The rate panel: every statistical (HTS10) line x every partner country, on one date, vectorised.

For each country the policy's measures become numpy arrays over the lines (product masks x dated rates),
exemptions replace rates where their product masks hold, floors subtract the general rate, and the stacking
rules zero the excluded measures where a displacing measure applies. Rates are ad valorem: a line whose base
rate has specific (per-unit) terms carries only its ad valorem part and `base_specific = True`. The panel
takes the metal content of a Section 232 derivative as estimated by the BEA metal shares (`policy.metal_estimate`,
the whole value for chapters 72, 73 and 76) and no declared U.S. content (the upper bound); measures that need a
claim (note 39 chips, quotas, U.S. metal) are left out, as for an entry that claims nothing. `total_usmca` is the
rate when the goods claim USMCA (Canada and Mexico only). Dates after the policy's last recorded action use the
measures in force then, and `notes` says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from nearshore.tariffs.policy import Policy
from nearshore.tariffs.schedule import Schedule
from nearshore.tariffs.vector import KIND_CODES, LineArrays, base_rates, layers, line_arrays

AUTHORITY_COLUMNS = {
    "IEEPA fentanyl/border": "ieepa_fentanyl",
    "IEEPA reciprocal": "ieepa_reciprocal",
    "IEEPA country": "ieepa_country",
    "Section 232": "s232",
    "Section 301": "s301",
    "Section 122": "s122",
    "Section 201": "s201",
}
COLUMNS = ("base", *dict.fromkeys(AUTHORITY_COLUMNS.values()), "total", "total_usmca")
Floats = npt.NDArray[np.float64]


def kind_weights(share: Floats) -> npt.NDArray[np.float64]:
    """(kinds x lines) fraction of the value each basis kind stands for: no U.S. content declared, metal content
    estimated (the BEA share of a derivative, the whole value otherwise)."""
    out = np.zeros((len(KIND_CODES), len(share)))
    out[KIND_CODES["value"]] = out[KIND_CODES["non-us"]] = 1.0
    out[KIND_CODES["metal"]] = share
    out[KIND_CODES["value-metal"]] = 1.0 - share
    return out


@dataclass(frozen=True)
class Panel:
    on: date
    codes: list[str]
    partners: list[str]
    base_specific: npt.NDArray[np.bool_]  # per line
    rates: dict[str, npt.NDArray[np.float32]]  # column -> (partners x lines)
    revision: str
    policy_version: str
    notes: tuple[str, ...] = ()

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
        if self.notes:
            metadata["notes"] = "; ".join(self.notes)
        return pa.table(data).replace_schema_metadata(metadata)

    def rate(self, hts10: str, partner: str, column: str = "total") -> float:
        return float(self.rates[column][self.partners.index(partner), self.codes.index(hts10)])


def country_rates(
    arrays: LineArrays, policy: Policy, country: str, on: date, usmca: bool, weights: Floats | None = None
) -> dict[str, Floats]:
    """One country's rates on `on` over the lines, with or without a USMCA claim: the base rate, each authority
    column (`AUTHORITY_COLUMNS` values) and `total` (fractions of customs value). `weights` are `kind_weights` of the
    lines' metal shares, computed here when not given."""
    if weights is None:
        weights = kind_weights(arrays.metal_share)
    base, _ = base_rates(arrays, policy, country, usmca=usmca)
    n = len(arrays.lines)
    out = {column: np.zeros(n) for column in dict.fromkeys(AUTHORITY_COLUMNS.values())}
    cols = np.arange(n)
    for layer in layers(policy, arrays, country, on, base, usmca=usmca):
        out[AUTHORITY_COLUMNS[layer.authority]] += layer.rate * _weights_of(weights, layer.kind, cols)
    total = base.copy()
    for column in out.values():
        total += column
    return {"base": base, **out, "total": total}


def _weights_of(weights: Floats, kind: npt.NDArray[np.int8], cols: npt.NDArray[np.int64]) -> Floats:
    """Each line's weight for its basis kind: `weights[kind, cols]`, or the kind's row itself when every line has
    the same kind (most layers; the same values without gathering them)."""
    gathered: Floats = weights[int(kind[0])] if len(kind) and (kind == kind[0]).all() else weights[kind, cols]
    return gathered


def build_panel(schedule: Schedule, policy: Policy, on: date, partners: list[str] | None = None) -> Panel:
    """Every HTS10 line x partner rate on `on` (fractions of customs value)."""
    from nearshore.data.reference.countries import census_table

    policy.check_date(on)
    arrays = line_arrays(schedule, policy)
    if partners is None:
        partners = sorted({p.id for p in census_table().values() if p.kind == "country"})
    shape = (len(partners), len(arrays.lines))
    out = {column: np.zeros(shape, dtype=np.float32) for column in COLUMNS}
    usmca_countries = policy.groups.get("USMCA", frozenset())
    weights = kind_weights(arrays.metal_share)
    for i, country in enumerate(partners):
        rates = country_rates(arrays, policy, country, on, usmca=False, weights=weights)
        for column, values in rates.items():
            out[column][i] = values
        if country in usmca_countries:
            out["total_usmca"][i] = country_rates(arrays, policy, country, on, usmca=True, weights=weights)["total"]
        else:
            out["total_usmca"][i] = rates["total"]
    specific = np.array([bool(line.general is not None and line.general.specific) for line in arrays.lines])
    notes = (policy.currency_note(on),) if policy.currency_note(on) else ()
    codes = [line.code for line in arrays.lines]
    return Panel(on, codes, partners, specific, out, schedule.revision, policy.version, notes)


def write_panel(panel: Panel, path: str) -> int:
    import pyarrow.parquet as pq

    table = panel.to_arrow()
    pq.write_table(table, path, compression="zstd")
    return int(table.num_rows)


__all__ = ["AUTHORITY_COLUMNS", "COLUMNS", "Panel", "build_panel", "country_rates", "kind_weights", "write_panel"]
