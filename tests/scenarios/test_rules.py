"""Rule changes over a portfolio: flips worked by hand, the origin engine's thresholds swapped, bad input."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from nearshore.errors import ValidationFailed
from nearshore.origin.duty import DutyQuote
from nearshore.origin.general import value_de_minimis
from nearshore.origin.thresholds import LAW, active
from nearshore.scenarios.rules.changes import parse_changes
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
    assert "line 1" in fix and "80.00" in fix  # sourcing the failing brake part as originating restores it
    assert active() is LAW  # the changed thresholds were active only inside the run


def test_cap_on_chinese_materials(tmp_path: Path) -> None:
    """CN materials 80 + 20 = 10% of TV: a 9% cap fails, a 10% cap holds."""
    portfolio = _portfolio(tmp_path, _bom("a", 80.0))
    tight = run_rules(
        RulesRequest(portfolio, _changes(tmp_path, "changes: {caps: [{country: CN, max_share: 9}]}\n"), ON), FlatDuty()
    )
    assert tight.figure("totals", "lose", portfolio="all").value == 1
    loose = run_rules(
        RulesRequest(portfolio, _changes(tmp_path, "changes: {caps: [{country: CN, max_share: 10}]}\n"), ON), FlatDuty()
    )
    assert loose.figure("totals", "lose", portfolio="all").value == 0


def test_stricter_shift_for_a_heading(tmp_path: Path) -> None:
    """The good's shipped rules with every change of classification raised to a change of chapter."""
    from nearshore.origin.rules.model import TariffShift
    from nearshore.scenarios.rules.service import _stricter

    record = {k: v for k, v in _bom("a", 80.0).items() if k != "rule"}
    holding = read_portfolio(_portfolio(tmp_path, record))[0]
    change = parse_changes({"changes": {"tariff_shift": [{"heading": "8708", "level": "chapter"}]}}, "c.yaml", ON)
    rules = _stricter(holding.bom, ON, change)
    assert rules
    shifts = [c for r in rules for a in r.alternatives for c in a.conditions if isinstance(c, TariffShift)]
    assert shifts and all(s.level == "chapter" for s in shifts)
    result = run_rules(
        RulesRequest(
            _portfolio(tmp_path, record),
            _changes(tmp_path, "changes: {tariff_shift: [{heading: '8708', level: chapter}]}\n"),
            ON,
        ),
        FlatDuty(),
    )
    assert result.figure("totals", "boms", portfolio="all").value == 1


def test_thresholds_object_reaches_the_engine() -> None:
    from nearshore.origin.bom import Good, Material
    from nearshore.origin.thresholds import using

    good = Good("g", "870830", "MX", "USD", transaction_value=1000.0)
    failing = [Material(1, "m", "870830", "CN", False, 80.0)]
    change = parse_changes({"changes": {"de_minimis": 7}}, "c.yaml", ON)
    assert value_de_minimis(good, failing).passed  # type: ignore[union-attr]
    with using(change.thresholds):
        assert not value_de_minimis(good, failing).passed  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("record", "field"),
    [
        ({"annual_volume": -3}, "annual_volume"),
        ({"good": {"hs": "87"}}, "good.hs"),
        ({"materials": [{"hs": "7318.15", "value": -1}]}, "materials[0].value"),
        ({"materials": [{"hs": "7318.15", "value": 1, "colour": "red"}]}, "materials[0].colour"),
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


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("changes: {de_minimis: 170}\n", "changes.de_minimis"),
        ("changes: {lvc: {passenger: 45, bonus: 1}}\n", "changes.lvc.bonus"),
        ("changes: {caps: [{country: China, max_share: 5}]}\n", "changes.caps[0].country"),
        ("changes: {tariff_shift: [{heading: '87', level: chapter}]}\n", "changes.tariff_shift[0].heading"),
        ("changes: {wage: 18}\n", "changes.wage"),
    ],
)
def test_bad_change_files(tmp_path: Path, text: str, where: str) -> None:
    portfolio = _portfolio(tmp_path, _bom("a", 10.0))
    with pytest.raises(ValidationFailed) as caught:
        run_rules(RulesRequest(portfolio, _changes(tmp_path, text), ON), FlatDuty())
    assert f"field '{where}'" in str(caught.value) and "nothing was determined" in str(caught.value)
