"""From facts to published files in one call: write (template or LLM), verify, render, report.

The `nearshore brief` command builds the fact table, outline and charts from the analytics, then calls
`produce_brief`; everything after the facts lives here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from nearshore.settings import Settings
from nearshore.writer.charts import Chart
from nearshore.writer.facts import FactTable
from nearshore.writer.llm_writer import LLMRun
from nearshore.writer.plan import Draft, Outline, WriterName, validate_writer
from nearshore.writer.render import BriefFiles, BriefInfo, write_brief_files
from nearshore.writer.style import Problem, writing_problems
from nearshore.writer.template import headline, write_brief, write_section


@dataclass(frozen=True)
class BriefResult:
    """The files written, the draft they came from, (LLM writer) what happened to each section, and what the
    writing checks found (style.py)."""

    files: BriefFiles
    draft: Draft
    writer: WriterName
    llm: LLMRun | None = None
    facts: int = 0  # how many facts the brief could cite
    writing: tuple[Problem, ...] = ()

    def notes(self, missing: Sequence[str] = ()) -> list[str]:
        """Lines to show the user: the files written (and skipped), the facts, each section's writer (and what the
        LLM writer did with it, in tokens and seconds), the parts left out (`missing`, with why), what the writing
        checks found (style.py) and the verification."""
        lines = [f"wrote {path}" for kind, path in self.files.paths.items() if kind != "facts"]
        lines += [f"{kind} not written: {why}" for kind, why in self.files.skipped.items()]
        if "facts" in self.files.paths:
            lines.append(f"facts: {self.facts} in {self.files.paths['facts']}")
        lines.append("sections: " + ", ".join(f"{s.id} ({s.writer})" for s in self.draft.sections))
        if self.llm is not None:  # each rejected draft, then per section: writer, attempts, tokens, seconds
            lines += [
                f"rejected LLM draft: section {r.section}, attempt {r.attempt}: {r.reason}" for r in self.llm.rejections
            ]
            lines += self.llm.usage_lines()
        lines += [f"note: {m}" for m in missing]
        lines += [f"writing: {p}" for p in self.writing]
        checked = self.files.report.checked if self.files.report else 0
        lines.append(f"verified: {checked} figures, none failed; writer: {self.writer}")
        return lines


def produce_brief(
    outline: Outline,
    facts: FactTable,
    charts: Sequence[Chart],
    out_dir: Path,
    name: str,
    formats: Sequence[str] = ("html", "md"),
    writer: str = "template",
    info: BriefInfo | None = None,
    settings: Settings | None = None,
) -> BriefResult:
    """Write the brief with `writer`, verify it, and render `formats` into `out_dir` as `<name>.<fmt>`.

    With the LLM writer each section is drafted by the model, verified, re-prompted with the verifier's
    errors up to `llm_attempts` times, and replaced by the template text if it still fails.
    """
    chosen = validate_writer(writer)
    info = info or BriefInfo()
    years = tuple(sorted(set(facts.allowed_years) | set(outline.allowed_years)))
    facts = replace(facts, allowed_years=years)
    if chosen == "template":
        draft = write_brief(outline, facts)
        files = write_brief_files(draft, facts, charts, out_dir, name, formats, replace(info, writer="template"))
        return BriefResult(files, draft, chosen, facts=len(facts), writing=tuple(writing_problems(draft, facts)))

    from nearshore.writer.llm import ChatClient, LLMConfig
    from nearshore.writer.llm_writer import write_with_llm

    settings = settings or Settings.load()
    config = LLMConfig.from_settings(settings)
    attempts = settings.integer("llm_attempts")
    with ChatClient(config) as client:
        run = write_with_llm(client, outline, facts, lambda plan, table: write_section(plan, table, outline), attempts)
    title, standfirst = headline(outline, facts)
    draft = Draft(title, standfirst, run.sections, outline.key_numbers)
    rejected = tuple(f"section {r.section}, attempt {r.attempt}: {r.reason}" for r in run.rejections)
    files = write_brief_files(
        draft, facts, charts, out_dir, name, formats, replace(info, writer="llm", rejected=rejected)
    )
    return BriefResult(files, draft, chosen, run, facts=len(facts), writing=tuple(writing_problems(draft, facts)))
