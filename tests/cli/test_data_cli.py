"""The `nearshore data` commands, run as a user would (a real store file in a temp dir)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nearshore.cli.main import app
from nearshore.data.snapshot import read_manifest
from tests.envelope import payload_of, result_of

runner = CliRunner()


def test_fresh_store_is_seeded_from_the_embedded_snapshot(isolated_env: Path) -> None:
    manifest = read_manifest()
    assert manifest is not None, "the package must ship a snapshot (nearshore data snapshot build)"
    result = runner.invoke(app, ["data", "info", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert payload_of(result.output)["store"] == str(isolated_env / "store.duckdb")
    by_source = {(row["source"], row["table"]): row for row in result_of(result.output)["rows"]}
    expected_rows: dict[tuple[str, str], int] = {}
    for load in manifest["loads"]:
        key = (load["source"], load["target"])
        expected_rows[key] = expected_rows.get(key, 0) + load["rows"]
    assert expected_rows.keys() == by_source.keys()
    for key, rows in expected_rows.items():
        assert by_source[key]["rows"] + by_source[key]["superseded"] == rows, key


def test_load_then_info_and_loads(isolated_env: Path, raw_dir: Path) -> None:
    path = raw_dir / "census_country_trade" / "census_country_selected_partners_2022_2025.csv"
    result = runner.invoke(
        app, ["data", "load", "census-country", str(path), "--vintage", "2026-08", "--format", "json", "--quiet"]
    )
    assert result.exit_code == 0, result.output
    loaded = result_of(result.output)["rows"][0]
    assert loaded["rows"] == 64 * 26
    # the 64 series were already in the snapshot at vintage 2026-07: this newer vintage supersedes them
    assert loaded["superseded"] == 64 * 26
    listing = runner.invoke(app, ["data", "loads", "--format", "csv"])
    assert listing.exit_code == 0
    assert str(path) in listing.output


def test_unknown_source_and_missing_file_exit_2(isolated_env: Path) -> None:
    result = runner.invoke(app, ["data", "load", "nope", "x.csv"])
    assert result.exit_code == 2
    assert "unknown source 'nope'; known sources: census-country" in result.output
    result = runner.invoke(app, ["data", "load", "census-country", str(isolated_env / "missing.csv")])
    assert result.exit_code == 2
    assert "missing.csv: no such file" in result.output


@pytest.mark.parametrize(
    "group", [[], ["data"], ["data", "info"], ["data", "load"], ["data", "loads"], ["data", "snapshot", "build"]]
)
def test_every_command_has_help_with_an_example(group: list[str]) -> None:
    result = runner.invoke(app, [*group, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output or "example" in result.output.lower()


def test_module_entry_point_and_version() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "nearshore", "--version"],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert proc.stdout.startswith("nearshore ")
