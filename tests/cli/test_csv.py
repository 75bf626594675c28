"""CSV rows are values at full precision, as JSON's are: no Python list reprs, no percent text."""

from __future__ import annotations

import csv
import io

import pytest
from typer.testing import CliRunner

from nearshore.cli.main import app

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("isolated_env")


def _rows(*args: str) -> list[dict[str, str]]:
    result = runner.invoke(app, [*args, "--format", "csv"])
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_data_info_lists_are_plain_values() -> None:
    """Was "['2026-07']": a Python repr in a CSV cell."""
    rows = {(r["source"], r["table"]): r for r in _rows("data", "info")}
    duties = rows[("census-duties", "trade_flows")]
    assert duties["vintages"] == "2026-07"
    assert duties["flows"] == "imports (consumption)"
    assert rows[("hts", "hts_schedule")]["flows"] == ""


def test_compare_duty_rate_is_a_fraction() -> None:
    """Was '57.50%' (text) in CSV and JSON; the table still prints the percentage."""
    args = ("tariff", "compare", "--hts", "8708.99.81", "--value", "10000", "--origins", "CN", "--date", "2025-06-01")
    (china,) = _rows(*args)
    assert float(china["duty_rate"]) == pytest.approx(5750 / 10000)
    table = runner.invoke(app, list(args), env={"COLUMNS": "80"})
    assert "57.50%" in table.stdout
