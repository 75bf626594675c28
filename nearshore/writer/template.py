"""The deterministic writer: Jinja2 templates whose phrasing follows the data.

Each section template (templates/sections/<name>.md.j2) receives `f`, a `Phrasing` over the section's facts:
`f.cite(role)` writes a figure with its citation, `f.moved(role)` picks a verb that agrees with the sign,
`f.pick(...)` varies the wording deterministically by the data, so the same facts always give the same text and
different facts give different sentences. The sections, their roles and their order are in outline.py.
"""

from __future__ import annotations

import hashlib
from datetime import date
from functools import cache
from pathlib import Path

import jinja2

from nearshore.writer.citations import cite
from nearshore.writer.facts import Fact, FactTable, display
from nearshore.writer.outline import (
    MONTH_NAMES,
    SECTION_GOALS,
    SECTION_ROLES,
    SECTION_TITLES,
    headline_roles,
    standard_outline,
)
from nearshore.writer.plan import Draft, Outline, Section, SectionPlan

TEMPLATES = Path(__file__).parent / "templates"
_RISE = ("rose", "grew", "climbed", "increased")
# Verbs by the size of a percent change (lower bound of |change|), so that 0.1% is not 'climbed' nor
# -7.2% 'slipped'; each carries a word the verifier reads as a rise or a fall (figures.RISE_WORDS/FALL_WORDS).
_MOVES: tuple[tuple[float, tuple[str, ...], tuple[str, ...]], ...] = (
    (10.0, ("jumped", "climbed", "rose"), ("dropped", "fell")),
    (3.0, _RISE, ("fell", "declined", "dropped")),
    (1.0, _RISE, ("fell", "declined", "slipped")),
    (0.0, ("edged up", "inched up"), ("edged down", "slipped")),
)
_FRACTION = {
    2: "half",
    3: "third",
    4: "quarter",
    5: "fifth",
    6: "sixth",
    7: "seventh",
    8: "eighth",
    9: "ninth",
    10: "tenth",
    11: "eleventh",
    12: "twelfth",
}
_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")


class Phrasing:
    """What a section template may ask of its facts."""

    def __init__(self, plan: SectionPlan, facts: FactTable, outline: Outline) -> None:
        self.plan = plan
        self.by_id = facts.by_id
        self.partner = outline.partner
        self.year = outline.year
        self.extra = plan.extra
        self.seed = (
            plan.id
            + "|"
            + "|".join(f"{k}={self.by_id[i].value!r}" for k, i in sorted(plan.roles.items()) if i in self.by_id)
        )

    def has(self, *roles: str) -> bool:
        return all(self.plan.roles.get(r) in self.by_id for r in roles)

    def fact(self, role: str) -> Fact:
        return self.by_id[self.plan.roles[role]]

    def v(self, role: str) -> float:
        return self.fact(role).value

    def cite(self, role: str, decimals: int | None = None) -> str:
        return self.cite_id(self.plan.roles[role], decimals)

    def cite_id(self, fact_id: str, decimals: int | None = None) -> str:
        fact = self.by_id[fact_id]
        return display(fact, decimals) + cite(fact.id)

    def mark(self, role: str) -> str:
        """The citation alone, for a fact the prose writes in words (a date: '1 July 2026')."""
        return cite(self.plan.roles[role])

    def shown(self, role: str) -> str:
        """The figure as prose shows it, without its citation (to compare what two figures will look like)."""
        return display(self.fact(role))

    def rates(self, fact_ids: list[str]) -> str:
        """Rates of several facts: '25%' with every fact cited when they are equal, else '10% or 25%'."""
        by_value: dict[str, list[str]] = {}
        for fact_id in sorted(fact_ids, key=lambda i: self.by_id[i].value):
            by_value.setdefault(display(self.by_id[fact_id]), []).append(fact_id)
        parts = [shown + "".join(cite(i) for i in ids) for shown, ids in by_value.items()]
        return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " or " + parts[-1]

    def pick(self, key: str, *options: str) -> str:
        digest = hashlib.sha256(f"{self.seed}|{key}".encode()).digest()
        return options[digest[0] % len(options)]

    def variant(self, key: str, count: int) -> int:
        """Which of `count` sentence structures to use, chosen by the data."""
        digest = hashlib.sha256(f"{self.seed}|{key}".encode()).digest()
        return digest[1] % count

    def moved(self, role: str) -> str:
        """A verb for a change, by its sign and size: 'edged up' for 0.1%, 'rose' for 6%, 'dropped' for -12%."""
        value = self.v(role)
        rises, falls = next((up, down) for floor, up, down in _MOVES if abs(value) >= floor)
        return self.pick(role, *(rises if value >= 0 else falls))

    def steady(self, role: str) -> bool:
        """True when a change shows as zero at its display precision ('0.0 percentage points')."""
        return float(display(self.fact(role)).split()[0].rstrip("%")) == 0.0

    def year_of(self, role: str) -> str:
        years = self.fact(role).years()
        return str(years[0]) if years else self.fact(role).period

    def span_of(self, role: str) -> str:
        """'between 2019 and 2024' for a fact over a span of years, 'in 2024' for one year."""
        years = self.fact(role).years()
        if len(years) >= 2 and years[0] != years[-1]:
            return f"between {years[0]} and {years[-1]}"
        return f"in {years[0]}" if years else f"over {self.fact(role).period}"

    def month_of(self, role: str) -> str:
        period = self.fact(role).period
        if len(period) == 7 and period[4] == "-" and period[5:].isdigit():
            return f"{MONTH_NAMES[int(period[5:]) - 1]} {period[:4]}"
        return period

    def day(self, role: str) -> str:
        """A fact's date as prose writes it: '1 July 2026'."""
        return day_words(date.fromisoformat(self.fact(role).period[:10]))

    def period_words(self, role: str) -> str:
        """'March-December 2025' for a span of months ('2025-03..2025-12'), else as `month_of`."""
        start, sep, end = self.fact(role).period.partition("..")
        if not sep or len(start) != 7 or len(end) != 7:
            return self.month_of(role)
        first, last = MONTH_NAMES[int(start[5:]) - 1], MONTH_NAMES[int(end[5:]) - 1]
        if start[:4] == end[:4]:
            return f"{first}-{last} {end[:4]}"
        return f"{first} {start[:4]} to {last} {end[:4]}"

    def fraction(self, role: str) -> str:
        """A share in words ('roughly one dollar in every seven'); '' when no simple fraction fits."""
        share = self.v(role)
        if not 8 <= share <= 55:
            return ""
        n = round(100 / share)
        if n not in _FRACTION:
            return ""
        every = f"every {_WORDS[n]}" if n < len(_WORDS) else f"every {n}"
        return self.pick("fraction", f"roughly one dollar in {every}", f"close to a {_FRACTION[n]} of the total")

    def named(self, prefix: str) -> list[tuple[str, str]]:
        """(name, role) for every role `prefix:<name>` the section holds, largest value first."""
        found = [(role.split(":", 1)[1], role) for role in self.plan.roles if role.startswith(prefix + ":")]
        found = [(n, r) for n, r in found if self.has(r)]
        return sorted(found, key=lambda item: -self.v(item[1]))

    def sectors(self, prefix: str = "sector") -> list[tuple[str, str, str, str]]:
        """(name, share role, value role or '', tariff role or '') for each sector (or chapter), largest first."""
        out = []
        for name, role in self.named(prefix):
            value, tariff = f"{prefix}_value:{name}", f"tariff:{name}"
            out.append((name, role, value if self.has(value) else "", tariff if self.has(tariff) else ""))
        return out


def day_words(on: date) -> str:
    return f"{on.day} {MONTH_NAMES[on.month - 1]} {on.year}"


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        autoescape=False,
    )
    env.filters["day"] = day_words
    return env


def cache_compiled(directory: Path) -> None:
    """Keep the compiled templates in `directory` (jinja2's bytecode cache: one file per template, keyed by its
    name and checked against its source's checksum, written atomically), so that the next process loads them
    instead of compiling them again. A directory that cannot be made leaves the templates compiled as before."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    environment().bytecode_cache = jinja2.FileSystemBytecodeCache(str(directory))


def _tidy(text: str) -> str:
    """Join template lines into paragraphs, list items and table rows; collapse the spaces the template leaves."""
    out = []
    for block in text.split("\n\n"):
        items: list[str] = []
        for line in (" ".join(raw.split()) for raw in block.splitlines()):
            if not line:
                continue
            if line.startswith(("- ", "|")) or not items:
                items.append(line)
            else:
                items[-1] += " " + line
        if items:
            out.append("\n".join(items))
    return "\n\n".join(out)


def write_section(plan: SectionPlan, facts: FactTable, outline: Outline) -> Section:
    template = environment().get_template(f"sections/{plan.template}.md.j2")
    text = template.render(f=Phrasing(plan, facts, outline), partner=outline.partner, year=outline.year)
    return Section(plan.id, plan.title, _tidy(text), "template")


def headline(outline: Outline, facts: FactTable) -> tuple[str, str]:
    """Headline (words only: it carries no figure and no note mark) and standfirst, cited like the text."""
    plan = SectionPlan("headline", "", "", "headline", outline.headline_roles)
    f = Phrasing(plan, facts, outline)
    text = environment().get_template("headline.md.j2").render(f=f, partner=outline.partner, year=outline.year)
    head, _, stand = text.strip().partition("\n")
    return " ".join(head.split()), _tidy(stand)


def write_brief(outline: Outline, facts: FactTable) -> Draft:
    """The whole brief with the template writer."""
    title, standfirst = headline(outline, facts)
    sections = tuple(write_section(plan, facts, outline) for plan in outline.sections)
    return Draft(title, standfirst, sections, outline.key_numbers)


__all__ = [
    "MONTH_NAMES",
    "SECTION_GOALS",
    "SECTION_ROLES",
    "SECTION_TITLES",
    "Phrasing",
    "day_words",
    "headline",
    "headline_roles",
    "standard_outline",
    "write_brief",
    "write_section",
]
