from __future__ import annotations

import html as html_module

import pytest

from nearshore.errors import ConfigError, InputError
from nearshore.settings import Settings
from nearshore.writer.facts import FactTable
from nearshore.writer.pipeline import produce_brief
from nearshore.writer.template import standard_outline
from nearshore.writer.verifier import check_file

from .chat_server import ChatServer, Reply, completion
from .conftest import FACTS, KEY_NUMBERS, ROLES

GOOD_USMCA = (
    "Preference claims surged: 85.0%[[fact:mex.usmca.share.2025-06]] of imports from Mexico entered "
    "under the agreement in June 2025, against 49.5%[[fact:mex.usmca.share.2024-06]] in June 2024."
)
BAD = "Mexico supplied 16.5%[[fact:mex.imports.share.2024]] of U.S. imports in 2024."


def setup():
    facts = FactTable(FACTS, allowed_years=(2026,))
    return facts, standard_outline("us-mexico", "Mexico", 2024, ROLES, KEY_NUMBERS)


def test_template_writer_end_to_end(tmp_path):
    facts, outline = setup()
    result = produce_brief(outline, facts, (), tmp_path, "b", ("html", "md"))
    assert result.writer == "template"
    assert check_file(result.files.paths["html"]).ok
    assert result.notes()[-1].startswith("verified: ")


def test_llm_writer_end_to_end_publishes_only_verified_text(tmp_path):
    facts, outline = setup()
    # relationship, sectors: wrong twice -> template; usmca: good; review, takeaways: wrong -> template
    replies = (
        [Reply(body=completion(BAD))] * 2
        + [Reply(body=completion(BAD))] * 2
        + [Reply(body=completion(GOOD_USMCA))]
        + [Reply(body=completion(BAD))]
    )
    with ChatServer(replies) as server:
        settings = Settings.load(
            env={
                "NEARSHORE_LLM_BASE_URL": server.base_url,
                "NEARSHORE_LLM_MODEL": "m",
                "NEARSHORE_LLM_ATTEMPTS": "2",
                "NEARSHORE_LLM_RETRIES": "0",
            }
        )
        result = produce_brief(outline, facts, (), tmp_path, "b", ("html", "md"), writer="llm", settings=settings)
    writers = [s.writer for s in result.draft.sections]
    assert writers == ["template", "template", "llm", "template", "template"]
    html = result.files.paths["html"].read_text()
    assert '<section id="s-usmca" data-writer="llm">' in html
    assert "16.5%" not in html.split('<section class="footnotes"')[0]  # the rejected figure is not published
    assert "Rejected LLM drafts" in html
    assert "section relationship, attempt 1: line 1: '16.5%': does not match" in html_module.unescape(html)
    assert check_file(result.files.paths["md"]).ok
    # each section's line carries its tokens and seconds
    assert any(n.startswith("llm section usmca: LLM, verified after 1 attempt(s); ") for n in result.notes())


def test_llm_writer_not_configured(tmp_path):
    facts, outline = setup()
    with pytest.raises(ConfigError, match="the LLM writer is not configured"):
        produce_brief(outline, facts, (), tmp_path, "b", writer="llm", settings=Settings.load(env={}))
    assert list(tmp_path.iterdir()) == []


def test_unknown_writer(tmp_path):
    facts, outline = setup()
    with pytest.raises(InputError, match=r"unknown writer 'gpt'; choose one of: template, llm"):
        produce_brief(outline, facts, (), tmp_path, "b", writer="gpt")
