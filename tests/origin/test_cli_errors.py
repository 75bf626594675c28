"""What `nearshore origin` says on bad input: a code that is not one, a PDF to a missing folder, a blanket
period over 12 months or without its end, a folder without BOMs, a date before USMCA, and BOM files whose
sections, rows or dates are wrong: each a clear message and exit code 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from nearshore.cli.main import app

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, ["origin", *args])


def test_rule_for_a_code_that_is_not_one_is_an_input_error():
    result = invoke("rule", "abc")
    assert result.exit_code == 2
    assert result.output.replace("\n", "") == (
        "error: invalid HS code 'abc': expected 2 to 10 digits, dots allowed (e.g. 8708.29 or 870829)"
    )


@pytest.mark.parametrize(
    ("args", "name"),
    [(("certify", "--certifier", "Ana Ruiz"), "cert.pdf"), (("check", "--format", "pdf"), "report.pdf")],
)
def test_pdf_to_a_folder_that_does_not_exist_writes_nothing(tmp_path, args, name):
    pytest.importorskip("fpdf", reason="PDF output needs the optional 'pdf' extra (fpdf2)")
    target = tmp_path / "missing" / name
    result = invoke(args[0], str(EXAMPLES / "bom.yaml"), *args[1:], "-o", str(target))
    assert result.exit_code == 2
    assert "usmca_certification_of_origin" not in result.output  # no JSON printed before the failure
    assert result.output.replace("\n", "") == (
        f"error: {target}: cannot write the PDF (No such file or directory); give a file in a folder that "
        "exists and that you can write to"
    )


def _bom_file(tmp_path: Path, period: str) -> Path:
    bom = tmp_path / "widget.yaml"
    bom.write_text(
        "good: {description: widget, hs: '8479.89', country: MX, currency: USD, transaction_value: 100,\n"
        f"       {period}}}\n"
        "materials:\n  - {description: casting, hs: '7325.99', origin: MX, value: 20}\n"
    )
    return bom


def test_certify_refuses_a_blanket_period_over_twelve_months(tmp_path):
    bom = _bom_file(tmp_path, "period: {start: 2026-01-01, end: 2027-01-01}")
    result = invoke("certify", str(bom), "--certifier", "Ana Ruiz")
    assert result.exit_code == 2
    assert result.output.replace("\n", "") == (
        f"error: {bom}: good.period 2026-01-01 to 2027-01-01 is longer than 12 months; a blanket "
        "certification covers at most 12 months (USMCA Art. 5.2): end it by 2026-12-31"
    )
    ok = _bom_file(tmp_path, "period: {start: 2026-01-01, end: 2026-12-31}")
    assert invoke("certify", str(ok), "--certifier", "Ana Ruiz").exit_code == 0


def test_certify_refuses_a_blanket_period_without_its_end(tmp_path):
    bom = _bom_file(tmp_path, "period: {start: 2026-01-01}")
    result = invoke("certify", str(bom), "--certifier", "Ana Ruiz")
    assert result.exit_code == 2
    assert result.output.replace("\n", "") == (
        f"error: {bom}: good.period has no end; give both start and end of the blanket period (YYYY-MM-DD), "
        "or leave period out for a single shipment"
    )


def test_batch_of_a_folder_without_boms(tmp_path):
    result = invoke("batch", str(tmp_path))
    assert result.exit_code == 2
    assert result.output.replace("\n", "") == (
        f"error: {tmp_path}: holds no BOM files (.yaml, .yml, .json, .csv); give the folder of your bills of materials"
    )


def test_csv_without_a_record_column(tmp_path):
    bom = tmp_path / "pump.csv"
    bom.write_text("description,hs,origin,value\nmotor,8501.31,CN,30\n")
    result = invoke("check", str(bom))
    assert result.exit_code == 2
    assert f"  - {bom}, row 1, column 'record': is not a column of the CSV. add it: each row's column record " in (
        result.output.replace("\n", "")
    )


def test_csv_row_that_is_neither_good_nor_material(tmp_path):
    bom = tmp_path / "pump.csv"
    bom.write_text(
        "record,description,hs,country,currency,transaction_value,origin,value\n"
        "good,pump,8413.30,MX,USD,100,,\nmaterail,motor,8501.31,,,,CN,30\n"
    )
    result = invoke("check", str(bom))
    assert result.exit_code == 2
    assert result.output.splitlines()[1] == (
        f"  - {bom}, row 3, column 'record': is neither good nor material (value 'materail'). each row's column "
        "record says good (one row) or material; see docs/origin.md"
    )


@pytest.mark.parametrize("command", ["check", "batch", "certify"])
def test_a_date_before_usmca_entered_into_force_is_refused(command):
    target = EXAMPLES if command == "batch" else EXAMPLES / "bom.yaml"
    extra = ("--certifier", "Ana Ruiz") if command == "certify" else ()
    result = invoke(command, str(target), "--date", "2020-06-30", *extra)
    assert result.exit_code == 2
    assert result.output.replace("\n", "") == (
        "error: date 2020-06-30 is before USMCA entered into force (2020-07-01); its rules of origin apply from "
        "that day: give a later --date"
    )


def test_sections_that_are_not_mappings_are_problems_not_a_traceback(tmp_path):
    bom = tmp_path / "p.yaml"
    bom.write_text(
        "good: {description: widget, hs: '8479.89', country: MX, currency: USD, transaction_value: 100}\n"
        "parties: [a, b]\nvehicle: [x]\nrule: shift heading\n"
        "materials:\n  - {description: casting, hs: '7325.99', origin: MX, value: 20}\n"
    )
    result = invoke("check", str(bom))
    assert result.exit_code == 2
    assert result.output.splitlines()[1:] == [
        f"  - {bom}, column 'vehicle': is not a mapping (value \"['x']\"). give vehicle: as field: value pairs "
        "(see docs/origin.md and docs/examples)",
        f"  - {bom}, column 'rule': is not a mapping (value 'shift heading'). give rule: as field: value pairs "
        "(see docs/origin.md and docs/examples)",
        f"  - {bom}, column 'parties': is not a mapping (value \"['a', 'b']\"). give parties: as field: value "
        "pairs (see docs/origin.md and docs/examples)",
    ]
    listed = tmp_path / "g.yaml"
    listed.write_text("good: [1]\nmaterials:\n  - {description: casting, hs: '7325.99', origin: MX, value: 20}\n")
    result = invoke("check", str(listed))
    assert result.exit_code == 2
    assert "column 'good': is not a mapping (value '[1]')" in result.output


def test_an_impossible_yaml_date_is_a_located_problem(tmp_path):
    bom = tmp_path / "d.yaml"
    bom.write_text(
        "good: {description: widget, hs: '8479.89', country: MX, currency: USD, transaction_value: 100,\n"
        "       period: {start: 2026-13-01, end: 2026-12-31}}\n"
        "materials:\n  - {description: casting, hs: '7325.99', origin: MX, value: 20}\n"
    )
    result = invoke("check", str(bom))
    assert result.exit_code == 2
    assert result.output.splitlines()[1] == (
        f"  - {bom}, row 1, column 'good.period.start': is not a date (value '2026-13-01'). write dates as YYYY-MM-DD"
    )
