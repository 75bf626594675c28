"""Rule changes over a portfolio: flips worked by hand, the origin engine's thresholds swapped, the stricter shift
(s. 13 vehicles included), the cheapest fix against a brute-force search, the skipped determinations against full
ones, bad input."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

import pytest

from nearshore.errors import ValidationFailed
from nearshore.origin.bom import BOM
from nearshore.origin.determine import determine
from nearshore.origin.duty import DutyQuote
from nearshore.origin.general import value_de_minimis
from nearshore.origin.rules.model import TariffShift
from nearshore.origin.thresholds import LAW, active, using
from nearshore.scenarios.rules.changes import RuleChange, parse_changes
from nearshore.scenarios.rules.judge import Judge, cap_tests
from nearshore.scenarios.rules.portfolio import read_portfolio
from nearshore.scenarios.rules.service import RulesRequest, run_rules

ON = dt.date(2026, 7, 1)


class FlatDuty:
    """A duty calculator at the contract's edge: 2.5% with a USMCA claim refused, 0% with it."""

    def duty(self, hts: str, origin: str, value: float, date: dt.date, usmca: bool) -> DutyQuote:
        rate = 0.0 if usmca else 0.025
        return DutyQuote(rate, rate * value, "flat")


def _bom(ident: str, failing_value: float) -> dict[str, Any]:
    """A brake part (8708.30) of TV 1,000 under a rule written in the record (a change of heading): one CN part of
    8708.99 fails the shift (its value decides the de minimis share; not of the good's subheading, so no parts
    provision), one CN bolt of 7318 passes."""
    return {
        "id": ident,
        "annual_volume": 1000,
        "unit_value": 1000.0,
        "hts": "8708305020",
        "good": {
            "description": "brake",
            "hs": "8708.30",
            "country": "MX",
            "currency": "USD",
            "transaction_value": 1000.0,
            "net_cost": 900.0,
        },
        "rule": {"shift": "heading"},
        "materials": [
            {"description": "brake part", "hs": "8708.99", "origin": "CN", "value": failing_value},
            {"description": "bolt", "hs": "7318.15", "origin": "CN", "value": 20.0},
            {"description": "casting", "hs": "7325.99", "origin": "MX", "value": 300.0},
        ],
    }


def _portfolio(tmp_path: Path, *records: dict[str, Any]) -> Path:
    path = tmp_path / "p.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _changes(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _change(changes: dict[str, Any]) -> RuleChange:
    return parse_changes({"changes": changes}, "c.yaml", ON)


def test_de_minimis_cut_flips_by_hand(tmp_path: Path) -> None:
    """Failing material 80 of TV 1,000 = 8%: within 10%, not within 7% (flips, margin 7 - 8 = -1 point);
    60 = 6% stays. Duty: 1,000 x 1,000 x 2.5% = 25,000 a year."""
    portfolio = _portfolio(tmp_path, _bom("a", 80.0), _bom("b", 60.0))
    changes = _changes(tmp_path, "name: dm\nchanges: {de_minimis: 7}\n")
    result = run_rules(RulesRequest(portfolio, changes, ON, fixes=True), FlatDuty())
    totals = result.table("totals")
    assert totals.figure("lose", portfolio="all").value == 1
    assert totals.figure("duty_change", portfolio="all").value == pytest.approx(25_000.0)
    assert result.figure("boms", "margin_after", bom="a").value == pytest.approx(-1.0)
    assert result.figure("boms", "margin_before", bom="a").value == pytest.approx(2.0)
    fix = result.table("boms").rows[0].keys[2]
    assert fix == "source line 1 (brake part, value 80.00) as originating"  # the one failing material
    assert active() is LAW  # the changed thresholds were active only inside the run


def test_cap_on_chinese_materials(tmp_path: Path) -> None:
    """CN materials 80 + 20 = 10% of TV: a 9% cap fails, a 10% cap holds. The cheapest fix is the bolt (20):
    sourcing it leaves 8% of CN materials."""
    portfolio = _portfolio(tmp_path, _bom("a", 80.0))
    tight = run_rules(
        RulesRequest(portfolio, _changes(tmp_path, "changes: {caps: [{country: CN, max_share: 9}]}\n"), ON), FlatDuty()
    )
    assert tight.figure("totals", "lose", portfolio="all").value == 1
    assert tight.figure("boms", "margin_after", bom="a").value == pytest.approx(-1.0)
    assert tight.table("boms").rows[0].keys[2] == "source line 2 (bolt, value 20.00) as originating"
    loose = run_rules(
        RulesRequest(portfolio, _changes(tmp_path, "changes: {caps: [{country: CN, max_share: 10}]}\n"), ON), FlatDuty()
    )
    assert loose.figure("totals", "lose", portfolio="all").value == 0


def test_thresholds_object_reaches_the_engine() -> None:
    from nearshore.origin.bom import Good, Material

    good = Good("g", "870830", "MX", "USD", transaction_value=1000.0)
    failing = [Material(1, "m", "870830", "CN", False, 80.0)]
    change = _change({"de_minimis": 7})
    assert value_de_minimis(good, failing).passed  # type: ignore[union-attr]
    with using(change.thresholds):
        assert not value_de_minimis(good, failing).passed  # type: ignore[union-attr]


def test_stricter_shift_raises_the_goods_rules_only(tmp_path: Path) -> None:
    """The good's shipped rules with every change of classification below chapter raised to it; a shift that is
    already stricter than the change's level is left alone."""
    record = {k: v for k, v in _bom("a", 80.0).items() if k != "rule"}
    bom = read_portfolio(_portfolio(tmp_path, record))[0].bom
    rules = Judge(_change({"tariff_shift": [{"heading": "8708", "level": "chapter"}]}), ON).rules(bom)
    assert rules
    shifts = [c for r in rules for a in r.alternatives for c in a.conditions if isinstance(c, TariffShift)]
    assert shifts
    assert {s.level for s in shifts} == {"chapter"}
    looser = Judge(_change({"tariff_shift": [{"heading": "8708", "level": "tariff_item"}]}), ON).rules(bom)
    assert looser == _shipped(bom)
    assert Judge(_change({}), ON).rules(bom) is None  # no shift change: the engine's own choice


def _shipped(bom: BOM) -> list[Any]:
    from nearshore.origin.determine import rules_applied

    return rules_applied(bom, ON)


def _vehicle(ident: str = "car") -> dict[str, Any]:
    """A passenger vehicle (8703.23) of net cost 20,000: RVC 85% on net cost, a CN part of heading 87.08 (VNM 3,000)
    that meets s. 13's change of heading but not a change of chapter; every Part 6 test met."""
    return {
        "id": ident,
        "annual_volume": 100,
        "unit_value": 25000.0,
        "hts": "8703230190",
        "good": {"description": "car", "hs": "8703.23", "country": "MX", "net_cost": 20000.0},
        "materials": [
            {"description": "gearbox part", "hs": "8708.40", "origin": "CN", "value": 3000.0},
            {"description": "body", "hs": "8707.10", "origin": "MX", "value": 9000.0},
        ],
        "vehicle": {
            "class": "passenger",
            "core_parts": [{"name": "body", "hs": "8707.10", "net_cost": 9000.0, "vnm": 0.0}],
            "labour": {"high_wage_labour": 6000.0, "high_wage_materials": 3000.0},
            "steel_aluminum": [{"metal": "steel", "value": 1000.0, "originating": True}],
        },
    }


def test_stricter_shift_applies_to_the_s13_vehicle_rule(tmp_path: Path) -> None:
    """s. 13 asks a vehicle for a change of heading plus RVC: a change of chapter for heading 87.03 makes the CN
    part of 87.08 fail, so the car stops qualifying (no de minimis can absorb 3,000 of 20,000)."""
    portfolio = _portfolio(tmp_path, _vehicle())
    bom = read_portfolio(portfolio)[0].bom
    assert determine(bom, ON).qualifies
    judge = Judge(_change({"tariff_shift": [{"heading": "8703", "level": "chapter"}]}), ON)
    rules = judge.rules(bom)
    assert rules
    assert [r.id for r in rules] == ["part6-s13"]
    assert [c.level for a in rules[0].alternatives for c in a.conditions if isinstance(c, TariffShift)] == ["chapter"]
    changes = _changes(tmp_path, "changes: {tariff_shift: [{heading: '8703', level: chapter}]}\n")
    result = run_rules(RulesRequest(portfolio, changes, ON), FlatDuty())
    assert result.figure("totals", "lose", portfolio="all").value == 1
    assert result.table("boms").rows[0].keys[2] == "source line 1 (gearbox part, value 3,000.00) as originating"


def _generated(count: int, seed: int = 11) -> list[dict[str, Any]]:
    """Records of brake parts with random CN/MX materials around the de minimis and cap thresholds."""
    rng = random.Random(seed)
    parts = ["7318.15", "8708.99", "8708.30", "3926.90", "4016.93", "8481.90"]
    records = []
    for n in range(count):
        materials = [
            {
                "description": f"part {k}",
                "hs": rng.choice(parts),
                "origin": "MX" if rng.random() < 0.5 else "CN",
                "value": round(rng.uniform(1, 40), 2),
            }
            for k in range(12)
        ]
        total = sum(m["value"] for m in materials)
        good = {"hs": rng.choice(["8708.30", "8708.99", "8481.80"]), "country": "MX"}
        good |= {"transaction_value": round(total * rng.uniform(1.3, 3), 2), "net_cost": round(total * 1.2, 2)}
        records.append({"id": f"b{n}", "annual_volume": 10, "good": good, "materials": materials})
    return records


STRICTER = {
    "de_minimis": 7,
    "psr_rvc": {"products": ["8708"], "points": 5},
    "caps": [{"country": "CN", "max_share": 35}],
}


def test_skipped_determinations_equal_full_ones(tmp_path: Path) -> None:
    """Every BOM not determined again (it read no changed threshold, or did not qualify under a change that only
    tightens) has the answer a full determination under the change gives."""
    holdings = read_portfolio(_portfolio(tmp_path, *_generated(120)))
    change = _change(STRICTER)
    judge = Judge(change, ON)
    skipped = 0
    for holding in holdings:
        before = judge.before(holding)
        after, bom, _ = judge.after(holding, before)
        with using(change.thresholds):
            full = determine(bom, ON, threshold_delta=change.psr_delta(bom.good.hs))
        assert after.determination.qualifies == full.qualifies, bom.source
        assert after.qualifies == (full.qualifies and all(t.passed for t in cap_tests(bom, change.caps[0])))
        skipped += not before.alters
    assert skipped > 10  # the test exercises the skipping


def test_a_change_that_only_tightens_never_makes_a_bom_qualify(tmp_path: Path) -> None:
    """The property the skip rests on, checked on the origin engine itself."""
    holdings = read_portfolio(_portfolio(tmp_path, *_generated(150, seed=5)))
    change = _change({**STRICTER, "tariff_shift": [{"heading": "8708", "level": "chapter"}]})
    assert not change.loosens(ON)
    judge = Judge(change, ON)
    for holding in holdings:
        bom = holding.bom
        if determine(bom, ON).qualifies:
            continue
        with using(change.thresholds):
            rules = judge.rules(bom)
            assert not determine(bom, ON, rules=rules, threshold_delta=change.psr_delta(bom.good.hs)).qualifies


@pytest.mark.parametrize(
    ("changes", "loosens"),
    [
        ({"de_minimis": 12}, True),
        ({"de_minimis": 10}, False),
        ({"vehicle_rvc": {"passenger": 70}}, True),
        ({"vehicle_rvc": {"passenger": 80}}, False),
        ({"lvc": {"high_wage": 20}}, True),
        ({"lvc": {"wage_usd": 12}}, True),
        ({"psr_rvc": {"points": -5}}, True),
        ({"part_rvc": {"A.1": {"net_cost": 80, "transaction_value": 90}}}, False),
        ({"steel_aluminum": 65}, True),
    ],
)
def test_which_changes_loosen_the_rules(changes: dict[str, Any], loosens: bool) -> None:
    assert _change(changes).loosens(ON) is loosens


def test_cheapest_fix_is_the_cheapest_single_material(tmp_path: Path) -> None:
    """Against a brute force that determines every single-material sourcing under the change: the fix the
    scenario reports is the working material of least value (or none works and it says so)."""
    records = _generated(80, seed=3)
    portfolio = _portfolio(tmp_path, *records)
    change = _change(STRICTER)
    result = run_rules(RulesRequest(portfolio, _changes(tmp_path, json.dumps({"changes": STRICTER})), ON), FlatDuty())
    fixes = {row.keys[0]: row.keys[2] for row in result.table("boms").rows}
    checked = 0
    for holding in read_portfolio(portfolio):
        bom = holding.bom
        if bom.source not in fixes:
            continue
        working = [m for m in sorted(bom.materials, key=lambda m: m.value) if _works(bom, m, change)]
        if working:
            m = working[0]
            assert fixes[bom.source] == f"source line {m.line} ({m.description}, value {m.value:,.2f}) as originating"
            checked += 1
        else:
            assert not fixes[bom.source].startswith("source line ")
    assert checked > 3


def _works(bom: BOM, material: Any, change: RuleChange) -> bool:
    if material.originating:
        return False
    sourced = bom.with_materials(tuple(m.as_originating() if m is material else m for m in bom.materials))
    with using(change.thresholds):
        result = determine(sourced, ON, threshold_delta=change.psr_delta(bom.good.hs))
    return result.qualifies and all(t.passed for cap in change.caps for t in cap_tests(sourced, cap))


def test_parquet_portfolio_gives_the_same_answer(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    records = _generated(30, seed=8)
    parquet = tmp_path / "p.parquet"
    pq.write_table(pa.Table.from_pylist(records), parquet)
    changes = _changes(tmp_path, json.dumps({"changes": STRICTER}))
    a = run_rules(RulesRequest(parquet, changes, ON), FlatDuty())
    b = run_rules(RulesRequest(_portfolio(tmp_path, *records), changes, ON), FlatDuty())
    assert a.table("totals").plain_rows() == b.table("totals").plain_rows()
    assert a.table("boms").plain_rows() == b.table("boms").plain_rows()


@pytest.mark.parametrize(
    ("record", "field"),
    [
        ({"annual_volume": -3}, "annual_volume"),
        ({"good": {"hs": "87"}}, "good.hs"),
        ({"good": {"hs": "8479.99"}}, "good.hs"),
        ({"good": {"country": "CN"}}, "good.country"),
        ({"materials": [{"hs": "7318.15", "origin": "CN", "value": -1}]}, "materials[0].value"),
        ({"materials": [{"hs": "7318.15", "origin": "CN", "value": 1, "colour": "red"}]}, "materials[0].colour"),
        ({"materials": [{"hs": "7318.15", "origin": "CN", "value": 1, "indirect": "no"}]}, "materials[0].indirect"),
        ({"materials": [{"hs": "7318.15", "origin": "XX", "value": 1}]}, "materials[0].origin"),
        ({"materials": [{"hs": "7318.15", "value": 1}]}, "materials[0].origin"),
        ({"materials": [{"origin": "CN", "value": 1}]}, "materials[0].hs"),
        ({"materials": [{"hs": "7318.15", "origin": "CN", "value": 1, "adjustments": 2}]}, "materials[0].adjustments"),
        ({"hts": "8708"}, "hts"),
        ({"materials": [{"hs": ["7318.15"], "origin": "CN", "value": 1}]}, "materials[0].hs"),
        ({"materials": [{"hs": "7318.15", "origin": {"c": "CN"}, "value": 1}]}, "materials[0].origin"),
        ({"good": {"international_shipping": -1}}, "good.international_shipping"),
        ({"bonus": 1}, "bonus"),
    ],
)
def test_bad_portfolio_rows_are_located(tmp_path: Path, record: dict[str, Any], field: str) -> None:
    good = _bom("ok", 10.0)
    bad = {**_bom("bad", 10.0), **record}
    if "good" in record:
        bad["good"] = {**_bom("x", 1.0)["good"], **record["good"]}
    with pytest.raises(ValidationFailed) as caught:
        read_portfolio(_portfolio(tmp_path, good, bad))
    assert f"line 2, field '{field}'" in str(caught.value)
    assert "nothing was determined" in str(caught.value)


def test_duplicate_ids_and_broken_json(tmp_path: Path) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps(_bom("a", 1.0)) + "\n{not json\n" + json.dumps(_bom("a", 2.0)) + "\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as caught:
        read_portfolio(path)
    text = str(caught.value)
    assert "line 2: is not JSON" in text
    assert "line 3, field 'id': is given twice (value 'a')" in text


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("changes: {de_minimis: 170}\n", "changes.de_minimis"),
        ("changes: {de_minimis: '7%'}\n", "changes.de_minimis"),
        ("changes: {lvc: {passenger: 45, bonus: 1}}\n", "changes.lvc.bonus"),
        ("changes: {lvc: {wage_usd: -3}}\n", "changes.lvc.wage_usd"),
        ("changes: {caps: [{country: China, max_share: 5}]}\n", "changes.caps[0].country"),
        ("changes: {caps: [{country: CN}]}\n", "changes.caps[0]"),
        ("changes: {caps: [{country: CN, core_parts: 'no'}]}\n", "changes.caps[0].core_parts"),
        ("changes: {caps: {country: CN, max_share: 5}}\n", "changes.caps"),
        ("changes: {tariff_shift: [{heading: '87', level: chapter}]}\n", "changes.tariff_shift[0].heading"),
        ("changes: {tariff_shift: [{heading: '8708', level: group}]}\n", "changes.tariff_shift[0].level"),
        ("changes: {part_rvc: {A.1: {net_cost: 80}}}\n", "changes.part_rvc.A.1.transaction_value"),
        ("changes: {psr_rvc: {products: [8708], points: 5}}\n", "changes.psr_rvc.products"),
        ("changes: {wage: 18}\n", "changes.wage"),
        ("date: 2026-02-30\nchanges: {de_minimis: 7}\n", "file.date"),
        ("changes: [de_minimis]\n", "changes"),
    ],
)
def test_bad_change_files(tmp_path: Path, text: str, where: str) -> None:
    portfolio = _portfolio(tmp_path, _bom("a", 10.0))
    with pytest.raises(ValidationFailed) as caught:
        run_rules(RulesRequest(portfolio, _changes(tmp_path, text), ON), FlatDuty())
    assert f"field '{where}'" in str(caught.value)
    assert "nothing was determined" in str(caught.value)


def test_workers_give_the_same_answer_as_one_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A JSON-lines file judged in parts by worker processes: the same figures as in one process."""
    from nearshore.scenarios.rules import assess

    records = _generated(90, seed=4)
    portfolio = _portfolio(tmp_path, *records)
    changes = _changes(tmp_path, json.dumps({"changes": STRICTER}))
    one = run_rules(RulesRequest(portfolio, changes, ON, workers=1), FlatDuty())
    monkeypatch.setattr(assess, "SPLIT_BYTES", 0)
    three = run_rules(RulesRequest(portfolio, changes, ON, workers=3), FlatDuty())
    assert one.table("totals").plain_rows() == three.table("totals").plain_rows()
    assert one.table("boms").plain_rows() == three.table("boms").plain_rows()
    assert one.provenance.notes == three.provenance.notes


def test_workers_report_problems_with_their_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Problems found in different parts keep the file's line numbers; an id repeated across parts is one."""
    from nearshore.scenarios.rules import assess

    records = _generated(40, seed=2)
    records[30]["id"] = records[2]["id"]
    records[35]["annual_volume"] = -1
    monkeypatch.setattr(assess, "SPLIT_BYTES", 0)
    request = RulesRequest(
        _portfolio(tmp_path, *records), _changes(tmp_path, "changes: {de_minimis: 7}\n"), ON, workers=4
    )
    with pytest.raises(ValidationFailed) as caught:
        run_rules(request, FlatDuty())
    text = str(caught.value)
    assert "line 31, field 'id': is given twice (value 'b2'); give each BOM its own id (line 3 has it too)" in text
    assert "line 36, field 'annual_volume': is negative" in text
