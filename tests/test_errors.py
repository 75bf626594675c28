"""The exception tree carries data: a stable code, the exit code, and where the problem is (file, row, field,
value) with a hint, as attributes and as `to_dict()`."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest

import nearshore.errors as errors
from nearshore.errors import (
    ConfigError,
    DataNotFound,
    FetchClientError,
    InputError,
    InvalidBOM,
    NearshoreError,
    NoRuleError,
    Problem,
    RuleFileError,
    SourceFormatError,
    UnknownCodeError,
    ValidationFailed,
)

KEYS = ["code", "message", "file", "row", "field", "value", "hint", "exit_code"]


def _tree() -> list[type[NearshoreError]]:
    found = [NearshoreError]
    for cls in found:
        found += [sub for sub in cls.__subclasses__() if sub not in found]  # once each, multiple bases or not
    return found


def test_every_error_has_its_own_stable_snake_case_code() -> None:
    classes = _tree()
    assert len(classes) >= 25
    for cls in classes:
        assert "code" in vars(cls), f"{cls.__name__} inherits its code"
        assert re.fullmatch(r"[a-z]+(_[a-z]+)*", cls.code), cls.code
    assert len({cls.code for cls in classes}) == len(classes)


def test_every_error_is_in_the_module_docstring_tree_with_its_code() -> None:
    doc = errors.__doc__ or ""
    for cls in _tree():
        assert re.search(rf"\b{cls.__name__}\s+{cls.code}\b", doc), cls.__name__


def test_a_plain_message_still_works_and_fields_default_to_none() -> None:
    error = InputError("date 2024-13-01 is not a date")
    assert str(error) == "date 2024-13-01 is not a date"
    assert error.to_dict() == {
        "code": "input",
        "message": "date 2024-13-01 is not a date",
        "file": None,
        "row": None,
        "field": None,
        "value": None,
        "hint": None,
        "exit_code": 2,
    }


def test_fields_are_set_by_keyword_and_to_dict_has_exactly_the_contract_keys() -> None:
    error = UnknownCodeError(
        "unknown HTS code '87O8'", field="--hts", value="87O8", hint="write digits, e.g. 8708.29", file="e.csv", row=3
    )
    data = error.to_dict()
    assert list(data) == KEYS
    assert data == {
        "code": "unknown_code",
        "message": "unknown HTS code '87O8'",
        "file": "e.csv",
        "row": 3,
        "field": "--hts",
        "value": "87O8",
        "hint": "write digits, e.g. 8708.29",
        "exit_code": 2,
    }
    assert (error.file, error.row, error.field, error.value, error.hint) == (
        "e.csv",
        3,
        "--hts",
        "87O8",
        "write digits, e.g. 8708.29",
    )


def test_locate_fills_in_only_what_is_unknown() -> None:
    error = UnknownCodeError("unknown partner 'Atlantis'", value="Atlantis")
    assert error.locate(field="origin", value="other") is error
    assert (error.field, error.value) == ("origin", "Atlantis")
    error.locate(field="partner")
    assert error.field == "origin"


def test_a_located_problem_fills_the_fields_of_the_error() -> None:
    problem = Problem("e.csv", 4, "value", "ten", "not a number", "fix the cell")
    error = SourceFormatError(problem)
    assert error.to_dict() == {
        "code": "source_format",
        "message": "e.csv, row 4, column 'value': not a number (value 'ten'). fix the cell",
        "file": "e.csv",
        "row": 4,
        "field": "value",
        "value": "ten",
        "hint": "fix the cell",
        "exit_code": 2,
    }
    many = ValidationFailed([problem, Problem("e.csv", 5, "date", "x", "not a date")])
    assert (many.code, many.row, many.field, len(many.problems)) == ("validation_failed", 4, "value", 2)


def test_one_problem_type_prints_table_rows_and_record_lines() -> None:
    row = Problem("bom.csv", 2, "value", "-1", "is negative", "give zero or more")
    line = Problem("rules.jsonl", 3, "scope[0]", "x", "is not an HS code", "write 8708.29", by="line")
    assert str(row) == "bom.csv, row 2, column 'value': is negative (value '-1'). give zero or more"
    assert str(line) == "rules.jsonl, line 3, field 'scope[0]': is not an HS code (value 'x'); write 8708.29"
    assert str(line.at("other.jsonl", 9)).startswith("other.jsonl, line 9, field 'scope[0]'")


def test_rule_file_and_bom_errors_carry_their_problems() -> None:
    problem = Problem("r.jsonl", 2, "id", "a", "duplicate rule id", "first used on line 1", "line")
    error = RuleFileError("r.jsonl", [problem])
    assert isinstance(error, InputError)
    assert error.to_dict()["code"] == "rule_file"
    assert (error.file, error.row, error.field) == ("r.jsonl", 2, "id")
    assert str(error) == (
        "1 problem(s) in rule file r.jsonl; nothing was loaded:\n"
        "  - r.jsonl, line 2, field 'id': duplicate rule id (value 'a'); first used on line 1"
    )
    bom = InvalidBOM([Problem("b.yaml", 3, "good.hs", None, "is missing")])
    assert str(bom).startswith("1 problem(s) in the bill of materials; no determination was made:")
    assert bom.to_dict()["code"] == "invalid_bom"


def test_errors_with_their_own_arguments_fill_the_fields() -> None:
    assert NoRuleError("9999.99", "no rule").to_dict()["value"] == "9999.99"
    fetch = FetchClientError("refused", url="https://api.test/x?key=***", status=403, hint="check the key")
    assert (fetch.url, fetch.status, fetch.hint, fetch.exit_code) == (
        "https://api.test/x?key=***",
        403,
        "check the key",
        6,
    )
    assert DataNotFound("no HTS schedule").exit_code == 5


def test_errors_survive_pickling_with_their_fields() -> None:
    for error in (
        ConfigError("bad", field="NEARSHORE_HTTP_RETRIES", value="nan"),
        ValidationFailed([Problem("e.csv", 2, "date", "x", "not a date")]),
        NoRuleError("8708.29", "none"),
    ):
        copy = pickle.loads(pickle.dumps(error))
        assert type(copy) is type(error)
        assert copy.to_dict() == error.to_dict()


def test_rule_errors_live_in_errors_and_stay_value_errors() -> None:
    from nearshore.data.reference.hs import normalise
    from nearshore.origin.rules import parse_rule_text

    with pytest.raises(errors.InvalidHSCode) as bad_code:
        normalise("87O8")
    assert isinstance(bad_code.value, ValueError)
    assert bad_code.value.to_dict()["value"] == "87O8"
    with pytest.raises(errors.RuleParseError) as bad_rule:
        parse_rule_text("A change to heading 15 from any other chapter.")
    assert isinstance(bad_rule.value, ValueError)
    assert issubclass(errors.CodeListError, errors.RuleParseError)


def test_an_unknown_rule_file_is_a_located_input_error(tmp_path: Path) -> None:
    from nearshore.origin.rules import load_rule_file

    with pytest.raises(RuleFileError) as info:
        load_rule_file(tmp_path / "absent.jsonl")
    assert info.value.to_dict()["file"] == str(tmp_path / "absent.jsonl")
    assert info.value.exit_code == 2
