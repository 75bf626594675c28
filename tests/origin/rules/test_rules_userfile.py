"""Users' own rule files: same schema as the shipped file, validated with file/line/field errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nearshore.errors import InputError
from nearshore.origin.rules import RuleFileError, load_rule_file, rules_for, shipped_rules

FOOTWEAR = {
    "id": "user-6403",
    "citation": "HTSUS GN 11(o), chapter 64 (entered by the user)",
    "kind": "psr",
    "scope": ["6403.91-6403.99"],
    "text": ("A change to subheadings 6403.91 through 6403.99 from any other heading, except from subheading 6406.10."),
    "alternatives": [
        {
            "label": "",
            "conditions": [
                {"type": "tariff_shift", "level": "heading", "to": ["6403.91-6403.99"], "except": ["6406.10"]}
            ],
        }
    ],
}


def write_jsonl(path: Path, *objects: object) -> Path:
    path.write_text("\n".join(json.dumps(o) for o in objects) + "\n", encoding="utf-8")
    return path


def test_user_rule_file_fills_a_missing_chapter(tmp_path: Path) -> None:
    user = load_rule_file(write_jsonl(tmp_path / "mine.jsonl", FOOTWEAR))
    book = shipped_rules().with_rules(user)
    (rule,) = rules_for("6403.99", book)
    assert rule.id == "user-6403"
    shift = rule.alternatives[0].tariff_shifts[0]
    assert not shift.satisfied_by("6406.10", "6403.99")
    assert shift.satisfied_by("4107.12", "6403.99")


def test_user_rule_wins_over_a_shipped_rule_of_the_same_scope(tmp_path: Path) -> None:
    mine = dict(FOOTWEAR, id="user-8708.29", scope=["8708.29"], citation="my reading of chapter 87")
    book = shipped_rules().with_rules(load_rule_file(write_jsonl(tmp_path / "r.jsonl", mine)))
    assert [r.id for r in rules_for("8708.29", book)] == ["user-8708.29"]
    assert len(rules_for("8708.29")) == 3  # the shipped book is unchanged


def test_json_form_as_shipped(tmp_path: Path) -> None:
    path = tmp_path / "mine.json"
    path.write_text(json.dumps({"format": "nearshore-origin-rules/1", "rules": [FOOTWEAR]}, indent=1))
    assert [r.id for r in load_rule_file(path)] == ["user-6403"]


def test_errors_name_file_line_and_field(tmp_path: Path) -> None:
    bad_level = json.loads(json.dumps(FOOTWEAR))
    bad_level["id"] = "user-2"
    bad_level["alternatives"][0]["conditions"][0]["level"] = "headng"
    no_scope = dict(FOOTWEAR, id="user-3", scope=[])
    path = write_jsonl(tmp_path / "bad.jsonl", FOOTWEAR, bad_level, no_scope)
    with pytest.raises(RuleFileError) as info:
        load_rule_file(path)
    assert isinstance(info.value, InputError)
    assert [str(p) for p in info.value.problems] == [
        f"{path}, line 2, field 'alternatives[0].conditions[0].level': unknown level (value 'headng'); "
        "allowed values are chapter, heading, subheading, tariff_item",
        f"{path}, line 3, field 'scope': needs at least one code (value '[]'); e.g. \"scope\": [\"6401.10\"]",
    ]
    assert str(info.value).startswith(f"2 problem(s) in rule file {path}; nothing was loaded:\n  - {path}, line 2")


def test_broken_json_line_and_bad_range(tmp_path: Path) -> None:
    path = tmp_path / "broken.jsonl"
    bad_range = dict(FOOTWEAR, id="user-9", scope=["6403.99-6403.91"])
    path.write_text(json.dumps(FOOTWEAR) + "\n{not json\n" + json.dumps(bad_range) + "\n")
    with pytest.raises(RuleFileError) as info:
        load_rule_file(path)
    assert [str(p) for p in info.value.problems] == [
        f"{path}, line 2: not valid JSON (Expecting property name enclosed in double quotes at column 2)",
        f"{path}, line 3, field 'scope[0]': is not a valid range (value '6403.99-6403.91'); "
        "start and end need the same digits, start first",
    ]


def test_json_file_errors_point_at_the_rule_line(tmp_path: Path) -> None:
    path = tmp_path / "rules.json"
    bad = dict(FOOTWEAR, id="user-b", kind="rule")
    path.write_text('{"rules": [\n' + json.dumps(FOOTWEAR) + ",\n" + json.dumps(bad) + "\n]}\n")
    with pytest.raises(RuleFileError) as info:
        load_rule_file(path)
    assert [str(p) for p in info.value.problems] == [
        f"{path}, line 3, field 'kind': unknown rule kind (value 'rule'); "
        "allowed values are psr, chapter_rule, heading_rule, subheading_rule, section_rule"
    ]


def test_duplicate_ids_and_missing_file(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "dup.jsonl", FOOTWEAR, FOOTWEAR)
    with pytest.raises(RuleFileError) as info:
        load_rule_file(path)
    assert [str(p) for p in info.value.problems] == [
        f"{path}, line 2, field 'id': duplicate rule id (value 'user-6403'); first used on line 1"
    ]
    with pytest.raises(RuleFileError, match="cannot be read"):
        load_rule_file(tmp_path / "absent.jsonl")


def test_a_rule_without_alternatives_is_refused(tmp_path: Path) -> None:
    empty = dict(FOOTWEAR, alternatives=[])
    path = write_jsonl(tmp_path / "empty.jsonl", empty)
    with pytest.raises(RuleFileError) as info:
        load_rule_file(path)
    assert [str(p) for p in info.value.problems] == [
        f"{path}, line 1, field 'alternatives': a product-specific rule needs at least one alternative; "
        'add "alternatives" (or "unparsed_reason" saying why there are none)'
    ]


def test_indented_json_file_locates_each_rule_on_its_opening_line(tmp_path: Path) -> None:
    """The one-pass reader counts lines as it goes: each rule's problem is on the line of its '{'."""
    path = tmp_path / "indented.json"
    rules = [dict(FOOTWEAR, id=f"user-{n}", kind="rule" if n in (1, 3) else "psr") for n in range(4)]
    text = json.dumps({"format": "nearshore-origin-rules/1", "rules": rules, "provenance": {"by": "me"}}, indent=2)
    path.write_text(text)
    openings = [n for n, line in enumerate(text.splitlines(), start=1) if line == "    {"]
    with pytest.raises(RuleFileError) as info:
        load_rule_file(path)
    assert [p.row for p in info.value.problems] == [openings[1], openings[3]]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('{"rules": [\n{"id": "a"},,\n]}', 2, "not valid JSON (Expecting value at column 13)"),
        ('{"rules": []}\nextra', 2, "not valid JSON (Extra data at column 1)"),
        ("{\n1: 2}", 2, "not valid JSON (Expecting property name enclosed in double quotes at column 1)"),
        ('{"rules": [{"id": "a"}\n{"id": "b"}]}', 2, "not valid JSON (Expecting ',' at column 1)"),
        ('[{"id": "a"}]', 1, 'expected an object with a "rules" list (format nearshore-origin-rules/1)'),
        ('{"rules": {"id": "a"}}', 1, 'expected an object with a "rules" list (format nearshore-origin-rules/1)'),
    ],
)
def test_json_file_shape_and_syntax_errors(tmp_path: Path, text: str, line: int, message: str) -> None:
    path = tmp_path / "r.json"
    path.write_text(text)
    with pytest.raises(RuleFileError) as info:
        load_rule_file(path)
    assert [str(p) for p in info.value.problems] == [f"{path}, line {line}: {message}"]
