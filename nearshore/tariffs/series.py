"""The import-weighted average U.S. tariff on a partner's goods, every day, split by legal authority.

The rate only changes on the days the policy changes something (`batch.regime_boundaries`): the series rates the
panel (`panel.country_rates`, vectorised over every HTS10 line) on the first day and on each of those days, keeps a
new step where a partner's rates differ from the day before, and carries each step forward to the next.

Weights (`series_weights`): Canada and Mexico by HTS10 line (DataWeb imports for consumption of a whole year, each
line split into its USMCA-claimed part, rated with the claim, and the rest, rated without); every other partner by
HS chapter (Census general imports of a whole year), each chapter rated at the plain mean of its lines' rates
(`series_map`). `ALL` is every partner of the chapter file, each counting with its chapter-file total: Canada and
Mexico keep their HTS10 rates, scaled to that total, so their weight in `ALL` is of the same year and basis as
everyone else's. Value the schedule cannot rate (codes missing from the revision, chapters 98-99) stays in the
denominator at 0, as in the Budget Lab's tracker; the result says how much there is.

Components are shares of customs value: `mfn` (the column 1 general rate, column 2 for column-2 countries, the
USMCA rate on claimed value), `s232`, `s301`, `ieepa_fentanyl`, `ieepa_reciprocal`, `ieepa_country` (Brazil,
India), `s122`, `s201`; `total` is their sum.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

import numpy as np

from nearshore.data.reference.countries import resolve_partner
from nearshore.data.store import Store
from nearshore.errors import DataNotFound, InputError
from nearshore.tariffs.panel import country_rates, kind_weights
from nearshore.tariffs.policy import Policy
from nearshore.tariffs.schedule import Schedule
from nearshore.tariffs.series_basis import ALL, CLAIM_RULES, Basis, bases, notes
from nearshore.tariffs.series_classes import classes
from nearshore.tariffs.series_map import LineMap, chapter_map, hts10_map
from nearshore.tariffs.series_weights import (
    Claims,
    Floats,
    Weights,
    check_claims,
    hs2_weights,
    hts10_partners,
    hts10_weights,
)
from nearshore.tariffs.vector import LineArrays, line_arrays

COMPONENTS = ("mfn", "s232", "s301", "ieepa_fentanyl", "ieepa_reciprocal", "ieepa_country", "s122", "s201")
PANEL_COLUMN = {"mfn": "base"}  # the panel's name where it differs
WeightLevel = Literal["auto", "hs2"]
LEVELS: tuple[WeightLevel, ...] = ("auto", "hs2")


def check_level(value: str) -> WeightLevel:
    """The weight level, validated: an error lists the allowed values."""
    for allowed in LEVELS:
        if value == allowed:
            return allowed
    raise InputError(f"--weights {value!r} is not one of {', '.join(LEVELS)}", field="weights", value=value)


@dataclass(frozen=True)
class Step:
    """A partner's rates from `start` to `end` inclusive (fractions of customs value, by component and total)."""

    partner: str
    start: date
    end: date
    rates: dict[str, float]

    @property
    def total(self) -> float:
        return self.rates["total"]


@dataclass(frozen=True)
class TariffSeries:
    partners: tuple[str, ...]
    start: date
    end: date
    claims: Claims
    steps: tuple[Step, ...]
    bases: tuple[Basis, ...]
    revision: str
    policy_version: str
    notes: tuple[str, ...] = ()
    dates_rated: tuple[date, ...] = field(default=(), repr=False)

    def of(self, partner: str) -> list[Step]:
        return [s for s in self.steps if s.partner == partner]

    def at(self, partner: str, day: date) -> Step:
        """The step in force for `partner` on `day`."""
        for step in self.of(partner):
            if step.start <= day <= step.end:
                return step
        raise InputError(f"{day} is outside the series ({self.start} to {self.end}) or {partner} is not in it")

    def daily(self) -> Iterator[tuple[date, Step]]:
        """(day, step in force) for every partner and day of the series, partner by partner."""
        for step in self.steps:
            day = step.start
            while day <= step.end:
                yield day, step
                day += timedelta(days=1)


def rating_dates(policy: Policy, start: date, end: date) -> list[date]:
    """`start` and every day in (start, end] on which something in the policy changes."""
    from nearshore.tariffs.batch import regime_boundaries

    epoch = date(1970, 1, 1)
    changes = [epoch + timedelta(days=int(d)) for d in regime_boundaries(policy)]
    return [start, *(d for d in changes if start < d <= end)]


def _partners(text: Sequence[str]) -> list[str]:
    out: list[str] = []
    for item in text:
        item = item.strip()
        if not item:
            continue
        pid = ALL if item.upper() == ALL else resolve_partner(item).id
        if pid not in out:
            out.append(pid)
    if not out:
        raise InputError("no partner given; give ISO3 codes or ALL, e.g. --partner MEX,CAN,CHN,ALL", field="partner")
    return out


@dataclass
class _Plan:
    """What is rated: HTS10 partners with their maps, HS2 partners as rows of a chapter matrix."""

    hts10: dict[str, tuple[Weights, LineMap]]
    chapters: list[str]
    chapter_values: dict[str, Floats]  # partner -> value per chapter of `chapters`
    chapter_map: LineMap | None
    all_weight: dict[str, float]  # partner -> its weight in ALL (chapter-file total)


def _plan(
    store: Store,
    wanted: list[str],
    line_codes: list[str],
    claims: Claims,
    years: tuple[int | None, int | None],
    level: WeightLevel,
) -> tuple[_Plan, dict[str, Weights]]:
    hts10_year, hs2_year = years
    detailed = set(hts10_partners(store)) if level == "auto" else set()
    rated = [p for p in wanted if p != ALL]
    hs2: dict[str, Weights] = {}
    if ALL in wanted or any(p not in detailed for p in rated):
        hs2 = hs2_weights(store, hs2_year)
    for p in rated:
        if p not in detailed and p not in hs2:
            raise DataNotFound(
                f"the store holds no imports from {p} to weight its tariff rate (neither HTS10 nor census-hs2)",
                field="partner",
                value=p,
            )
    use_hts10 = [p for p in sorted(detailed) if p in rated or (ALL in wanted and p in hs2)]
    hts10 = {}
    for p in use_hts10:
        weights = hts10_weights(store, p, hts10_year, claims)
        hts10[p] = (weights, hts10_map(weights.codes, line_codes))
    by_chapter = [p for p in (sorted(hs2) if ALL in wanted else rated) if p not in hts10]
    chapters = sorted({c for p in by_chapter for c in hs2[p].codes})
    position = {c: i for i, c in enumerate(chapters)}
    values = {}
    for p in by_chapter:
        row = np.zeros(len(chapters))
        row[[position[c] for c in hs2[p].codes]] = hs2[p].values
        values[p] = row
    cmap = chapter_map(chapters, line_codes) if chapters else None
    all_weight = {p: hs2[p].total for p in hs2} if ALL in wanted else {}
    return _Plan(hts10, chapters, values, cmap, all_weight), hs2


def _vector(rates: dict[str, Floats], lmap: LineMap) -> Floats:
    """(components x units) rates of the units from the lines' rates."""
    return np.stack([lmap.rate(rates[PANEL_COLUMN.get(c, c)]) for c in COMPONENTS])


def _rate_date(plan: _Plan, policy: Policy, arrays: LineArrays, on: date, kinds: Floats) -> dict[str, Floats]:
    """partner -> component rates (fractions of its imports) on `on`."""
    out: dict[str, Floats] = {}
    for p, (weights, lmap) in plan.hts10.items():
        plain = _vector(country_rates(arrays, policy, p, on, usmca=False, weights=kinds), lmap)
        claimed = _vector(country_rates(arrays, policy, p, on, usmca=True, weights=kinds), lmap)
        mix = (1.0 - weights.claimed) * plain + weights.claimed * claimed
        out[p] = mix @ weights.values / weights.total
    if plan.chapter_map is not None:
        for members in classes(policy, plan.chapter_values, on).values():
            rates = country_rates(arrays, policy, members[0], on, usmca=False, weights=kinds)
            by_chapter = _vector(rates, plan.chapter_map)
            for p in members:
                row = plan.chapter_values[p]
                out[p] = by_chapter @ row / row.sum()
    if plan.all_weight:
        total = sum(plan.all_weight.values())
        out[ALL] = sum((w * out[p] for p, w in plan.all_weight.items()), np.zeros(len(COMPONENTS))) / total
    return out


def _steps(wanted: list[str], dates: list[date], by_date: list[dict[str, Floats]], end: date) -> list[Step]:
    steps: list[Step] = []
    for p in wanted:
        starts: list[tuple[date, Floats]] = []
        for day, rates in zip(dates, by_date, strict=True):
            if not starts or not np.allclose(rates[p], starts[-1][1], rtol=0.0, atol=1e-12):
                starts.append((day, rates[p]))
        for i, (day, vec) in enumerate(starts):
            until = starts[i + 1][0] - timedelta(days=1) if i + 1 < len(starts) else end
            values = {c: float(v) for c, v in zip(COMPONENTS, vec, strict=True)}
            values["total"] = float(vec.sum())
            steps.append(Step(p, day, until, values))
    return steps


def tariff_series(
    store: Store,
    schedule: Schedule,
    policy: Policy,
    *,
    partners: Sequence[str],
    start: date,
    end: date,
    claims: str = "second-half",
    hts10_year: int | None = None,
    hs2_year: int | None = None,
    weights: str = "auto",
) -> TariffSeries:
    """The daily import-weighted tariff series of `partners` (ISO codes, names or `ALL`) from `start` to `end`.

    `claims` is the USMCA-claim assumption for HTS10 partners (`CLAIM_RULES`); `hts10_year` and `hs2_year` the
    weight years (default: the last complete year of each in the store); `weights` 'auto' weights by HTS10 where
    the store has it and by HS chapter elsewhere, 'hs2' by HS chapter for every partner (to measure what the
    chapter rule costs where HTS10 is known).
    """
    mode = check_claims(claims)
    level = check_level(weights)
    policy.check_date(start)
    if end < start:
        raise InputError(f"--to {end} is before --from {start}; give an end on or after the start", field="to")
    wanted = _partners(partners)
    arrays = line_arrays(schedule, policy)
    plan, hs2 = _plan(store, wanted, [x.code for x in arrays.lines], mode, (hts10_year, hs2_year), level)
    dates = rating_dates(policy, start, end)
    kinds = kind_weights(arrays.metal_share)
    by_date = [_rate_date(plan, policy, arrays, on, kinds) for on in dates]
    return TariffSeries(
        tuple(wanted),
        start,
        end,
        mode,
        tuple(_steps(wanted, dates, by_date, end)),
        tuple(bases(wanted, plan.hts10, hs2, plan.chapter_map, plan.chapters, mode)),
        schedule.revision,
        policy.version,
        tuple(notes(policy, end, mode, schedule.revision)),
        tuple(dates),
    )


__all__ = [
    "ALL",
    "CLAIM_RULES",
    "COMPONENTS",
    "LEVELS",
    "Basis",
    "Step",
    "TariffSeries",
    "WeightLevel",
    "check_level",
    "rating_dates",
    "tariff_series",
]
