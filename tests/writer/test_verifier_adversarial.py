"""The adversarial set: tampered briefs built programmatically from real briefs (every topic, 2024 and 2025,
composed from the embedded snapshot), each edit making the brief say what its facts do not; every one must be
caught, in Markdown, HTML and PDF. And the other side: every rewording the template can write, on the real
facts and on consistent changes of them, still verifies.

`python scripts/tamper_briefs.py` runs the whole set (every edit, not the sample taken here) and prints the
counts by kind and format (docs/reliability.md)."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter

import pytest

from nearshore.writer.facts import Fact, FactTable
from nearshore.writer.plan import Draft
from nearshore.writer.template import Phrasing, write_brief
from nearshore.writer.verifier import verify_document, verify_pdf

from .real_briefs import RealBrief, real_briefs
from .tampering import Tamper, apparatus_tampers, draft_tampers, prose_tampers

KINDS = {  # 'outran' (tampering.py) has no phrase to edit in today's briefs; the words test covers it
    "direction",
    "path",
    "balance",
    "superlative",
    "partner",
    "currency",
    "note-value",
    "note-swap",
    "alt-value",
    "alt-period",
}


def sample(tampers: list[Tamper]) -> list[Tamper]:
    """The first and the last edit of each kind (the whole set runs in scripts/tamper_briefs.py)."""
    by_kind: dict[str, list[Tamper]] = {}
    for t in tampers:
        by_kind.setdefault(t.kind, []).append(t)
    return [t for items in by_kind.values() for t in dict.fromkeys((items[0], items[-1]))]


@pytest.fixture(scope="module")
def briefs() -> tuple[RealBrief, ...]:
    return real_briefs()


def test_the_real_briefs_verify_with_their_notes_and_alt_texts(briefs):
    assert sorted(b.name for b in briefs) == sorted(
        f"{t}-{y}" for t in ("us-mexico", "us-canada", "north-america") for y in (2024, 2025)
    )
    for brief in briefs:
        for fmt in ("md", "html"):
            report = verify_document(getattr(brief, fmt), fmt, brief.facts, f"{brief.name}.{fmt}")
            assert report.ok, report.summary()
            assert report.notes == len(report.cited) >= 15
            assert report.alt_texts == len(brief.charts) >= 2


def test_every_tampered_brief_is_caught(briefs):
    total, caught, missed = Counter(), Counter(), []
    for brief in briefs:
        for fmt in ("md", "html"):
            text = getattr(brief, fmt)
            for tamper in sample([*prose_tampers(text, fmt), *apparatus_tampers(text, fmt)]):
                assert tamper.text != text, tamper.what
                report = verify_document(tamper.text, fmt, brief.facts, brief.name)
                total[tamper.kind, fmt] += 1
                if report.ok:
                    missed.append(f"{brief.name}.{fmt} {tamper.kind}: {tamper.what}")
                else:
                    caught[tamper.kind, fmt] += 1
    assert missed == []
    assert {kind for kind, _ in total} == KINDS
    assert sum(total.values()) >= 100
    assert caught == total


PDF_KINDS = ("direction", "path", "balance", "partner", "currency")  # the rest in scripts/tamper_briefs.py


def test_tampered_pdfs_are_caught(briefs):
    """One PDF per kind of prose edit (the PDF is drawn from the tampered draft) and one with an alt text
    changed, on the U.S.-Mexico brief (drawing a PDF takes about a second)."""
    chosen = [b for b in briefs if b.name == "us-mexico-2025"]
    total, missed = Counter(), []
    for brief in chosen:
        seen: set[str] = set()
        for kind, what, draft in draft_tampers(brief.draft):
            if kind in seen or kind not in PDF_KINDS:
                continue
            seen.add(kind)
            total[kind] += 1
            report = verify_pdf(brief.pdf(draft, charts=()), brief.facts, brief.name)
            if report.ok:
                missed.append(f"{brief.name}.pdf {kind}: {what}")
        chart = brief.charts[0]
        bumped = re.sub(r"(\d+\.\d)%", lambda m: f"{float(m.group(1)) + 80:.1f}%", chart.alt, count=1)
        charts = (dataclasses.replace(chart, alt=bumped), *brief.charts[1:])
        total["alt-value"] += 1
        if verify_pdf(brief.pdf(charts=charts), brief.facts, brief.name).ok:
            missed.append(f"{brief.name}.pdf alt-value: {chart.alt[:40]}")
    assert missed == []
    assert set(total) == {*PDF_KINDS, "alt-value"}


def test_a_clean_pdf_verifies_with_its_notes_and_alt_texts(briefs):
    brief = next(b for b in briefs if b.name == "us-canada-2025")
    report = verify_pdf(brief.pdf(), brief.facts, brief.name)
    assert report.ok, report.summary()
    assert len(report.matches) >= 40
    assert report.notes == len(report.cited)
    assert report.alt_texts == 3


# --- every rewording the template writes still verifies ----------------------------------------------------


def _swap(by_id: dict[str, Fact], roles: dict[str, str], a: str, b: str, change: str | None = None) -> None:
    """Swap the values of two roles (this year and last), negating the change between them."""
    if a not in roles or b not in roles:
        return
    fa, fb = by_id[roles[a]], by_id[roles[b]]
    by_id[fa.id] = dataclasses.replace(fa, value=fb.value, extreme="")
    by_id[fb.id] = dataclasses.replace(fb, value=fa.value, extreme="")
    if change and change in roles:
        fc = by_id[roles[change]]
        by_id[fc.id] = dataclasses.replace(fc, value=-fc.value, direction="")


def _negate(by_id: dict[str, Fact], roles: dict[str, str], role: str) -> None:
    if role in roles:
        fact = by_id[roles[role]]
        label = fact.label
        if "deficit" in label or "surplus" in label:
            label = label.replace("deficit", "§").replace("surplus", "deficit").replace("§", "surplus")
        by_id[fact.id] = dataclasses.replace(fact, value=-fact.value, label=label, direction="")


MUTATIONS = {
    "as composed": lambda by_id, roles: None,
    "share fell": lambda by_id, roles: _swap(by_id, roles, "share", "share_prev", "share_change"),
    "rank swapped": lambda by_id, roles: _swap(by_id, roles, "rank", "rank_prev"),
    "imports fell": lambda by_id, roles: _negate(by_id, roles, "imports_growth"),
    "exports turned": lambda by_id, roles: _negate(by_id, roles, "exports_growth"),
    "surplus": lambda by_id, roles: _negate(by_id, roles, "balance"),
    "claims fell": lambda by_id, roles: _swap(by_id, roles, "usmca_share", "usmca_share_prev", "usmca_change"),
    "duty fell": lambda by_id, roles: _swap(by_id, roles, "duty_rate", "duty_rate_prev"),
    "trade grew": lambda by_id, roles: _negate(by_id, roles, "event_change"),
    "peak earlier": lambda by_id, roles: (
        by_id.update({roles["peak_year"]: dataclasses.replace(by_id[roles["peak_year"]], value=2019.0)})
        if "peak_year" in roles
        else None
    ),
}


def mutated(brief: RealBrief, name: str) -> FactTable:
    by_id = dict(brief.facts.by_id)
    MUTATIONS[name](by_id, brief.composition.roles)
    return dataclasses.replace(brief.facts, facts=tuple(by_id.values()))


@pytest.mark.parametrize("choice", range(4))
def test_every_rewording_of_the_template_verifies(briefs, monkeypatch, choice):
    """Each of the template's phrasings (forced: the first, second... option of every choice it makes), on the
    real facts of every brief and on consistent changes of them, gives a brief that verifies."""
    monkeypatch.setattr(Phrasing, "pick", lambda self, key, *options: options[choice % len(options)])
    monkeypatch.setattr(Phrasing, "variant", lambda self, key, count: choice % count)
    texts = set()
    for brief in briefs:
        for name in MUTATIONS:
            facts = mutated(brief, name)
            draft: Draft = write_brief(brief.composition.outline, facts)
            md, _ = dataclasses.replace(brief, facts=facts).render(draft)
            report = verify_document(md, "md", facts, f"{brief.name} ({name}, choice {choice})")
            assert report.ok, report.summary()
            texts.add(draft.markdown())
    assert len(texts) >= 40  # the mutations and choices give different wordings
