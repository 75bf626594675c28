"""`nearshore origin ...` end to end through the Typer app (real files, no mocks)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nearshore.cli.main import app
from tests.envelope import payload_of, result_of
from tests.origin.helpers import DATA

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, ["origin", *args])


def test_check_json_reports_criterion_tests_and_what_if():
    result = invoke("check", str(DATA / "bicycle_b.yaml"), "--date", "2024-01-15", "--format", "json")
    assert result.exit_code == 0, result.output
    payload = payload_of(result.output)
    assert payload["qualifies"] is False
    assert payload["rvc"]["net_cost"] == pytest.approx(42.9825, abs=1e-4)
    flips = payload["what_if"]["materials_that_make_it_qualify"]
    assert [f["line"] for f in flips] == [7, 5]  # smallest value first: other materials 5.50, frame 10.60
    assert payload["duty"]["available"] is False


def test_check_table_of_the_example_bom():
    result = invoke("check", str(EXAMPLES / "bom.yaml"), "--date", "2026-07-01")
    assert result.exit_code == 0, result.output
    assert "QUALIFIES under criterion B" in result.output


def test_check_bad_bom_exit_code_and_message(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "good: {hs: '8479.89', country: MX, currency: USD, transaction_value: 10}\nmaterials:\n"
        "  - {hs: '7318.15', origin: CN, value: -1}\n"
    )
    result = invoke("check", str(bad))
    assert result.exit_code == 2
    assert "no determination was made" in result.output
    assert "materials[0].value': is negative" in result.output.replace("\n", "")


def test_check_rejects_unknown_format():
    result = invoke("check", str(DATA / "bicycle_a.yaml"), "--format", "xml")
    assert result.exit_code == 2
    assert "allowed values: table, json, csv, pdf" in result.output


def test_check_pdf(tmp_path):
    pytest.importorskip("fpdf", reason="PDF output needs the optional 'pdf' extra (fpdf2)")
    target = tmp_path / "report.pdf"
    result = invoke("check", str(DATA / "bicycle_a.yaml"), "--format", "pdf", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"%PDF")


def test_certify_json_and_pdf(tmp_path):
    pytest.importorskip("fpdf", reason="PDF output needs the optional 'pdf' extra (fpdf2)")
    target = tmp_path / "cert.pdf"
    result = invoke(
        "certify",
        str(EXAMPLES / "bom.yaml"),
        "--certifier",
        "Ana Ruiz, Trade Manager",
        "--date",
        "2026-07-01",
        "-o",
        str(target),
    )
    assert result.exit_code == 0, result.output
    cert = json.loads(result.stdout)["usmca_certification_of_origin"]
    assert cert["criterion"] == "B"
    assert cert["hs"] == "8708.30"
    assert (cert["blanket_from"], cert["blanket_to"]) == ("2026-01-01", "2026-12-31")
    assert cert["signed_by"] == "Ana Ruiz"
    assert target.read_bytes().startswith(b"%PDF")


def test_certify_refuses_a_non_originating_good():
    result = invoke("certify", str(DATA / "bicycle_b.yaml"), "--certifier", "X")
    assert result.exit_code == 7
    assert "does not qualify as originating" in " ".join(result.output.split())


def test_batch_summarises_a_directory(tmp_path):
    for name in ("bicycle_a.yaml", "bicycle_b.yaml", "set_pants.yaml"):
        shutil.copy(DATA / name, tmp_path / name)
    (tmp_path / "broken.yaml").write_text("good: {}\nmaterials: []\n")
    result = invoke("batch", str(tmp_path), "--date", "2024-01-15", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = {r["file"]: r for r in result_of(result.output)["rows"]}
    assert rows["bicycle_a.yaml"]["qualifies"] is True
    assert rows["bicycle_b.yaml"]["qualifies"] is False
    assert rows["set_pants.yaml"]["criterion"] == "B"
    assert rows["broken.yaml"]["qualifies"] == ""
    assert rows["broken.yaml"]["detail"].startswith("invalid BOM:")


def test_rule_lookup_and_report():
    result = invoke("rule", "8708.29", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = result_of(result.output)["rows"]
    assert rows
    assert all(r["citation"].startswith("HTSUS GN 11") for r in rows)
    report = invoke("rules", "--report", "--format", "json")
    assert report.exit_code == 0, report.output
    assert any(n.startswith("parsed into structure:") for n in result_of(report.output)["notes"])


def test_help_has_examples():
    for command in ("check", "certify", "rule", "rules", "batch"):
        result = invoke(command, "--help")
        assert result.exit_code == 0
        assert "Example: nearshore origin" in result.output


def test_check_csv_rows():
    result = invoke("check", str(DATA / "bicycle_a.yaml"), "--date", "2024-01-15", "--format", "csv")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "test,citation,result,detail"
    assert lines[1].startswith("Verdict,USMCA Art. 4.2; SOR/2020-155 s. 3,QUALIFIES (B),rule given in")
    assert "RVC (net cost): 76.5% vs at least 50% required (margin +26.5 points)" in lines[2]


def test_check_with_a_user_rule_file(tmp_path):
    rule = {
        "id": "USER-64-1",
        "citation": "user rule, footwear",
        "chapter": "64",
        "kind": "psr",
        "scope": ["6405.90"],
        "text": "A change to subheading 6405.90 from any other heading.",
        "alternatives": [
            {
                "label": "",
                "text": "A change to subheading 6405.90 from any other heading.",
                "conditions": [
                    {"type": "tariff_shift", "level": "heading", "to": ["6405.90"], "from": [], "except": []}
                ],
            }
        ],
    }
    rules = tmp_path / "mine.json"
    rules.write_text(json.dumps({"rules": [rule]}))
    bom = tmp_path / "shoe.yaml"
    bom.write_text(
        "good: {description: slipper, hs: '6405.90', country: MX, currency: USD, transaction_value: 20}\n"
        "materials:\n  - {description: felt, hs: '5602.10', origin: CN, value: 6}\n"
    )
    without = payload_of(invoke("check", str(bom), "--format", "json").output)
    assert without["qualifies"] is False
    assert without["notes"][0].startswith("no product-specific rule found for HS 6405.90")
    result = invoke("check", str(bom), "--rules", str(rules), "--format", "json")
    assert result.exit_code == 0, result.output
    payload = payload_of(result.output)
    assert (payload["qualifies"], payload["criterion"]) == (True, "B")
    assert payload["alternatives"][0]["citation"] == "user rule, footwear"


def test_check_rule_change_scenarios():
    result = invoke(
        "check",
        str(DATA / "net_cost_example4.yaml"),
        "--format",
        "json",
        "--rule-change",
        "2",
        "--rule-change",
        "5",
    )
    changes = payload_of(result.output)["what_if"]["rule_changes"]
    assert [(c["delta"], c["qualifies"]) for c in changes] == [(2.0, True), (5.0, False)]  # 54.5% vs 52 / 55
