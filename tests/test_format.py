"""One way to print a number (nearshore/format.py): half-up on the decimal value people read, no '-0.0', the
same rounding in stats tables (analytics Figure), in the brief (writer display) and in CLI cells.

Expected strings are written by hand from the decimal values (15.45 to one place is 15.5: the 5 rounds up).
"""

from __future__ import annotations

import pytest

from nearshore import format as fmt
from nearshore.analytics.result import Figure, Fixed, Period, Provenance
from nearshore.format import Scale, Unit
from nearshore.writer.facts import Fact, display

PROV = Provenance(("census-country",), ("2026-07",))


def figure(value: float, unit: Unit, decimals: int = 1, scale: Scale = "units") -> Figure:
    return Figure(value, unit, "x", Period.year(2024), PROV, scale=scale, decimals=decimals)


def fact(value: float, unit: Unit, decimals: int | None = None) -> Fact:
    return Fact("f.x", value, unit, "2024", "x", "census-country", "2026-07", decimals=decimals)


@pytest.mark.parametrize(
    ("value", "places", "shown"),
    [
        (15.45, 1, "15.5"),  # the float is 15.4499999...; people read 15.45
        (15.449, 1, "15.4"),
        (0.125, 2, "0.13"),  # format(0.125, '.2f') gives '0.12' (half-even)
        (2.675, 2, "2.68"),  # the float is 2.67499999...
        (1.005, 2, "1.01"),
        (2.5, 0, "3"),
        (3.5, 0, "4"),
        (-15.45, 1, "-15.5"),  # halves away from zero
        (-0.125, 2, "-0.13"),
        (1234567.25, 1, "1,234,567.3"),
    ],
)
def test_halfway_cases_round_up_on_the_decimal_value(value: float, places: int, shown: str) -> None:
    assert fmt.number(value, places) == shown


@pytest.mark.parametrize("value", [0.0, -0.0, -0.04, -0.0499, -1e-12])
def test_zero_never_prints_with_a_minus(value: float) -> None:
    assert fmt.number(value, 1) == "0.0"
    assert fmt.percent(value) == "0.0%"
    assert fmt.money(value * 1e9, scale="billions") == "$0.0B"
    assert figure(value, "pp").display(signed=True) == "0.0 pp"
    assert format(Fixed(value, 1)) == "0.0"


def test_signs() -> None:
    assert fmt.number(3.25, 1, signed=True) == "+3.3"
    assert fmt.number(-3.25, 1, signed=True) == "-3.3"
    assert figure(3.25, "pp").display(signed=True) == "+3.3 pp"
    assert figure(-3.1e6, "USD", scale="millions").display() == "-$3.1M"
    assert figure(1.04e3, "USD", scale="thousands").display(signed=True) == "+$1.0K"


@pytest.mark.parametrize(
    ("value", "short", "prose"),
    [
        (2.25e9, "$2.3B", "$2.3 billion"),
        (503.15e9, "$503.2B", "$503.2 billion"),
        (1.25e12, "$1.3T", "$1.3 trillion"),
        (410.25e6, "$410.3M", "$410.3 million"),
        (12_450.0, "$12.5K", "$12.5 thousand"),
        (999.95, "$1,000.0", "$1,000.0"),  # below a thousand no scale word, and no rounding into one
        (-171.85e9, "-$171.9B", "$171.9 billion"),  # prose leaves the direction to the sentence
    ],
)
def test_money_in_each_scale_rounds_the_same_in_tables_and_prose(value: float, short: str, prose: str) -> None:
    assert fmt.money(value) == short
    assert fmt.money(value, style="prose") == prose
    assert display(fact(value, "USD")) == prose


def test_a_fixed_scale_is_kept_in_short_style() -> None:
    assert fmt.money(2.25e9, 2, scale="millions") == "$2,250.00M"
    assert figure(2.25e9, "USD", scale="billions").display() == "$2.3B"
    assert fmt.scaled(2.25e9, "billions") == fmt.decimal(2.25)


@pytest.mark.parametrize(
    ("unit", "value", "decimals", "short", "prose"),
    [
        ("percent", 15.45, 1, "15.5%", "15.5%"),
        ("pp", 2.05, 1, "2.1 pp", "2.1 percentage points"),
        ("pp", 1.0, 1, "1.0 pp", "1.0 percentage point"),
        ("ratio", 1.835, 2, "1.84x", "1.84"),
        ("rank", 2.0, 0, "#2", "second-largest"),
        ("index", 2150.45, 1, "2,150.5", "2,150.5"),
        ("count", 1096.0, 0, "1,096", "1,096"),
        ("year", 2024.0, 0, "2024", "2024"),
        ("USD", 2.25e9, 1, "$2,250,000,000.0", "$2.3 billion"),
    ],
)
def test_each_unit(unit: Unit, value: float, decimals: int, short: str, prose: str) -> None:
    assert fmt.short(value, unit, decimals) == short
    assert fmt.prose(value, unit, decimals) == prose
    assert display(fact(value, unit, decimals)) == prose


def test_stats_and_the_brief_print_the_same_share() -> None:
    """The defect: 15.45 printed as 15.4% in `stats` (f-string) and 15.5% in the brief (half-up)."""
    assert figure(15.45, "percent").display() == display(fact(15.45, "percent")) == "15.5%"
    assert figure(2.25e9, "USD", scale="billions").display() == "$2.3B"
    assert display(fact(2.25e9, "USD")) == "$2.3 billion"


def test_ordinals() -> None:
    assert [fmt.ordinal(n) for n in (1, 2, 3, 10, 11, 12, 13, 21, 22, 101)] == [
        "largest",
        "second-largest",
        "third-largest",
        "tenth-largest",
        "11th-largest",
        "12th-largest",
        "13th-largest",
        "21st-largest",
        "22nd-largest",
        "101st-largest",
    ]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0.0, "0"),
        (4.066, "4.066"),
        (4.06651, "4.067"),
        (0.00012345, "0.0001235"),  # half-up on the fifth significant digit
        (99.995, "100"),
        (-12.345, "-12.35"),
        (1.2345e-5, "1.235e-05"),
        (100.05, "100.1"),  # from 100 up: one decimal
        (12345.65, "12,345.7"),
    ],
)
def test_table_cells_without_a_chosen_precision(value: float, shown: str) -> None:
    assert fmt.cell(value) == shown


@pytest.mark.parametrize(
    ("fraction", "places", "shown"),
    [(0.979, 2, "97.90%"), (0.0012345, 3, "0.123%"), (0.886500563, 1, "88.7%"), (-0.0000001, 2, "0.00%")],
)
def test_percent_of_a_fraction(fraction: float, places: int, shown: str) -> None:
    assert fmt.percent(fraction, places, fraction=True) == shown


@pytest.mark.parametrize(
    ("fraction", "shown"), [(0.025, "2.5%"), (0.25, "25%"), (0.003464, "0.3464%"), (1.0, "100%"), (0.0, "0%")]
)
def test_rates_as_the_law_states_them(fraction: float, shown: str) -> None:
    assert fmt.rate(fraction) == shown


def test_one_unit_vocabulary() -> None:
    from nearshore.analytics import result
    from nearshore.writer import facts

    assert result.Unit is facts.Unit is fmt.Unit
    assert "year" in fmt.UNITS


def _column_values() -> list[float]:
    """Values where a column's rounding could part from the decimal one: halves at 0-3 places (exact in binary or
    not), ties one digit past them, zeros and tiny values of both signs, every magnitude up to past 1e15 (where
    the float has no fraction left), NaN."""
    import random

    draw = random.Random(12)
    values = [2.675, 1.005, 0.125, -0.125, 15.45, 0.29805, 0.00005, -0.00005, 2.5, -2.5, 0.5, -0.5]
    values += [0.0, -0.0, 1e-12, -1e-12, 5e-324, -5e-324, 1e-300, 999.995, 99_999.5, -1_234_567.125]
    values += [999_999_999_999_999.9, 1e15, 1e15 + 0.5, 123_456_789_012_345_678.0, -4.5e17, float("nan")]
    for places in range(4):
        values += [(draw.randint(-(10**12), 10**12) + 0.5) / 10**places for _ in range(300)]
        values += [float(f"{draw.randint(-(10**9), 10**9)}5e-{places + 1}") for _ in range(300)]
    for exponent in range(-8, 16):
        values += [draw.uniform(-(10**exponent), 10**exponent) for _ in range(100)]
        values += [round(draw.uniform(-(10**exponent), 10**exponent), draw.randint(0, 4)) for _ in range(100)]
    return values


@pytest.mark.parametrize("places", [0, 1, 2, 3])
def test_a_column_is_formatted_as_each_of_its_cells(places: int) -> None:
    import numpy as np

    values = _column_values()
    assert fmt.numbers(values, places) == [fmt.number(v, places) for v in values]
    assert fmt.numbers(np.array(values), places) == [fmt.number(v, places) for v in values]
    for fraction in (False, True):
        expected = [fmt.percent(v, places, fraction=fraction) for v in values]
        assert fmt.percents(values, places, fraction=fraction) == expected
    finite = [v for v in values if v == v]  # a NaN has no sign to show: `number` raises on it, signed
    assert fmt.numbers(finite, places, signed=True) == [fmt.number(v, places, signed=True) for v in finite]
    expected = [fmt.percent(v, places, fraction=True, signed=True) for v in finite]
    assert fmt.percents(finite, places, fraction=True, signed=True) == expected


def test_a_column_shows_none_as_blank_and_fails_where_its_cells_do() -> None:
    from decimal import InvalidOperation

    assert fmt.numbers([2.675, None, -0.125, 1e15 + 0.5, float("nan")], 2) == [
        "2.68",
        "",
        "-0.13",
        "1,000,000,000,000,000.50",
        "NaN",
    ]
    assert fmt.percents([0.29805, None, -0.00004, 1.0], 2, fraction=True) == ["29.81%", "", "0.00%", "100.00%"]
    assert fmt.numbers([], 0) == []
    with pytest.raises(InvalidOperation):
        fmt.number(float("inf"), 0)
    with pytest.raises(InvalidOperation):
        fmt.numbers([1.0, float("inf")], 0)
