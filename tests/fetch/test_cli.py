from __future__ import annotations

import pytest
from typer.testing import CliRunner

from nearshore.cli.main import app
from nearshore.data.store import Store
from tests.envelope import payload_of, result_of
from tests.fetch.fakes import FakeCensus, FakeComtrade, census_rows, comtrade_records, serve

KEY = "CLI-CENSUS-KEY-42"


@pytest.fixture
def env(isolated_env, monkeypatch):
    monkeypatch.setenv("CENSUS_API_KEY", KEY)
    monkeypatch.setenv("COMTRADE_API_KEY", "")
    monkeypatch.setenv("NEARSHORE_HTTP_RETRIES", "1")
    return isolated_env


CENSUS_ARGS = [
    "data",
    "fetch",
    "census",
    "--flow",
    "imports",
    "--basis",
    "consumption",
    "--duty",
    "--partner",
    "MEX,CAN",
    "--from",
    "2025-01",
    "--to",
    "2025-02",
    "--vintage",
    "2026-03",
]


def test_census_end_to_end_through_a_real_server_into_the_store_file(env, monkeypatch):
    fake = FakeCensus()
    runner = CliRunner()
    with serve(fake) as base:
        monkeypatch.setenv("NEARSHORE_CENSUS_URL", base + "/data/timeseries/intltrade")
        first = runner.invoke(app, [*CENSUS_ARGS, "--format", "json"])
        second = runner.invoke(app, [*CENSUS_ARGS, "--format", "json"])
    assert first.exit_code == 0, first.output
    report = payload_of(first.stdout)
    assert [(r["period"], r["status"], r["rows"]) for r in result_of(first.stdout)["rows"]] == [
        ("2025-01", "loaded", 2),
        ("2025-02", "loaded", 2),
    ]
    assert report["source"] == "census-api"
    assert report["vintage"] == "2026-03"
    assert KEY not in first.output
    assert [r["status"] for r in result_of(second.stdout)["rows"]] == ["skipped", "skipped"]
    assert len(fake.seen) == 4  # 2 months x 2 partners, none on the second run
    with Store(env / "store.duckdb", read_only=True) as store:
        got = store.query(
            "SELECT partner_code, month, value_usd, duty_usd FROM trade_flows "
            "WHERE source = 'census-api' ORDER BY month, partner_code"
        ).rows
    expected = [
        (r["CTY_CODE"], int(r["time"][5:]), float(r["CON_VAL_MO"]), float(r["CAL_DUT_MO"]))
        for r in census_rows("census_imports_consumption_2025.json")
        if r["CTY_CODE"] in ("1220", "2010")
    ]
    assert got == expected


def test_census_failed_month_exits_non_zero_and_resumes(env, monkeypatch):
    fake = FakeCensus(fail={"2025-02": 1})
    runner = CliRunner()
    with serve(fake) as base:
        monkeypatch.setenv("NEARSHORE_CENSUS_URL", base + "/data/timeseries/intltrade")
        monkeypatch.setenv("NEARSHORE_HTTP_RETRIES", "0")
        failed = runner.invoke(app, [*CENSUS_ARGS, "--format", "csv", "--quiet"])
        resumed = runner.invoke(app, [*CENSUS_ARGS, "--format", "csv", "--quiet"])
    assert failed.exit_code == 6
    assert "2025-01,loaded,2" in failed.stdout
    assert "2025-02,failed,0" in failed.stdout
    assert "error: 1 period(s) failed:" in failed.stderr
    assert KEY not in failed.output
    assert resumed.exit_code == 0, resumed.output
    assert "2025-01,skipped,0" in resumed.stdout
    assert "2025-02,loaded,2" in resumed.stdout


def test_census_bad_option_is_a_clean_input_error(env):
    result = CliRunner().invoke(
        app, ["data", "fetch", "census", "--flow", "imports", "--level", "HS5", "--from", "2025-01"]
    )
    assert result.exit_code == 2
    assert "--level 'HS5' is not allowed; use one of: HS2, HS4, HS6, HS10, TOTAL" in result.stderr


def test_comtrade_end_to_end_through_a_real_server(env, monkeypatch):
    fake = FakeComtrade()
    with serve(fake) as base:
        monkeypatch.setenv("NEARSHORE_COMTRADE_URL", base)
        result = CliRunner().invoke(
            app,
            [
                "data",
                "fetch",
                "comtrade",
                "--reporter",
                "MEX",
                "--partner",
                "USA",
                "--flow",
                "X",
                "--period",
                "2021",
                "--level",
                "4",
                "--vintage",
                "2026-03",
                "--format",
                "json",
            ],
        )
    assert result.exit_code == 0, result.output
    assert [(r["period"], r["status"], r["rows"]) for r in result_of(result.stdout)["rows"]] == [("2021", "loaded", 4)]
    assert fake.seen[0][0] == "/public/v1/preview/C/A/HS"
    with Store(env / "store.duckdb", read_only=True) as store:
        got = store.query(
            "SELECT commodity, value_usd FROM trade_flows WHERE source = 'comtrade-api' "
            "AND reporter = 'MEX' AND partner = 'USA' AND flow = 'exports' ORDER BY commodity"
        ).rows
    assert got == [(r["cmdCode"], float(r["primaryValue"])) for r in comtrade_records([842], ["X"])]


def test_help_shows_an_example():
    for command in ("census", "comtrade"):
        result = CliRunner().invoke(app, ["data", "fetch", command, "--help"])
        assert result.exit_code == 0
        assert f"Example: nearshore data fetch {command}" in result.stdout


def test_cli_import_stays_light():
    """`nearshore --help` must not pay for httpx, duckdb or the fetch library."""
    import subprocess
    import sys

    code = (
        "import sys, nearshore.cli.main; "
        "print(sorted(m for m in ('httpx', 'duckdb', 'nearshore.data.fetch') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
