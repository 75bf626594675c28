"""Bugs found by using `nearshore origin` as a producer or broker would, each with the test that shows it fixed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nearshore.cli.main import app
from nearshore.origin.bom_io import bom_from_mapping
from nearshore.origin.determine import determine
from tests.envelope import payload_of, result_of
from tests.origin.helpers import bom_dict

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
ON = dt.date(2026, 3, 1)
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


def test_rules_without_report_prints_the_summary_not_an_empty_table():
    result = invoke("rules")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "USMCA rule book (GN 11)"
    assert lines[1].startswith("parsed into structure: ")
    assert "┏" not in result.output


def test_a_source_named_in_the_goods_own_subheading_makes_the_change():
    """GN 11(o) ch. 87 rule 31 (B): "A change to gear boxes of subheading 8708.40 from any other good of
    subheadings 8708.40 or 8708.99 ..., provided there is a regional value content of not less than 50 percent
    under the net cost method". Gear-box parts of 8708.40 from Japan satisfy the change; RVC (NC)
    (100 - 30) / 100 = 70% >= 50%. Alternative (A) (change of heading) fails on those same parts."""
    doc = bom_dict(
        [{"description": "gear sets and shafts", "hs": "8708.40", "origin": "JP", "value": 30}],
        hs="8708.40",
        description="gear box, industrial vehicle",
        net_cost=100,
        conditions_met=["B"],
    )
    result = determine(bom_from_mapping(doc, "gearbox.yaml"), ON)
    assert (result.qualifies, result.criterion) == (True, "B")
    chosen = next(a for a in result.alternatives if a.qualifies)
    assert chosen.citation == "HTSUS GN 11(o), chapter 87, rule 31"
    assert chosen.label == "(B)"
    assert chosen.tests[0].inputs.startswith("1 of 1 non-originating materials meet")
    assert [t.summary() for t in chosen.tests[1:]] == ["70.0% vs at least 50% required (margin +20.0 points)"]


def test_a_described_except_from_code_asks_no_attestation():
    """GN 11(o) ch. 85 rule 89 (A): "A change to heading 8537 from any other heading, except from printed
    circuit assemblies of subheading 8538.90 ...". A control panel without any 8538.90 material meets (A)
    from codes alone; the description of the excepted goods is not a condition on the producer."""
    doc = bom_dict(
        [
            {"description": "programmable controller", "hs": "8537.10", "origin": "US", "value": 900},
            {"description": "circuit breakers", "hs": "8536.20", "origin": "CN", "value": 150},
            {"description": "enclosure", "hs": "7326.90", "origin": "MX", "value": 200},
        ],
        hs="8537.10",
        description="control panel",
        transaction_value=2000,
    )
    result = determine(bom_from_mapping(doc, "panel.yaml"), ON)
    assert (result.qualifies, result.criterion) == (True, "B")
    first = result.alternatives[0]
    assert (first.label, first.qualifies, first.unverified) == ("(A)", True, ())


def test_a_described_source_is_asked_for_only_when_a_material_lies_in_it():
    """Ch. 87 rule 31 (B) names "any other good of 8708.40" and 8708.99 as sources: with no material of
    those codes, (B) needs no material-description attestation (its goods condition on the good remains)."""
    doc = bom_dict(
        [{"description": "bearings", "hs": "8482.10", "origin": "JP", "value": 30}],
        hs="8708.30",
        description="brake assembly",
        net_cost=100,
    )
    result = determine(bom_from_mapping(doc, "brake.yaml"), ON)
    unverified = {a.label: a.unverified for a in result.alternatives}
    assert unverified["(D)"] == ("the good is any other good of 8708.30",)
    with_part = bom_dict(
        [{"description": "pistons", "hs": "8708.30", "origin": "JP", "value": 30}],
        hs="8708.30",
        description="brake assembly",
        net_cost=100,
    )
    result = determine(bom_from_mapping(with_part, "brake.yaml"), ON)
    unverified = {a.label: a.unverified for a in result.alternatives}
    assert unverified["(D)"] == (
        "the good is any other good of 8708.30",
        "material description: 8708.30 (mounted brake linings or parts of brakes or servo-brakes)",
    )


def test_json_of_check_still_parses():
    result = invoke("check", str(EXAMPLES / "bom.yaml"), "--date", "2026-03-01", "--format", "json")
    assert result.exit_code == 0, result.output
    assert payload_of(result.output)["qualifies"] is True


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


def test_duty_without_a_transaction_value_says_what_to_add():
    from nearshore.origin.report import check_bom

    report = check_bom(EXAMPLES / "vehicle.yaml", ON)
    assert report.duty.message == (
        "duty consequence not computed: the BOM gives no transaction value; add good.transaction_value "
        "(the customs value in U.S. dollars) to see the duty"
    )


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


def test_de_minimis_headroom_names_the_failing_materials():
    """bom.yaml: the piston kit (9.60) fails the shift; s. 5(1) allows 10% of TV 182.00, so 8.60 more."""
    from nearshore.origin.report import check_bom

    footer = check_bom(EXAMPLES / "bom.yaml", ON).footer()
    assert (
        "De minimis (value): the value of materials failing the shift can rise by 8.60 (4.7 points) before the "
        "test fails"
    ) in footer


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


def test_a_vehicle_section_on_a_part_is_noted_not_silently_dropped():
    doc = bom_dict(
        [{"description": "casting", "hs": "7325.99", "origin": "MX", "value": 20}],
        hs="8708.80",
        transaction_value=100,
    )
    doc["vehicle"] = {"class": "passenger"}
    result = determine(bom_from_mapping(doc, "arm.yaml"), ON)
    assert result.notes == (
        "the vehicle: section was not used: HS 8708.80 is not a passenger vehicle, light truck or heavy truck "
        "(SOR/2020-155 s. 12); for a part, give good.for_vehicle instead",
    )


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
