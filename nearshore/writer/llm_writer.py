"""The LLM writer: drafts each section with a chat model, verifies it, re-prompts with the verifier's
errors, and falls back to the template text when the model cannot produce a verified section.

The published text therefore never holds an unverified figure; the run records every draft (its text, what
the verifier found, the tokens and seconds it took), so a benchmark can measure what survives.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from nearshore.errors import LLMError, LLMUnavailable
from nearshore.writer.facts import FactTable
from nearshore.writer.llm import ChatClient, ChatReply, Message, Usage
from nearshore.writer.llm_prompts import budget, first_prompt, reprompt
from nearshore.writer.plan import Outline, Section, SectionPlan
from nearshore.writer.verifier import verify_text

Fallback = Callable[[SectionPlan, FactTable], Section]
_FORM = (
    (re.compile(r"\]\([^)]*\)|https?://|www\.", re.IGNORECASE), "a link"),
    (re.compile(r"<[a-zA-Z/!][^>]*>"), "an HTML tag"),
    (re.compile(r"^\s{0,3}#", re.MULTILINE), "a heading"),
)
__all__ = ["Attempt", "LLMRun", "Rejection", "SectionOutcome", "write_section", "write_with_llm"]


@dataclass(frozen=True)
class Rejection:
    """A draft (or reply) that was not used, and why."""

    section: str
    attempt: int
    reason: str


@dataclass(frozen=True)
class Attempt:
    """One draft of a section: the answer text, what was wrong with it (nothing when it verified), the kinds
    of problem (the verifier's finding kinds, or 'no-citation', 'form', 'empty', 'cut-off', 'timeout',
    'malformed', 'too-long'), and the tokens and seconds the request took."""

    section: str
    attempt: int
    text: str
    problems: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    usage: Usage = field(default_factory=Usage)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class SectionOutcome:
    section: str
    writer: Literal["llm", "template"]
    attempts: int
    rejections: tuple[Rejection, ...] = ()
    drafts: tuple[Attempt, ...] = ()

    @property
    def usage(self) -> Usage:
        return sum((d.usage for d in self.drafts), Usage())

    @property
    def seconds(self) -> float:
        return sum(d.seconds for d in self.drafts)

    def line(self) -> str:
        how = "LLM, verified" if self.writer == "llm" else "template fallback"
        return f"section {self.section}: {how} after {self.attempts} attempt(s)"


@dataclass(frozen=True)
class LLMRun:
    """Sections as published (LLM text when verified, else the template's) and what happened to each."""

    sections: tuple[Section, ...]
    outcomes: tuple[SectionOutcome, ...]

    @property
    def rejections(self) -> tuple[Rejection, ...]:
        return tuple(r for o in self.outcomes for r in o.rejections)

    @property
    def usage(self) -> Usage:
        return sum((o.usage for o in self.outcomes), Usage())

    @property
    def seconds(self) -> float:
        return sum(o.seconds for o in self.outcomes)

    def usage_lines(self) -> list[str]:
        """One line per section (writer, attempts, tokens, seconds) and the total."""
        lines = [f"llm {o.line()}; {o.usage}, {o.seconds:.1f} s" for o in self.outcomes]
        verified = sum(o.writer == "llm" for o in self.outcomes)
        lines.append(
            f"llm total: {verified} of {len(self.outcomes)} section(s) verified; {self.usage}, {self.seconds:.1f} s"
        )
        return lines

    def summary(self) -> list[str]:
        lines = []
        for outcome in self.outcomes:
            lines.append(outcome.line())
            lines += [f"  rejected attempt {r.attempt}: {r.reason}" for r in outcome.rejections]
        return lines


def _strip_heading(text: str, title: str) -> str:
    lines = text.strip().splitlines()
    if lines and lines[0].lstrip("# ").strip().lower() == title.lower():
        lines = lines[1:]
    return "\n".join(lines).strip()


def judge(reply: ChatReply, plan: SectionPlan, facts: FactTable, timeout: float) -> tuple[str, list[str], list[str]]:
    """The section text from a reply, and what is wrong with it (problems and their kinds; none: publishable)."""
    body = _strip_heading(reply.text, plan.title)
    if reply.finish_reason == "timeout":
        return body, [f"no complete reply within {timeout:g} s; the partial text is not used"], ["timeout"]
    if not body:
        return body, ["the reply held no answer text (only reasoning, or nothing)"], ["empty"]
    if reply.finish_reason == "length":
        return body, ["the reply was cut off at its token limit; write a shorter section"], ["cut-off"]
    form = [what for pattern, what in _FORM if pattern.search(body)]
    if form:
        return body, [f"the draft contains {' and '.join(form)}; write plain prose only"], ["form"]
    report = verify_text(body, facts, f"section {plan.id}")
    problems = [str(f) for f in report.findings]
    kinds: list[str] = [f.kind for f in report.findings]
    if plan.roles and not report.cited:
        problems.insert(0, "the draft cites no facts; every figure must cite its fact as [[fact:ID]]")
        kinds.insert(0, "no-citation")
    return body, problems, kinds


def write_section(
    client: ChatClient, outline: Outline, plan: SectionPlan, facts: FactTable, attempts: int
) -> tuple[Section | None, list[Attempt], str]:
    """Try up to `attempts` drafts; return the verified section (or None), every attempt, and why the
    endpoint became unavailable ('' if it did not)."""
    first = first_prompt(outline, plan, facts)
    messages: list[Message] = first
    tried: list[Attempt] = []
    config = client.config
    for attempt in range(1, attempts + 1):
        room = budget(messages, config.context, config.max_tokens)
        if not room.fits:
            why = (
                f"the prompt (about {room.prompt} tokens) leaves no room for a reply in a context of "
                f"{config.context} tokens; raise NEARSHORE_LLM_CONTEXT if the model holds more"
            )
            tried.append(Attempt(plan.id, attempt, "", (why,), ("too-long",)))
            break
        started = time.monotonic()
        try:
            reply = client.reply(messages, room.reply)
        except LLMUnavailable as exc:
            return None, tried, str(exc)
        except LLMError as exc:
            tried.append(
                Attempt(plan.id, attempt, "", (f"malformed reply: {exc}",), ("malformed",), Usage(), _since(started))
            )
            continue
        body, problems, kinds = judge(reply, plan, facts, config.timeout)
        tried.append(Attempt(plan.id, attempt, body, tuple(problems), tuple(kinds), reply.usage, reply.seconds))
        if not problems:
            return Section(plan.id, plan.title, body, "llm"), tried, ""
        if reply.finish_reason == "timeout":
            break  # a model that ran past the time limit once would again: the section falls back now
        messages = reprompt(first, body or reply.raw, problems)
    return None, tried, ""


def _since(started: float) -> float:
    return time.monotonic() - started


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
        section, tried, unavailable = write_section(client, outline, plan, facts, attempts)
        rejections = [Rejection(plan.id, a.attempt, "; ".join(a.problems)) for a in tried if not a.ok]
        if unavailable:
            down = f"the endpoint is unavailable ({unavailable})"
            rejections.append(Rejection(plan.id, len(tried) + 1, unavailable))
        writer: Literal["llm", "template"] = "llm" if section else "template"
        sections.append(section or fallback(plan, facts))
        tries = len(tried) + bool(unavailable)
        outcomes.append(SectionOutcome(plan.id, writer, tries, tuple(rejections), tuple(tried)))
    return LLMRun(tuple(sections), tuple(outcomes))
