"""`nearshore stats` end to end: a real store file, real loads, the Typer app."""

from __future__ import annotations

import csv
import io

import pytest
from typer.testing import CliRunner

from nearshore.cli.main import app
from nearshore.data.sources import census_country
from nearshore.data.store import Store
from tests.analytics.conftest import NEW_FILE, load_stand_in_rows
from tests.envelope import payload_of, result_of

pytestmark = pytest.mark.shared
runner = CliRunner()


@pytest.fixture
def loaded_env(isolated_env, shared_raw):
    with Store(isolated_env / "store.duckdb") as store:
        census_country.load(store, shared_raw / "census_country_trade" / NEW_FILE, vintage="2026-07")
        load_stand_in_rows(store, shared_raw, dataweb=False)
    return isolated_env


def test_share_table_prints_source_and_vintage(loaded_env):
    result = runner.invoke(app, ["stats", "share", "--partner", "MEX", "--flow", "imports", "--year", "2024"])
    assert result.exit_code == 0, result.output
    assert "share (%)" in result.output
    assert "source: census-country; vintage: 2026-07" in result.output
    assert "sum over countries" in result.output


def test_top_csv_and_share_json(loaded_env):
    result = runner.invoke(app, ["stats", "top", "--year", "2023", "-n", "3", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [r["partner"] for r in rows] == ["MEX", "CHN", "CAN"]
    assert rows[0]["rank_change (count)"] == "1"
    result = runner.invoke(app, ["stats", "duty-rate", "-p", "MEX", "-y", "2025", "--format", "json"])
    figure = payload_of(result.output)["rows"][0]["rate"]
    assert figure["unit"] == "percent"
    assert figure["display"] == "3.67%"
    assert figure["provenance"]["sources"] == ["census-duties"]


@pytest.mark.parametrize(
    "args",
    [
        ["growth", "-p", "CAN", "--kind", "ytd", "-y", "2025", "-m", "6"],
        ["balance", "-p", "MEX", "-y", "2025"],
        ["event", "ieepa-ca-mx-effective"],
        ["events"],
        ["path", "--start-value", "53.2e9", "--start-year", "2025", "--end-value", "97.4e9", "--end-year", "2031"],
    ],
)
def test_other_commands_run(loaded_env, args):
    result = runner.invoke(app, ["stats", *args])
    assert result.exit_code == 0, result.output


def test_missing_data_exit_code_and_message(loaded_env):
    result = runner.invoke(app, ["stats", "utilisation", "-p", "MEX", "-y", "2025"])
    assert result.exit_code == 5
    assert "no data for DataWeb imports from MEX in 2025" in result.output
    result = runner.invoke(app, ["stats", "share", "-p", "Atlantis", "-y", "2024"])
    assert result.exit_code == 2
    assert "unknown partner 'Atlantis'" in result.output


def test_every_stats_command_has_an_example():
    from nearshore.cli import stats

    names = [c.name for c in stats.app.registered_commands]
    wanted = {"share", "top", "growth", "balance", "sectors", "utilisation", "event", "duty-rate", "path"}
    assert wanted <= set(names)
    for command in stats.app.registered_commands:
        doc = command.callback.__doc__ or ""
        last = doc.strip().splitlines()[-1].strip()
        assert last.startswith(f"Example: nearshore stats {command.name}"), command.name
        result = runner.invoke(app, ["stats", command.name, "--help"])
        assert result.exit_code == 0
        assert "Example:" in result.output


@pytest.mark.parametrize("command", [["growth", "-y", "2025"], ["balance", "-y", "2025", "-m", "3"]])
def test_world_partner_is_the_total_over_countries(loaded_env, command):
    plain = runner.invoke(app, ["stats", *command, "--format", "json"])
    assert plain.exit_code == 0, plain.output
    for word in ("World", "WLD"):
        named = runner.invoke(app, ["stats", *command, "--partner", word, "--format", "json"])
        assert named.exit_code == 0, named.output
        assert result_of(named.output)["rows"] == result_of(plain.output)["rows"]
    assert "the world" in result_of(plain.output)["title"]


def test_world_partner_where_a_country_is_needed(loaded_env):
    result = runner.invoke(app, ["stats", "share", "-p", "World", "-y", "2024"])
    assert result.exit_code == 2
    assert (
        "partner 'World' is the world total, not a country: `stats growth` and `stats balance` take "
        "--partner World (or no --partner) for the total over all countries"
    ) in " ".join(result.output.split())


def test_table_columns_share_one_precision(loaded_env):
    result = runner.invoke(app, ["stats", "share", "-p", "MEX"], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    shares = [line.split("│")[5].strip() for line in result.output.splitlines() if line.startswith("│ MEX")]
    assert len(shares) >= 4
    assert all(len(s.split(".")[1]) == 2 for s in shares), shares


def test_duty_rate_title_names_partner_and_period(loaded_env):
    result = runner.invoke(app, ["stats", "duty-rate", "-p", "MEX", "-y", "2025", "-m", "3", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert result_of(result.output)["title"] == "Collected duty rate on U.S. imports from Mexico, Mar 2025"
    result = runner.invoke(app, ["stats", "duty-rate", "--format", "json"])
    assert result_of(result.output)["title"] == (
        "Collected duty rate on U.S. imports from each partner with duty data, every year held"
    )


def test_events_csv_partners_are_plain_codes():
    result = runner.invoke(app, ["stats", "events", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(result.output))}
    assert rows["ieepa-ca-mx-effective"]["partners"] == "CAN MEX"
    result = runner.invoke(app, ["stats", "events", "--format", "json"])
    first = result_of(result.output)["rows"][0]
    assert first["partners"] == ["CAN", "MEX"]


def test_event_window_beyond_the_data_names_the_flow_checked(loaded_env):
    result = runner.invoke(app, ["stats", "event", "2030-01-01"])
    assert result.exit_code == 5
    assert " ".join(result.output.split()).startswith("error: no data for imports in 2030: the store holds years")
