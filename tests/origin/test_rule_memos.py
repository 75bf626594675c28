"""The memos a batch leans on give the answer worked out afresh: the rules chosen for a good (`psr.rules_for_good`)
on every input they depend on, for the shipped book and for a user's book; a rule alternative's facts
(`alternative._facts_of`: shifts, texts, described codes); and a determination with the memos warm is the one
made with them empty."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import replace

import pytest

from nearshore.origin import alternative, psr
from nearshore.origin.bom import BOM, Good, Material, NetCost
from nearshore.origin.bom_io import load_bom
from nearshore.origin.determine import determine
from nearshore.origin.rules.index import shipped_rules
from nearshore.origin.rules.model import Alternative, CodeRange, ProcessRule, ProductRule, TariffShift
from tests.origin.helpers import DATA

MATERIAL = Material(1, "bolts", "731815", "CN", False, 4.0)
# codes whose rules vary by use (8708.xx for a vehicle or not), by trade direction, and codes without a rule
CODES = ("870829", "870899", "870830", "940171", "611020", "020110", "847989", "850440")


def bom(hs: str, **good: object) -> BOM:
    return BOM("test", Good("good", hs, "MX", "USD", 100.0, **good), (MATERIAL,))  # type: ignore[arg-type]


VARIANTS = [
    {"export_to": export_to, "for_vehicle": vehicle, "original_equipment": oe, "country": country}
    for export_to, vehicle, oe, country in itertools.product(
        (None, "US", "CA"), (None, "passenger", "heavy_truck"), (True, False), ("MX", "CA")
    )
]


@pytest.mark.parametrize("hs", CODES)
def test_the_rules_chosen_for_a_good_are_those_worked_out_afresh(hs: str) -> None:
    for on in (dt.date(2020, 7, 1), dt.date(2026, 7, 1), dt.date(2027, 7, 1)):
        for variant in VARIANTS:
            good_bom = bom(hs, **{k: v for k, v in variant.items() if k != "country"})
            good_bom = replace(good_bom, good=replace(good_bom.good, country=str(variant["country"])))
            fresh = psr._book_rules(good_bom, on, shipped_rules())
            assert psr.rules_for_good(good_bom, on) == fresh
            assert psr.rules_for_good(good_bom, on) == fresh  # the second time from the memo
            assert psr.rules_for_good(good_bom, on, shipped_rules()) == fresh


def test_a_user_book_has_its_own_answer_for_a_code_the_shipped_book_answered() -> None:
    good_bom = bom("940171")
    on = dt.date(2026, 7, 1)
    shipped = psr.rules_for_good(good_bom, on)
    assert shipped
    assert all(r.id != "mine" for r in shipped)
    mine = ProductRule("mine", "my rule", "94", "psr", (CodeRange.single("940171"),), "CTH", (Alternative(()),))
    book = shipped_rules().with_rules([mine])
    assert [r.id for r in psr.rules_for_good(good_bom, on, book)] == ["mine"]
    assert psr.rules_for_good(good_bom, on) == shipped


def test_the_memo_hands_out_copies() -> None:
    good_bom, on = bom("870829"), dt.date(2026, 7, 1)
    first = psr.rules_for_good(good_bom, on)
    first.clear()
    assert psr.rules_for_good(good_bom, on) == psr._book_rules(good_bom, on, shipped_rules())


def test_an_alternative_s_facts_are_its_own() -> None:
    def alt(code: str) -> Alternative:
        source = CodeRange(code, code, "parts of brakes")
        shift = TariffShift("heading", (CodeRange.single("8708"),), from_scope=(source,))
        return Alternative((shift, ProcessRule(f"material description: {source}")))

    first, equal, other = alt("8708"), alt("8708"), alt("8407")
    for a in (first, equal, other, first):
        facts = alternative._facts_of(a)
        assert facts.alt is a
        assert facts.described == alternative._described_codes(a)
        assert facts.texts == tuple(c.text for c in a.conditions if isinstance(c, ProcessRule))
    assert alternative._facts_of(other).described != alternative._facts_of(first).described
    assert alternative._facts_of(Alternative((), label="(C)")).label == "C"


def _clear_memos() -> None:
    alternative._facts.clear()
    psr._chosen.clear()


EXAMPLES = sorted(DATA.glob("*.yaml")) + sorted((DATA.parent.parent.parent / "docs" / "examples").glob("*.yaml"))


def test_a_determination_with_warm_memos_is_the_one_made_cold() -> None:
    """Every example BOM (rule kinds, de minimis, RVC by transaction value and net cost, sets, vehicles, failures)
    determined with every memo empty, then again after all the others filled them, on several dates."""
    boms = [load_bom(path) for path in EXAMPLES]
    dates = (dt.date(2020, 7, 1), dt.date(2024, 1, 15), dt.date(2027, 7, 1))
    cold = []
    for b in boms:
        for on in dates:
            _clear_memos()
            cold.append(determine(b, on).as_dict())
    warm = [determine(b, on).as_dict() for b in boms for on in dates]
    assert warm == cold
    assert {c["qualifies"] for c in cold} == {True, False}


def _drawn_boms() -> list[BOM]:
    """A BOM for the code of every rule of the shipped book (tariff shifts of every level, RVC by transaction
    value or net cost, process conditions, de minimis, failures): a material from another chapter, one from the
    good's own heading, an originating one; some goods without a transaction value, some without a cost."""
    codes = sorted({r.scope[0].start[:6] for r in shipped_rules().rules if r.scope and len(r.scope[0].start) >= 6})
    boms = []
    for n, code in enumerate(codes):
        other = "731815" if not code.startswith("73") else "392690"
        materials = (
            Material(1, "from another chapter", other, "CN", False, 4.0 + n % 7),
            Material(2, "from its own heading", code, "CN", False, float(n % 5)),
            Material(3, "originating", "400912", "MX", True, 30.0),
        )
        tv = None if n % 4 == 0 else 100.0
        cost = None if n % 4 == 1 else NetCost(90.0, float(n % 3))
        good = Good(f"good {code}", code, "MX", "USD", tv, cost, export_to="US" if n % 5 == 0 else None)
        boms.append(BOM(f"drawn {code}", good, materials))
    return boms


def test_a_determination_for_every_rule_of_the_book_is_the_same_with_warm_memos() -> None:
    boms, on = _drawn_boms(), dt.date(2026, 7, 1)
    cold = []
    for b in boms:
        _clear_memos()
        cold.append(determine(b, on).as_dict())
    warm = [determine(b, on).as_dict() for b in boms]
    assert warm == cold
    assert len(boms) > 600  # every code a rule of the book starts at
    assert {c["qualifies"] for c in cold} == {True, False}
    assert {c["de_minimis_used"] for c in cold} == {True, False}
