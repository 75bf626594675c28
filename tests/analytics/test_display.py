"""How stats figures print: growth paths in any unit, one precision per table column, full precision in
JSON/CSV, and the world total as a partner."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from typer.testing import CliRunner

from nearshore.analytics import series as q
from nearshore.analytics.growth import dollar_scale, growth_path
from nearshore.analytics.result import Figure, FigureRow, FigureTable, Fixed, Period, Provenance, column_decimals
from nearshore.cli.main import app
from nearshore.errors import InputError
from nearshore.format import Unit
from tests.envelope import result_of

runner = CliRunner()
PROV = Provenance(("census-country",), ("2026-07",))
PATH = ["stats", "path", "--start-year", "2025", "--end-year", "2031"]


def fig(value: float, unit: Unit = "percent", **kw: Any) -> Figure:
    return Figure(value, unit, "x", Period.year(2024), PROV, **kw)


def test_small_dollar_path_is_not_shown_as_zero():
    table = growth_path(5.0, 2025, 2031, end_value=9.0)
    start, end = table.figure("start"), table.figure("end")
    assert (start.value, end.value) == (5.0, 9.0)
    assert (start.scale, start.display(), end.display()) == ("units", "$5.00", "$9.00")
    assert table.headers() == ["span", "start ($)", "end ($)", "cagr (%)"]
    assert table.plain_rows()[0][1:3] == [5.0, 9.0]


def test_path_values_given_in_billions():
    table = growth_path(53.2, 2025, 2031, end_value=97.4, unit="billions")
    assert table.figure("start").value == pytest.approx(53.2e9)
    assert table.figure("end").display() == "$97.4B"
    assert table.figure("cagr").value == pytest.approx(100 * ((97.4 / 53.2) ** (1 / 6) - 1))
    assert table.figure("cagr").comparison == "$97.4B in 2031 vs $53.2B in 2025"
    projected = growth_path(410.0, 2025, 2031, rate=3.0, unit="millions")
    assert projected.figure("end").value == pytest.approx(410e6 * 1.03**6)
    assert projected.figure("end").display() == "$489.6M"


@pytest.mark.parametrize(
    ("values", "scale"),
    [((5.0,), "units"), ((999.0, 12_500.0), "thousands"), ((410e6,), "millions"), ((53.2e9, -1e12), "billions")],
)
def test_dollar_scale_suits_the_largest_value(values, scale):
    assert dollar_scale(*values) == scale


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (
            (0.0, 2025, 2031),
            {"end_value": 3.0},
            "a growth path needs positive values (got start 0 and end 3): growth from or to zero or below has no "
            "compound rate",
        ),
        ((1.0, 2025, 2025), {"end_value": 3.0}, "the end year (2025) must be after the start year (2025)"),
        (
            (1.0, 2025, 2031),
            {"end_value": 3.0, "unit": "bn"},
            "unit 'bn' is not one of: units, thousands, millions, billions",
        ),
    ],
)
def test_growth_path_errors(args, kwargs, message):
    with pytest.raises(InputError) as caught:
        growth_path(*args, **kwargs)
    assert str(caught.value) == message


def test_table_rows_use_one_precision_per_column():
    table = FigureTable(
        "t",
        ("partner",),
        ("imports", "share"),
        (
            FigureRow(("MEX",), (fig(503.1e9, "USD", scale="billions"), fig(22.4213))),
            FigureRow(("DEU",), (fig(19.13e9, "USD", scale="billions"), fig(4.0661))),
            FigureRow(("CAN",), (fig(30e9, "USD", scale="billions"), None)),
        ),
        PROV,
    )
    shown = [[format(c) if isinstance(c, float) else c for c in row] for row in table.table_rows()]
    assert shown == [["MEX", "503.1", "22.42"], ["DEU", "19.1", "4.07"], ["CAN", "30.0", None]]
    assert table.plain_rows()[1] == ["DEU", 19.13, 4.0661]  # JSON/CSV: full precision


@pytest.mark.parametrize(
    ("figures", "places"),
    [
        ([fig(22.4213), fig(4.0661), None], 2),  # percent: prose decimals (1) + 1
        ([fig(0.1084), fig(47.92)], 2),
        ([fig(0.004), fig(15.0)], 4),  # smallest non-zero value keeps two significant digits
        ([fig(1e-12), fig(0.0)], 6),
        ([fig(5e9, "USD", scale="billions"), fig(0.0, "USD", scale="billions")], 1),
        ([None], 0),
    ],
)
def test_column_decimals(figures, places):
    assert column_decimals(figures) == places


def test_fixed_prints_its_decimals_whatever_the_format():
    value = Fixed(1234.5, 2)
    assert value == 1234.5
    assert (f"{value:,.4g}", f"{value:,.1f}", str(value)) == ("1,234.50", "1,234.50", "1,234.50")
    assert (format(Fixed(-0.0004, 1)), format(Fixed(-0.06, 1)), format(Fixed(-1234.0, 0))) == ("0.0", "-0.1", "-1,234")


def test_cli_path_small_values_and_billions():
    result = runner.invoke(app, [*PATH, "--start-value", "5", "--end-value", "9"])
    assert result.exit_code == 0, result.output
    assert "start ($)" in result.output
    assert "5.00" in result.output
    assert "9.00" in result.output
    assert "10.29" in result.output
    result = runner.invoke(
        app, [*PATH, "--start-value", "53.2", "--end-value", "97.4", "--in", "billions", "--format", "csv"]
    )
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert rows[0]["start ($B)"] == "53.2"
    assert rows[0]["end ($B)"] == "97.4"
    assert float(rows[0]["cagr (%)"]) == pytest.approx(100 * ((97.4 / 53.2) ** (1 / 6) - 1), abs=1e-12)
    result = runner.invoke(app, [*PATH, "--start-value", "53.2", "--rate", "10", "--in", "bogus"])
    assert result.exit_code == 2
    assert "unit 'bogus' is not one of: units, thousands, millions, billions" in result.output


def test_cli_path_help_names_the_unit():
    result = runner.invoke(app, ["stats", "path", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "U.S. dollars" in result.output
    assert "--in" in result.output
    assert "billions" in result.output


@pytest.mark.parametrize("text", ["World", "world", "WLD", " wld "])
def test_world_words_mean_the_total(text):
    assert q.partner_or_world(text) is None
    with pytest.raises(InputError) as caught:
        q.partner(text)
    assert str(caught.value) == (
        f"partner {text!r} is the world total, not a country: `stats growth` and `stats balance` take "
        f"--partner World (or no --partner) for the total over all countries; here give a country, e.g. MEX"
    )


def test_countries_still_resolve():
    assert q.partner_or_world(None) is None
    found = q.partner_or_world("Mexico")
    assert found is not None
    assert found.id == "MEX"
    assert q.partner("MX").id == "MEX"


def test_json_keeps_full_precision():
    result = runner.invoke(app, [*PATH, "--start-value", "53.2e9", "--rate", "10.6", "--format", "json"])
    assert result_of(result.output)["rows"][0]["end ($B)"] == pytest.approx(53.2 * 1.106**6, abs=1e-12)


@pytest.mark.parametrize(
    ("command", "words"),
    [
        ("growth", "World, WLD or no --partner for the total"),
        ("balance", "World, WLD or no --partner for the total"),
        ("duty-rate", "omit for each partner with duty data"),
    ],
)
def test_partner_help_says_what_leaving_it_out_means(command, words):
    result = runner.invoke(app, ["stats", command, "--help"], env={"COLUMNS": "300"})
    assert result.exit_code == 0
    assert words in " ".join(result.output.split())  # Click's test runner wraps help at 80 columns
