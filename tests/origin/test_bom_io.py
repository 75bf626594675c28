"""Reading BOMs: YAML, JSON and CSV give the same BOM; bad input gives one report of every problem."""

from __future__ import annotations

import json

import pytest
import yaml

from nearshore.errors import InputError, InvalidBOM
from nearshore.origin.bom_io import bom_from_mapping, load_bom
from tests.origin.helpers import DATA, bom_dict

BAD = """\
good:
  description: widget
  hs: "8479.99"
  country: MX
  currency: USD
  transaction_value: 100
materials:
  - description: steel
    hs: "7208.25"
    origin: CN
    value: -3
  - description: bolts
    hs: "7318.15"
    value: 5
  - description: paint
    hs: "3208.10"
    origin: US
    value: 2
    currency: EUR
"""


def test_bad_bom_reports_every_problem_with_line_and_field(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(BAD)
    with pytest.raises(InvalidBOM) as info:
        load_bom(path)
    lines = str(info.value).splitlines()
    assert lines[0] == "4 problem(s) in the bill of materials; no determination was made:"
    assert lines[1:] == [
        f"  - {path}, row 2, column 'good.hs': is an unknown HS subheading (value '8479.99'). check the code "
        "against the Harmonized System (HS 2022); `nearshore origin rule CODE` helps",
        f"  - {path}, row 8, column 'materials[0].value': is negative (value '-3'). value must be zero or more",
        f"  - {path}, row 12, column 'materials[1].origin': is missing (and so is originating). give the "
        "country of origin (e.g. CN) or originating: true/false with its evidence",
        f"  - {path}, row 15, column 'materials[2].currency': differs from the good's currency USD "
        "(value 'EUR'). convert to USD at the rate you recorded for the purchase "
        "(SOR/2020-155 s. 2) and restate",
    ]
    assert info.value.exit_code == 2


def test_line_numbers_point_at_the_material(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(BAD)
    with pytest.raises(InvalidBOM) as info:
        load_bom(path)
    problem = info.value.problems[1]
    assert problem.row is not None
    assert BAD.splitlines()[problem.row - 1].strip() == "- description: steel"


def test_non_originating_material_without_hs(tmp_path):
    doc = {
        "good": {"hs": "8479.89", "country": "MX", "currency": "USD", "transaction_value": 10},
        "materials": [
            {"description": "mystery part", "origin": "CN", "value": 1},
            {"description": "originating part", "origin": "US", "value": 1},
        ],
    }
    with pytest.raises(InvalidBOM) as info:
        bom_from_mapping(doc, "doc")
    assert [str(p) for p in info.value.problems] == [
        "doc, column 'materials[0].hs': is missing for a non-originating material. give its HS code: the "
        "tariff-shift test needs it (originating or indirect materials may omit it)"
    ]


def test_zero_net_cost_and_missing_values():
    doc = {
        "good": {"hs": "8479.89", "country": "CN", "currency": "USD", "net_cost": 0},
        "materials": [{"hs": "7318.15", "origin": "CN"}],
    }
    with pytest.raises(InvalidBOM) as info:
        bom_from_mapping(doc, "doc")
    assert [(p.field, p.message) for p in info.value.problems] == [
        ("good.country", "is not a USMCA country"),
        ("good.net_cost", "is zero"),
        ("materials[0].value", "is missing"),
    ]


def test_yaml_json_and_csv_read_alike(tmp_path):
    doc = yaml.safe_load((DATA / "bicycle_a.yaml").read_text())
    (tmp_path / "b.json").write_text(json.dumps(doc, indent=2))
    rows = [
        "record,description,hs,country,currency,total_cost,excluded_costs,origin,value",
        "good,bicycle,8712.00,MX,USD,23.60,0.20,,",
        "material,bicycle frame,8714.91,,,,,MX,11.00",
        "material,other materials,8714.99,,,,,CN,5.50",
    ]
    (tmp_path / "b.csv").write_text("\n".join(rows) + "\n")
    from_yaml = load_bom(DATA / "bicycle_a.yaml")
    from_json = load_bom(tmp_path / "b.json")
    from_csv = load_bom(tmp_path / "b.csv")
    assert from_json.good == from_yaml.good == from_csv.good
    assert [m.vnm for m in from_csv.materials] == [m.vnm for m in from_yaml.materials] == [0.0, 5.5]
    assert [m.line for m in from_csv.materials] == [3, 4]


def test_unknown_field_and_format(tmp_path):
    doc = {
        "good": {
            "hs": "8479.89",
            "country": "MX",
            "currency": "USD",
            "transaction_value": 10,
            "colour": "red",
        },
        "materials": [{"hs": "7318.15", "origin": "CN", "value": 1}],
    }
    with pytest.raises(InvalidBOM) as info:
        bom_from_mapping(doc, "doc")
    assert info.value.problems[0].field == "good.colour"
    (tmp_path / "x.txt").write_text("")
    with pytest.raises(InputError, match=r"unknown BOM format '\.txt'; use \.yaml, \.yml, \.json or \.csv"):
        load_bom(tmp_path / "x.txt")


def test_unquoted_yaml_hs_code_keeps_its_trailing_zero(tmp_path):
    path = tmp_path / "b.yaml"
    path.write_text(
        "good: {hs: 8708.30, country: MX, currency: USD, transaction_value: 10}\n"
        "materials:\n  - {hs: 8708.10, origin: CN, value: 1}\n"
    )
    bom = load_bom(path)
    assert (bom.good.hs, bom.materials[0].hs) == ("870830", "870810")


def test_one_field_table_per_section_covers_the_result_and_the_docs():
    """Each BOM key is written once, in its section's table: the table fills every attribute of the result,
    names the keys a document may use, and docs/origin.md documents each of them."""
    import dataclasses
    from pathlib import Path

    from nearshore.origin.bom import Good, Material
    from nearshore.origin.bom_io import GOOD_FIELDS, MATERIAL_FIELDS

    by_hand = {Good: {"net_cost", "period_start", "period_end"}, Material: {"line", "originating"}}
    docs = (Path(__file__).resolve().parents[2] / "docs" / "origin.md").read_text()
    for cls, fields in ((Good, GOOD_FIELDS), (Material, MATERIAL_FIELDS)):
        filled = {f.attr or f.key for f in fields if f.attr != ""}
        assert filled | by_hand[cls] == {f.name for f in dataclasses.fields(cls)}
        assert len({f.key for f in fields}) == len(fields)
        assert [f.key for f in fields if f"`{f.key}`" not in docs and f"`{f.key}:" not in docs] == []


def test_sections_that_are_not_mappings_and_bad_rule_codes_are_reported():
    doc = bom_dict(
        [{"hs": "7318.15", "origin": "CN", "value": 1, "accumulation": 5}],
        rule={"shift": "heading", "except": ["7208", "72O8"]},
        transaction_value=10,
        period="2025",
    )
    with pytest.raises(InvalidBOM) as info:
        bom_from_mapping(doc, "doc")
    assert [(p.field, p.value, p.message) for p in info.value.problems] == [
        ("good.period", "2025", "is not a mapping"),
        ("materials[0].accumulation", "5", "is not a mapping"),
        ("rule.except[1]", "72O8", "is not an HS code"),
    ]
