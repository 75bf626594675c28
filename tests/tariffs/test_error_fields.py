"""The duty engine's errors say which input field they are about, and batch files place them by that field."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from nearshore.errors import NearshoreError, ValidationFailed
from nearshore.tariffs.batch import duty_vectorised, entries_from_columns
from nearshore.tariffs.duty import Entry, calculate
from nearshore.tariffs.policy import load_policy
from nearshore.tariffs.schedule import Schedule

JUNE = date(2025, 6, 1)


@pytest.mark.parametrize(
    ("entry", "field", "value"),
    [
        (Entry("8708.99.81", "Atlantis", 1000.0, JUNE), "origin", "Atlantis"),
        (Entry("8708.99.81", "CN", 1000.0, JUNE, usmca=True), "usmca", None),
        (Entry("8708.99.99", "MX", 1000.0, JUNE), "hts", "8708.99.99"),
        (Entry("87O8.99.81", "MX", 1000.0, JUNE), "hts", "87O8.99.81"),
        (Entry("8708.99.81", "MX", 1000.0, date(2019, 1, 1)), "date", "2019-01-01"),
        (Entry("8708.99.81", "MX", -5.0, JUNE), "value", "-5"),
        (Entry("0201.10.10", "AU", 1000.0, JUNE), "quantity", None),
        (Entry("0201.10.10", "AU", 1000.0, JUNE, quantity=5.0, unit="liter"), "unit", "liter"),
    ],
)
def test_engine_errors_carry_the_field_they_are_about(
    schedule: Schedule, entry: Entry, field: str, value: str | None
) -> None:
    with pytest.raises(NearshoreError) as info:
        calculate(entry, schedule, load_policy())
    assert (info.value.field, info.value.value) == (field, value)
    assert info.value.to_dict()["field"] == field


def test_batch_places_an_error_by_its_field_not_its_wording(schedule: Schedule) -> None:
    # a unit mismatch is a MissingInputError like a missing quantity, but the cell to fix is the unit
    rows: dict[str, list[Any]] = {
        "hts": ["0201.10.10"],
        "origin": ["AU"],
        "value": [1000],
        "date": ["2025-06-01"],
        "quantity": [5],
        "unit": ["liter"],
    }
    with pytest.raises(ValidationFailed) as info:
        duty_vectorised(entries_from_columns(rows), schedule, load_policy(), file="e.csv")
    problem = info.value.problems[0]
    assert (problem.row, problem.field, problem.value) == (2, "unit", "liter")
    assert str(problem).startswith("e.csv, row 2, column 'unit': HTS 0201.10.10: the general rate")
