"""Real briefs for the verifier's tests: each topic for 2024 and 2025, composed from the embedded snapshot (the
official data the package ships) in a throwaway store, written by the template writer and rendered to Markdown
and HTML in memory. Built once per test session."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from nearshore.data.snapshot import seed_from_snapshot
from nearshore.data.store import Store
from nearshore.writer.charts import Chart
from nearshore.writer.colophon import BriefInfo
from nearshore.writer.compose import Composition, compose_brief
from nearshore.writer.facts import FactTable
from nearshore.writer.pdf import brief_pdf
from nearshore.writer.plan import Draft
from nearshore.writer.render import brief_html, brief_markdown
from nearshore.writer.template import write_brief

TOPICS = ("us-mexico", "us-canada", "north-america")
YEARS = (2024, 2025)


@dataclass(frozen=True)
class RealBrief:
    """One brief: its composition, draft, facts (with the charts' data) and its Markdown and HTML."""

    composition: Composition
    draft: Draft
    facts: FactTable
    md: str
    html: str

    @property
    def name(self) -> str:
        return self.composition.name

    @property
    def charts(self) -> tuple[Chart, ...]:
        return self.composition.charts

    def render(self, draft: Draft | None = None, charts: tuple[Chart, ...] | None = None) -> tuple[str, str]:
        """Markdown and HTML of `draft` (default: the brief's own)."""
        draft, charts = draft or self.draft, self.charts if charts is None else charts
        info = BriefInfo(methodology=self.composition.methodology)
        md = brief_markdown(draft, self.facts, charts, f"{self.name}-charts", info, 0)
        return md, brief_html(draft, self.facts, charts, info, 0)

    def pdf(self, draft: Draft | None = None, charts: tuple[Chart, ...] | None = None) -> bytes:
        info = BriefInfo(methodology=self.composition.methodology)
        return brief_pdf(draft or self.draft, self.facts, self.charts if charts is None else charts, info, 0)


def brief_of(composition: Composition) -> RealBrief:
    draft = write_brief(composition.outline, composition.facts)
    facts = composition.facts.with_charts(composition.charts)
    made = RealBrief(composition, draft, facts, "", "")
    md, html = made.render()
    return RealBrief(composition, draft, facts, md, html)


@functools.cache
def compositions() -> tuple[Composition, ...]:
    with Store() as store:
        assert seed_from_snapshot(store)
        return tuple(compose_brief(store, topic, year=year) for topic in TOPICS for year in YEARS)


@functools.cache
def real_briefs() -> tuple[RealBrief, ...]:
    return tuple(brief_of(c) for c in compositions())
