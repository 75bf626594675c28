"""`nearshore tariff series` end to end on the hand-built store of test_series.py (figures worked there)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nearshore.cli.main import app
from nearshore.data.sources import hts
from nearshore.data.store import Store
from tests.envelope import payload_of, result_of
from tests.tariffs.test_series import MINI_HTS, _chapters, _dataweb

runner = CliRunner()


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp("series-cli")
    path = tmp / "hts_2025_basic_edition.csv"
    path.write_text("\n".join(MINI_HTS) + "\n", encoding="utf-8")
    with Store(tmp / "store.duckdb") as store:
        hts.load(store, path)
        store.load(_dataweb())
        store.load(_chapters())
    return {"NEARSHORE_DATA_DIR": str(tmp), "NEARSHORE_DB": str(tmp / "store.duckdb"), "COLUMNS": "80"}


def run(env: dict[str, str], *args: str):
    return runner.invoke(app, ["tariff", "series", *args], env=env)


def test_csv_gives_every_component_as_fractions(env):
    result = run(env, "--partner", "MEX,VNM", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    first = rows[0]
    assert list(first) == [
        "partner", "from", "to", "total", "mfn", "s232", "s301", "ieepa_fentanyl", "ieepa_reciprocal",
        "ieepa_country", "s122", "s201",
    ]  # fmt: skip
    march = next(r for r in rows if r["partner"] == "MEX" and r["from"] == "2025-03-07")
    assert (march["to"], float(march["total"])) == ("2026-02-23", pytest.approx(1269 / 4500, abs=1e-6))
    assert float(march["ieepa_fentanyl"]) == pytest.approx(795 / 4500, abs=1e-6)
    assert {r["partner"] for r in rows} == {"MEX", "VNM"}


def test_json_states_the_weights_and_the_claims(env):
    result = run(env, "--partner", "MEX,VNM,ALL", "--claims", "year", "--format", "json")
    assert result.exit_code == 0, result.output
    doc, payload = result_of(result.output), payload_of(result.output)
    levels = {w["partner"]: (w["level"], round(w["imports_usd"])) for w in payload["weights"]}
    assert levels == {"MEX": ("HTS10", 4500), "VNM": ("HS2", 5400), "ALL": ("HTS10+HS2", 14400)}
    assert payload["claims"] == "year"
    assert any("USMCA claims: each HTS10 line's USMCA-claimed share of the weight year" in n for n in doc["notes"])
    assert any("later actions are not recorded" in n for n in doc["notes"])


def test_daily_rows_and_the_table(env):
    result = run(env, "--partner", "MEX", "--from", "2025-03-01", "--to", "2025-03-10", "--daily", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [r["from"] for r in rows][:4] == ["2025-03-01", "2025-03-02", "2025-03-03", "2025-03-04"]
    assert len(rows) == 10
    assert float(rows[3]["total"]) == pytest.approx(1449 / 4500, abs=1e-6)
    table = run(env, "--partner", "MEX,VNM,ALL")
    assert table.exit_code == 0, table.output
    wide = [line for line in table.output.splitlines() if len(line) > 80]
    assert not wide, wide
    assert "28.20" in table.output  # Mexico from 2025-03-07, percent


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_the_chart_is_written(env, tmp_path: Path, suffix: str):
    out = tmp_path / f"series{suffix}"
    result = run(env, "--partner", "MEX,VNM", "--chart", str(out), "--format", "csv")
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert data.startswith(b"\x89PNG") if suffix == ".png" else b'aria-label="Step chart of the import-weighted' in data
    assert not list(tmp_path.glob(".*.tmp"))


def test_errors_exit_2_with_the_fix(env, tmp_path: Path):
    bad = run(env, "--claims", "monthly")
    assert bad.exit_code == 2
    assert "claims 'monthly' is not one of: second-half, year, none" in " ".join(bad.output.split())
    chart = run(env, "--partner", "MEX", "--chart", str(tmp_path / "series.pdf"))
    assert chart.exit_code == 2
    assert "ending in .png or .svg" in " ".join(chart.output.split())
    day = run(env, "--partner", "MEX", "--from", "2025-13-01")
    assert day.exit_code == 2
    assert "'2025-13-01' is not a date" in day.output
    early = run(env, "--partner", "MEX", "--from", "2024-12-31")
    assert early.exit_code == 2
    assert "starts on 2025-01-01" in " ".join(early.output.split())


def test_help_has_an_example():
    result = runner.invoke(app, ["tariff", "series", "--help"])
    assert result.exit_code == 0
    assert "Example: nearshore tariff series" in result.output
