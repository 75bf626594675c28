from __future__ import annotations

import dataclasses
import json
import re
from html.parser import HTMLParser

import pytest

from nearshore.errors import InputError, VerificationFailed
from nearshore.writer.plan import Draft, Section
from nearshore.writer.render import write_brief_files
from nearshore.writer.verifier import check_file

from .brief_fixture import render

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@pytest.fixture(scope="module")
def brief(tmp_path_factory):
    out = tmp_path_factory.mktemp("brief")
    files, facts = render(out)
    return files, facts


class Structure(HTMLParser):
    """Checks nesting (every non-void element closed in order) and collects citations, notes and charts."""

    def __init__(self):
        super().__init__()
        self.stack, self.errors = [], []
        self.refs, self.notes, self.figures, self.svgs = [], {}, [], []
        self.external = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag not in VOID:
            self.stack.append(tag)
        if tag == "a" and "data-fact" in a:
            self.refs.append((a["href"], a["data-fact"]))
        if tag == "li" and "data-fact-id" in a:
            self.notes[a["id"]] = a["data-fact-id"]
        if tag == "figure":
            self.figures.append(a.get("id"))
        if tag == "svg":
            self.svgs.append(a.get("aria-label", ""))
        if tag in ("script", "link", "img", "iframe") or "src" in a:
            self.external.append(tag)

    def handle_startendtag(self, tag, attrs):  # <path ... />: opened and closed at once
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"line {self.getpos()[0]}: </{tag}> closes {self.stack[-1:]}")
        else:
            self.stack.pop()


def test_html_parses_and_every_footnote_resolves_to_a_fact(brief):
    files, facts = brief
    parser = Structure()
    parser.feed(files.paths["html"].read_text())
    parser.close()
    assert parser.errors == []
    assert parser.stack == []
    assert len(parser.refs) >= 25
    for href, fact_id in parser.refs:
        assert parser.notes[href.removeprefix("#")] == fact_id
        assert fact_id in facts
    assert set(parser.notes.values()) == {fact_id for _, fact_id in parser.refs}
    assert parser.external == []  # self-contained: no scripts, stylesheets, images or frames to fetch


def test_notes_are_written_for_people_and_reproduce_holds_the_rest(brief):
    files, _facts = brief
    html = files.paths["html"].read_text()
    note = re.search(r'<li id="fact-\d+" data-fact-id="mex.balance.2024">(.*?)</li>', html, re.S).group(1)
    text = " ".join(re.sub(r"<[^>]+>", "", note).split())
    assert text.startswith("U.S. goods trade balance with Mexico, 2024: $171.8 billion. Test fixture (made-up values).")
    assert "171,809,000,000" not in text  # the unrounded value, ids and queries are in the Reproduce appendix
    assert "fixture:" not in text
    folded = html.split('<details class="query">')[1].split("</details>")[0]
    assert "<summary>Reproduce: fact ids, exact values and queries</summary>" in folded
    assert "mex.balance.2024: -171,809,000,000 USD; period 2024; source Test fixture (made-up values)" in folded
    assert "query Q" in folded
    md = files.paths["md"].read_text()
    notes, reproduce = md.split("<!-- nearshore:notes -->")[1].split("<!-- nearshore:reproduce -->")
    assert "## Notes" in notes
    assert "fixture:" not in notes
    assert "## Reproduce" in reproduce
    assert "`fixture:mex.balance.2024`" in reproduce


def test_notes_of_ranks_and_years_read_as_words(brief):
    files, facts = brief
    md = files.paths["md"].read_text()
    rank = next(f for f in facts if f.unit == "rank")
    note = next(line for line in md.splitlines() if line.startswith(f"[^{rank.id}]:"))
    assert note.endswith(": largest. Test fixture (made-up values).")  # the rank as the brief shows it
    for line in md.split("<!-- nearshore:notes -->")[1].splitlines():
        if line.startswith("[^"):
            label = line.split("]: ", 1)[1]
            assert label[0] == label[0].upper(), line  # a note starts with a capital


def test_notes_of_a_negative_change_keep_the_sign(brief):
    files, _facts = brief
    md = files.paths["md"].read_text()
    note = next(line for line in md.splitlines() if line.startswith("[^mex.usmca.change.2024-01_2024-12]:"))
    assert ": minus 1.8 percentage points." in note
    assert "January-December 2024" in note


def test_three_charts_with_alt_text(brief):
    files, _ = brief
    parser = Structure()
    parser.feed(files.paths["html"].read_text())
    assert parser.figures == ["chart-partner-shares", "chart-sector-composition", "chart-usmca-claimed"]
    assert len(parser.svgs) == 3
    assert parser.svgs[0].startswith(
        "Line chart of shares of U.S. goods imports by partner, 2015 to 2024: "
        "Mexico from 13.4% to 15.5%; China from 21.5% to 13.4%."
    )
    assert parser.svgs[2].endswith("lowest 44.0% in 2025-01, highest 88.0% in 2025-12.")


def test_chart_captions_name_only_the_series_shown_and_the_source(brief):
    files, _ = brief
    captions = re.findall(r"<figcaption>(.*?)</figcaption>", files.paths["html"].read_text(), re.S)
    assert captions == [
        "Mexico and China: share of U.S. goods imports by year, 2015-2024. Source: Test fixture.",
        "Mexico: share of U.S. imports by sector; sectors may overlap. Source: Test fixture.",
        "Mexico: share of U.S. imports for consumption entered claiming USMCA, by month of 2025. Source: Test fixture.",
    ]
    for caption in captions:
        assert "Canada" not in caption  # the fixture's line chart shows Mexico and China only
        assert "chart of" not in caption  # the alt text is the SVG's aria-label, not printed a second time
    md = files.paths["md"].read_text()
    assert "*Figure: Mexico and China: share of U.S. goods imports by year, 2015-2024. Source: Test fixture.*" in md


def test_label_says_machine_written_and_how_checked(brief):
    files, _ = brief
    for kind in ("html", "md"):
        text = files.paths[kind].read_text()
        assert "Machine-written by nearshore with the template writer" in text
        assert "checked by the nearshore verifier against the fact it cites" in text


def test_written_files_pass_the_verifier(brief):
    files, _ = brief
    html, md = check_file(files.paths["html"]), check_file(files.paths["md"])
    assert html.ok, html.summary()
    assert md.ok, md.summary()
    assert len(html.matches) == len(md.matches) == files.report.checked
    assert f"Verification: {files.report.checked} figures checked" in files.paths["md"].read_text()


def test_tampered_html_fails_the_check(brief, tmp_path):
    files, _ = brief
    tampered = tmp_path / "b.html"
    tampered.write_text(files.paths["html"].read_text().replace("$505.9 billion", "$550.9 billion", 1))
    report = check_file(tampered, files.paths["facts"])
    assert [f.figure for f in report.findings] == ["$550.9 billion"]


def test_markdown_charts_and_facts_file(brief):
    files, _facts = brief
    md = files.paths["md"].read_text()
    for target in re.findall(r"!\[[^\]]+\]\(([^)]+)\)", md):
        assert (files.paths["md"].parent / target).read_text().startswith("<svg")
    assert json.loads(files.paths["facts"].read_text())["format"] == "nearshore-facts/1"


def test_pdf_renders_with_text_and_charts(brief):
    pypdf = pytest.importorskip("pypdf", reason="pypdf (dev extra) reads the PDF back")
    files, _ = brief
    reader = pypdf.PdfReader(files.paths["pdf"])
    assert 2 <= len(reader.pages) <= 8
    text = " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())
    assert re.search(r"15\.5%[⁰¹²³⁴⁵⁶⁷⁸⁹]", text)  # footnote marks print as superscripts
    assert "$505.9 billion" in text
    assert "Verification:" in text
    images = sum(len(page.images) for page in reader.pages)
    assert images == 3


def test_pdf_reads_as_an_article(brief):
    pypdf = pytest.importorskip("pypdf", reason="pypdf (dev extra) reads the PDF back")
    files, _ = brief
    pages = [" ".join((page.extract_text() or "").split()) for page in pypdf.PdfReader(files.paths["pdf"]).pages]
    text = " ".join(pages)
    assert "KEY NUMBERS" in text  # a ruled box, not loose lines
    assert "[1]" not in text  # footnote marks are superscripts, not bracketed numbers
    # the article first, then the notes, the method, and the Reproduce appendix (with its queries) last
    assert text.index("Takeaways") < text.index("Notes") < text.index("Methodology and sources")
    appendix = text.index("Reproduce For each note")
    assert text.index("Methodology and sources") < appendix < text.index("Queries")
    assert "fixture:" not in text[:appendix]
    for page in pages:  # no heading is left alone at the foot of a page
        assert not page.endswith(("Notes", "Queries", "Methodology and sources", "Reproduce", "For investors"))


def test_unverified_draft_writes_nothing(tmp_path, facts):
    draft = Draft(
        "Title",
        "Standfirst.",
        (Section("s", "S", "Imports were $600 billion[[fact:mex.imports.value.2024]]."),),
    )
    with pytest.raises(VerificationFailed) as err:
        write_brief_files(draft, facts, (), tmp_path / "out", "b")
    assert "'$600 billion': does not match the cited fact" in str(err.value)
    assert not (tmp_path / "out").exists()


def test_unknown_format_is_refused(tmp_path, facts):
    draft = Draft("Title", "Standfirst.", ())
    with pytest.raises(InputError, match=r"unknown brief format 'docx'; choose from: html, md, pdf"):
        write_brief_files(draft, facts, (), tmp_path, "b", ("docx",))


def test_llm_sections_are_marked_in_the_html(tmp_path, facts):
    section = Section("s", "S", "Mexico supplied 15.5%[[fact:mex.imports.share.2024]] of imports.", "llm")
    files = write_brief_files(Draft("Title", "Standfirst.", (section,)), facts, (), tmp_path, "b", ("html",))
    assert '<section id="s-s" data-writer="llm">' in files.paths["html"].read_text()
    assert dataclasses.asdict(files.report)["findings"] == ()


def test_model_text_cannot_inject_html_or_images(tmp_path, facts):
    text = (
        "Mexico supplied 15.5%[[fact:mex.imports.share.2024]] of imports. <script>alert('x')</script>\n\n"
        "![chart](http://example.com/x.png)"
    )
    section = Section("s", "S", text, "llm")
    files = write_brief_files(Draft("Title", "Standfirst.", (section,)), facts, (), tmp_path, "b", ("html",))
    html = files.paths["html"].read_text()
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<img" not in html  # an image is shown as a plain link: the page fetches nothing
    assert " src=" not in html


def test_figures_in_code_spans_are_checked(facts):
    from nearshore.writer.verifier import verify_text

    assert [f.figure for f in verify_text("Imports were `99%` of it.", facts).findings] == ["99%"]


def test_line_chart_legend_sits_beside_the_plot_not_over_it():
    from nearshore.writer.charts import Series, _figure, partner_shares

    points = (("2006", 10.7), ("2015", 13.0), ("2025", 15.6))
    chart = partner_shares(
        [
            Series(name, tuple((x, v + i) for x, v in points))
            for i, name in enumerate(("Mexico", "Canada", "China", "Canada + Mexico"))
        ],
        "test",
    )
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = _figure(chart)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    (legend,) = fig.legends
    axes = fig.axes[0].get_window_extent(renderer)
    box = legend.get_window_extent(renderer)
    assert box.x0 >= axes.x1  # to the right of the plotting area: no line can run under a label


def test_output_folder_that_is_a_file_is_a_clear_error(tmp_path):
    taken = tmp_path / "taken"
    taken.write_text("not a folder")
    with pytest.raises(InputError) as err:
        render(taken, formats=("md",))
    assert str(err.value) == (
        f"cannot write the brief to {taken}: File exists ({taken}); give an output folder that is a "
        "directory you can write to"
    )
