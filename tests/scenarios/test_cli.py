"""`nearshore scenario gravity ...` run as a user would: files in, table/json/csv out, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nearshore.cli.main import app
from tests.envelope import payload_of, result_of
from tests.scenarios.conftest import synthetic_panel, write_panel

runner = CliRunner()


@pytest.fixture
def panel_file(tmp_path: Path) -> Path:
    return write_panel(synthetic_panel(12, years=(2000, 2001), noise=False), tmp_path / "panel.csv")


def test_estimate_recovers_the_model_and_prints_json(panel_file: Path) -> None:
    args = ["scenario", "gravity", "estimate", "--data", str(panel_file), "--log-x", "dist", "--x", "rta"]
    result = runner.invoke(app, [*args, "--x", "border", "--domestic", "--format", "json"])
    assert result.exit_code == 0, result.output
    payload = payload_of(result.output)
    rows = {row["term"]: row for row in result_of(result.output)["rows"]}
    assert rows["ln_dist"]["estimate (index)"] == pytest.approx(-0.9, abs=1e-6)  # no noise: exact
    assert rows["rta"]["estimate (index)"] == pytest.approx(0.5, abs=1e-6)
    assert rows["border"]["estimate (index)"] == pytest.approx(-2.0, abs=1e-6)
    assert payload["engine"] == "gravity-estimate"
    assert {a["name"] for a in payload["assumptions"]} >= {"method", "fixed_effects", "standard_errors"}


def test_estimate_ols_csv(panel_file: Path) -> None:
    args = ["scenario", "gravity", "estimate", "-d", str(panel_file), "--method", "ols", "--log-x", "dist"]
    result = runner.invoke(app, [*args, "--x", "rta", "--format", "csv"])
    assert result.exit_code == 0, result.output
    header, *lines = result.output.strip().splitlines()
    assert header.startswith("term,estimate (index),std_error (index)")
    assert [line.split(",")[0] for line in lines] == ["ln_dist", "rta"]


def test_counterfactual_writes_its_tables(panel_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["scenario", "gravity", "counterfactual", "--data", str(panel_file), "--year", "2001", "--beta"]
    args += ["ln_dist=-0.9", "--beta", "rta=0.5", "--beta", "border=-2", "--reference", "C01"]
    args += ["--set", "rta=0:C00,C03,C06", "--write", str(out), "--format", "json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    payload = payload_of(result.stdout)
    assert payload["engine"] == "gravity-ge"
    assert {row["country"] for row in result_of(result.stdout)["rows"]} == {f"C{k:02d}" for k in range(12)}
    assert sorted(p.name for p in out.iterdir()) == ["countries.csv", "pairs.csv", "result.json"]
    assert len((out / "pairs.csv").read_text().splitlines()) == 1 + 12 * 12
    summary = json.loads((out / "result.json").read_text())
    assert summary["assumptions"][1] == {
        "name": "sigma",
        "value": 7.0,
        "meaning": "elasticity of substitution between origins (trade elasticity 1-sigma)",
        "source": "default, the value of the Guide's chapter 2 applications (Yotov, Piermartini, Monteiro & "
        "Larch (2016), ch. 2)",
    }
    again = runner.invoke(app, args)  # writing twice gives the same files
    assert again.exit_code == 0
    assert json.loads((out / "result.json").read_text()) == summary


def test_counterfactual_bad_input_exits_2_and_writes_nothing(panel_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["scenario", "gravity", "counterfactual", "--data", str(panel_file), "--year", "2001", "--beta"]
    args += ["rta=0.5", "--reference", "C01", "--set", "rta=0:C00,XYZ", "--write", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "unknown country 'XYZ' in --set rta" in result.output
    assert not out.exists()
    bad = tmp_path / "bad.csv"
    bad.write_text(panel_file.read_text().replace(",2001,", ",2001,-", 1))
    result = runner.invoke(app, [*args[:4], str(bad), *args[5:]])
    assert result.exit_code == 2
    assert "negative trade flow" in result.output
    assert not out.exists()


def test_counterfactual_that_does_not_converge_exits_8(panel_file: Path) -> None:
    args = ["scenario", "gravity", "counterfactual", "--data", str(panel_file), "--year", "2001", "--beta"]
    args += ["rta=0.5", "--beta", "border=-2", "--reference", "C01", "--set", "rta=0:C00,C03", "--max-iterations", "2"]
    result = runner.invoke(app, args)
    assert result.exit_code == 8
    assert "did not converge after 2 iterations" in result.output


@pytest.mark.shared
def test_counterfactual_on_gegravity_sample_as_a_table(sample_path: Path) -> None:
    args = ["scenario", "gravity", "counterfactual", "--data", str(sample_path), "--beta", "pta=0.4711383"]
    args += ["--beta", "lndist=-0.3898623", "--beta", "contiguity=0.891577", "--beta", "international=-3.412584"]
    args += ["--output-col", "Y", "--expenditure-col", "E", "--sigma", "5", "--set", "pta=0:USA,CAN,MEX"]
    result = runner.invoke(app, [*args, "--table", "pairs", "--format", "csv"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0] == "exporter,importer,baseline_trade (index),scenario_trade (index),trade_change (%)"
    assert len(lines) == 1 + 30 * 30
    table = runner.invoke(app, args)
    assert table.exit_code == 0
    assert "assumption: closure = full" in table.output
