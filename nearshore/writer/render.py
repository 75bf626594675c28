"""Rendering a verified draft: self-contained HTML (inline CSS and SVG), Markdown, PDF, and the facts file.

Every citation becomes a numbered note written for people (what, when, the value as shown, the publisher and
release); the fact ids, unrounded values and queries go to a Reproduce appendix (folded in HTML, after the notes
in Markdown and PDF). `write_brief_files` verifies the text before writing anything and re-checks the written
.md and .html, so a published brief holds no unverified figure. An output that needs a part the install lacks is
skipped, and says why, without stopping the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from nearshore.errors import ConfigError, InputError, VerificationFailed
from nearshore.writer import citations
from nearshore.writer.charts import Chart, render_svg
from nearshore.writer.colophon import BriefInfo, label_text, source_lines
from nearshore.writer.extract import CAPTION, NOTES_MARKER, REPRODUCE_MARKER
from nearshore.writer.facts import Fact, FactTable, display
from nearshore.writer.notes import REPRODUCE_INTRO, note_text, reproduction
from nearshore.writer.plan import Draft
from nearshore.writer.quotes import check_quoted
from nearshore.writer.verifier import Report, verify_document, verify_pdf, verify_text

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

__all__ = ["FORMATS", "BriefFiles", "BriefInfo", "OutputFormat", "brief_html", "brief_markdown", "write_brief_files"]

OutputFormat = Literal["html", "md", "pdf"]
FORMATS: tuple[OutputFormat, ...] = ("html", "md", "pdf")


@dataclass(frozen=True)
class BriefFiles:
    """The files written for one brief, by kind, the verification of its text, and any output skipped (why)."""

    paths: dict[str, Path] = field(default_factory=dict)
    report: Report | None = None
    skipped: dict[str, str] = field(default_factory=dict)


class Footnotes(citations.Footnotes):
    """Footnote numbers for the HTML page, and the notes in order."""

    def __init__(self, facts: FactTable) -> None:
        self.by_id = facts.by_id
        super().__init__(self.by_id)

    def html(self, text: str) -> str:
        def ref(ids: tuple[str, ...]) -> str:
            links = []
            for fact_id in ids:
                first = fact_id not in self.order
                n = self.number(fact_id)
                anchor = f' id="ref-{n}"' if first else ""
                links.append(f'<a href="#fact-{n}" data-fact="{escape(fact_id)}"{anchor}>{n}</a>')
            return f'<sup class="fact-ref">{",".join(links)}</sup>'

        return citations.replace(text, ref)

    def notes(self) -> list[tuple[int, Fact]]:
        return [(n, self.by_id[i]) for n, i in enumerate(self.order, start=1)]


def _markdown_it() -> MarkdownIt:
    from markdown_it import MarkdownIt

    # The text may come from a model: raw HTML is escaped, images are not rendered (a brief fetches nothing).
    return MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table").disable("image")


def key_rows(draft: Draft, facts: FactTable) -> list[tuple[str, str]]:
    from nearshore.writer.facts import note_label
    from nearshore.writer.notes import period_words

    by_id = facts.by_id
    return [
        (f"{note_label(by_id[i])}, {period_words(by_id[i].period)}", f"{display(by_id[i])}{citations.cite(i)}")
        for i in draft.key_numbers
        if i in by_id
    ]


def caption(chart: Chart) -> str:
    return f"{chart.caption} Source: {chart.source}." if chart.caption else f"Source: {chart.source}."


def brief_markdown(
    draft: Draft,
    facts: FactTable,
    charts: Sequence[Chart] = (),
    chart_dir: str = "charts",
    info: BriefInfo | None = None,
    checked: int = 0,
) -> str:
    """The brief as Markdown with `[^fact-id]` footnotes; charts as images in `chart_dir`."""
    info = info or BriefInfo()
    cited: list[str] = []

    def cite(text: str) -> str:
        def ref(ids: tuple[str, ...]) -> str:
            cited.extend(i for i in ids if i not in cited)
            return "".join(citations.footnote(i) for i in ids)

        return citations.replace(text, ref)

    out = [f"# {citations.without_citations(draft.headline)}", "", f"*{label_text(info)}*", "", cite(draft.standfirst)]
    rows = key_rows(draft, facts)
    if rows:
        out += ["", "| Key numbers | |", "|---|---|", *[f"| {a} | {cite(b)} |" for a, b in rows]]
    out.append("")
    for section in draft.sections:
        out += [f"## {section.title}", "", cite(section.markdown.strip()), ""]
        for chart in (c for c in charts if c.after == section.id):
            out += [f"![{chart.alt}]({chart_dir}/{chart.id}.svg)", "", f"{CAPTION}{caption(chart)}*", ""]
    by_id = facts.by_id
    out += [NOTES_MARKER, "## Notes", ""]
    out += [f"{citations.footnote(i)}: {note_text(by_id[i])}" for i in cited]
    out += ["", "## Methodology and sources", "", *info.methodology]
    out += ["", "Sources: " + "; ".join(source_lines(facts, cited)) + "."]
    out += ["", f"Verification: {checked} figures checked against their cited facts; none failed."]
    if info.rejected:
        out += ["", "Rejected LLM drafts (replaced or repaired before publication):", ""]
        out += [f"- {r}" for r in info.rejected]
    found = reproduction([by_id[i] for i in cited])
    out += ["", REPRODUCE_MARKER, "## Reproduce", "", REPRODUCE_INTRO, ""]
    out += [f"{n}. {line}" for n, line in enumerate(found.lines, start=1)]
    if found.queries:
        out += ["", "### Queries", ""] + [f"- {q}: `{sql}`" for q, sql in found.queries]
    return "\n".join(out).rstrip() + "\n"


def brief_html(
    draft: Draft,
    facts: FactTable,
    charts: Sequence[Chart] = (),
    info: BriefInfo | None = None,
    checked: int = 0,
) -> str:
    """The brief as one self-contained HTML page (inline CSS and SVG, no scripts, no external requests)."""
    from nearshore.writer.template import environment

    info = info or BriefInfo()
    md = _markdown_it()
    notes = Footnotes(facts)
    headline = md.renderInline(citations.without_citations(draft.headline))
    standfirst = notes.html(md.renderInline(draft.standfirst))
    keys = [(escape(a), notes.html(md.renderInline(b))) for a, b in key_rows(draft, facts)]
    sections = []
    for section in draft.sections:
        figures = [
            {"id": c.id, "title": c.title, "caption": caption(c), "alt": c.alt, "svg": render_svg(c)}
            for c in charts
            if c.after == section.id
        ]
        html = notes.html(md.render(section.markdown)).replace("<table>", '<table class="data">')
        sections.append(
            {"id": section.id, "title": section.title, "writer": section.writer, "html": html, "charts": figures}
        )
    noted = notes.notes()
    footnotes = [{"n": n, "fact": f, "text": note_text(f)} for n, f in noted]
    found = reproduction([f for _, f in noted])
    return (
        environment()
        .get_template("brief.html.j2")
        .render(
            title=citations.without_citations(draft.headline),
            headline=headline,
            standfirst=standfirst,
            label=label_text(info),
            keys=keys,
            sections=sections,
            footnotes=footnotes,
            info=info,
            sources=source_lines(facts, notes.order),
            checked=checked,
            reproduce=found,
            reproduce_intro=REPRODUCE_INTRO,
        )
    )


def _verify(draft: Draft, facts: FactTable, name: str, info: BriefInfo) -> Report:
    keys = "\n\n".join(f"| {label} | {value} |" for label, value in key_rows(draft, facts))
    report = verify_text(draft.markdown() + "\n" + keys, facts, f"brief {name}")
    if not report.ok:
        raise VerificationFailed("the brief was not written: " + report.summary())
    misquoted = check_quoted(draft.markdown(), info.quotes)
    if misquoted:
        raise VerificationFailed("the brief was not written: " + "; ".join(misquoted))
    return report


def _write(out_dir: Path, contents: dict[str, str | bytes]) -> dict[str, Path]:
    paths: dict[str, Path] = {}
    for relative, content in contents.items():
        path = out_dir / relative
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(path.name + ".part")
            if isinstance(content, bytes):
                temporary.write_bytes(content)
            else:
                temporary.write_text(content, encoding="utf-8")
            temporary.replace(path)
        except OSError as exc:
            raise InputError(
                f"cannot write the brief to {out_dir}: {exc.strerror or exc} ({exc.filename or path}); "
                "give an output folder that is a directory you can write to"
            ) from None
        kind = "facts" if relative.endswith(".facts.json") else relative.rsplit(".", 1)[-1]
        if "/" not in relative:
            paths[kind] = path
    return paths


def write_brief_files(
    draft: Draft,
    facts: FactTable,
    charts: Sequence[Chart],
    out_dir: Path,
    name: str,
    formats: Sequence[str] = ("html", "md"),
    info: BriefInfo | None = None,
) -> BriefFiles:
    """Verify the draft, render every format in memory, verify the rendered .md and .html, then write
    `<name>.<fmt>`, `<name>.facts.json` and the chart SVGs (for .md) into `out_dir`.

    Raises VerificationFailed, having written nothing, if any figure is unsupported. A format whose optional
    part is missing (ConfigError) is skipped and listed in `skipped`; the others are still written.
    """
    for fmt in formats:
        if fmt not in FORMATS:
            raise InputError(f"unknown brief format {fmt!r}; choose from: {', '.join(FORMATS)}")
    info = info or BriefInfo()
    facts = facts.with_charts(charts)  # the facts file holds the charts' data, which their alt texts state
    report = _verify(draft, facts, name, info)
    chart_dir = f"{name}-charts"
    contents: dict[str, str | bytes] = {f"{name}.facts.json": facts.to_json()}
    if "md" in formats:
        contents[f"{name}.md"] = brief_markdown(draft, facts, charts, chart_dir, info, report.checked)
        contents.update({f"{chart_dir}/{c.id}.svg": render_svg(c) for c in charts})
    if "html" in formats:
        contents[f"{name}.html"] = brief_html(draft, facts, charts, info, report.checked)
    skipped: dict[str, str] = {}
    if "pdf" in formats:
        try:
            from nearshore.writer.pdf import brief_pdf

            contents[f"{name}.pdf"] = brief_pdf(draft, facts, charts, info, report.checked)
        except ConfigError as exc:
            skipped["pdf"] = str(exc)
    for kind in FORMATS:  # each rendered file verified again: prose, notes, marks and chart alt texts
        content = contents.get(f"{name}.{kind}")
        if content is None:
            continue
        if isinstance(content, bytes):
            rendered = verify_pdf(content, facts, f"{name}.pdf")
        else:
            rendered = verify_document(content, "html" if kind == "html" else "md", facts, f"{name}.{kind}")
        if not rendered.ok:
            raise VerificationFailed(f"the rendered {kind} failed verification: " + rendered.summary())
    return BriefFiles(_write(out_dir, contents), report, skipped)
