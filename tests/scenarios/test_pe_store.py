"""The PE engine on the embedded snapshot: scenario files as policy edits, the lacking-partner message, bad input."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from nearshore.data.snapshot import seed_from_snapshot
from nearshore.data.store import Store
from nearshore.errors import InputError, ValidationFailed
from nearshore.scenarios.pe.policy_edits import scenario_policy
from nearshore.scenarios.pe.scenario_file import parse_scenario, read_scenario
from nearshore.scenarios.pe.service import TariffRequest, simulate_tariff
from nearshore.tariffs import build_panel, calculate, load_policy, load_schedule
from nearshore.tariffs.duty import Entry
from nearshore.tariffs.vector import line_arrays

ON = dt.date(2026, 4, 29)


@pytest.fixture(scope="module")
def snapshot() -> Iterator[Store]:
    with Store(":memory:") as store:
        seed_from_snapshot(store)
        yield store


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_added_measure_is_priced_by_the_engine(snapshot: Store, tmp_path: Path) -> None:
    """25% on Mexican goods not claiming USMCA: the engine's own duty on one line, with and without a claim."""
    path = _write(
        tmp_path,
        "changes:\n  - add_measure: {id: mex-25, authority: IEEPA country, countries: [MEX], rate: 25%,"
        " exempt_usmca: true}\n",
    )
    policy = scenario_policy(read_scenario(path), ON)
    schedule = load_schedule(snapshot)
    base = calculate(Entry("8708.99.81", "MX", 1000.0, ON), schedule, load_policy())
    after = calculate(Entry("8708.99.81", "MX", 1000.0, ON), schedule, policy)
    claimed = calculate(Entry("8708.99.81", "MX", 1000.0, ON, usmca=True), schedule, policy)
    assert after.total - base.total == pytest.approx(250.0)
    assert claimed.total == calculate(Entry("8708.99.81", "MX", 1000.0, ON, usmca=True), schedule, load_policy()).total


def test_shared_arrays_give_the_engines_panel(snapshot: Store, tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "changes:\n  - add_measure: {id: chn-9, authority: Section 301, countries: [CHN], products: 'chapters:85',"
        " rate: 0.09}\n",
    )
    base = load_policy()
    policy = scenario_policy(read_scenario(path), ON)
    fresh = load_schedule(snapshot)
    expected = build_panel(fresh, policy, ON, ["CHN", "MEX"])
    shared = load_schedule(snapshot)
    line_arrays(shared, policy, like=base)
    got = build_panel(shared, policy, ON, ["CHN", "MEX"])
    assert np.array_equal(got.rates["total"], expected.rates["total"])


def test_set_rate_wins_from_the_scenario_date(snapshot: Store) -> None:
    scenario = parse_scenario({"changes": [{"set_rate": {"measure": "s232-autos", "rate": "15%"}}]}, "s.yaml")
    policy = scenario_policy(scenario, ON)
    schedule = load_schedule(snapshot)
    entry = Entry("8703.23.01", "DE", 10000.0, ON)
    layers = {c.layer: c.rate for c in calculate(entry, schedule, policy).components}
    assert layers.get("s232-autos") != 0.25  # Germany keeps its 15% floor deal; the general rate is now 15%
    entry = Entry("8703.23.01", "BR", 10000.0, ON)
    assert {c.layer: c.rate for c in calculate(entry, schedule, policy).components}["s232-autos"] == pytest.approx(0.15)


def test_withdrawal_raises_mexicos_tariff_on_chapter_87_only(snapshot: Store, tmp_path: Path) -> None:
    path = _write(tmp_path, "changes:\n  - withdraw_preference: {products: 'chapters:87', countries: [MEX]}\n")
    result = simulate_tariff(snapshot, TariffRequest(scenario=path, top=5))
    mex_old = result.figure("partners", "tariff_old", partner="MEX").value
    mex_new = result.figure("partners", "tariff_new", partner="MEX").value
    can = result.figure("partners", "tariff_new", partner="CAN").value
    assert mex_new > mex_old
    assert can == pytest.approx(result.figure("partners", "tariff_old", partner="CAN").value)
    assert result.figure("partners", "total_effect", partner="MEX").value < 0
    assert result.figure("totals", "diversion", market="all").value == pytest.approx(0.0, abs=1e-3)
    notes = " ".join(result.provenance.notes)
    assert "lacks" in notes
    assert "CHN" in notes
    assert result.assumption("scenario").value == "scenario"
    assert result.figure("sectors", "total_effect", sector="automotive").value < 0


def test_engine_at_the_same_date_changes_nothing(snapshot: Store) -> None:
    result = simulate_tariff(snapshot, TariffRequest(at=ON, baseline_date=ON, level="hs2", year=2024, top=3))
    totals = result.table("totals")
    for measure in ("creation", "diversion", "price_effect", "revenue_change", "welfare"):
        assert totals.figure(measure, market="all").value == pytest.approx(0.0, abs=1e-6)
    assert len(result.table("partners")) > 100  # census-hs2: every partner


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("changes:\n  - set_rate: {measure: s232-autos, rate: 25}\n", "changes[0].set_rate.rate"),
        ("changes:\n  - set_rate: {measure: s232-autos, rate: 0.1, when: 2026}\n", "changes[0].set_rate.when"),
        ("changes:\n  - raise_everything: {rate: 0.1}\n", "changes[0].raise_everything"),
        ("colour: red\nchanges: []\n", "scenario.colour"),
        ("changes:\n  - add_measure: {id: x, authority: Magic, rate: 0.1}\n", "changes[0].add_measure.authority"),
        ("changes:\n  - withdraw_preference: {products: 'chapter 87'}\n", "changes[0].withdraw_preference.products"),
        ("changes:\n  - withdraw_preference: {products: all, countries: [CHN]}\n", "withdraw_preference.countries"),
        ("changes:\n  - set_rate: {measure: s232-autos, rate: 0.1, countries: [XYZ]}\n", "set_rate.countries"),
        ("changes:\n  - set_rate: {measure: s232-autos, rate: 0.1, floor: 'no'}\n", "changes[0].set_rate.floor"),
        ("changes:\n  - set_rate: {measure: s232-autos, rate: -0.1}\n", "changes[0].set_rate.rate"),
        ("changes:\n  - add_measure: {id: x, authority: Section 301, rate: 1, exempt_usmca: 1}\n", "exempt_usmca"),
        ("changes: {set_rate: {measure: s232-autos, rate: 0.1}}\n", "scenario.changes"),
        ("date: 2026-13-01\nchanges: []\n", "scenario.date"),
    ],
)
def test_bad_scenario_files_name_key_and_value(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        read_scenario(_write(tmp_path, text))
    assert expected in str(caught.value)
    assert "nothing was simulated" in str(caught.value)


def test_unknown_measure_is_named(snapshot: Store) -> None:
    scenario = parse_scenario({"changes": [{"end_measure": {"measure": "s999"}}]}, "s.yaml")
    with pytest.raises(ValidationFailed, match="'s999'"):
        scenario_policy(scenario, ON)


def test_elasticity_of_the_wrong_sign(tmp_path: Path, snapshot: Store) -> None:
    csv = tmp_path / "e.csv"
    csv.write_text("code,import_demand,substitution,export_supply\n87,1.2,2,inf\n85,-1,-2,\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as caught:
        simulate_tariff(snapshot, TariffRequest(at=ON, elasticities=csv))
    text = str(caught.value)
    assert "row 2, column 'import_demand': has the wrong sign" in text
    assert "(value '1.2')" in text
    assert "row 3, column 'substitution'" in text


def test_overridden_elasticities_are_listed(tmp_path: Path, snapshot: Store) -> None:
    csv = tmp_path / "e.csv"
    csv.write_text("code,import_demand,substitution,export_supply\n8703,-3,,\n", encoding="utf-8")
    path = _write(tmp_path, "changes:\n  - withdraw_preference: {products: 'codes:8703'}\n")
    result = simulate_tariff(snapshot, TariffRequest(scenario=path, elasticities=csv, products=("8703",)))
    table = result.table("elasticities")
    assert [f.value for f in table.column("import_demand") if f] == [-3.0]
    assert any(a.source == f"file {csv}" for a in result.assumptions if a.name == "import_demand")


def test_request_checks() -> None:
    with pytest.raises(InputError, match="scenario file"):
        TariffRequest()
    with pytest.raises(InputError, match="wrong sign"):
        TariffRequest(at=ON, export_supply=-2.0)
    with pytest.raises(InputError, match="level"):
        TariffRequest(at=ON, level="hs4")  # type: ignore[arg-type]
