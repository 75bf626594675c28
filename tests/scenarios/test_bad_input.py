"""Bad input gets a clear error naming the file, row, column and value; nothing is estimated or written."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from nearshore.errors import ConfigError, InputError, UnknownCodeError, ValidationFailed
from nearshore.scenarios.gravity import (
    Columns,
    GESettings,
    GravitySpec,
    SetVariable,
    estimate,
    given_costs,
    read_panel,
    simulate,
)
from nearshore.scenarios.gravity.options import parse_cost, parse_set, parse_years, read_betas
from tests.scenarios.conftest import synthetic_panel, write_panel

HEADER = "exporter,importer,year,trade,dist\n"


def csv_file(tmp_path: Path, body: str, header: str = HEADER) -> Path:
    path = tmp_path / "panel.csv"
    path.write_text(header + body)
    return path


def test_missing_columns_are_named_with_the_option_that_renames_them(tmp_path: Path) -> None:
    path = csv_file(tmp_path, "CAN,USA,2006,1.5\n", header="origin,importer,year,trade\n")
    with pytest.raises(ValidationFailed) as caught:
        read_panel(path, Columns(), ["dist"])
    message = str(caught.value)
    assert message == (
        "2 problem(s) found; nothing was estimated or simulated:\n"
        f"  - {path}, column 'exporter': missing column. the file has: origin, importer, year, trade; "
        "name the column with --exporter-col\n"
        f"  - {path}, column 'dist': missing column. the file has: origin, importer, year, trade; "
        "add it to the file"
    )


def test_negative_trade_names_the_row_and_value(tmp_path: Path) -> None:
    path = csv_file(tmp_path, "CAN,USA,2006,1.5,100\nMEX,USA,2006,-3,200\n")
    with pytest.raises(ValidationFailed) as caught:
        read_panel(path, Columns(), ["dist"])
    assert str(caught.value).endswith(
        f"{path}, row 3, column 'trade': negative trade flow (value '-3'). "
        "trade values are >= 0 (0 for no trade); check the sign or the column"
    )
    assert caught.value.problem.row == 3


def test_non_numeric_and_missing_values_are_each_reported(tmp_path: Path) -> None:
    path = csv_file(tmp_path, "CAN,USA,2006,1.5,100\nMEX,USA,2006,12a,200\nUSA,CAN,2006,,n/a\n")
    with pytest.raises(ValidationFailed) as caught:
        read_panel(path, Columns(), ["dist"])
    problems = [str(p) for p in caught.value.problems]
    assert problems == [
        f"{path}, row 3, column 'trade': not a number (value '12a'). write plain numbers, e.g. 1234.5",
        f"{path}, row 4, column 'trade': missing value (value ''). fill it in (0 for no trade)",
        f"{path}, row 4, column 'dist': not a number (value 'n/a'). write plain numbers, e.g. 1234.5",
    ]


def test_duplicated_flows_and_bad_years(tmp_path: Path) -> None:
    path = csv_file(tmp_path, "CAN,USA,2006,1,1\nCAN,USA,2006,2,1\n")
    with pytest.raises(ValidationFailed, match=r"row 2: this flow appears more than once \(value 'CAN->USA 2006'\)"):
        read_panel(path, Columns(), ["dist"])
    path = csv_file(tmp_path, "CAN,USA,2006.5,1,1\n")
    with pytest.raises(ValidationFailed, match=r"row 2, column 'year': not a year \(value '2006.5'\)"):
        read_panel(path, Columns(), ["dist"])


def test_parquet_rows_are_one_based_positions(tmp_path: Path) -> None:
    path = tmp_path / "panel.parquet"
    table = pa.table(
        {
            "exporter": ["CAN", "MEX"],
            "importer": ["USA", "USA"],
            "year": [2006, 2006],
            "trade": [1.0, float("nan")],
            "dist": [1.0, 2.0],
        }
    )
    pq.write_table(table, path)
    with pytest.raises(ValidationFailed, match=r"panel.parquet, row 2, column 'trade': missing or infinite value"):
        read_panel(path, Columns(), ["dist"])


def test_a_readable_panel_round_trips(tmp_path: Path) -> None:
    panel = synthetic_panel(4)
    read = read_panel(write_panel(panel, tmp_path / "p.csv"), Columns(), ["dist", "rta"])
    np.testing.assert_allclose(read.trade, panel.trade)
    assert read.pair[0] == "C00-C00"
    row = int(np.flatnonzero((read.exporter == "C03") & (read.importer == "C01"))[0])
    assert read.pair[row] == "C01-C03"  # the unordered pair: both directions share it


def test_unknown_country_in_a_counterfactual() -> None:
    panel = synthetic_panel(5)
    costs = given_costs({"rta": 0.5, "border": -2.0}, "test")
    with pytest.raises(UnknownCodeError) as caught:
        simulate(panel, costs, (SetVariable("rta", 0.0, ("C00", "XYZ")),), settings=GESettings(reference="C00"))
    assert str(caught.value) == (
        "unknown country 'XYZ' in --set rta: synthetic has 5 countries (C00, C01, C02, C03, C04); "
        "use the codes of its exporter/importer columns"
    )
    with pytest.raises(UnknownCodeError, match="unknown country 'DEU' in --reference"):
        simulate(panel, costs, (SetVariable("rta", 0.0, ("C00", "C01")),))


def test_counterfactual_inputs_are_checked() -> None:
    panel = synthetic_panel(5)
    costs = given_costs({"rta": 0.5, "border": -2.0}, "test")
    settings = GESettings(reference="C00")
    with pytest.raises(InputError, match=r"--set dist: the trade costs have no coefficient for 'dist'; they use rta"):
        simulate(panel, costs, (SetVariable("dist", 1.0, ("C00", "C01")),), settings=settings)
    with pytest.raises(InputError, match="no change to simulate"):
        simulate(panel, costs, (), settings=settings)
    gappy = panel.select(~((panel.exporter == "C01") & (panel.importer == "C02")))
    with pytest.raises(
        InputError, match=r"1 of the 25 exporter x importer flows of 2000 are missing \(e.g. C01->C02\)"
    ):
        simulate(gappy, costs, (SetVariable("rta", 0.0, ("C00", "C03")),), settings=settings)


def test_option_texts_show_the_expected_form(tmp_path: Path) -> None:
    assert parse_years("1986-2006/4") == (1986, 1990, 1994, 1998, 2002, 2006)
    assert parse_years("2006, 1990") == (1990, 2006)
    assert parse_set("rta=0:usa,CAN, MEX") == SetVariable("rta", 0.0, ("USA", "CAN", "MEX"))
    assert parse_cost("chn>usa:+25%").percent == 25.0
    with pytest.raises(InputError, match=r"--set 'rta:USA': write VARIABLE=VALUE:ISO,ISO,... e.g. 'rta=0:USA,CAN,MEX'"):
        parse_set("rta:USA")
    with pytest.raises(InputError, match=r"--cost 'CHN-USA:25': write EXPORTER>IMPORTER:PERCENT"):
        parse_cost("CHN-USA:25")
    with pytest.raises(InputError, match=r"--years '86-06': write '1986-2006/4'"):
        parse_years("86-06")
    betas = tmp_path / "betas.csv"
    betas.write_text("variable,coefficient\nlndist,-0.39\npta,abc\n")
    with pytest.raises(InputError, match=r"betas.csv, row 3, column 'coefficient': 'abc' is not a number"):
        read_betas(betas)


def test_specification_errors_say_how_to_fix_them() -> None:
    with pytest.raises(InputError, match="international-border x year dummies need the intra-national"):
        GravitySpec(covariates=("rta",), border_years=True)
    with pytest.raises(InputError, match="method 'probit' is not one of: ppml, ols"):
        GravitySpec("probit", ("rta",))  # type: ignore[arg-type]  # a method that does not exist, on purpose
    with pytest.raises(InputError, match=r"column 'rta' has 0 for C00->C01 2000; a variable entered in logs"):
        estimate(synthetic_panel(4), GravitySpec(log_covariates=("rta",)))


def test_missing_pyfixest_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyfixest", None)
    with pytest.raises(ConfigError) as caught:
        estimate(synthetic_panel(4), GravitySpec(covariates=("rta",)))
    assert "install the optional extra: pip install 'nearshore[scenarios]'" in str(caught.value)
    assert caught.value.exit_code == 3
