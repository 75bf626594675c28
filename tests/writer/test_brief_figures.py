"""Each figure in a generated brief equals the result it came from: every trade fact in the facts file is
recomputed here with the analytics functions (and, for north-america, summed here from the two partners'
results), the modelled tariff rate with the tariff engine's own `effective_rate`, each policy rate with the policy
file and each rule of origin with the origin engine; every figure the verifier bound in the written text resolves
to one of those facts. (The sector tariff rates are recomputed independently in tests/writer/test_exposure.py.)"""

from __future__ import annotations

from typing import Any

import pytest

from nearshore.analytics import (
    Figure,
    balance,
    composition,
    duty_rate,
    event_window,
    growth,
    share,
    utilisation,
    utilisation_change,
)
from nearshore.data.store import Store
from nearshore.origin.automotive.phase import LVC, VEHICLE_RVC
from nearshore.tariffs.effective import effective_rate
from nearshore.tariffs.policy import load_policy
from nearshore.tariffs.schedule import load_schedule
from nearshore.writer.facts import FactTable, display
from nearshore.writer.verifier import check_file

from .engine_facts import engine_facts
from .snapshot_briefs import Written, open_written


def value_of(figure: Figure | None) -> float:
    """The value of a figure a row must have."""
    assert figure is not None
    return figure.value


def common(store: Store, prefix: str, partners: tuple[str, ...], y: int) -> dict[str, float]:
    """Facts every topic has, recomputed; amounts summed over `partners` and shares from the sums."""
    s_now = [share(store, p, year=y) for p in partners]
    s_before = [share(store, p, year=y - 1) for p in partners]
    world_now, world_before = s_now[0].figure("world").value, s_before[0].figure("world").value
    imports_now = sum(t.figure("value").value for t in s_now)
    share_now = 100 * imports_now / world_now
    share_before = 100 * sum(t.figure("value").value for t in s_before) / world_before
    g_imp = [growth(store, p, year=y) for p in partners]
    g_exp = [growth(store, p, flow="exports", year=y) for p in partners]
    exp_now = sum(t.figure("value").value for t in g_exp)
    exp_base = sum(t.figure("base_value").value for t in g_exp)
    imp_base = sum(t.figure("base_value").value for t in g_imp)
    duties = {yy: [duty_rate(store, p, year=yy) for p in partners] for yy in (y, y - 1)}
    out = {
        f"{prefix}.imports.value.{y}": imports_now,
        f"{prefix}.imports.share.{y}": share_now,
        f"{prefix}.imports.share.{y - 1}": share_before,
        f"{prefix}.imports.share.change.{y - 1}_{y}": share_now - share_before,
        f"{prefix}.imports.growth.{y}": 100 * (imports_now - imp_base) / imp_base,
        f"{prefix}.exports.value.{y}": exp_now,
        f"{prefix}.exports.growth.{y}": 100 * (exp_now - exp_base) / exp_base,
        f"{prefix}.balance.{y}": sum(balance(store, p, year=y).figure("balance").value for p in partners),
        f"chn.imports.share.{y}": share(store, "CHN", year=y).figure("share").value,
    }
    for yy, tables in duties.items():
        out[f"{prefix}.duty.rate.{yy}"] = (
            100 * sum(t.figure("duties").value for t in tables) / sum(t.figure("imports").value for t in tables)
        )
    history: dict[int, list[float]] = {}
    for p in partners:
        for row in share(store, p).rows:
            history.setdefault(int(row.keys[1]), []).append(value_of(row.figures[0]) / value_of(row.figures[1]))
    shares = {yy: sum(v) for yy, v in history.items() if len(v) == len(partners) and yy <= y}
    peak_year: int = max(shares, key=shares.__getitem__)
    out[f"{prefix}.imports.share.peak"] = peak_year
    months = [utilisation(store, p, year=y, by="month", source="census") for p in partners]
    first, last = months[0].rows[0].keys[0], months[0].rows[-1].keys[0]

    def claimed_share(month: str) -> float:
        claimed = sum(t.figure("claimed", month=month).value for t in months)
        return 100 * claimed / sum(t.figure("imports", month=month).value for t in months)

    out[f"{prefix}.usmca.share.{y}-{first}"] = claimed_share(first)
    out[f"{prefix}.usmca.share.{y}-{last}"] = claimed_share(last)
    out[f"{prefix}.usmca.change.{y}-{first}_{y}-{last}"] = claimed_share(last) - claimed_share(first)
    for yy in (y, y - 1):
        years = [utilisation(store, p, year=yy, source="census") for p in partners]
        claimed = sum(t.figure("claimed").value for t in years)
        out[f"{prefix}.usmca.share.{yy}"] = 100 * claimed / sum(t.figure("imports").value for t in years)
        if yy == y:
            out[f"{prefix}.usmca.unclaimed.{yy}"] = sum(t.figure("unclaimed").value for t in years)
    out[f"chn.imports.share.{y - 1}"] = share(store, "CHN", year=y - 1).figure("share").value
    for peer in {"MEX", "CAN"} - set(partners):
        out[f"{peer.lower()}.imports.share.{y}"] = share(store, peer, year=y).figure("share").value
    window = event_window(store, "ieepa-ca-mx-effective", partners=("CAN", "MEX"), flow="total")
    for key, name in (("MEX", "mex"), ("CAN", "can"), ("CAN+MEX", "canmex")):
        out[f"{name}.trade.change.2025-03_2025-12"] = window.figure("change_pct", partners=key).value
    schedule, policy = load_schedule(store), load_policy()
    rates = [effective_rate(store, schedule, policy, partner=p, year=y).total for p in partners]
    out[f"{prefix}.tariff.modelled.{y}"] = 100 * sum(r.modelled_duty for r in rates) / sum(r.imports for r in rates)
    out.update(engine_facts(store, prefix, partners, y))  # the scenario and the tariff series, engines called here
    return out


def single(store: Store, prefix: str, partner: str, y: int) -> dict[str, float]:
    out = common(store, prefix, (partner,), y)
    history = share(store, partner)
    ranks = {int(r.keys[1]): value_of(r.figures[3]) for r in history.rows}
    out[f"{prefix}.imports.rank.{y}"] = ranks[y]
    out[f"{prefix}.imports.rank.{y - 1}"] = ranks[y - 1]
    since = y
    while ranks.get(since - 1) == ranks[y]:
        since -= 1
    if since < y:
        out[f"{prefix}.imports.rank.since"] = since
    change = utilisation_change(store, partner, start=(y, 1), end=(y, 12), source="census").value
    assert out[f"{prefix}.usmca.change.{y}-01_{y}-12"] == pytest.approx(change, abs=1e-9)
    for row in composition(store, partner, year=y).rows:
        sid = row.keys[0]
        out[f"{prefix}.sector.{sid}.share.{y}"] = value_of(row.figures[1])
        out[f"{prefix}.sector.{sid}.value.{y}"] = value_of(row.figures[0])
    return out


def law(facts: dict[str, dict[str, Any]], prefix: str, year: int) -> dict[str, float]:
    """The facts that come from the policy file and the rules of origin, and the sector tariff ids (checked in
    tests/writer/test_exposure.py): their values as those sources give them."""
    out: dict[str, float] = {}
    policy = load_policy()
    for fact_id, fact in facts.items():
        if fact_id.startswith("policy."):
            measure = policy.measure(fact_id.split(".")[1])
            start = fact["period"]
            rates = [r.rate for r in measure.rates if r.start.isoformat() == start]
            rates += [e.rate for e in measure.exemptions if e.id == fact_id.split(".")[2] and e.rate is not None]
            assert round(fact["value"], 4) in {round(100 * r, 4) for r in rates}, fact_id
            out[fact_id] = fact["value"]
        elif fact_id.startswith(f"{prefix}.sector.") and ".tariff." in fact_id:
            out[fact_id] = fact["value"]
    out.update(
        {
            "usmca.rvc.passenger": VEHICLE_RVC["passenger"][-1].net_cost,
            "usmca.lvc.passenger": LVC["passenger"][-1].net_cost,
            "usmca.lvc.trucks": LVC["light_truck"][-1].net_cost,
            "usmca.lvc.wage": 16.0,  # SOR/2020-155 s. 1: US$16 in the United States
            "usmca.entry": 2020,
            "usmca.review.date": 2026,  # the sixth anniversary of 1 July 2020, Article 34.7(2)
            "usmca.term.end": 2036,  # 16 years after entry into force, Article 34.7(1)
            "census.ft900.next.2026-12-08": 2026,
        }
    )
    return out


def assert_brief_matches(written: Written, expected: dict[str, float]) -> None:
    facts = written.facts()
    prefix = next(iter(expected)).split(".")[0]
    expected = {**expected, **law(facts, prefix, int(FactTable.load(written.path(".facts.json")).meta["year"]))}
    assert set(facts) == set(expected), set(facts) ^ set(expected)
    for fact_id, value in expected.items():
        assert facts[fact_id]["value"] == pytest.approx(value, rel=1e-12, abs=1e-9), fact_id
    table = FactTable.load(written.path(".facts.json"))
    report = check_file(written.path(".md"))
    assert report.ok
    assert len(report.matches) >= 30
    for match in report.matches:  # every figure the verifier bound in the text is one recomputed above
        assert match.fact_id in expected, match
        assert table.get(match.fact_id).value == pytest.approx(expected[match.fact_id], rel=1e-12, abs=1e-9)
    text = written.path(".md").read_text(encoding="utf-8")
    for fact_id in (f"{k}" for k in expected if k.endswith(".imports.share.2025")):
        assert f"{display(table.get(fact_id))}[^{fact_id}]" in text


def test_every_us_mexico_figure_equals_its_analytics_result(mexico):
    year = int(FactTable.load(mexico.path(".facts.json")).meta["year"])
    assert year == 2025  # the latest complete year of the embedded snapshot (Census country totals to 2025)
    for store in open_written(mexico):
        assert_brief_matches(mexico, single(store, "mex", "MEX", year))


def test_every_us_canada_figure_equals_its_analytics_result(canada):
    for store in open_written(canada):
        assert_brief_matches(canada, single(store, "can", "CAN", 2025))


def test_north_america_sums_the_partners_and_recomputes_shares(north_america):
    for store in open_written(north_america):
        expected = common(store, "na", ("CAN", "MEX"), 2025)
        for sector in composition(store, "MEX", year=2025).rows:
            sid = sector.keys[0]
            parts = [composition(store, p, year=2025) for p in ("CAN", "MEX")]
            value = sum(t.figure("value", sector=sid).value for t in parts)
            totals = sum(
                sum(value_of(r.figures[0]) for r in composition(store, p, year=2025, by="chapter").rows)
                for p in ("CAN", "MEX")
            )
            expected[f"na.sector.{sid}.value.2025"] = value
            expected[f"na.sector.{sid}.share.2025"] = 100 * value / totals
        assert_brief_matches(north_america, expected)
    assert not any(".rank." in k for k in north_america.facts())
    assert "rank, rank_prev left out" in north_america.output
