"""The section plan every writer follows: the sections of a brief in order, what each should say, and the fact
roles it may use. `standard_outline` builds it from one role -> fact id mapping; a section none of whose roles
is present is left out. The template writer fills each section's template; the LLM writer gets the same plan.

Roles ending in ':' are families ('sector:' matches 'sector:Energy'). Monthly facts (roles 'usmca_month_*')
name their month wherever they are written; everything else in a brief is annual unless its period says not.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from nearshore.writer.plan import Outline, SectionPlan

MONTH_NAMES: Final = (
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

# Which section each role belongs to, in the order of the brief (see docs/brief.md for each role's unit).
SECTION_ROLES: Final[dict[str, tuple[str, ...]]] = {
    "lede": ("review_date", "term_end", "entry", "share", "rank"),
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
        "peer_share:",
        "china_share",
    ),
    "timeline": ("policy:", "tariff_series_start", "tariff_series_end", "tariff_series_part:", "event_self", "event:"),
    "sectors": ("sector:", "sector_value:", "chapter:", "chapter_value:", "tariff:", "tariff_rate", "chapters_only"),
    "usmca": (
        "usmca_share",
        "usmca_share_prev_year",
        "usmca_month_first",
        "usmca_month_last",
        "usmca_change",
        "usmca_unclaimed",
        "duty_rate",
        "duty_rate_prev",
        "tariff_rate",
    ),
    "quotes": ("quote:",),
    "review": (
        "auto_share",
        "auto_value",
        "rvc_passenger",
        "scenario_tariff_before",
        "scenario_tariff_after",
        "scenario_imports_change",
        "scenario_imports_value",
        "lvc_passenger",
        "lvc_trucks",
        "lvc_wage",
        "china_share",
        "china_share_prev",
        "energy_value",
        "energy_rate",
        "metals_rate",
    ),
    "watch": ("next_release", "term_end", "review_date", "scheduled:"),
    "takeaways": (
        "share",
        "share_change",
        "rank",
        "rank_prev",
        "tariff_rate",
        "tariff:",
        "duty_rate",
        "usmca_share",
        "usmca_unclaimed",
        "lvc_wage",
        "metals_rate",
        "auto_value",
        "event_self",
        "imports",
    ),
}
SECTION_TITLES: Final = {
    "lede": "Why it matters now",
    "relationship": "The trade relationship",
    "timeline": "The tariff timeline",
    "sectors": "What crosses the border, and what it pays",
    "usmca": "USMCA claims and the duty paid",
    "quotes": "What others say",
    "review": "What the review could change",
    "watch": "What to watch",
    "takeaways": "Takeaways",
}
SECTION_GOALS: Final = {
    "lede": "Why the brief matters now: the USMCA joint review (its date, from Article 34.7) and what it decides, "
    "and the partner's weight in U.S. imports.",
    "relationship": "The partner's place among U.S. suppliers: share, rank and its change, growth, balance, with "
    "the other partners' shares beside it. Annual figures.",
    "timeline": "The tariff measures that apply to the partner, by date (the table), and two-way trade in the "
    "months since March 2025 for each partner against the same months a year earlier: a comparison, never a cause.",
    "sectors": "What the partner sells, by sector (or by HS chapter where the data lack finer detail, said "
    "plainly), with the tariff engine's modelled rate on each sector's actual import mix.",
    "usmca": "How much trade claimed USMCA over the year (annual share first; any monthly figure names its month), "
    "what entered without a claim, and the duty collected against the duty the tariff engine models.",
    "quotes": "Figures official data cannot give, each quoted word for word from the named, dated source of the "
    "user's quotes file.",
    "review": "Questions the joint review raises for this partner (rules of origin and regional value content, the "
    "labour value content and its wage, Chinese-origin inputs, energy, metals), each with the figures that bear on it.",
    "watch": "What comes next: the next Census release, the review's milestones, tariff changes already scheduled.",
    "takeaways": "Short conclusions for investors and for compliance teams, each resting on a cited figure.",
}
# A section is written only when one of these roles is present (the others add to it, they cannot carry it).
SECTION_REQUIRES: Final[dict[str, tuple[str, ...]]] = {"lede": ("review_date",), "watch": ("next_release", "term_end")}
# The roles the headline and the standfirst may use.
HEADLINE_ROLES: Final = (
    "rank",
    "rank_prev",
    "share",
    "share_change",
    "imports",
    "imports_growth",
    "usmca_share",
    "usmca_share_prev_year",
    "review_date",
    "event_self",
    "event:",
    "tariff_rate",
)


def _matches(role: str, wanted: tuple[str, ...]) -> bool:
    return role in wanted or any(role.startswith(w) for w in wanted if w.endswith(":"))


def headline_roles(roles: Mapping[str, str]) -> dict[str, str]:
    return {r: f for r, f in roles.items() if _matches(r, HEADLINE_ROLES)}


def standard_outline(
    topic: str,
    partner: str,
    year: int,
    roles: Mapping[str, str],
    key_numbers: tuple[str, ...] = (),
    extra: Mapping[str, Mapping[str, Any]] | None = None,
    allowed_years: tuple[int, ...] = (),
) -> Outline:
    """The standard sections from one role -> fact id mapping; `extra` gives a section's non-fact material by
    section id (the timeline's rows, the quotations). A section with none of its roles is left out."""
    from nearshore.writer.reference import review_year

    extra = extra or {}
    sections = []
    for section, wanted in SECTION_ROLES.items():
        chosen = {role: fact_id for role, fact_id in roles.items() if _matches(role, wanted)}
        if chosen and any(r in chosen for r in SECTION_REQUIRES.get(section, tuple(chosen))):
            plan = SectionPlan(
                section, SECTION_TITLES[section], SECTION_GOALS[section], section, chosen, extra.get(section, {})
            )
            sections.append(plan)
    years = tuple(sorted({year, review_year(), *allowed_years}))
    return Outline(topic, partner, year, tuple(sections), key_numbers, headline_roles(roles), years)


__all__ = [
    "HEADLINE_ROLES",
    "MONTH_NAMES",
    "SECTION_GOALS",
    "SECTION_ROLES",
    "SECTION_TITLES",
    "headline_roles",
    "standard_outline",
]
