"""`nearshore scenario tariff` and `scenario rules` run as a user would: exit codes, formats, --quiet."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from nearshore.cli.main import app
from nearshore.services import ScenarioRulesRequest, envelope, open_context, scenario_changes
from tests.envelope import payload_of, result_of

runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples" / "scenarios"
RULES = ["scenario", "rules", str(EXAMPLES / "portfolio.jsonl"), str(EXAMPLES / "review_2026.yaml")]


def test_rules_json_lists_the_boms_that_flip() -> None:
    result = runner.invoke(app, [*RULES, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert payload_of(result.stdout)["engine"] == "rules-portfolio"
    rows = result_of(result.stdout)["rows"]
    assert {row["bom"] for row in rows} == {"brake-1", "sedan-1"}
    brake = next(row for row in rows if row["bom"] == "brake-1")
    assert brake["cheapest_fix"] == "source line 1 (brake part, value 80.00) as originating"
    assert brake["duty_change ($)"] == 20000 * 1000.0 * 0.275  # 2.5% MFN + 25% s. 232 auto parts, no claim


def test_quiet_prints_the_table_alone() -> None:
    loud = runner.invoke(app, [*RULES, "--table", "totals"])
    quiet = runner.invoke(app, [*RULES, "--table", "totals", "--quiet"])
    assert loud.exit_code == quiet.exit_code == 0
    assert "assumption: changes = review-2026" in loud.stdout
    assert "assumption:" not in quiet.stdout
    assert "note:" not in quiet.stdout
    assert "Portfolio totals" in quiet.stdout


def test_a_bad_table_is_refused_before_any_work(tmp_path: Path) -> None:
    result = runner.invoke(app, ["scenario", "rules", str(tmp_path / "none.jsonl"), "x.yaml", "--table", "flips"])
    assert result.exit_code == 2
    assert "--table 'flips' is not one of: totals, boms" in result.output


def test_a_bad_change_file_exits_2_naming_key_and_value(tmp_path: Path) -> None:
    changes = tmp_path / "c.yaml"
    changes.write_text("changes: {de_minimis: 170}\n", encoding="utf-8")
    result = runner.invoke(app, ["scenario", "rules", str(EXAMPLES / "portfolio.jsonl"), str(changes)])
    assert result.exit_code == 2
    assert "field 'changes.de_minimis': is out of range (value '170')" in result.output.replace("\n", "")


def test_tariff_at_the_same_date_changes_nothing_and_quiet_hides_the_notes() -> None:
    args = ["scenario", "tariff", "--at", "2026-04-29", "--date", "2026-04-29", "--product", "8703"]
    result = runner.invoke(app, [*args, "--table", "totals", "--format", "json"])
    assert result.exit_code == 0, result.output
    row = result_of(result.stdout)["rows"][0]
    assert row["total_effect ($M)"] == 0.0
    assert row["imports_base ($M)"] > 0
    quiet = runner.invoke(app, [*args, "--table", "totals", "--quiet"])
    assert quiet.exit_code == 0
    assert "assumption:" not in quiet.stdout
    assert "Totals" in quiet.stdout


def test_tariff_scenario_with_a_bad_rate_exits_2(tmp_path: Path) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text("changes:\n  - set_rate: {measure: s232-autos, rate: 25}\n", encoding="utf-8")
    result = runner.invoke(app, ["scenario", "tariff", str(scenario)])
    assert result.exit_code == 2
    assert "field 'changes[0].set_rate.rate': is out of range (value '25')" in result.output.replace("\n", "")


def test_write_is_the_command_lines_and_the_service_gives_the_same_answer(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, [*RULES, "--write", str(out), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["boms.csv", "result.json", "totals.csv"]
    service = scenario_changes.scenario_rules
    assert not service.writes
    request = ScenarioRulesRequest(portfolio=EXAMPLES / "portfolio.jsonl", changes=EXAMPLES / "review_2026.yaml")
    with open_context(service.access(request)) as ctx:
        direct = json.loads(json.dumps(envelope(service(ctx, request))))["result"]
    assert result_of(result.stdout) == direct


def test_a_date_that_is_not_one_is_refused_naming_the_option() -> None:
    result = runner.invoke(app, [*RULES, "--duty-date", "2026-13-01"])
    assert result.exit_code == 2
    assert "--duty-date '2026-13-01' is not a date" in result.output
