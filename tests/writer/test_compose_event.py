"""What `compose_brief` gives each topic and year on the embedded snapshot: the tariff-event comparison dated by
events.yaml and given per partner, the annual USMCA share beside the months, the HS-chapter view where HTS10 detail
is missing, and the parts of the policy side (timeline, exposure, review terms)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from nearshore.analytics.events import get_event
from nearshore.data.snapshot import seed_from_snapshot
from nearshore.data.store import Store
from nearshore.writer import brief_facts
from nearshore.writer.compose import compose_brief

TODAY = date(2026, 12, 3)


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    with Store() as s:
        assert seed_from_snapshot(s)
        yield s


def value(composition, role: str) -> float:
    return composition.facts.get(composition.roles[role]).value


def test_event_falls_after_the_brief_year(store: Store) -> None:
    event = get_event(brief_facts.TARIFF_EVENT)
    assert (event.date.year, event.date.month) == (2025, 3)  # events.yaml: EO 14193/14194 in effect March 4, 2025
    composition = compose_brief(store, "us-mexico", year=2024, today=TODAY)
    assert not any(role.startswith("event") for role in composition.roles)
    assert "event_change left out: the March 2025 tariffs fall after the brief's year 2024" in composition.missing


@pytest.mark.parametrize(
    ("topic", "own", "others"),
    [
        ("us-mexico", "mex", {"event:Canada": "can", "event:Canada and Mexico": "canmex"}),
        ("us-canada", "can", {"event:Mexico": "mex", "event:Canada and Mexico": "canmex"}),
        ("north-america", "canmex", {"event:Mexico": "mex", "event:Canada": "can"}),
    ],
)
def test_each_partner_gets_its_own_figure_with_the_others_beside_it(store: Store, topic, own, others) -> None:
    composition = compose_brief(store, topic, year=2025, today=TODAY)
    span = "2025-03_2025-12"
    assert composition.roles["event_self"] == f"{own}.trade.change.{span}"
    for role, prefix in others.items():
        assert composition.roles[role] == f"{prefix}.trade.change.{span}"
    by_id = composition.facts.by_id
    # Census FT-900, exports plus imports, March-December 2025 against March-December 2024
    assert by_id[f"mex.trade.change.{span}"].value == pytest.approx(3.882, abs=0.001)
    assert by_id[f"can.trade.change.{span}"].value == pytest.approx(-8.492, abs=0.001)
    assert by_id[f"canmex.trade.change.{span}"].value == pytest.approx(-2.003, abs=0.001)


def test_the_year_share_of_usmca_claims_is_the_year_and_the_month_is_a_month(store: Store) -> None:
    composition = compose_brief(store, "us-mexico", year=2025, today=TODAY)
    assert composition.roles["usmca_share"] == "mex.usmca.share.2025"
    assert value(composition, "usmca_share") == pytest.approx(79.41, abs=0.01)  # the 2025 annual share
    assert composition.roles["usmca_month_last"] == "mex.usmca.share.2025-12"
    assert value(composition, "usmca_month_last") == pytest.approx(88.51, abs=0.01)  # December 2025
    assert value(composition, "usmca_share_prev_year") == pytest.approx(49.75, abs=0.01)
    assert "mex.usmca.share.2025" in composition.outline.key_numbers
    assert "mex.usmca.share.2025-12" not in composition.outline.key_numbers


def test_2024_gets_hs_chapters_from_the_census_hs2_file(store: Store) -> None:
    composition = compose_brief(store, "us-mexico", year=2024, today=TODAY)
    by_id = composition.facts.by_id
    vehicles = by_id["mex.chapter.87.share.2024"]
    assert vehicles.source == "census-hs2"
    assert vehicles.value == pytest.approx(27.01, abs=0.01)
    assert composition.roles["chapter:vehicles and parts (chapter 87)"] == "mex.chapter.87.share.2024"
    # only the sectors made of whole chapters: energy, agriculture and food, steel and aluminium
    sectors = sorted(r for r in composition.roles if r.startswith("sector:"))
    assert sectors == ["sector:Agriculture and food", "sector:Energy", "sector:Steel and aluminium"]
    assert composition.roles["auto_value"] == "mex.chapter.87.value.2024"
    plan = next(p for p in composition.outline.sections if p.id == "sectors")
    assert plan.extra == {"chapters_only": True}
    assert any("HS chapter" in line and "only for later years" in line for line in composition.methodology)
    assert not any(r.startswith("tariff") for r in composition.roles)  # no HTS10 imports, no modelled rates


def test_the_policy_side_of_the_brief(store: Store) -> None:
    composition = compose_brief(store, "us-canada", year=2025, today=TODAY)
    roles = composition.roles
    timeline = next(p for p in composition.outline.sections if p.id == "timeline")
    first = timeline.extra["rows"][0]
    assert (first["on"], first["authority"], first["whom"]) == (date(2025, 3, 4), "IEEPA fentanyl/border", "Canada")
    assert [composition.facts.get(i).value for i in first["ids"]] == [25.0]
    assert [name for name, _ in first["reduced"]] == ["energy and critical minerals", "potash"]
    assert roles["energy_rate"] == "policy.ieepa-fentanyl-can.energy-critical-minerals.2025-03-04"
    assert roles["review_date"] == "usmca.review.date"
    assert composition.facts.get("usmca.review.date").period == "2026-07-01"
    assert composition.facts.get("usmca.term.end").period == "2036-07-01"
    assert roles["next_release"] == "census.ft900.next.2026-12-08"
    assert value(composition, "lvc_wage") == 16.0
    assert value(composition, "tariff_rate") == pytest.approx(4.8, abs=0.05)
