"""Trade-weighted effective tariff rate on the actual import mix, beside the Census collected rate.

Modelled: for each month, the panel rates of the partner on the 15th, weighted by the month's imports for
consumption by HTS10 (DataWeb rows in `trade_flows`: classification 'HS', level 10, program 'ALL' = total and
'USMCA' = entered claiming USMCA). Claimed value gets the USMCA rate, the rest the rate without a claim.
With claims 'census' each month's claimed value is calibrated to the Census published USMCA imports for
consumption (census-country series 0021 Mexico / 0022 Canada), see `calibrate_claims`.
Collected: Census calculated duties / imports for consumption (`census-duties` rows: classification 'TOTAL',
duty_usd set). The two differ for known reasons listed in docs/tariffs.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

import numpy as np

from nearshore.data import query
from nearshore.data.query import Scope, When
from nearshore.data.reference.countries import resolve_partner
from nearshore.data.store import Store
from nearshore.errors import DataNotFound
from nearshore.tariffs.panel import build_panel
from nearshore.tariffs.policy import Policy
from nearshore.tariffs.schedule import Schedule

Claims = Literal["census", "monthly", "second-half"]
CLAIMS: tuple[Claims, ...] = ("census", "monthly", "second-half")
# Census FT-900 series of imports for consumption entered claiming USMCA (S/S+), by partner
CENSUS_CLAIMED = {"MEX": "AGG_0021", "CAN": "AGG_0022"}


@dataclass(frozen=True)
class MonthRate:
    year: int
    month: int | None  # None for the year
    imports: float  # HTS10 imports for consumption, USD
    usmca_share: float  # USMCA-claimed share of the imports as modelled (calibrated with claims 'census')
    modelled_duty: float
    collected_duty: float | None
    collected_imports: float | None
    unmatched_value: float  # HTS10 codes not in the schedule revision used
    specific_value: float  # value on lines whose base rate has per-unit terms (modelled at their ad valorem part)

    @property
    def modelled_rate(self) -> float:
        return self.modelled_duty / self.imports if self.imports else 0.0

    @property
    def collected_rate(self) -> float | None:
        if self.collected_duty is None or not self.collected_imports:
            return None
        return self.collected_duty / self.collected_imports


@dataclass(frozen=True)
class EffectiveRate:
    partner: str
    year: int
    months: tuple[MonthRate, ...]
    total: MonthRate
    revision: str
    policy_version: str
    claims: Claims = "monthly"
    notes: tuple[str, ...] = ()


# The rows each read selects: HTS10 imports for consumption (all, and claimed under USMCA), the Census collected
# duties on imports for consumption, and the Census USMCA-claimed series.
HTS10_SCOPE = Scope(flow="imports", basis="consumption", classification="HS", level=10, programs=("ALL", "USMCA"))
COLLECTED_SCOPE = Scope(flow="imports", basis="consumption", with_duty=True)
CLAIMED_SCOPE = Scope(flow="imports", basis="consumption", program="USMCA")


def _imports(store: Store, partner: str, year: int, as_of: str | None) -> dict[int, dict[str, tuple[float, float]]]:
    """HTS10 -> (value, USMCA-claimed value) per month."""
    return _imports_and_sql(store, partner, year, as_of)[0]


def _imports_and_sql(
    store: Store, partner: str, year: int, as_of: str | None
) -> tuple[dict[int, dict[str, tuple[float, float]]], str]:
    """`_imports`, and the SQL that read them (for a provenance, without running it again)."""
    when = When.year(year, monthly=True)
    found = query.claims(store, HTS10_SCOPE.with_partners(partner), ("month", "commodity"), when, as_of)
    out: dict[int, dict[str, tuple[float, float]]] = {}
    for month, code, total, usmca, _ in found.rows:
        out.setdefault(int(month), {})[code] = (float(total or 0.0), float(usmca or 0.0))
    return out, found.sql


def _monthly(store: Store, scope: Scope, year: int, as_of: str | None) -> dict[int, tuple[float, float | None]]:
    """(value, duty) per month of `year` for a scope (collected duties; the Census USMCA series)."""
    rows = query.monthly(store, scope, (), year, None, as_of).rows
    return {int(m): (float(v), None if d is None else float(d)) for _, m, v, d in rows if v is not None}


def _collected(store: Store, partner: str, year: int, as_of: str | None) -> dict[int, tuple[float, float]]:
    """(calculated duty, imports for consumption) per month."""
    found = _monthly(store, COLLECTED_SCOPE.with_partners(partner), year, as_of)
    return {m: (float(d or 0.0), v) for m, (v, d) in found.items()}


def _census_claimed(store: Store, partner: str, year: int, as_of: str | None) -> dict[int, float]:
    """Census USMCA-claimed imports for consumption by month (empty for partners without a series)."""
    series = CENSUS_CLAIMED.get(partner)
    if series is None:
        return {}
    return {m: v for m, (v, _) in _monthly(store, CLAIMED_SCOPE.with_partners(series), year, as_of).items()}


def calibrate_claims(lines: dict[str, tuple[float, float]], target: float) -> dict[str, float]:
    """Each line's claimed value scaled so that the lines' claims add up to `target`.

    `lines`: HTS10 -> (value, DataWeb claimed value); a claim is first clipped to [0, value]. Above the DataWeb
    total, the missing claims are spread over the lines in proportion to their unclaimed room (value - claimed),
    so no line goes above its value; when the target exceeds every line's value, every line is fully claimed.
    Below it, every claim is scaled down by the same factor. The assumption: claims recorded late (or never) are
    missing in proportion to the value that could still have claimed, whatever the product.
    """
    claimed = {code: min(max(usmca, 0.0), value) for code, (value, usmca) in lines.items()}
    have = sum(claimed.values())
    if target >= have:
        room = {code: lines[code][0] - c for code, c in claimed.items()}
        total_room = sum(room.values())
        share = min(1.0, (target - have) / total_room) if total_room > 0 else 0.0
        return {code: c + share * room[code] for code, c in claimed.items()}
    factor = max(target, 0.0) / have
    return {code: c * factor for code, c in claimed.items()}


def _claims_by_month(
    imports: dict[int, dict[str, tuple[float, float]]], claims: Claims, census: dict[int, float]
) -> dict[int, dict[str, float]]:
    """The claimed value the model uses per month and line, for the claims mode."""
    shares = _second_half_shares(imports) if claims == "second-half" else None
    out: dict[int, dict[str, float]] = {}
    for month, lines in imports.items():
        if claims == "census" and month in census:
            out[month] = calibrate_claims(lines, census[month])
        elif shares is not None:
            out[month] = {
                code: value * shares.get(code, min(usmca, value) / value if value else 0.0)
                for code, (value, usmca) in lines.items()
            }
        else:
            out[month] = {code: min(max(usmca, 0.0), value) for code, (value, usmca) in lines.items()}
    return out


def check_claims(value: str) -> Claims:
    """The claims mode, validated: an error lists the allowed values."""
    for allowed in CLAIMS:
        if value == allowed:
            return allowed
    from nearshore.errors import InputError

    raise InputError(f"--claims {value!r} is not one of {', '.join(CLAIMS)}")


def _second_half_shares(imports: dict[int, dict[str, tuple[float, float]]]) -> dict[str, float]:
    """USMCA-claimed share of each HTS10 line over July-December (after claims caught up with the exemption)."""
    totals: dict[str, list[float]] = {}
    for month, lines in imports.items():
        if month < 7:
            continue
        for code, (value, usmca) in lines.items():
            acc = totals.setdefault(code, [0.0, 0.0])
            acc[0] += value
            acc[1] += min(usmca, value)
    return {code: claimed / value for code, (value, claimed) in totals.items() if value}


def _census_notes(
    partner: str, year: int, imports: dict[int, dict[str, tuple[float, float]]], census: dict[int, float]
) -> list[str]:
    """What the census calibration could not do: months without the series, targets above the imports."""
    series = CENSUS_CLAIMED.get(partner)
    if series is None:
        return [
            f"claims census: Census publishes a USMCA-claimed series for Mexico (0021) and Canada (0022) "
            f"only; {partner} uses the DataWeb claims"
        ]
    notes = []
    missing = [m for m in sorted(imports) if m not in census]
    if missing:
        where = ", ".join(f"{year}-{m:02d}" for m in missing)
        notes.append(
            f"claims census: the store holds no Census {series[4:]} USMCA series for {where}; DataWeb "
            "claims used for those months (load them: `nearshore data load census-country country.xlsx`)"
        )
    over = [m for m in sorted(census) if m in imports and census[m] > sum(v for v, _ in imports[m].values())]
    if over:
        where = ", ".join(f"{year}-{m:02d}" for m in over)
        notes.append(
            f"claims census: the Census {series[4:]} series exceeds the HTS10 imports in {where}; "
            "every line is taken as fully claimed"
        )
    return notes


def effective_rate(
    store: Store,
    schedule: Schedule,
    policy: Policy,
    *,
    partner: str,
    year: int,
    claims: Claims = "census",
    as_of: str | None = None,
) -> EffectiveRate:
    """Monthly and annual modelled vs collected rates for one partner and year.

    `claims`: 'monthly' weights each month by its own USMCA-claimed value; 'second-half' applies each line's
    July-December claimed share to every month (the Budget Lab's choice, as claims were recorded late in 2025);
    'census' calibrates each month's DataWeb claims to the Census USMCA series (`calibrate_claims`), with the
    DataWeb claims for months the store lacks the series (said in `notes`). `as_of` reads the store as it stood
    at that vintage (None: the current data).
    """
    claims = check_claims(claims)
    iso3 = resolve_partner(partner).id
    imports = _imports(store, iso3, year, as_of)
    if not imports:
        when = f" as of vintage {as_of}" if as_of else ""
        raise DataNotFound(
            f"the store holds no HTS10 imports for consumption from {iso3} in {year}{when}; load the DataWeb files "
            "with `nearshore data load dataweb usmca_product_shares_YYYY_MM.csv`"
        )
    collected = _collected(store, iso3, year, as_of)
    census = _census_claimed(store, iso3, year, as_of) if claims == "census" else {}
    notes = _census_notes(iso3, year, imports, census) if claims == "census" else []
    if as_of is not None:
        notes.append(f"as of vintage {as_of}: imports, claims and collected duties as the store held them then")
    modelled_claims = _claims_by_month(imports, claims, census)
    # the dated measures after the last recorded action: say so (the panel's note, once)
    notes.extend(n for n in dict.fromkeys(policy.currency_note(date(year, m, 15)) for m in imports) if n)
    months = [
        _month_rate(schedule, policy, iso3, year, month, imports[month], modelled_claims[month], collected.get(month))
        for month in sorted(imports)
    ]
    year_total = _year_total(year, months)
    return EffectiveRate(iso3, year, tuple(months), year_total, schedule.revision, policy.version, claims, tuple(notes))


def _month_rate(
    schedule: Schedule,
    policy: Policy,
    iso3: str,
    year: int,
    month: int,
    lines: dict[str, tuple[float, float]],
    month_claims: dict[str, float],
    got: tuple[float, float] | None,
) -> MonthRate:
    """One month's modelled duty on its HTS10 lines at the panel rates of the 15th, beside the collected duty."""
    panel = build_panel(schedule, policy, date(year, month, 15), partners=[iso3])
    index = {code: i for i, code in enumerate(panel.codes)}
    rate_all = panel.rates["total"][0].astype(np.float64)
    rate_usmca = panel.rates["total_usmca"][0].astype(np.float64)
    duty = unmatched = specific = total = claimed = 0.0
    for code, (value, _) in lines.items():
        usmca = month_claims[code]
        total += value
        claimed += usmca
        i = index.get(code)
        if i is None:
            unmatched += value
            continue
        duty += (value - usmca) * rate_all[i] + usmca * rate_usmca[i]
        if panel.base_specific[i]:
            specific += value
    return MonthRate(
        year,
        month,
        total,
        claimed / total if total else 0.0,
        duty,
        got[0] if got else None,
        got[1] if got else None,
        unmatched,
        specific,
    )


def _year_total(year: int, months: list[MonthRate]) -> MonthRate:
    """The year's row: sums of the months (collected figures only when every month has them)."""
    complete = all(m.collected_duty is not None for m in months)
    return MonthRate(
        year,
        None,
        sum(m.imports for m in months),
        sum(m.usmca_share * m.imports for m in months) / max(sum(m.imports for m in months), 1.0),
        sum(m.modelled_duty for m in months),
        sum(m.collected_duty or 0.0 for m in months) if complete else None,
        sum(m.collected_imports or 0.0 for m in months) if complete else None,
        sum(m.unmatched_value for m in months),
        sum(m.specific_value for m in months),
    )


__all__ = [
    "CENSUS_CLAIMED",
    "CLAIMS",
    "Claims",
    "EffectiveRate",
    "MonthRate",
    "calibrate_claims",
    "check_claims",
    "effective_rate",
]
