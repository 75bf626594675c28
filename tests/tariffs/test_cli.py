"""`nearshore tariff` commands end to end on a store holding the 2025 Basic Edition."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from nearshore.cli.main import app

runner = CliRunner()


@pytest.fixture(scope="module")
def env(tmp_path_factory, hts_csv_path):
    tmp = tmp_path_factory.mktemp("tariff-cli")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NEARSHORE_DATA_DIR", str(tmp))
        mp.setenv("NEARSHORE_DB", str(tmp / "store.duckdb"))
        # a store holding only the schedule (not seeded from the snapshot), so hand-built rows stand alone
        from nearshore.data.sources import hts
        from nearshore.data.store import Store

        with Store(tmp / "store.duckdb") as store:
            hts.load(store, hts_csv_path)
        yield tmp


@pytest.fixture(scope="module")
def hts_csv_path():
    from tests.tariffs.conftest import HTS_2025

    if not HTS_2025.exists():
        pytest.skip(f"official HTS file not found at {HTS_2025}")
    return HTS_2025


def run(*args):
    return runner.invoke(app, ["tariff", *args])


def test_schedule_report(env):
    result = run("schedule", "--report", "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["parsed"] == payload["texts"] - 3
    assert {r["hts"] for r in payload["rows"]} == {"2909.19.18.00", "9913.95.01", "9913.95.23"}


def test_duty_json(env):
    result = run("duty", "--hts", "8708.99.81", "--origin", "MX", "--value", "10000", "--date", "2025-06-01",
                 "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["total"] == 2750.0
    assert payload["revision"] == "2025-basic"
    assert [r["heading"] for r in payload["rows"][:-1]] == ["8708.99.81", "9903.01.01"]


def test_duty_errors_exit_2(env):
    result = run("duty", "--hts", "0201.10.10", "--origin", "AU", "--value", "1000", "--date", "2025-06-01")
    assert result.exit_code == 2
    assert "give the quantity in kg" in " ".join(result.output.split())
    result = run("duty", "--hts", "8708.99.81", "--origin", "MX", "--value", "1", "--date", "June 2025")
    assert result.exit_code == 2
    assert "--date 'June 2025' is not a date" in " ".join(result.output.split())


def test_compare_csv(env):
    result = run("compare", "--hts", "8708.99.81", "--value", "10000", "--origins", "MX,CN,US", "--date",
                 "2025-06-01", "--usmca", "--freight", "MX=150,CN=900", "--insurance", "20", "--format", "csv")
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("origin,value,duty,duty_rate,mpf,hmf,freight,insurance,landed")
    by_origin = {ln.split(",")[0]: ln.split(",") for ln in lines[1:]}
    # China: duty 5,750, MPF 0.3464% = 34.64, HMF 0.125% = 12.50, freight 900, insurance 20
    assert float(by_origin["CHN"][8]) == pytest.approx(10000 + 5750 + 34.64 + 12.5 + 900 + 20)
    assert float(by_origin["MEX"][4]) == 0.0  # USMCA originating: no MPF


def test_batch_csv_and_json(env, tmp_path):
    path = tmp_path / "entries.csv"
    path.write_text("hts,origin,value,date,usmca\n8708.99.81,MX,10000,2025-06-01,1\n"
                    "8708.99.81,CN,10000,2025-06-01,\n", encoding="utf-8")
    result = run("batch", str(path), "--quiet")
    assert result.exit_code == 0, result.output
    rows = result.output.strip().splitlines()
    assert rows[0] == "row,hts,origin,date,value,duty,effective_rate,layers"
    assert rows[1].split(",")[5] == "0.0"
    assert rows[2].split(",")[5] == "5750.0"
    result = run("batch", str(path), "--format", "json", "--quiet")
    assert json.loads(result.output)["rows"][1]["duty"] == 5750.0


def test_policy_show(env):
    result = run("policy", "show", "--format", "json")
    assert result.exit_code == 0, result.output
    assert "ieepa-fentanyl-mex" in {r["measure"] for r in json.loads(result.output)["rows"]}


def test_help_has_examples():
    for command in ("schedule", "duty", "compare", "batch"):
        result = run(command, "--help")
        assert result.exit_code == 0
        assert "Example: nearshore tariff" in result.output


def test_effective_on_a_hand_built_month(env):
    """One HTS10 line from Mexico in January 2025: $1,000 entered, $400 claiming USMCA (Free), $600 at the
    general 2.5% -> modelled duty $15 (1.5%); Census collected $20 on $1,000 (2%)."""
    from nearshore.data.batch import Batch
    from nearshore.data.snapshot import open_store

    common = {"reporter": "USA", "partner": "MEX", "partner_code": "2010", "partner_name": "Mexico",
              "partner_kind": "country", "flow": "imports", "basis": "consumption", "year": 2025, "month": 1,
              "quantity": None, "unit": None}
    rows = [
        {**common, "classification": "HS", "commodity": "8708998180", "level": 10, "value_usd": 1000.0,
         "duty_usd": None, "program": "ALL"},
        {**common, "classification": "HS", "commodity": "8708998180", "level": 10, "value_usd": 400.0,
         "duty_usd": None, "program": "USMCA"},
        {**common, "classification": "TOTAL", "commodity": "", "level": 0, "value_usd": 1000.0, "duty_usd": 20.0,
         "program": "ALL"},
    ]
    columns = {name: [r[name] for r in rows] for name in rows[0]}
    with open_store() as store:
        store.load(Batch.from_columns(source="test", target="trade_flows", origin="hand", checksum="-",
                                      vintage="2025-03", columns=columns))
    result = run("effective", "--partner", "MX", "--year", "2025", "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    january = payload["rows"][0]
    assert january["period"] == "2025-01"
    assert january["modelled_duty"] == 15
    assert january["modelled_rate"] == pytest.approx(0.015)
    assert january["collected_rate"] == pytest.approx(0.02)
    assert january["gap_points"] == pytest.approx(-0.5)


def test_batch_json_input_errors(env, tmp_path):
    path = tmp_path / "entries.json"
    path.write_text('{"hts": "8708.99.81"}', encoding="utf-8")
    result = run("batch", str(path), "--quiet")
    assert result.exit_code == 2
    assert "expected a list of entry objects" in " ".join(result.output.split())


def test_panel_command(env, tmp_path):
    out = tmp_path / "panel.parquet"
    result = run("panel", "--date", "2025-09-01", "--out", str(out), "--partners", "MX,CN", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["rows"][0]["partners"] == 2
    assert out.exists()


def test_effective_claims_option_is_validated(env):
    result = run("effective", "--partner", "MX", "--year", "2025", "--claims", "yearly")
    assert result.exit_code == 2
    assert "--claims 'yearly' is not one of monthly, second-half" in " ".join(result.output.split())
