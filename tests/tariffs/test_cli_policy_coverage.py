"""What main's tariff commands added, through the services: `tariff duty --claim`, the policy's coverage
(`tariff policy --coverage`, `policy_current_to`, the note on dates after the last recorded action) and the
panel's `s201` column. Figures by hand from the law (docs/tariffs.md): U.S. note 16(d) to chapter 99, heading
9903.82.04, +25% on UK articles with UK-melted steel instead of Annex I-A's 50% (9903.82.02)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from nearshore.cli.main import app
from tests.envelope import payload_of, result_of

runner = CliRunner()
RECORDED_TO = "2026-04-29"  # coverage.recorded_to of nearshore/tariffs/policy/us-2025-2026.yaml (HTS 2026 rev 7)


def duty(*extra: str) -> list[str]:
    return ["tariff", "duty", "--hts", "7208.10.15", "--origin", "GB", "--value", "10000", *extra, "-f", "json"]


def test_duty_takes_claims_and_says_how_current_the_policy_is(env: Path) -> None:
    claimed = runner.invoke(app, duty("--date", "2026-05-01", "--claim", "9903.82.04"))
    assert claimed.exit_code == 0, claimed.output
    assert payload_of(claimed.output)["total"] == 2500.0  # 25% x 10,000 (7208.10.15: MFN free)
    assert "9903.82.04" in [row["heading"] for row in result_of(claimed.output)["rows"]]
    assert payload_of(claimed.output)["policy_current_to"] == RECORDED_TO
    unclaimed = runner.invoke(app, duty("--date", "2026-05-01"))
    assert payload_of(unclaimed.output)["total"] == 5000.0  # Annex I-A: 50%
    refused = runner.invoke(app, duty("--date", "2026-04-01", "--claim", "9903.82.04"))
    assert refused.exit_code == 2
    assert "does not apply" in refused.output


def test_policy_coverage_lists_the_last_action_and_what_is_scheduled(env: Path) -> None:
    result = runner.invoke(app, ["tariff", "policy", "--coverage", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = result_of(result.output)["rows"]
    assert (rows[0]["date"], rows[0]["kind"]) == (RECORDED_TO, "last recorded action")
    assert {row["kind"] for row in rows[1:]} == {"scheduled"}
    assert payload_of(result.output)["recorded_to"] == RECORDED_TO
    assert any("later actions are not recorded" in note for note in result_of(result.output)["notes"])
    table = runner.invoke(app, ["tariff", "policy", "--coverage"], env={"COLUMNS": "80"})
    assert table.exit_code == 0
    assert "Tariff policy coverage" in table.output


def test_policy_without_a_command_or_coverage_prints_its_help(env: Path) -> None:
    for args in ([], ["--format", "json"]):
        result = runner.invoke(app, ["tariff", "policy", *args])
        assert result.exit_code == 0, result.output
        assert "--coverage" in result.output
        assert "show" in result.output


def test_dates_after_the_last_recorded_action_say_so(env: Path, tmp_path: Path) -> None:
    after = "2026-09-01"
    notes = result_of(runner.invoke(app, duty("--date", after)).output)["notes"]
    assert any("later actions are not recorded" in n for n in notes)
    compare = ["tariff", "compare", "--hts", "8708.99.81", "--value", "10000", "--date", after, "-f", "json"]
    assert any("later actions are not recorded" in n for n in result_of(runner.invoke(app, compare).output)["notes"])
    within = [*compare[:-3], RECORDED_TO, "-f", "json"]
    assert not any("later actions" in n for n in result_of(runner.invoke(app, within).output)["notes"])
    entries = tmp_path / "entries.csv"
    entries.write_text(f"hts,origin,value,date\n8708.99.81,CN,10000,2025-06-01\n8708.99.81,CN,10000,{after}\n")
    batch = runner.invoke(app, ["tariff", "batch", str(entries), "-f", "json", "--quiet"])
    assert batch.exit_code == 0, batch.output
    assert any("later actions are not recorded" in n for n in result_of(batch.output)["notes"])


def test_panel_notes_name_the_s201_column(env: Path, tmp_path: Path) -> None:
    out = tmp_path / "panel.parquet"
    args = ["tariff", "panel", "--date", "2025-09-01", "--out", str(out), "--partners", "MX", "-f", "json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    (columns,) = [n for n in result_of(result.output)["notes"] if n.startswith("columns:")]
    assert "s122, s201, total" in columns
