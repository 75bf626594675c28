"""How `nearshore origin` prints its answers: the rule book summary, tables that fit 80 columns with the
citation under each test, a yes/no batch table, and JSON that parses."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from typer.testing import CliRunner

from nearshore.cli.main import app
from tests.envelope import payload_of, result_of

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
ON = dt.date(2026, 3, 1)
runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, ["origin", *args])


def test_rules_without_report_prints_the_summary_not_an_empty_table():
    result = invoke("rules")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "USMCA rule book (GN 11)"
    assert lines[1].startswith("parsed into structure: ")
    assert "┏" not in result.output


def test_json_of_check_still_parses():
    result = invoke("check", str(EXAMPLES / "bom.yaml"), "--date", "2026-03-01", "--format", "json")
    assert result.exit_code == 0, result.output
    assert payload_of(result.output)["qualifies"] is True


def test_check_table_fits_80_columns_with_tests_on_their_own_lines():
    """The table had four columns and a 20-character detail; now test | result | detail, the citation under it."""
    from nearshore.cli.origin import check_table
    from nearshore.origin.report import check_bom
    from nearshore.services.base import Result

    report = check_bom(EXAMPLES / "control_panel.yaml", ON)
    table = check_table(Result("", (), (), report))
    rows = {name: (outcome, detail) for name, outcome, detail in table.rows}
    outcome, detail = rows["Rule (B)"]
    assert outcome == "pass"
    assert detail.splitlines()[1:3] == [
        "RVC (transaction value): 58.6% vs at least 50% required (margin +8.6 points)",
        "RVC (net cost): 52.1% vs at least 40% required (margin +12.1 points)",
    ]
    assert detail.splitlines()[-1] == "[HTSUS GN 11(o), chapter 85, rule 89]"
    assert rows["Verdict"] == (
        "QUALIFIES (B)",
        "HTSUS GN 11(o), chapter 85, rule 89 (B)\n[USMCA Art. 4.2; SOR/2020-155 s. 3]",
    )
    result = invoke("check", str(EXAMPLES / "control_panel.yaml"), "--date", "2026-03-01")
    assert result.exit_code == 0
    assert max(len(line) for line in result.output.splitlines()) <= 80


def test_rule_table_has_three_columns_and_json_keeps_applies():
    table = invoke("rule", "8708.70")
    assert table.exit_code == 0
    header = next(line for line in table.output.splitlines() if "citation" in line)
    assert [cell.strip() for cell in header.strip("┃").split("┃")] == ["citation", "rule", "structure"]
    assert max(len(line) for line in table.output.splitlines()) <= 80
    rows = result_of(invoke("rule", "8708.70", "--format", "json").output)["rows"]
    assert rows[0]["applies"] == (
        "For a good of subheading 8708.70 for use in a passenger vehicle, light truck, or heavy truck"
    )
    assert rows[0]["structure"].startswith("(A) CTH to 8708.70 | (B) CTSH to 8708.70 from 8708.99")


def test_batch_table_says_yes_or_no():
    result = invoke("batch", str(EXAMPLES), "--date", "2026-03-01")
    assert result.exit_code == 0
    cells = {
        line.split("│")[1].strip(): line.split("│")[3].strip()
        for line in result.output.splitlines()
        if line.startswith("│") and line.split("│")[1].strip().endswith(".yaml")
    }
    assert cells == {
        "bom.yaml": "yes",
        "control_arm.yaml": "no",
        "control_panel.yaml": "yes",
        "jeans.yaml": "yes",
        "sedan.yaml": "no",
        "vehicle.yaml": "yes",
        "heavy_truck.yaml": "yes",
    }
    assert result.output.splitlines()[-1] == "5 qualify, 2 do not, 0 invalid"
