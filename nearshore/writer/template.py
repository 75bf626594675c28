"""The deterministic writer: Jinja2 templates whose phrasing follows the data.

Each section template (templates/sections/<name>.md.j2) receives `f`, a `Phrasing` over the section's facts:
`f.cite(role)` writes a figure with its citation, `f.moved(role)` picks a verb that agrees with the sign,
`f.rank_move(...)` tells a rank crossing, `f.pick(...)` varies the wording deterministically by the data, so
the same facts always give the same text and different facts give different sentences.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import jinja2

from nearshore.writer.citations import cite
from nearshore.writer.facts import Fact, FactTable, display
from nearshore.writer.plan import Draft, Outline, Section, SectionPlan

TEMPLATES = Path(__file__).parent / "templates"
REVIEW_YEAR = 2026  # the USMCA joint review (Article 34.7), named in headlines and section titles
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
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

# Which section each standard role belongs to (see docs/brief.md for the unit each role expects).
SECTION_ROLES: dict[str, tuple[str, ...]] = {
    "relationship": (
        "imports",
        "imports_growth",
        "share",
        "share_prev",
        "share_change",
        "rank",
        "rank_prev",
        "exports",
        "exports_growth",
        "balance",
        "peak_year",
        "rank_since",
    ),
    "sectors": ("sector:", "sector_value:"),
    "usmca": (
        "usmca_share",
        "usmca_share_prev",
        "usmca_change",
        "duty_rate",
        "duty_rate_prev",
        "event_change",
    ),
    "review": ("auto_share", "usmca_share", "china_share", "duty_rate"),
    "takeaways": ("imports", "rank", "share_change", "usmca_share", "auto_share"),
}
SECTION_TITLES = {
    "relationship": "The trade relationship",
    "sectors": "What crosses the border",
    "usmca": "USMCA claims and tariff exposure",
    "review": "What the 2026 review could change",
    "takeaways": "Takeaways",
}
SECTION_GOALS = {
    "relationship": "The partner's place among U.S. suppliers: share, rank and its change, growth, balance.",
    "sectors": "The sector composition of U.S. imports from the partner, largest first.",
    "usmca": "How much trade claims USMCA preference, how that shifted, and the duty actually collected.",
    "review": "Questions the 2026 joint review raises (rules of origin and regional value content, wage "
    "rules, Chinese-origin inputs), each with the figures that bear on it.",
    "takeaways": "Three or four short conclusions for investors, each resting on a cited figure.",
}


class Phrasing:
    """What a section template may ask of its facts."""

    def __init__(self, plan: SectionPlan, facts: FactTable, outline: Outline) -> None:
        self.plan = plan
        self.by_id = facts.by_id
        self.partner = outline.partner
        self.year = outline.year
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
        fact = self.fact(role)
        return display(fact, decimals) + cite(fact.id)

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
        return (
            self.pick(
                "fraction",
                f"roughly one dollar in every {_word(n)}",
                f"close to a {_FRACTION[n]} of the total",
            )
            if n in _FRACTION
            else ""
        )

    def sectors(self) -> list[tuple[str, str, str]]:
        """(name, share role, value role or '') for each sector, largest share first."""
        found = [(role.split(":", 1)[1], role) for role in self.plan.roles if role.startswith("sector:")]
        found = [(n, r) for n, r in found if self.has(r)]
        found.sort(key=lambda item: -self.v(item[1]))
        return [(n, r, f"sector_value:{n}" if self.has(f"sector_value:{n}") else "") for n, r in found]


def _word(n: int) -> str:
    words = (
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
    )
    return words[n] if n < len(words) else str(n)


@cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        autoescape=False,
    )


def _tidy(text: str) -> str:
    """Join template lines into paragraphs and list items; collapse the spaces the template leaves."""
    out = []
    for block in text.split("\n\n"):
        items: list[str] = []
        for line in (" ".join(raw.split()) for raw in block.splitlines()):
            if not line:
                continue
            if line.startswith("- ") or not items:
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
    """Headline and standfirst, cited like the rest of the text."""
    plan = SectionPlan("headline", "", "", "headline", outline.headline_roles)
    f = Phrasing(plan, facts, outline)
    text = environment().get_template("headline.md.j2").render(f=f, partner=outline.partner, year=outline.year)
    head, _, stand = text.strip().partition("\n")
    return " ".join(head.split()), _tidy(stand)


def standard_outline(
    topic: str, partner: str, year: int, roles: Mapping[str, str], key_numbers: tuple[str, ...] = ()
) -> Outline:
    """An outline of the standard sections from one role -> fact id mapping; a section whose roles are all
    missing is left out. The headline uses 'rank', 'rank_prev', 'share', 'imports' and 'usmca_share'."""
    sections = []
    for section, wanted in SECTION_ROLES.items():
        chosen = {
            role: fact_id
            for role, fact_id in roles.items()
            if role in wanted or any(role.startswith(w) for w in wanted if w.endswith(":"))
        }
        if chosen:
            sections.append(SectionPlan(section, SECTION_TITLES[section], SECTION_GOALS[section], section, chosen))
    head = {r: roles[r] for r in ("rank", "rank_prev", "share", "imports", "usmca_share") if r in roles}
    return Outline(topic, partner, year, tuple(sections), key_numbers, head, (year, REVIEW_YEAR))


def write_brief(outline: Outline, facts: FactTable) -> Draft:
    """The whole brief with the template writer."""
    title, standfirst = headline(outline, facts)
    sections = tuple(write_section(plan, facts, outline) for plan in outline.sections)
    return Draft(title, standfirst, sections, outline.key_numbers)
