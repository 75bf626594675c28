"""`nearshore origin batch` on one JSON-lines or Parquet portfolio file: the same rows as a folder of YAML files
holding the same BOMs, and a record with problems listed with its line and field while the others go on."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml
from typer.testing import CliRunner

from nearshore.cli.main import app
from tests.envelope import result_of

runner = CliRunner()


def bom(n: int, originating: bool) -> dict[str, object]:
    materials = [
        {"description": "bolts", "hs": "7318.15", "origin": "CN", "value": 4.0},
        {"description": "frame", "hs": "9401.99" if not originating else "8708.99", "origin": "CN", "value": 50.0},
        {"description": "rubber bush", "hs": "4016.93", "origin": "MX", "originating": True, "value": 6.0},
    ]
    good = {
        "description": f"control arm {n}",
        "hs": "9401.71",
        "country": "MX",
        "currency": "USD",
        "transaction_value": 120.0,
        "total_cost": 100.0,
    }
    return {"id": f"bom-{n}", "good": good, "materials": materials}


BOMS = [bom(1, True), bom(2, False), bom(3, True)]


def batch(source: Path) -> list[dict[str, object]]:
    result = runner.invoke(app, ["origin", "batch", str(source), "--date", "2026-07-01", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows: list[dict[str, object]] = result_of(result.output)["rows"]
    return rows


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    where = tmp_path / "boms"
    where.mkdir()
    for b in BOMS:
        (where / f"{b['id']}.yaml").write_text(yaml.safe_dump({"good": b["good"], "materials": b["materials"]}))
    return where


def test_jsonl_and_parquet_give_the_folder_s_rows(tmp_path: Path, folder: Path) -> None:
    jsonl = tmp_path / "boms.jsonl"
    jsonl.write_text("".join(json.dumps(b) + "\n" for b in BOMS))
    parquet = tmp_path / "boms.parquet"
    pq.write_table(pa.Table.from_pylist(BOMS), parquet)
    expected = [dict(r, file=str(r["file"]).removesuffix(".yaml")) for r in batch(folder)]
    assert [r["qualifies"] for r in expected] == [True, False, True]
    assert batch(jsonl) == expected
    assert batch(parquet) == expected


def test_a_record_with_problems_is_a_located_row_and_the_others_go_on(tmp_path: Path) -> None:
    bad = json.loads(json.dumps(BOMS[1]))
    bad["materials"][2]["value"] = "six"
    path = tmp_path / "boms.jsonl"
    path.write_text(json.dumps(BOMS[0]) + "\n\n" + json.dumps(bad) + "\n{not json\n")
    rows = batch(path)
    assert [(r["file"], r["qualifies"]) for r in rows] == [("bom-1", True), ("bom-2", ""), ("line 4", "")]
    assert rows[1]["detail"] == (
        f"invalid BOM: {path}, line 3, field 'materials[2].value': is missing, negative or not a number (value 'six'); "
        "give the material's value (>= 0)"
    )
    assert str(rows[2]["detail"]).startswith(f"invalid BOM: {path}, line 4: is not JSON: Expecting property name")


def test_an_empty_portfolio_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "none.jsonl"
    path.write_text("\n")
    result = runner.invoke(app, ["origin", "batch", str(path)])
    assert result.exit_code == 2
    assert f"{path}: holds no BOM" in result.output


def test_a_material_value_that_is_not_a_number_is_a_problem_even_after_its_code_was_seen(tmp_path: Path) -> None:
    """The plain-material path (codes and countries seen before) checks the value as the field-by-field one."""
    bad = json.loads(json.dumps(BOMS[1]))
    bad["materials"][0]["value"] = float("nan")
    path = tmp_path / "boms.jsonl"
    path.write_text(json.dumps(BOMS[0]) + "\n" + json.dumps(bad) + "\n")  # json writes NaN, and reads it back
    rows = batch(path)
    assert [(r["file"], r["qualifies"]) for r in rows] == [("bom-1", True), ("bom-2", "")]
    assert rows[1]["detail"] == (
        f"invalid BOM: {path}, line 2, field 'materials[0].value': is missing, negative or not a number (value 'nan'); "
        "give the material's value (>= 0)"
    )
