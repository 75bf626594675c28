"""The tariff series on the embedded snapshot (HTS 2025 Basic Edition, DataWeb 2025, census-hs2 2024), checked
against a plain re-aggregation of the panel (`build_panel`, itself checked line by line against `duty.calculate`
in test_panel.py): a loop over the weights in Python dicts, sharing none of the series' mapping, class or
aggregation code."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date

import numpy as np
import pytest

from nearshore.data import query
from nearshore.data.query import When
from nearshore.data.snapshot import open_store
from nearshore.data.store import Store
from nearshore.tariffs.panel import build_panel
from nearshore.tariffs.policy import load_policy
from nearshore.tariffs.schedule import Schedule, load_schedule
from nearshore.tariffs.series import TariffSeries, tariff_series
from nearshore.tariffs.series_classes import classes
from nearshore.tariffs.series_weights import HS2_SCOPE, HTS10_SCOPE

DAYS = (date(2025, 4, 10), date(2025, 9, 1), date(2026, 3, 1), date(2026, 5, 1))


@pytest.fixture(scope="module")
def snapshot() -> Iterator[tuple[Store, Schedule]]:
    with open_store() as store:
        yield store, load_schedule(store)


@pytest.fixture(scope="module")
def series(snapshot) -> TariffSeries:
    store, schedule = snapshot
    return tariff_series(
        store, schedule, load_policy(), partners=["MEX", "CHN", "ALL"], start=date(2025, 1, 1), end=date(2026, 12, 31)
    )


def _hts10_by_hand(store: Store, schedule: Schedule, partner: str, on: date) -> float:
    """Each DataWeb line of 2025 at its panel rate: July-December claimed share at the USMCA rate, the rest at the
    rate without a claim; codes missing from the revision at the mean of their 8- then 6-digit lines; 0 else."""
    scope = HTS10_SCOPE.with_partners(partner)
    year = {r[0]: (float(r[1]), float(r[2])) for r in query.claims(store, scope, ("commodity",), When.year(2025)).rows}
    late = query.claims(store, scope, ("commodity",), When.span((2025, 7), (2025, 12))).rows
    half = {r[0]: (float(r[1]), float(r[2])) for r in late}
    panel = build_panel(schedule, load_policy(), on, partners=[partner])
    plain = dict(zip(panel.codes, panel.rates["total"][0].tolist(), strict=True))
    claimed = dict(zip(panel.codes, panel.rates["total_usmca"][0].tolist(), strict=True))

    def rate(table: dict[str, float], code: str) -> float:
        if code in table:
            return table[code]
        for size in (8, 6):
            near = [table[c] for c in table if c.startswith(code[:size])] if code[:size] in prefixes[size] else []
            if near:
                return sum(near) / len(near)
        return 0.0

    prefixes = {size: {c[:size] for c in plain} for size in (8, 6)}

    duty = total = 0.0
    for code, (value, usmca) in year.items():
        h_value, h_usmca = half.get(code, (0.0, 0.0))
        share = min(h_usmca, h_value) / h_value if h_value else (min(usmca, value) / value if value else 0.0)
        duty += value * ((1 - share) * rate(plain, code) + share * rate(claimed, code))
        total += value
    return duty / total


def _chapter_means(codes: list[str], rates: list[float]) -> dict[str, float]:
    by_chapter: dict[str, list[float]] = {}
    for code, value in zip(codes, rates, strict=True):
        by_chapter.setdefault(code[:2], []).append(value)
    return {c: sum(v) / len(v) for c, v in by_chapter.items()}


def _census_2024(store: Store) -> dict[str, dict[str, float]]:
    """partner -> chapter -> 2024 value (the year's months summed; months with no imports are not stored)."""
    out: dict[str, dict[str, float]] = {}
    for partner, chapter, _, value, _ in query.yearly(store, HS2_SCOPE, ("partner", "commodity"), [2024]).rows:
        out.setdefault(partner, {})[chapter] = float(value)
    return out


def _chapters_by_hand(chapters: dict[str, float], means: dict[str, float]) -> tuple[float, float]:
    """(rate, total) of a partner's chapters at the chapter means; unrated chapters at 0."""
    duty = sum(value * means.get(chapter, 0.0) for chapter, value in chapters.items())
    total = sum(chapters.values())
    return duty / total, total


@pytest.mark.parametrize("on", DAYS)
def test_mexico_equals_the_panel_reaggregated_by_hand(snapshot, series, on):
    store, schedule = snapshot
    assert series.at("MEX", on).total == pytest.approx(_hts10_by_hand(store, schedule, "MEX", on), abs=2e-6)


@pytest.mark.parametrize("on", DAYS)
def test_china_equals_the_chapter_means_by_hand(snapshot, series, on):
    store, schedule = snapshot
    panel = build_panel(schedule, load_policy(), on, partners=["CHN"])
    means = _chapter_means(panel.codes, panel.rates["total"][0].tolist())
    china = _chapters_by_hand(_census_2024(store)["CHN"], means)[0]
    assert series.at("CHN", on).total == pytest.approx(china, abs=2e-6)


def test_components_add_up_and_steps_tile_the_period(series):
    for partner in series.partners:
        steps = series.of(partner)
        assert steps[0].start == series.start
        assert steps[-1].end == series.end
        for before, after in itertools.pairwise(steps):
            assert (after.start - before.end).days == 1
            assert before.rates != after.rates
        for step in steps:
            parts = sum(v for k, v in step.rates.items() if k != "total")
            assert step.total == pytest.approx(parts, abs=1e-12)


def test_countries_of_one_class_get_the_same_panel_rows(snapshot):
    """The series rates one country per class (series_classes): every member's own panel row must be that row."""
    _, schedule = snapshot
    policy = load_policy()
    for on in (date(2025, 4, 9), date(2025, 11, 14)):
        panel = build_panel(schedule, policy, on)
        groups = classes(policy, panel.partners, on)
        assert len(groups) < len(panel.partners) / 3
        index = {p: i for i, p in enumerate(panel.partners)}
        for members in groups.values():
            first = panel.rates["total"][index[members[0]]]
            for other in members[1:]:
                np.testing.assert_array_equal(panel.rates["total"][index[other]], first)


def test_all_is_every_partner_weighted_by_its_census_total(snapshot, series):
    """ALL on 2025-09-01 = sum over the countries of the census-hs2 2024 total x the country's rate (Canada
    and Mexico at their HTS10 rates, the others at their chapter means) / the sum of the totals."""
    store, schedule = snapshot
    on = date(2025, 9, 1)
    census = _census_2024(store)
    panel = build_panel(schedule, load_policy(), on, partners=sorted(census))
    duty = total = 0.0
    for i, partner in enumerate(panel.partners):
        means = _chapter_means(panel.codes, panel.rates["total"][i].tolist())
        rate, value = _chapters_by_hand(census[partner], means)
        if partner in ("CAN", "MEX"):
            rate = _hts10_by_hand(store, schedule, partner, on)
        duty += value * rate
        total += value
    assert series.bases[2].imports == pytest.approx(total)
    assert series.at("ALL", on).total == pytest.approx(duty / total, abs=2e-6)
