"""The brief's policy side: the timeline drawn from the tariff policy file, the review's dates and the automotive
rules from the law, the next Census release, and the tariff engine's rates by sector on the actual import mix."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from nearshore.analytics import composition
from nearshore.data.snapshot import seed_from_snapshot
from nearshore.data.store import Store
from nearshore.tariffs.effective import effective_rate
from nearshore.tariffs.policy import load_policy
from nearshore.tariffs.schedule import load_schedule
from nearshore.writer import reference
from nearshore.writer.exposure import exposure
from nearshore.writer.timeline import rows, timeline

NAMES = {"MEX": "Mexico", "CAN": "Canada"}


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    with Store() as s:
        assert seed_from_snapshot(s)
        yield s


def test_the_timeline_for_mexico_follows_the_policy_file():
    policy = load_policy()
    found = rows(timeline(policy, ("MEX",), NAMES, date(2025, 1, 1)))
    first = found[0]
    assert (first.on, first.authority, first.whom, first.goods) == (
        date(2025, 3, 4),
        "IEEPA fentanyl/border",
        "Mexico",
        ("all goods",),
    )
    assert [f.value for f in first.facts] == [25.0]
    assert first.usmca == "goods that claim USMCA are exempt from 7 March 2025"  # EO 14232, heading 9903.01.04
    assert "EO 14194" in first.facts[0].source
    autos = next(r for r in found if r.goods == ("passenger vehicles and light trucks",))
    assert (autos.on, autos.basis) == (date(2025, 4, 3), "on the non-U.S. content")  # Proclamation 10908
    metals = next(r for r in found if r.on == date(2025, 6, 4))
    assert {f.value for f in metals.facts} == {50.0}  # Proclamation 10947
    ended = next(r for r in found if r.ended)
    assert (ended.on, ended.authority) == (date(2026, 2, 23), "IEEPA fentanyl/border")
    # the 2025 metal duties were replaced the next day by the April 2026 annexes: listed once, as the annexes
    assert not any(r.ended and r.authority == "Section 232" for r in found)
    assert found[-1].on <= policy.recorded_to
    # nothing the partner is excepted from: Mexico and Canada are outside the reciprocal tariff
    assert not any(r.authority == "IEEPA reciprocal" for r in found)


def test_canada_gets_its_own_rates_and_the_energy_rate():
    found = rows(timeline(load_policy(), ("CAN",), NAMES, date(2025, 1, 1)))
    ieepa = [r for r in found if r.authority == "IEEPA fentanyl/border" and not r.ended]
    assert [(r.on, [f.value for f in r.facts]) for r in ieepa] == [
        (date(2025, 3, 4), [25.0]),
        (date(2025, 8, 1), [35.0]),
    ]
    assert [f.value for f in ieepa[0].extra] == [10.0, 10.0]  # energy and critical minerals, potash (EO 14193)


def test_the_review_date_is_the_sixth_anniversary_of_entry_into_force():
    facts = {f.id: f for f in reference.review_facts()}
    # Proclamation 10053 para. 2: entry into force 1 July 2020; Article 34.7(2): review by the sixth anniversary;
    # Article 34.7(1): termination 16 years after entry into force unless extended
    assert facts["usmca.entry"].period == "2020-07-01"
    assert facts["usmca.review.date"].period == "2026-07-01"
    assert facts["usmca.term.end"].period == "2036-07-01"
    assert facts["usmca.review.date"].source.startswith("USMCA Article 34.7 (Review and Term Extension): ")
    assert reference.review_year() == 2026


@pytest.mark.shared
def test_the_labour_value_content_numbers_are_the_regulations(raw_dir: Path):
    text = (raw_dir / "canada_cusma_regulations" / "SOR-2020-155.txt").read_text(encoding="utf-8")
    facts = {f.id: f for f in reference.rules_facts(date(2026, 12, 3))}
    assert facts["usmca.lvc.passenger"].value == 40.0
    assert re.search(r"^40%, consisting of at least 25 percentage points of high-wage", text, re.M)
    assert facts["usmca.lvc.trucks"].value == 45.0
    assert "truck meets an LVC requirement of 45%" in text
    assert facts["usmca.lvc.wage"].value == 16.0
    assert text.count("US$16 in the United States;") >= 2  # qualifying wage-rate plants and assembly plants


def test_the_next_census_release_is_the_first_after_today():
    release, fact = reference.next_release(date(2026, 12, 3))
    assert release is not None
    assert fact is not None
    assert (release.month, release.on) == ("2026-10", date(2026, 12, 8))
    assert fact.id == "census.ft900.next.2026-12-08"  # a later brief's next release is another fact
    assert fact.label == "next FT-900 release (statistics for October 2026)"
    assert reference.next_release(date(2026, 12, 8)) == (None, None)  # past the dates shipped: none claimed
    assert reference.schedule_url() == "https://www.census.gov/foreign-trade/reference/release_schedule.html"


def test_exposure_totals_are_the_tariff_engines_effective_rate(store):
    schedule, policy = load_schedule(store), load_policy()
    both = exposure(store, ("CAN", "MEX"), 2025, schedule=schedule, policy=policy)
    rates = {p: effective_rate(store, schedule, policy, partner=p, year=2025).total for p in ("CAN", "MEX")}
    for partner, rate in rates.items():
        alone = exposure(store, (partner,), 2025, schedule=schedule, policy=policy)
        assert alone.total.imports == pytest.approx(rate.imports, rel=1e-12)
        assert alone.total.duty == pytest.approx(rate.modelled_duty, rel=1e-9)
    assert both.total.duty == pytest.approx(sum(r.modelled_duty for r in rates.values()), rel=1e-9)
    assert both.total.imports == pytest.approx(sum(r.imports for r in rates.values()), rel=1e-12)


def test_exposure_sectors_are_the_analytics_sectors(store):
    found = exposure(store, ("MEX",), 2025)
    sectors = {r.keys[0]: r.figures[0].value for r in composition(store, "MEX", year=2025).rows}
    assert {s.id for s in found.sectors} == set(sectors)
    for sector in found.sectors:
        assert sector.imports == pytest.approx(sectors[sector.id], rel=1e-9)  # the same import mix
        assert 0 <= sector.duty <= 0.5 * sector.imports
    steel = next(s for s in found.sectors if s.id == "steel-aluminum")
    assert steel.rate > found.total.rate  # the metals carry Section 232 duties with no USMCA exemption
