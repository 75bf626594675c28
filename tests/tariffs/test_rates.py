"""Hand-checked sample of every rate form found in the 2025 schedule (texts copied from the lines named)."""

from __future__ import annotations

import pytest

from nearshore.errors import RateParseError
from nearshore.tariffs.rates import parse_rate
from nearshore.tariffs.special import parse_special, program_rate


def test_free_and_no_change():
    assert parse_rate("Free").kind == "free"
    assert parse_rate("No change").kind == "no_change"
    bond = parse_rate("Free, under bond, as prescribed in U.S. note 4 to this subchapter")
    assert bond.kind == "free"
    assert bond.condition == "under bond, as prescribed in U.S. note 4 to this subchapter"


@pytest.mark.parametrize(("text", "value"), [("2.5%", 0.025), ("6.8%", 0.068), ("33 1/3%", 1 / 3), ("0%", 0.0)])
def test_ad_valorem(text, value):
    rate = parse_rate(text)
    assert rate.kind == ("free" if value == 0 else "ad_valorem")
    assert rate.terms[0].value == pytest.approx(value)


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("1.9¢/kg", 0.019, "kg"),  # 0201.10.10
        ("$1.128/kg", 1.128, "kg"),  # 0406.90.94
        ("89.6¢/1000", 0.896, "1000"),  # 0601.10.15 (per 1,000 bulbs)
        ("5¢ each", 0.05, "each"),
        ("10.5¢/liter", 0.105, "liter"),
        ("$1/t", 1.0, "t"),
    ],
)
def test_specific(text, value, unit):
    rate = parse_rate(text)
    assert rate.kind == "specific"
    assert rate.terms[0].value == pytest.approx(value)
    assert rate.terms[0].unit == unit


def test_compound():
    rate = parse_rate("12.4¢/kg + 2%")
    assert rate.kind == "compound"
    assert rate.specific[0].value == pytest.approx(0.124)
    assert rate.ad_valorem == pytest.approx(0.02)
    assert parse_rate("1.4¢/kg +4.4%").ad_valorem == pytest.approx(0.044)


def test_qualified_terms_on_contents_and_components():
    drained = parse_rate("4.4¢/kg on drained weight")
    assert drained.terms[0].qualifier == "on drained weight"
    moly = parse_rate("$1.35/kg on molybdenum content + 1.9%")
    assert moly.specific[0].qualifier == "on molybdenum content"
    assert moly.ad_valorem == pytest.approx(0.019)
    watch = parse_rate("1.5¢ each + 6.5% on the case + 2.6% on the strap, band or bracelet + 5.3% on the battery")
    assert watch.has_components
    assert [t.qualifier for t in watch.terms[1:]] == ["on the case", "on the strap, band or bracelet", "on the battery"]
    assert watch.ad_valorem == 0  # no whole-article ad valorem term
    sugars = parse_rate("2.4¢/kg of total sugars + 5.1%")
    assert sugars.specific[0].qualifier == "of total sugars"


def test_minimum_and_maximum_forms():
    # 1701.12.10-type sliding scale: the minimum is the "not less than" amount
    rate = parse_rate(
        "1.4606¢/kg less 0.020668¢/kg for each degree under 100 degrees (and fractions of a degree "
        "in proportion) but not less than 0.943854¢/kg"
    )
    assert rate.terms[0].value == pytest.approx(0.014606)
    assert rate.terms[0].minimum == pytest.approx(0.00943854)
    movement = parse_rate(
        "3.9% + 9¢/jewel + 9¢ for each other piece or part, but if consisting in part of a plate "
        "or a set of plates the total duty shall not exceed the duty for the complete movement"
    )
    assert movement.terms[2].maximum_text.startswith("shall not exceed the duty for the complete movement")
    assert movement.terms[1].unit == "jewel"


def test_references():
    ref = parse_rate("The duty provided in the applicable subheading + 25%")
    assert ref.kind == "reference"
    assert ref.terms[0].qualifier == "The duty provided in the applicable subheading"
    assert ref.ad_valorem == pytest.approx(0.25)
    assert (
        parse_rate("A duty upon the value of the repairs or alterations (see U.S. note 3 of this subchapter)").kind
        == "reference"
    )
    retail = parse_rate("35 percent of the fair retail value")
    assert retail.terms[0].qualifier == "of the fair retail value"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("37% /", "rate '37% /': unexpected '/' after the percentage"),
        (":", "rate ':': cannot read ':' as a percentage, an amount per unit or a reference"),
    ],
)
def test_unparseable_texts_say_what(text, message):
    with pytest.raises(RateParseError) as info:
        parse_rate(text)
    assert str(info.value) == message


def test_special_groups_and_usmca():
    groups = parse_special("Free (A+,AU,BH,CL,CO,D,E,IL,JO,KR,MA,OM,P,PA,PE,S,SG)")
    assert len(groups) == 1
    assert "S" in groups[0].programs
    usmca = program_rate(groups, "S")
    assert usmca is not None
    assert usmca.kind == "free"
    several = parse_special("Free (A,AU,BH,CL,CO,D,E,IL,KR,MA,OM,P,PA,PE,S,SG) 2.5% (JO)")
    jordan = program_rate(several, "JO")
    assert jordan is not None
    assert jordan.ad_valorem == pytest.approx(0.025)
    assert program_rate(several, "CN") is None


def test_special_odd_layouts_from_the_2025_file():
    # 0406.90.94: a nested, unclosed "(PA (PA)" at the end
    groups = parse_special(
        "Free (BH,CL,JO,MA,OM,P,PE,SG) 7.5¢/kg (KR) See 9823.04.01-9823.04.54 (S+) See 9919.04.50, 9919.04.57 (PA (PA)"
    )
    assert [g.programs for g in groups] == [("BH", "CL", "JO", "MA", "OM", "P", "PE", "SG"), ("KR",), ("S+",), ("PA",)]
    # 4011.90.20: missing comma "E IL"; 6204.63.11: ".OM"
    assert "IL" in parse_special("Free (A*,AU,BH,E IL,JO)")[0].programs
    assert "OM" in parse_special("Free (AU,MA,.OM,P)")[0].programs
    # 9802.00.50: a parenthesis inside the rate text is kept, programme list "(B,C,)"
    repair = parse_special(
        "Free (AU,BH) A duty upon the value of the repairs or alterations (see U.S. note 3 of this subchapter) (B,C,)"
    )
    assert repair[1].programs == ("B", "C")
    assert repair[1].rate.kind == "reference"
    assert parse_special("") == ()
