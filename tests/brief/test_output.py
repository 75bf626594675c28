"""The written brief on the embedded snapshot: files, HTML structure, footnotes, charts, PDF, the verifier
through `nearshore brief check`, and the errors of the command."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from nearshore.cli.main import app
from tests.writer.test_render import Structure

from .conftest import isolated

runner = CliRunner()


def test_files_are_written(mexico):
    for suffix in (".html", ".md", ".pdf", ".facts.json"):
        assert mexico.path(suffix).stat().st_size > 1000, suffix
    charts = sorted(p.name for p in (mexico.out / f"{mexico.name}-charts").glob("*.svg"))
    assert charts == ["partner-shares.svg", "sector-composition.svg", "usmca-claimed.svg"]
    assert mexico.name == "us-mexico-2025"


def test_run_report_lists_files_facts_and_writers(mexico):
    lines = mexico.output.splitlines()
    facts = json.loads(mexico.path(".facts.json").read_text())["facts"]
    assert lines == [
        f"wrote {mexico.path('.md')}",
        f"wrote {mexico.path('.html')}",
        f"wrote {mexico.path('.pdf')}",
        f"facts: {len(facts)} in {mexico.path('.facts.json')}",
        "sections: lede (template), relationship (template), timeline (template), sectors (template), "
        "usmca (template), review (template), watch (template), takeaways (template)",
        lines[-1],
    ]
    assert lines[-1].startswith("verified: ")
    assert lines[-1].endswith(" figures, none failed; writer: template")


def test_html_parses_and_every_footnote_resolves_to_a_fact(mexico):
    html = mexico.path(".html").read_text(encoding="utf-8")
    parser = Structure()
    parser.feed(html)
    parser.close()
    assert parser.errors == []
    assert parser.stack == []
    assert parser.external == []
    facts = mexico.facts()
    assert len(parser.refs) >= 30
    for href, fact_id in parser.refs:
        assert parser.notes[href.removeprefix("#")] == fact_id
        assert fact_id in facts
    assert set(parser.notes.values()) <= set(facts)


def test_three_charts_with_alt_text(mexico):
    parser = Structure()
    parser.feed(mexico.path(".html").read_text(encoding="utf-8"))
    assert parser.figures == ["chart-partner-shares", "chart-sector-composition", "chart-usmca-claimed"]
    assert len(parser.svgs) == 3
    shares, sectors, usmca = parser.svgs
    assert shares.startswith("Line chart of shares of U.S. goods imports by partner, 2006 to 2025: Mexico from")
    assert "Mexico has the largest share at the end of the period" in shares
    assert sectors.startswith("Bar chart of U.S. imports from Mexico by sector, 2025, largest first:")
    assert usmca.startswith(
        "Bar chart of the share of U.S. imports from Mexico claiming USMCA preference by month, 2025-01 to 2025-12"
    )
    md = mexico.path(".md").read_text(encoding="utf-8")
    assert md.count("](us-mexico-2025-charts/") == 3


def test_pdf_renders_with_text(mexico):
    pypdf = pytest.importorskip("pypdf", reason="pypdf reads the PDF back (pip install pypdf)")
    reader = pypdf.PdfReader(str(mexico.path(".pdf")))
    assert len(reader.pages) >= 3
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Mexico" in text
    assert "What the review could change" in text
    assert text.index("Takeaways") < text.index("Notes") < text.index("Reproduce For each note")
    assert "Machine-written by nearshore" in text


@pytest.mark.parametrize("suffix", [".md", ".html"])
def test_brief_check_passes_on_the_written_files(mexico, suffix):
    result = runner.invoke(app, ["brief", "check", str(mexico.path(suffix))])
    assert result.exit_code == 0, result.output
    assert "0 failed" in result.output


def test_brief_check_fails_when_a_figure_is_changed(mexico, tmp_path):
    md = mexico.path(".md").read_text(encoding="utf-8")
    facts = mexico.facts()
    share = facts["mex.imports.share.2025"]
    shown = f"{share['value']:.1f}%[^mex.imports.share.2025]"
    assert shown in md
    bad = tmp_path / "bad.md"
    bad.write_text(md.replace(shown, "19.9%[^mex.imports.share.2025]"), encoding="utf-8")
    result = runner.invoke(app, ["brief", "check", str(bad), "--facts", str(mexico.path(".facts.json"))])
    assert result.exit_code == 9


def test_a_year_not_in_the_store_is_data_not_found(tmp_path, monkeypatch):
    isolated(monkeypatch, tmp_path)
    result = runner.invoke(app, ["brief", "--year", "1960", "--out", str(tmp_path / "out"), "--quiet"])
    assert result.exit_code == 5
    message = " ".join(result.output.split())
    assert message.startswith(
        "error: no data for a complete year of U.S. imports from MEX in 1960: the store "
        "holds years 1985-2025 (monthly to 2025-12) of imports"
    )
    assert "nearshore data load" in message
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--topic", "us-china"], "error: topic 'us-china' is not one of: us-mexico, us-canada, north-america"),
        (["--format", "html,docx"], "error: brief format 'docx' is not one of: html, md, pdf"),
        (["--writer", "gpt"], "error: unknown writer 'gpt'; choose one of: template, llm"),
    ],
)
def test_bad_options_are_input_errors(tmp_path, monkeypatch, args, message):
    isolated(monkeypatch, tmp_path)
    result = runner.invoke(app, ["brief", "--out", str(tmp_path / "out"), "--quiet", *args])
    assert result.exit_code == 2
    assert " ".join(result.output.split()).startswith(message)


def test_llm_writer_without_settings_is_a_config_error(tmp_path, monkeypatch):
    isolated(monkeypatch, tmp_path)
    result = runner.invoke(app, ["brief", "--writer", "llm", "--out", str(tmp_path / "out"), "--quiet"])
    assert result.exit_code == 3
    assert "NEARSHORE_LLM_BASE_URL" in result.output


def test_help_has_an_example():
    result = runner.invoke(app, ["brief", "--help"])
    assert result.exit_code == 0
    assert "Example: nearshore brief --topic us-mexico" in result.output
    assert "check" in result.output


def test_as_of_gives_the_figures_as_they_stood_at_that_vintage(tmp_path, monkeypatch):
    isolated(monkeypatch, tmp_path)
    out = tmp_path / "out"
    result = runner.invoke(app, ["brief", "--as-of", "2026-05", "--format", "md", "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    # The 2026-07 Census release (2022-2025) is not yet in at 2026-05: the latest complete year is 2021, from the
    # 2022-03 release, and the parts whose series start later are left out with the reason.
    payload = json.loads((out / "us-mexico-2021.facts.json").read_text())
    assert payload["meta"]["as_of"] == "2026-05"
    store_sources = {"census-country", "census-duties", "census-hs2", "dataweb"}
    trade = [f for f in payload["facts"] if set(f["source"].split("; ")) <= store_sources]
    assert trade
    assert {f["vintage"] for f in trade} == {"2022-03"}
    assert "note: sectors left out: no data for HS-level imports from MEX in 2021" in result.output


def test_each_markdown_note_is_one_line(mexico):
    # the queries are multi-line SQL; a note must not spill lines out of its footnote
    md = mexico.path(".md").read_text(encoding="utf-8")
    notes = md.split("<!-- nearshore:notes -->")[1].split("## Notes", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in notes.splitlines() if line.strip()]
    assert lines
    assert all(line.startswith("[^") for line in lines), next(x for x in lines if not x.startswith("[^"))
