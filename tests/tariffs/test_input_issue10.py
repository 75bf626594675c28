"""Regression tests of issue 10, section 3 (tariffs): each input that gave a wrong duty, a non-finite figure or a
traceback is now refused with the field or the file, the row and the fix (exit code 2). On the small test
schedule (tests/tariffs/input_fuzzing.py), and through the CLI on the store seeded from the snapshot."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nearshore.cli.main import app
from nearshore.errors import NearshoreError, ValidationFailed
from nearshore.tariffs.batch import read_entries
from nearshore.tariffs.duty import Entry, calculate
from nearshore.tariffs.landed import compare_origins
from nearshore.tariffs.policy import load_policy
from tests.tariffs.input_fuzzing import small_schedule

ON = dt.date(2025, 6, 1)
LINE = "8703.23.01.90"
runner = CliRunner()


@pytest.fixture(scope="module")
def engine():
    return small_schedule(), load_policy()


def refusal(engine, **fields) -> NearshoreError:
    entry = Entry(**{"hts": LINE, "origin": "MX", "value": 10_000.0, "on": ON, **fields})
    with pytest.raises(NearshoreError) as info:
        calculate(entry, *engine)
    assert info.value.exit_code == 2
    return info.value


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"value": math.nan}, "value", "customs value nan is not a number; give the customs value as a plain number"),
        ({"value": math.inf}, "value", "customs value inf is not a finite amount below 1,000,000,000,000,000"),
        ({"value": 1e300}, "value", "customs value 1e+300 is not a finite amount below 1,000,000,000,000,000"),
        ({"quantity": math.nan}, "quantity", "quantity nan is not a number"),
        ({"metal_value": math.nan}, "metal_value", "metal value nan is not a number"),
        ({"us_content": -math.inf}, "us_content", "U.S. content -inf is not a finite amount"),
        ({"hts": "-8708.99.81"}, "hts", "HTS '-8708.99.81' is not an HTS code: write 8 or 10 digits"),
        ({"hts": "\u0668\u0667\u0660\u0663"}, "hts", "is not an HTS code"),
        ({"origin": "\U0001f1f2\U0001f1fd"}, "origin", "is not a country name or code: write an ISO code"),
        ({"origin": "US"}, "origin", "origin 'US' is the United States: the duty engine rates imported goods"),
        ({"origin": "USA"}, "origin", "HTS 9801.00.10 (free)"),
    ],
)
def test_an_entry_that_cannot_be_rated_is_refused_by_field(engine, fields, field, message):
    error = refusal(engine, **fields)
    assert error.field == field
    assert message in str(error)


def test_nan_no_longer_passes_as_de_minimis(engine):
    """`--value nan` gave $0 'admitted free under de minimis'; a real value at the threshold still does."""
    error = refusal(engine, value=math.nan)
    assert "de minimis" not in str(error)
    result = calculate(Entry(LINE, "MX", 799.0, ON), *engine)
    assert all(math.isfinite(c.amount) for c in result.components)


def test_compare_keeps_the_united_states_as_the_domestic_baseline(engine):
    schedule, policy = engine
    costs = compare_origins(schedule, policy, hts=LINE, value=10_000.0, on=ON, origins=["MX", "US"])
    us = next(c for c in costs if c.origin == "USA")
    assert us.duty.total == 0.0
    assert us.duty.notes == ("made in the United States: no customs duty or fees",)


def entries_file(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


HEADER = "hts,origin,value,date\n"


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        (
            "latin.csv",
            (HEADER + f"{LINE},M\u00e9X,1000,2025-06-01\n").encode("latin-1"),
            [
                "row 2: not UTF-8 text: invalid continuation byte at byte 37 (value 'e9'). save the file as UTF-8 (in "
                "Excel: CSV UTF-8)"
            ],
        ),
        (
            "binary.csv",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            [
                "row 3: a NUL byte at byte 8: this is not a text file, or it is corrupted. give the CSV file itself, "
                "downloaded again"
            ],
        ),
        (
            "short.csv",
            HEADER + f"{LINE},MX,1000\n",
            ["row 2: has 3 cells for 4 columns (value '8703.23.01.90,MX,1000'). quote cells that hold commas"],
        ),
        (
            "twice.csv",
            "hts,origin,value,date,value\n" + f"{LINE},MX,1000,2025-06-01,5\n",
            ["row 1, column 'value': is a column twice. keep one column of each name"],
        ),
        (
            "maybe.csv",
            "hts,origin,value,date,usmca\n" + f"{LINE},MX,1000,2025-06-01,maybe\n",
            ["row 2, column 'usmca': not yes/no (value 'maybe'). write 1 or 0 (or leave empty)"],
        ),
        (
            "nan.csv",
            HEADER + f"{LINE},MX,nan,2025-06-01\n",
            ["row 2, column 'value': not a number (value 'nan'). write a plain number, e.g. 10000"],
        ),
        (
            "deep.json",
            "[" * 100_000 + "]" * 100_000,
            ["is nested too deeply to be an entry file. write a list of objects with hts, origin, value, date"],
        ),
        (
            "nan.json",
            f'[{{"hts": "{LINE}", "origin": "MX", "value": NaN, "date": "2025-06-01"}}]',
            [
                "not usable JSON: NaN is not a JSON number; give a number or leave the field out. write a list of "
                "objects with hts, origin, value, date"
            ],
        ),
        (
            "twice.json",
            f'[{{"hts": "{LINE}", "origin": "MX", "value": 1, "value": 2, "date": "2025-06-01"}}]',
            [
                "not usable JSON: key 'value' is given twice in one entry (JSON would keep the last); keep one. "
                "write a list of objects with hts, origin, value, date"
            ],
        ),
        (
            "broken.json",
            '[{"hts": ',
            [
                "row 1: not readable JSON: Expecting value (line 1, column 10). write a list of objects with hts, "
                "origin, value, date"
            ],
        ),
    ],
)
def test_entry_files_that_gave_tracebacks_are_refused_on_their_row(tmp_path, name, data, expected):
    path = entries_file(tmp_path, name, data)
    with pytest.raises(ValidationFailed) as info:
        read_entries(path)
    assert info.value.exit_code == 2
    assert [str(p).replace(f"{path}, ", "").replace(f"{path}: ", "") for p in info.value.problems] == expected


def test_the_cli_refuses_nan_and_the_json_is_standard(isolated_env):
    args = ["tariff", "duty", "--hts", "8708.99.81", "--origin", "MX", "--date", "2025-06-01", "--format", "json"]
    result = runner.invoke(app, [*args, "--value", "nan"])
    assert result.exit_code == 2
    assert "customs value nan is not a number" in result.stderr
    result = runner.invoke(app, [*args, "--value", "inf"])
    assert result.exit_code == 2
    result = runner.invoke(app, [*args, "--value", "10000"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout, parse_constant=lambda name: pytest.fail(f"{name} in the JSON"))
    assert document["result"]["payload"]["total"] > 0  # the services' envelope
