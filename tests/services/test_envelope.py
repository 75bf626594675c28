"""The one JSON envelope (services/envelope.py): its shape for results, errors and results that failed, built
from the exception's `to_dict()`, and the CLI's --format json using it for both."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from nearshore.cli.main import app
from nearshore.errors import (
    InputError,
    InvalidBOM,
    NearshoreError,
    NotOriginating,
    Problem,
    SourceFormatError,
    UnknownCodeError,
    VerificationFailed,
)
from nearshore.services.base import Result, columns
from nearshore.services.envelope import ERROR_FIELDS, envelope, error_body, plain

runner = CliRunner()
RESULT = Result("t", columns("a", "b"), ((1, 2.5),), {"k": (1, 2)}, ("n",))


def test_success_shape() -> None:
    document = envelope(RESULT)
    assert document == {
        "ok": True,
        "result": {
            "title": "t",
            "columns": [
                {"name": "a", "unit": None, "label": "a", "decimals": None},
                {"name": "b", "unit": None, "label": "b", "decimals": None},
            ],
            "rows": [{"a": 1, "b": 2.5}],
            "notes": ["n"],
            "provenance": {"sources": [], "vintages": [], "sql": None},
            "messages": [],
            "payload": {"k": [1, 2]},
        },
    }
    assert json.loads(json.dumps(document)) == document


def test_error_shape_has_every_field() -> None:
    document = envelope(error=UnknownCodeError("unknown partner 'Atlantis'"))
    assert document == {
        "ok": False,
        "error": {
            "code": "unknown_code",
            "message": "unknown partner 'Atlantis'",
            "file": None,
            "row": None,
            "field": None,
            "value": None,
            "hint": None,
            "exit_code": 2,
        },
    }
    assert tuple(document["error"]) == ERROR_FIELDS


def test_a_result_whose_outcome_failed_carries_both() -> None:
    failed = Result("t", (), (), {}, error=VerificationFailed("1 figure(s) are not supported"))
    document = envelope(failed)
    assert document["ok"] is False
    assert document["result"]["title"] == "t"
    assert document["error"]["code"] == "verification_failed"
    assert document["error"]["exit_code"] == 9


def test_structured_fields_are_used_when_the_error_has_them() -> None:
    class BadCell(NearshoreError):
        code = "bad_cell"
        exit_code = 2

        def __init__(self) -> None:
            super().__init__("entries.csv, row 3, column 'value': not a number")
            self.file, self.row, self.field, self.value = "entries.csv", 3, "value", "ten"
            self.hint = "write the customs value in U.S. dollars, e.g. 10000"

    assert error_body(BadCell()) == {
        "code": "bad_cell",
        "message": "entries.csv, row 3, column 'value': not a number",
        "file": "entries.csv",
        "row": 3,
        "field": "value",
        "value": "ten",
        "hint": "write the customs value in U.S. dollars, e.g. 10000",
        "exit_code": 2,
    }


def test_the_body_is_the_errors_own_to_dict() -> None:
    located = InputError("--hts '87O8' is not an HTS code", field="hts", value="87O8", hint="write digits")
    for error in (located, NotOriginating("x"), VerificationFailed("1 figure(s) are not supported")):
        assert error_body(error) == error.to_dict()
        assert tuple(error_body(error)) == ERROR_FIELDS


def test_a_located_problem_fills_the_fields() -> None:
    problem = Problem("bom.yaml", 4, "materials[0].value", "-1", "is negative", "give the value paid")
    body = error_body(SourceFormatError(problem))
    assert (body["file"], body["row"], body["field"], body["value"], body["hint"]) == (
        "bom.yaml",
        4,
        "materials[0].value",
        "-1",
        "give the value paid",
    )
    assert error_body(InvalidBOM([problem]))["code"] == "invalid_bom"
    assert error_body(NotOriginating("x"))["code"] == "not_originating"


def test_plain_makes_json_of_typed_payloads() -> None:
    from datetime import date

    from nearshore.analytics.result import Provenance

    assert plain({"d": date(2025, 6, 1), "p": Path("a/b"), "nan": float("nan"), "prov": Provenance(("x",))}) == {
        "d": "2025-06-01",
        "p": "a/b",
        "nan": None,
        "prov": {"sources": ["x"], "vintages": [], "query": "", "notes": []},
    }


def test_cli_json_errors_are_the_error_envelope_with_the_exit_code(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "good: {hs: '8479.89', country: MX, currency: USD, transaction_value: 10}\nmaterials:\n"
        "  - {hs: '7318.15', origin: CN, value: -1}\n"
    )
    result = runner.invoke(app, ["origin", "check", str(bad), "--format", "json"])
    assert result.exit_code == 2
    document = json.loads(result.stdout)
    assert document["ok"] is False
    assert document["error"]["code"] == "invalid_bom"
    assert document["error"]["exit_code"] == 2
    assert document["error"]["file"] == str(bad)
    assert "no determination was made" in document["error"]["message"]
    assert "error: " in result.stderr  # people still read the message


def test_cli_json_of_a_failed_verification_has_the_rows_and_the_error(tmp_path: Path) -> None:
    from nearshore.writer.facts import Fact, FactTable

    FactTable((Fact("mex.imports.share.2024", 15.45, "percent", "2024", "share", "census-country", "2026-07"),)).save(
        tmp_path / "b.facts.json"
    )
    brief = tmp_path / "b.md"
    brief.write_text("Mexico supplied 15.8%[^mex.imports.share.2024] of imports.\n")
    result = runner.invoke(app, ["brief", "check", str(brief), "--format", "json"])
    assert result.exit_code == 9
    document = json.loads(result.stdout)
    assert document["ok"] is False
    assert document["error"]["code"] == "verification_failed"
    assert [row["figure"] for row in document["result"]["rows"]] == ["15.8%"]
    assert document["result"]["payload"] == {"file": str(brief), "ok": False, "verified": 0, "failed": 1}
