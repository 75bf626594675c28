"""Vectorised batch duty equals the one-row-at-a-time engine; bad rows are all reported."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from nearshore.errors import ValidationFailed
from nearshore.tariffs.batch import BatchResult, Entries, duty_loop, duty_vectorised, entries_from_columns
from nearshore.tariffs.duty import Entry
from nearshore.tariffs.policy import Policy, load_policy
from nearshore.tariffs.schedule import Schedule

ROWS = [
    ("8708.99.81", "MX", 10000, "2025-06-01", None, None, "1", None, None),
    ("8708.99.81", "MX", 700, "2025-06-01", None, None, "", None, None),  # de minimis
    ("8708.99.81", "CN", 700, "2025-06-01", None, None, "", None, None),  # no de minimis for China
    ("7326.90.86", "CN", 10000, "2025-09-01", None, None, "", 4000, None),  # metal split
    ("7326.90.86", "CN", 5000, "2025-09-01", None, None, "", 5000, None),
    ("8703.23.01", "MX", 30000, "2025-06-01", None, None, "1", None, 12000),  # USMCA vehicle
    ("0201.10.10", "AU", 1000, "2025-06-01", 100, "kg", "", None, None),  # specific rate
    ("6109.10.00", "DE", 2500, "2025-09-01", None, None, "", None, None),  # EU floor
    ("6109.10.00", "VN", 900, "2025-09-01", None, None, "", None, None),
]
NAMES = ("hts", "origin", "value", "date", "quantity", "unit", "usmca", "metal_value", "us_content")


def columns(rows: Sequence[tuple[object, ...]]) -> dict[str, list[object]]:
    return {name: [r[i] for r in rows] for i, name in enumerate(NAMES)}


def test_vectorised_equals_loop(schedule):
    policy = load_policy()
    entries = entries_from_columns(columns(ROWS * 3))
    fast = duty_vectorised(entries, schedule, policy)
    slow = duty_loop(entries, schedule, policy)
    np.testing.assert_allclose(fast.duty, slow, atol=0.011)
    assert fast.groups == len(ROWS) - 1  # the two China derivative rows differ only by value/metal
    assert fast.duty[0] == 0.0
    assert fast.duty[1] == 0.0
    assert fast.duty[2] == pytest.approx(402.5)


def test_bad_rows_are_all_listed(schedule):
    bad = columns(
        [
            ("8708.99.99", "MX", 1, "2025-06-01", None, None, "", None, None),
            ("8708.99.81", "MX", 1, "2024-01-01", None, None, "", None, None),
        ]
    )
    with pytest.raises(ValidationFailed) as info:
        duty_vectorised(entries_from_columns(bad), schedule, load_policy(), file="e.csv")
    text = str(info.value)
    assert text.startswith("2 problem(s) found; no duty was calculated:")
    assert "e.csv, row 2, column 'hts': HTS '8708.99.99' is not in HTS revision 2025-basic" in text
    assert "e.csv, row 3, column 'date': date 2024-01-01 is outside the tariff policy's coverage" in text


def test_engine_errors_name_the_column_they_are_about(schedule):
    # an error from the one-entry engine points at the cell to fix, not always at 'hts'
    bad = columns(
        [
            ("8708.99.81", "Atlantis", 1000, "2025-06-01", None, None, "", None, None),
            ("8708.99.81", "CN", 1000, "2025-06-01", None, None, "1", None, None),
            ("0201.10.10", "AU", 1000, "2025-06-01", None, None, "", None, None),
        ]
    )
    with pytest.raises(ValidationFailed) as info:
        duty_vectorised(entries_from_columns(bad), schedule, load_policy(), file="e.csv")
    text = str(info.value)
    assert (
        "e.csv, row 2, column 'origin': unknown partner 'Atlantis': use an ISO 3166 code (MEX, MX), a Census "
        "code (2010) or a country name (value 'Atlantis')"
    ) in text
    assert (
        "e.csv, row 3, column 'usmca': USMCA treatment (--usmca) is only for goods of Canada or Mexico, "
        "not China (value '1')"
    ) in text
    assert (
        "e.csv, row 4, column 'quantity': HTS 0201.10.10 has a specific general rate (4.4¢/kg): give the "
        "quantity in kg (--quantity N --unit kg) (value '')"
    ) in text


def test_amounts_are_checked_row_by_row():
    # metal and U.S. content are parts of the customs value; no amount may be negative
    bad = {
        "hts": ["7326.90.86"] * 4,
        "origin": ["CN"] * 4,
        "value": ["-10", "10000", "10000", "1000"],
        "date": ["2025-06-10"] * 4,
        "metal_value": ["", "20000", "-5", ""],
        "quantity": ["", "", "", "-5"],
    }
    with pytest.raises(ValidationFailed) as info:
        entries_from_columns(bad, "e.csv")
    assert str(info.value) == (
        "4 problem(s) found; no duty was calculated:\n"
        "  - e.csv, row 2, column 'value': is negative (value '-10'). give the entered value in U.S. dollars\n"
        "  - e.csv, row 3, column 'metal_value': is more than the customs value 10000 (value '20000'). the steel, "
        "aluminium or copper content is part of the customs value: give at most 10000\n"
        "  - e.csv, row 4, column 'metal_value': is negative (value '-5'). give the value of the steel, aluminium "
        "or copper content in U.S. dollars\n"
        "  - e.csv, row 5, column 'quantity': is negative (value '-5'). give the quantity entered (zero or more)"
    )


def test_input_checks():
    with pytest.raises(ValidationFailed) as info:
        entries_from_columns({"hts": ["8708.99.81"], "origin": ["MX"], "value": ["ten"], "date": ["1 June"]}, "e.csv")
    assert str(info.value) == (
        "2 problem(s) found; no duty was calculated:\n"
        "  - e.csv, row 2, column 'date': not a date (value '1 June'). write it as YYYY-MM-DD\n"
        "  - e.csv, row 2, column 'value': not a number (value 'ten'). write a plain number, e.g. 10000"
    )


def _lines_rated(schedule: Schedule, *kinds: str) -> list[str]:
    """The HTS10 product lines (chapters 1-97) whose general rate is of one of `kinds`."""
    return [
        c
        for c, line in schedule.lines.items()
        if len(c) == 10 and c < "98" and line.general is not None and line.general.kind in kinds
    ]


def test_random_batch_over_dates_equals_loop(schedule):
    """Dates are grouped into policy regimes: any date inside one gives the loop's duty."""
    import random
    from datetime import date, timedelta

    policy = load_policy()
    rng = random.Random(11)
    codes = _lines_rated(schedule, "ad_valorem", "free")
    sample_codes = [
        *rng.sample(codes, 40),
        *("8708998180", "7326908688", "8703230190", "8708996890", "2711110000"),
        *("7208101500", "7321111030", "8544429010", "8504230041", "8471804000", "8541420010", "0901110015"),
    ]
    rows = []
    for _ in range(600):
        origin = rng.choice(["MX", "CA", "CN", "VN", "DE", "JP", "GB", "IN", "BR", "RU", "CH"])
        usmca = "1" if origin in ("MX", "CA") and rng.random() < 0.5 else ""
        day = date(2025, 1, 1) + timedelta(days=rng.randrange(0, 800))  # to 2027-03, past the last action
        metal = rng.choice([None, 400.0, 0.0])  # at most the smallest value (500); 0 = no metal (9903.82.01)
        us = rng.choice([None, 300.0]) if usmca else None
        rows.append(
            (
                rng.choice(sample_codes),
                origin,
                rng.choice([500.0, 5000.0]),
                day.isoformat(),
                10.0,
                None,
                usmca,
                metal,
                us,
            )
        )
    entries = entries_from_columns(columns(rows))
    fast = duty_vectorised(entries, schedule, policy)
    slow = duty_loop(entries, schedule, policy)
    np.testing.assert_allclose(fast.duty, slow, atol=0.011)
    assert fast.groups < len(rows)


def test_auto_part_column_vector_equals_loop(schedule):
    import random

    policy = load_policy()
    rng = random.Random(3)
    codes = ["8471300100", "8708996890", "8482105044", "8544300000", "8703230190", "6109100012"]
    rows: dict[str, list[object]] = {"hts": [], "origin": [], "value": [], "date": [], "auto_part": []}
    for _ in range(300):
        rows["hts"].append(rng.choice(codes))
        rows["origin"].append(rng.choice(["VN", "JP", "DE", "CN", "MX"]))
        rows["value"].append(rng.choice([1000.0, 20000.0]))
        rows["date"].append(rng.choice(["2025-06-01", "2025-10-01", "2025-12-01"]))
        rows["auto_part"].append(rng.choice(["", "1", "0"]))
    entries = entries_from_columns(rows)
    np.testing.assert_allclose(
        duty_vectorised(entries, schedule, policy).duty, duty_loop(entries, schedule, policy), atol=0.011
    )
    with pytest.raises(ValidationFailed, match="column 'auto_part': not yes/no"):
        entries_from_columns({**rows, "auto_part": ["maybe"] * 300})


def test_layer_texts_name_their_basis_on_both_paths(schedule):
    # the vectorised path (Brazil steel) and the one-entry path (a metal value given; a USMCA vehicle with its
    # U.S. content) describe a line's layers alike, with the basis of every layer not charged on the full value
    rows = [
        ("7208.10.15", "BR", 10000, "2025-09-01", None, None, "", None, None),
        ("7326.90.86", "CN", 10000, "2025-09-01", None, None, "", 4000, None),
        ("8703.23.01", "MX", 30000, "2025-06-01", None, None, "1", None, 12000),
    ]
    result = duty_vectorised(entries_from_columns(columns(rows)), schedule, load_policy())
    assert result.layer_text == [
        "base 0%; ieepa-reciprocal 10% on value less metal content; s232-steel 50% on metal value",
        "base 2.9%; ieepa-fentanyl-chn 20%; ieepa-reciprocal 10% on value less metal content; "
        "s232-steel 50% on metal value; s301-list3 25%",
        "base 0%; s232-autos 25% on non-U.S. content",
    ]
    assert list(result.duty) == [5000.0, 7390.0, 4500.0]


def test_validation_failed_wording():
    # the shared error keeps its default wording for loads; batch says no duty was calculated
    from nearshore.errors import Problem

    problem = Problem("e.csv", 2, "value", "ten", "not a number", "fix the cell")
    assert str(ValidationFailed([problem])) == (
        "1 problem(s) found; nothing was loaded:\n  - e.csv, row 2, column 'value': not a number (value 'ten'). "
        "fix the cell"
    )
    assert str(ValidationFailed([problem], outcome="no duty was calculated")) == (
        "1 problem(s) found; no duty was calculated:\n  - e.csv, row 2, column 'value': not a number "
        "(value 'ten'). fix the cell"
    )


def test_floor_over_a_specific_base_is_rated_per_row(schedule):
    # EU and Japan: 15% inclusive of the general rate; a specific base's ad valorem equivalent is the row's
    # quantity over its value, so rows of one group pay different reciprocal rates (duty.calculate per row)
    rows = [
        (code, origin, value, on, quantity, None, "", None, None)
        for code in ("1701.12.05.00", "2401.20.85.20", "0702.00.60.66")
        for origin in ("JPN", "DEU")
        for value, quantity in ((52740.2, 100), (900.5, 100), (1500, 40000), (239482.55, 100), (20, 1))
        for on in ("2025-08-14", "2025-12-08")
    ]
    policy = load_policy()
    entries = entries_from_columns(columns(rows))
    fast = duty_vectorised(entries, schedule, policy)
    np.testing.assert_allclose(fast.duty, duty_loop(entries, schedule, policy), atol=0.011)
    assert fast.groups < len(rows) / 2  # the rows share groups: the rate is not taken from one of them
    assert fast.texts == {}  # rated by context (vector path), not one group at a time


def test_a_floor_group_whose_first_row_has_no_quantity_rates_each_row(schedule):
    # the first row of a group decides its rates; with quantity 0 its floor does not move with the quantity, and
    # the rows after it with a quantity still pay the floor less their own specific part (duty.calculate per row)
    rows = [
        (code, origin, value, "2025-12-08", quantity, None, "", None, None)
        for code in ("1701.12.05.00", "2401.20.85.20", "0702.00.60.66")
        for origin in ("JPN", "DEU")
        for value, quantity in ((52740.2, 0), (900.5, 100), (1500, 40000), (20, 1))
    ]
    policy = load_policy()
    zero_metal = [(*r[:7], 0.0, r[8]) for r in rows]  # no metal content: every group by the one-entry engine
    for given in (rows, zero_metal):
        entries = entries_from_columns(columns(given))
        fast = duty_vectorised(entries, schedule, policy)
        np.testing.assert_allclose(fast.duty, duty_loop(entries, schedule, policy), atol=0.011)
        assert fast.groups < len(rows)  # rows with and without a quantity share groups
    assert len(fast.texts) == fast.groups  # the second file: rated one group at a time


def _engine_text(entry: Entry, schedule: Schedule, policy: Policy) -> str:
    """The layers text of one entry from duty.calculate's components (the one-entry path's wording)."""
    from dataclasses import replace

    from nearshore.tariffs.duty import BASIS_LABELS, calculate, percent

    result = calculate(replace(entry, value=max(entry.value, policy.de_minimis_threshold + 1)), schedule, policy)
    parts = []
    for c in result.components:
        if c.authority == "HTS" or (c.rate and c.basis != "none"):
            rate = c.rate_text if c.basis == "quantity" else percent(c.rate)
            where = "" if c.basis in ("value", "quantity") else f" on {BASIS_LABELS[c.basis]}"
            parts.append(f"{'base' if c.authority == 'HTS' else c.layer} {rate}{where}")
    return "; ".join(parts)


def _assert_texts_are_the_engines(
    fast: BatchResult, entries: Entries, rows: Sequence[tuple[object, ...]], schedule: Schedule, policy: Policy
) -> None:
    """Each group's layers text is the one-entry engine's for the group's first row."""
    firsts: dict[int, int] = {}
    for i, g in enumerate(fast.group):
        firsts.setdefault(int(g), i)
    texts = fast.layers()
    for g, i in firsts.items():
        assert texts[g] == _engine_text(entries.entry(i), schedule, policy), rows[i]


def test_per_unit_lines_vector_equals_loop(schedule):
    # lines whose base rate is per unit ("4.4¢/kg"), compound ("2.5¢/kg + 3%") or refers to another provision
    # ("The duty provided in the applicable subheading + 25%"), with quantities and units (none, the rate's, an
    # alias): the vector path's duty and layers text equal the engine's
    import random
    from datetime import date, timedelta

    from nearshore.tariffs.duty import unit_key

    policy = load_policy()
    rng = random.Random(5)
    codes, references = _lines_rated(schedule, "specific", "compound"), _lines_rated(schedule, "reference")
    sample = [
        *rng.sample(codes, 80),
        *rng.sample(references, 15),
        "2204300000",
        "9105991000",
        "1701120500",
        "2401208520",
        "0702006066",
    ]
    aliases = {"kg": ["kg", "KGS", "Kilograms"], "liter": ["liter", "l"], "each": ["No.", "pcs"], "pr.": ["pairs"]}
    rows = []
    for _ in range(1500):
        code = rng.choice(sample)
        origin = rng.choice(["MX", "CA", "CN", "VN", "DE", "JP", "AU", "RU", "KR", "CH", "BR", "IN"])
        usmca = "1" if origin in ("MX", "CA") and rng.random() < 0.5 else ""
        units = {t.unit for t in schedule.lines[code].general.terms if t.kind == "specific"}
        unit = None
        if len(units) == 1 and not usmca and origin != "RU" and rng.random() < 0.6:  # the general rate's unit
            (raw,) = units
            unit = rng.choice([raw, *aliases.get(unit_key(raw), [])])
        day = date(2025, 1, 1) + timedelta(days=rng.randrange(0, 800))
        quantity = rng.choice([0.0, 1.0, 10.0, 123.45, 2500.0])
        value = rng.choice([500.0, 5000.0, 80000.0])
        rows.append((code, origin, value, day.isoformat(), quantity, unit, usmca, None, None))
    entries = entries_from_columns(columns(rows))
    fast = duty_vectorised(entries, schedule, policy)
    np.testing.assert_allclose(fast.duty, duty_loop(entries, schedule, policy), atol=0.011)
    vector = np.array([g not in fast.texts for g in range(fast.groups)])  # groups rated by context, not one at a time
    assert vector.mean() > 0.6
    # a group's text is its first row's (a floor less a per-unit base differs by row: the first row's is shown)
    _assert_texts_are_the_engines(fast, entries, rows, schedule, policy)


def test_per_unit_errors_stay_on_their_rows(schedule):
    # a per-unit line with no quantity, or a quantity in another unit, is reported at its own row and cell;
    # the rows of the same line rated by the vector path do not hide them
    rows = [
        ("0201.10.10.10", "AU", 1000, "2025-06-01", 100, "kg", "", None, None),
        ("0201.10.10.10", "AU", 1000, "2025-06-01", 100, "liter", "", None, None),
        ("0201.10.10.10", "AU", 1000, "2025-06-01", 100, None, "", None, None),
        ("0201.10.10.10", "AU", 1000, "2025-06-01", None, None, "", None, None),
        ("0201.10.10.10", "AU", 1000, "2025-06-01", 100, "", "", None, None),
    ]
    with pytest.raises(ValidationFailed) as info:
        duty_vectorised(entries_from_columns(columns(rows)), schedule, load_policy(), file="e.csv")
    assert [(p.row, p.field) for p in info.value.problems] == [(3, "unit"), (5, "quantity")]
    assert "more row(s)" not in str(info.value)
    good = [rows[0], rows[2], rows[4]]
    result = duty_vectorised(entries_from_columns(columns(good)), schedule, load_policy())
    assert list(result.duty) == [104.4] * 3  # 4.4¢/kg x 100 kg + 10% (reciprocal baseline) x $1,000
    assert result.layer_text == ["base $0.044/kg; ieepa-reciprocal 10%"] * 3
    assert result.texts == {}  # all rated by the vector path


def test_two_unit_specific_rates_vector_equals_loop(schedule):
    # "17¢ each + 2.5% + 1¢/jewel": per-unit terms in two units take the one quantity each when no unit is said
    # (duty._base_term); the vector path rates them (the sum of the terms per unit), with quantity 0 too, and a
    # floor over them (EU, Japan); a unit said is refused at its row by the engine, as before
    from nearshore.tariffs.duty import unit_key

    two = [
        line.code
        for line in schedule.statistical_lines()
        if line.general is not None and len({unit_key(t.unit) for t in line.general.terms if t.kind == "specific"}) > 1
    ]
    assert len(two) >= 10
    rows = [
        (code, origin, value, on, quantity, None, usmca, None, None)
        for code in two
        for origin, usmca in (("CN", ""), ("DE", ""), ("JP", ""), ("MX", "1"), ("MX", ""), ("RU", ""))
        for value, quantity in ((5000.0, 100.0), (700.0, 0.0), (900.5, 40000.0))
        for on in ("2025-03-01", "2025-09-01")
    ]
    policy = load_policy()
    entries = entries_from_columns(columns(rows))
    fast = duty_vectorised(entries, schedule, policy)
    np.testing.assert_allclose(fast.duty, duty_loop(entries, schedule, policy), atol=0.011)
    assert fast.texts == {}  # every group rated by context, none one at a time
    _assert_texts_are_the_engines(fast, entries, rows, schedule, policy)
    said = [(two[0], "CN", 5000.0, "2025-09-01", 10.0, "liter", "", None, None)]
    with pytest.raises(ValidationFailed) as info:
        duty_vectorised(entries_from_columns(columns(said)), schedule, policy, file="e.csv")
    assert [(p.row, p.field) for p in info.value.problems] == [(2, "unit")]


def test_usmca_programme_column_is_rated_as_the_engine_rates_it(schedule):
    # program S/S+ is the USMCA claim to the engine, which refuses it for other origins; the vector path rated such
    # rows at the general rate (and accepted them from Germany): they now go to the engine
    policy = load_policy()
    names = ("hts", "origin", "value", "date", "quantity", "program", "usmca")
    rows = [
        ("6912.00.35.10", "MX", "1000", "2025-06-01", "", "S", ""),
        ("6912.00.35.10", "MX", "1000", "2025-06-01", "", "S+", ""),
        ("0201.10.10.10", "CA", "1000", "2025-06-01", "100", "S", ""),
        ("9105.99.10.00", "MX", "5000", "2025-09-01", "10", "S", "1"),
        ("8708.99.81", "MX", "1000", "2025-06-01", "", "S", "1"),
    ]
    entries = entries_from_columns({n: [r[i] for r in rows] for i, n in enumerate(names)})
    np.testing.assert_allclose(
        duty_vectorised(entries, schedule, policy).duty, duty_loop(entries, schedule, policy), atol=0.011
    )
    german = {n: [v] for n, v in zip(names, ("6912.00.35.10", "DE", "1000", "2025-06-01", "", "S", ""), strict=True)}
    with pytest.raises(ValidationFailed) as info:
        duty_vectorised(entries_from_columns(german), schedule, policy, file="e.csv")
    assert str(info.value.problems[0]) == (
        "e.csv, row 2, column 'program': programme S (USMCA) is for goods of CAN, MEX, not DEU (value 'S')"
    )


def test_factorize_and_distinct_rows_against_python():
    # grouping keys numbered by one sort, and float rows hashed as bytes, against dicts over Python values
    from nearshore.tariffs.batch_keys import distinct_rows, factorize

    rng = np.random.default_rng(4)
    for key in (rng.integers(0, 50, 2000), rng.integers(-(2**40), 2**40, 2000), rng.integers(0, 2**40, 3) * 3):
        inverse, firsts = factorize(key)  # counted (a small range), then sorted (a wide one)
        ranks = {v: k for k, v in enumerate(sorted(set(key.tolist())))}
        assert inverse.tolist() == [ranks[v] for v in key.tolist()]
        assert firsts.tolist() == [key.tolist().index(v) for v in sorted(ranks)]
    table = rng.choice([0.0, 0.025, 0.1, 6.0, -1.0], size=(3000, 4))
    inverse, rows = distinct_rows(table)
    assert [rows[i] for i in inverse] == table.tolist()
    assert len(rows) == len({tuple(r) for r in table.tolist()})
