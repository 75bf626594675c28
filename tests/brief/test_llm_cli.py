"""`nearshore brief --writer llm` against a real OpenAI-compatible server on 127.0.0.1 with scripted replies:
the first section's reply is right and is published; the second cites a wrong figure, is rejected, replaced
by the template text and reported (the same wrong reply then repeats for the remaining sections)."""

from __future__ import annotations

from typer.testing import CliRunner

from nearshore.cli.main import app
from nearshore.writer.facts import Fact, display
from tests.writer.chat_server import ChatServer, Reply, completion

from .conftest import isolated

runner = CliRunner()


def shown(facts: dict[str, dict], fact_id: str) -> str:
    return display(Fact(**facts[fact_id])) + f"[[fact:{fact_id}]]"


def test_llm_writer_through_the_cli(mexico, tmp_path, monkeypatch):
    facts = mexico.facts()  # the same snapshot, so the same facts as this run will compute
    good = (
        f"Mexico supplied {shown(facts, 'mex.imports.share.2025')} of U.S. goods imports in 2025, "
        f"the {shown(facts, 'mex.imports.rank.2025')} share of any country."
    )
    wrong = "Automotive goods made up 99.9%[[fact:mex.sector.automotive.share.2025]] of imports from Mexico."
    isolated(monkeypatch, tmp_path)
    with ChatServer([Reply(body=completion(good)), Reply(body=completion(wrong))]) as server:
        monkeypatch.setenv("NEARSHORE_LLM_BASE_URL", server.base_url)
        monkeypatch.setenv("NEARSHORE_LLM_MODEL", "test-model")
        monkeypatch.setenv("NEARSHORE_LLM_ATTEMPTS", "1")
        monkeypatch.setenv("NEARSHORE_LLM_RETRIES", "0")
        monkeypatch.setenv("NEARSHORE_LLM_TIMEOUT", "10")
        out = tmp_path / "out"
        result = runner.invoke(app, ["brief", "--writer", "llm", "--out", str(out), "--quiet"])
        assert result.exit_code == 0, result.output
        assert len(server.requests) == 8  # one per section
        first = server.requests[0]["json"]
        assert first["model"] == "test-model"
        assert "mex.imports.share.2025" in str(first["messages"])
    lines = result.output.splitlines()
    assert (
        "sections: lede (llm), relationship (template), timeline (template), sectors (template), usmca (template), "
        "review (template), watch (template), takeaways (template)"
    ) in lines
    rejected = [line for line in lines if line.startswith("rejected LLM draft: section relationship, attempt 1:")]
    assert len(rejected) == 1
    assert "99.9%" in rejected[0]
    usage = [line for line in lines if line.startswith("llm ")]
    assert usage[0].startswith("llm section lede: LLM, verified after 1 attempt(s); 10 prompt + 10 completion")
    assert usage[1].startswith("llm section relationship: template fallback after 1 attempt(s)")
    assert usage[-1].startswith("llm total: 1 of 8 section(s) verified; 80 prompt + 80 completion tokens, ")
    html = (out / "us-mexico-2025.html").read_text(encoding="utf-8")
    assert 'id="s-lede" data-writer="llm"' in html
    assert 'id="s-relationship" data-writer="template"' in html
    assert "the largest<sup" in html  # the model's sentence, published
    assert "99.9%" not in html.split("Rejected LLM drafts")[0]  # the wrong figure is only in the report
    assert "Rejected LLM drafts" in html
    check = runner.invoke(app, ["brief", "check", str(out / "us-mexico-2025.html")])
    assert check.exit_code == 0, check.output
