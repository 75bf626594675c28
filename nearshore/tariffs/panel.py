"""The rate panel: every statistical (HTS10) line x every partner country, on one date, vectorised.

For each country the policy's measures become numpy arrays over the lines (product masks x dated rates),
exemptions replace rates where their product masks hold, floors subtract the general rate, and the stacking
rules zero the excluded measures where a displacing measure applies. Rates are ad valorem: a line whose base
rate has specific (per-unit) terms carries only its ad valorem part and `base_specific = True`. The panel
assumes the metal content is the whole value for Section 232 metals and that no U.S. content is declared
(the upper bound); `total_usmca` is the rate when the goods claim USMCA (Canada and Mexico only).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from nearshore.tariffs.policy import Policy
from nearshore.tariffs.schedule import Schedule
from nearshore.tariffs.vector import KIND_CODES, base_rates, layers, line_arrays

AUTHORITY_COLUMNS = {
    "IEEPA fentanyl/border": "ieepa_fentanyl",
    "IEEPA reciprocal": "ieepa_reciprocal",
    "IEEPA country": "ieepa_country",
    "Section 232": "s232",
    "Section 301": "s301",
    "Section 122": "s122",
}
COLUMNS = ("base", *dict.fromkeys(AUTHORITY_COLUMNS.values()), "total", "total_usmca")
Floats = npt.NDArray[np.float64]
# with the metal content taken as the whole value and no U.S. content declared, these bases equal the value
_CHARGED = [KIND_CODES["value"], KIND_CODES["metal"], KIND_CODES["non-us"]]


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
    for i, country in enumerate(partners):
        base, _ = base_rates(arrays, policy, country, usmca=False)
        out["base"][i] = base
        total = base.copy()
        for layer in layers(policy, arrays, country, on, base, usmca=False):
            charged = np.where(np.isin(layer.kind, _CHARGED), layer.rate, 0.0)
            out[AUTHORITY_COLUMNS[layer.authority]][i] += charged
            total += charged
        out["total"][i] = total
        if country in usmca_countries:
            claimed_base, _ = base_rates(arrays, policy, country, usmca=True)
            claimed = claimed_base.copy()
            for layer in layers(policy, arrays, country, on, claimed_base, usmca=True):
                claimed += np.where(np.isin(layer.kind, _CHARGED), layer.rate, 0.0)
            out["total_usmca"][i] = claimed
        else:
            out["total_usmca"][i] = total
    specific = np.array([bool(line.general is not None and line.general.specific) for line in arrays.lines])
    return Panel(on, [line.code for line in arrays.lines], partners, specific, out, schedule.revision, policy.version)


def write_panel(panel: Panel, path: str) -> int:
    import pyarrow.parquet as pq

    table = panel.to_arrow()
    pq.write_table(table, path, compression="zstd")
    return int(table.num_rows)


__all__ = ["AUTHORITY_COLUMNS", "COLUMNS", "Panel", "build_panel", "write_panel"]
