from __future__ import annotations

import json

from typer.testing import CliRunner

from nearshore.cli.main import app
from tests.envelope import payload_of, result_of

runner = CliRunner()


def write(tmp_path, facts, body: str):
    brief = tmp_path / "brief.md"
    brief.write_text(body)
    facts.save(tmp_path / "brief.facts.json")
    return brief


def test_check_passes_a_supported_brief(tmp_path, facts):
    brief = write(tmp_path, facts, "# T\n\nMexico supplied 15.5%[^mex.imports.share.2024] of imports.\n")
    result = runner.invoke(app, ["brief", "check", str(brief), "--all", "--format", "json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["ok"] is True
    assert payload_of(result.stdout)["verified"] == 1
    assert result_of(result.stdout)["rows"][0]["facts"] == "mex.imports.share.2024"


def test_check_fails_with_exit_9_and_lists_the_figure(tmp_path, facts):
    brief = write(tmp_path, facts, "Mexico supplied 15.8%[^mex.imports.share.2024] of imports.\n")
    result = runner.invoke(app, ["brief", "check", str(brief), "--format", "csv"])
    assert result.exit_code == 9
    assert "fail,mismatch,1,15.8%,mex.imports.share.2024," in result.stdout
    stderr = " ".join(result.stderr.split())
    assert "1 figure(s) in" in stderr
    assert "are not supported by their cited facts" in stderr


def test_check_without_facts_file(tmp_path):
    brief = tmp_path / "b.md"
    brief.write_text("x")
    result = runner.invoke(app, ["brief", "check", str(brief)])
    assert result.exit_code == 2
    assert "b.facts.json: no such facts file" in " ".join(result.stderr.split())


def test_check_refuses_a_broken_pdf_and_another_suffix(tmp_path, facts):
    facts.save(tmp_path / "b.facts.json")
    pdf = tmp_path / "b.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    result = runner.invoke(app, ["brief", "check", str(pdf)])
    assert result.exit_code == 2
    assert f"error: {pdf}: not a readable PDF" in " ".join(result.stderr.split())
    text = tmp_path / "b.txt"
    text.write_text("x")
    result = runner.invoke(app, ["brief", "check", str(text)])
    assert result.exit_code == 2
    assert "cannot check a .txt file; give the brief's .md, .html or .pdf" in " ".join(result.stderr.split())


def test_check_prints_one_line_when_all_verified(tmp_path, facts):
    brief = write(tmp_path, facts, "Mexico supplied 15.5%[^mex.imports.share.2024] of imports.\n")
    result = runner.invoke(app, ["brief", "check", str(brief)])
    assert result.exit_code == 0
    assert result.stdout == f"{brief}: 1 verified, 0 failed\n"


def test_check_of_a_folder_says_it_is_a_folder(tmp_path):
    result = runner.invoke(app, ["brief", "check", str(tmp_path)])
    assert result.exit_code == 2
    expected = f"error: {tmp_path}: is a directory; give a brief written by `nearshore brief` (.md, .html or .pdf)"
    assert " ".join(result.stderr.split()) == expected
