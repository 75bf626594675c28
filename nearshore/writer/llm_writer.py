"""The LLM writer: drafts each section with a chat model, verifies it, re-prompts with the verifier's
errors, and falls back to the template text when the model cannot produce a verified section.

The published text therefore never holds an unverified figure; the run records every rejected draft.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from nearshore.errors import LLMError, LLMUnavailable
from nearshore.writer.facts import FactTable, display
from nearshore.writer.llm import ChatClient, Message
from nearshore.writer.plan import Outline, Section, SectionPlan
from nearshore.writer.verifier import verify_text

Fallback = Callable[[SectionPlan, FactTable], Section]

SYSTEM_PROMPT = """You write one section of a trade brief for investors, in plain, precise English.
Rules, all checked by a verifier before anything is published:
1. Use only the facts given. Every figure you write (amount, percent, percentage points, rank word such as
   "largest", count) must be immediately followed by the citation of its fact, like 15.5%[[fact:ID]].
2. Write a figure exactly as the fact's "shown" form, or the same value rounded to fewer decimals.
   Percent facts are percents (%); "pp" facts are percentage points. Amounts keep their scale (billion).
3. A year may appear only as a date that is the period of a fact cited in the same sentence.
4. Write no other numbers. Say rises and falls with words (rose, fell) that agree with the sign.
5. Reply with the section's markdown paragraphs only: no heading, no preamble, no notes."""


@dataclass(frozen=True)
class Rejection:
    """A draft (or reply) that was not used, and why."""

    section: str
    attempt: int
    reason: str


@dataclass(frozen=True)
class SectionOutcome:
    section: str
    writer: Literal["llm", "template"]
    attempts: int
    rejections: tuple[Rejection, ...] = ()


@dataclass(frozen=True)
class LLMRun:
    """Sections as published (LLM text when verified, else the template's) and what happened to each."""

    sections: tuple[Section, ...]
    outcomes: tuple[SectionOutcome, ...]

    @property
    def rejections(self) -> tuple[Rejection, ...]:
        return tuple(r for o in self.outcomes for r in o.rejections)

    def summary(self) -> list[str]:
        lines = []
        for outcome in self.outcomes:
            how = "LLM, verified" if outcome.writer == "llm" else "template fallback"
            lines.append(f"section {outcome.section}: {how} after {outcome.attempts} attempt(s)")
            lines += [f"  rejected attempt {r.attempt}: {r.reason}" for r in outcome.rejections]
        return lines


def facts_payload(plan: SectionPlan, facts: FactTable) -> str:
    """The section's outline and facts as the JSON the model receives."""
    by_id = facts.by_id
    items = [
        {
            "id": i,
            "role": role,
            "label": by_id[i].label,
            "value": by_id[i].value,
            "unit": by_id[i].unit,
            "shown": display(by_id[i]),
            "sign": "negative" if by_id[i].value < 0 else "positive",
            "period": by_id[i].period,
            "comparison": by_id[i].comparison,
        }
        for role, i in plan.roles.items()
        if i in by_id
    ]
    return json.dumps(
        {
            "section": {"id": plan.id, "title": plan.title, "goal": plan.goal},
            "allowed_years": list(facts.allowed_years),
            "facts": items,
        },
        indent=1,
    )


def _first_prompt(outline: Outline, plan: SectionPlan, facts: FactTable) -> list[Message]:
    context = (
        f"Brief: {outline.topic} trade, {outline.year}, partner {outline.partner}. Sections in order: "
        + "; ".join(s.title for s in outline.sections)
        + "."
    )
    return [
        {"role": "system", "content": SYSTEM_PROMPT},
        {
            "role": "user",
            "content": f"{context}\nWrite the section described in this JSON, citing its "
            f"facts by id:\n{facts_payload(plan, facts)}",
        },
    ]


def _strip_heading(text: str, title: str) -> str:
    lines = text.strip().splitlines()
    if lines and lines[0].lstrip("# ").strip().lower() == title.lower():
        lines = lines[1:]
    return "\n".join(lines).strip()


def write_section(
    client: ChatClient, outline: Outline, plan: SectionPlan, facts: FactTable, attempts: int
) -> tuple[Section | None, list[Rejection], int]:
    """Try up to `attempts` drafts; return the verified section (or None), the rejections and tries made.
    Raises LLMUnavailable when the endpoint fails."""
    messages = _first_prompt(outline, plan, facts)
    rejections: list[Rejection] = []
    for attempt in range(1, attempts + 1):
        try:
            reply = client.complete(messages)
        except LLMUnavailable:
            raise
        except LLMError as exc:
            rejections.append(Rejection(plan.id, attempt, f"malformed reply: {exc}"))
            continue
        body = _strip_heading(reply, plan.title)
        report = verify_text(body, facts, f"section {plan.id}")
        if not body:
            problems = ["the reply held no answer text (only reasoning, or nothing)"]
        elif plan.roles and not report.cited:
            problems = ["the draft cites no facts; every figure must cite its fact as [[fact:ID]]"]
        elif not report.ok:
            problems = [str(f) for f in report.findings]
        else:
            return Section(plan.id, plan.title, body, "llm"), rejections, attempt
        rejections.append(Rejection(plan.id, attempt, "; ".join(problems)))
        messages = [
            *messages,
            {"role": "assistant", "content": reply},
            {
                "role": "user",
                "content": "The verifier rejected that draft:\n"
                + "\n".join(f"- {p}" for p in problems)
                + "\nRewrite the whole section so that every figure equals its cited fact as shown, with "
                "its [[fact:ID]] citation right after it. Reply with the section text only.",
            },
        ]
    return None, rejections, attempts


def write_with_llm(
    client: ChatClient, outline: Outline, facts: FactTable, fallback: Fallback, attempts: int = 3
) -> LLMRun:
    """Write every section with the model, falling back per section; after the endpoint fails once, the
    remaining sections use the fallback at once (no waiting on a dead server)."""
    sections: list[Section] = []
    outcomes: list[SectionOutcome] = []
    down = ""
    for plan in outline.sections:
        if down:
            sections.append(fallback(plan, facts))
            outcomes.append(SectionOutcome(plan.id, "template", 0, (Rejection(plan.id, 0, f"not attempted: {down}"),)))
            continue
        try:
            section, rejections, tries = write_section(client, outline, plan, facts, attempts)
        except LLMUnavailable as exc:
            down = f"the endpoint is unavailable ({exc})"
            sections.append(fallback(plan, facts))
            outcomes.append(SectionOutcome(plan.id, "template", 1, (Rejection(plan.id, 1, str(exc)),)))
            continue
        if section is None:
            sections.append(fallback(plan, facts))
            outcomes.append(SectionOutcome(plan.id, "template", tries, tuple(rejections)))
        else:
            sections.append(section)
            outcomes.append(SectionOutcome(plan.id, "llm", tries, tuple(rejections)))
    return LLMRun(tuple(sections), tuple(outcomes))
