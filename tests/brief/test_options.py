"""`nearshore brief --quotes FILE` and what happens when an optional part of an output is missing."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from nearshore.cli.main import app
from nearshore.errors import ConfigError

from .conftest import isolated

runner = CliRunner()
QUOTES = (
    "text,figure,source,url,date,topic\n"
    '"Mexico aims to attract $48 billion of foreign direct investment by 2026.",$48 billion,Example Ministry,'
    "https://example.org/fdi,2025-11-20,us-mexico\n"
    '"Canada expects 12% more investment.",12%,Other Office,https://example.org/ca,2025-10-01,us-canada\n'
)


def test_quotes_file_gives_quoted_facts_checked_against_it(tmp_path, monkeypatch):
    isolated(monkeypatch, tmp_path)
    quotes = tmp_path / "quotes.csv"
    quotes.write_text(QUOTES, encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["brief", "--quotes", str(quotes), "--format", "md,html", "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    md = (out / "us-mexico-2025.md").read_text(encoding="utf-8")
    section = md.split("## What others say")[1].split("\n## ")[0]
    assert (
        "- On 20 November 2025, Example Ministry wrote: “Mexico aims to attract $48 billion[^quote.1] of foreign "
        "direct investment by 2026.” ([source](https://example.org/fdi))"
    ) in section
    assert "Other Office" not in md  # a quote for another topic stays out
    note = next(line for line in md.splitlines() if line.startswith("[^quote.1]:"))
    assert "Example Ministry, https://example.org/fdi" in note
    facts = {f["id"]: f for f in json.loads((out / "us-mexico-2025.facts.json").read_text())["facts"]}
    assert facts["quote.1"]["value"] == 48e9
    check = runner.invoke(app, ["brief", "check", str(out / "us-mexico-2025.html")])
    assert check.exit_code == 0, check.output
    tampered = tmp_path / "tampered.md"
    tampered.write_text(md.replace("$48 billion[^quote.1]", "$84 billion[^quote.1]"), encoding="utf-8")
    facts_file = str(out / "us-mexico-2025.facts.json")
    assert runner.invoke(app, ["brief", "check", str(tampered), "--facts", facts_file]).exit_code == 9


def test_a_bad_quotes_file_writes_nothing(tmp_path, monkeypatch):
    isolated(monkeypatch, tmp_path)
    quotes = tmp_path / "quotes.csv"
    quotes.write_text("text,figure,source,url,date\nNo figure here.,5%,X,https://x.org,2025-01-01\n", encoding="utf-8")
    result = runner.invoke(app, ["brief", "--quotes", str(quotes), "--out", str(tmp_path / "out"), "--quiet"])
    assert result.exit_code == 2
    assert "row 1, column 'figure'" in result.output
    assert not (tmp_path / "out").exists()


def test_without_quotes_no_quoted_claims(tmp_path, monkeypatch):
    isolated(monkeypatch, tmp_path)
    out = tmp_path / "out"
    assert runner.invoke(app, ["brief", "--format", "md", "--out", str(out), "--quiet"]).exit_code == 0
    md = (out / "us-mexico-2025.md").read_text(encoding="utf-8")
    assert "What others say" not in md
    assert "quote." not in md


def test_a_missing_pdf_part_does_not_stop_the_other_outputs(tmp_path, monkeypatch):
    isolated(monkeypatch, tmp_path)

    def no_fpdf(title):
        raise ConfigError("PDF output needs fpdf2: pip install fpdf2 (a dependency of nearshore)")

    monkeypatch.setattr("nearshore.writer.pdf._new_document", no_fpdf)
    out = tmp_path / "out"
    result = runner.invoke(app, ["brief", "--format", "html,md,pdf", "--out", str(out), "--quiet"])
    assert result.exit_code == 3
    assert "pdf not written: PDF output needs fpdf2" in result.output
    assert (out / "us-mexico-2025.html").is_file()
    assert (out / "us-mexico-2025.md").is_file()
    assert not (out / "us-mexico-2025.pdf").exists()
