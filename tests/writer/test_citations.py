"""One parser of the `[[fact:...]]` syntax: the HTML, Markdown and PDF renderers number exactly the facts the
verifier counts as cited, however the citation is spelled."""

from __future__ import annotations

import re

import pytest

from nearshore.errors import InputError
from nearshore.writer import citations
from nearshore.writer.extract import html_blocks, markdown_blocks
from nearshore.writer.facts import FactTable
from nearshore.writer.pdf import _Marks
from nearshore.writer.plan import Draft, Section
from nearshore.writer.render import Footnotes, brief_html, brief_markdown
from nearshore.writer.verifier import verify_blocks, verify_text

SHARE, GROWTH, RANK = "mex.imports.share.2024", "mex.imports.growth.2024", "mex.imports.rank.2024"
SPELLINGS = [
    (f"Mexico held 15.5%[[fact:{SHARE}]] of imports.", [SHARE]),
    (f"Mexico held 15.5% and grew 6.5%[[fact:{SHARE}, {GROWTH}]].", [SHARE, GROWTH]),
    (f"Mexico held 15.5% and grew 6.5%[[fact:{SHARE};{GROWTH}]].", [SHARE, GROWTH]),
    (f"Mexico held 15.5% and grew 6.5%[[fact:{SHARE}  \t{GROWTH}]].", [SHARE, GROWTH]),
    (f"Mexico held 15.5% and grew 6.5%[[fact:{SHARE}]][[fact:{GROWTH}]].", [SHARE, GROWTH]),
    (f"It ranked first[[fact:{RANK}]] with 15.5%[[fact:{SHARE}]], first[[fact:{RANK}]] again.", [RANK, SHARE]),
    (f"Mexico held 15.5%[[fact: {SHARE} ]] of imports.", [SHARE]),
]


def cited_ids(text: str) -> list[str]:
    """Both citation forms, read with the module's own patterns, in order of first citation."""
    found = re.finditer(f"{citations.CITE}|{citations.FOOTNOTE}", text)
    return list(dict.fromkeys(i for m in found for i in citations.ids_of(m)))


def _draft(text: str) -> Draft:
    return Draft("Mexico", "A test brief.", (Section("s", "Section", text),))


@pytest.mark.parametrize(("text", "ids"), SPELLINGS)
def test_renderers_and_verifier_read_the_same_citations(text: str, ids: list[str], facts: FactTable) -> None:
    html_notes = Footnotes(facts)
    html = html_notes.html(text)
    assert html_notes.order == ids
    assert re.findall(r'data-fact="([^"]+)"', html) == _each(text)
    marks = _Marks(facts.by_id)
    printed = marks.sub(text)
    assert marks.order == ids
    assert "[[" not in printed
    assert verify_text(text, facts).cited == tuple(ids)
    assert cited_ids(text) == ids
    markdown = brief_markdown(_draft(text), facts)
    assert [i for i in cited_ids(markdown.split("## Notes")[0]) if i in ids] == ids
    assert verify_blocks(markdown_blocks(markdown), facts).ok
    assert verify_blocks(html_blocks(brief_html(_draft(text), facts)), facts).ok


def _each(text: str) -> list[str]:
    """Every id in citation order, repeats included (one HTML link per id per citation)."""
    return [i for m in citations.CITATION.finditer(text) for i in citations.ids_of(m)]


@pytest.mark.parametrize("text", ["15.5%[[fact:]]", "15.5%[[fact: ]]x", "15.5%[fact:a]", "15.5%[[facts:a]]"])
def test_what_is_not_a_citation_is_no_citation_anywhere(text: str, facts: FactTable) -> None:
    assert cited_ids(text) == []
    assert citations.without_citations(text) == text
    assert Footnotes(facts).html(text) == text
    assert not verify_text(text, facts).ok  # the figure is uncited for the verifier too
    assert not citations.starts_with_citation(text.removeprefix("15.5%"))


def test_the_syntax_helpers() -> None:
    assert citations.cite("a", "b") == "[[fact:a]][[fact:b]]"
    assert citations.footnote("a.b") == "[^a.b]"
    assert citations.split_ids(" a, b;c  d ") == ("a", "b", "c", "d")
    assert citations.without_citations("Mexico leads[[fact:a, b]] again") == "Mexico leads again"
    assert citations.replace("x[[fact:a;b]]y", lambda ids: "<" + "|".join(ids) + ">") == "x<a|b>y"
    assert citations.starts_with_citation("[^fact:a] rest")
    assert cited_ids("[^fact:a] and [[fact:b]] and [^a]") == ["a", "b"]


def test_a_citation_of_an_unknown_fact_is_refused_by_every_renderer(facts: FactTable) -> None:
    with pytest.raises(InputError, match="cites fact 'nope', which is not in the fact table"):
        Footnotes(facts).html("15%[[fact:nope]]")
    with pytest.raises(InputError, match="cites fact 'nope'"):
        _Marks(facts.by_id).sub("15%[[fact:nope]]")
    assert [f.kind for f in verify_text("15%[[fact:nope]]", facts).findings] == ["unknown-fact"]
