"""Facts the brief states that are not trade statistics, each with its legal or official source: the USMCA joint
review's date and the term it decides (Article 34.7), the automotive rules of origin a review could change (regional
and labour value content, the $16 an hour wage), and the next Census FT-900 release dates.

Dates are facts of unit 'year' whose period is the day (ISO date): the prose writes the day ('1 July 2026') and
cites the fact, so the note names the text it comes from. Sources and URLs are in reference.yaml; the review's
dates follow from the entry into force, and the value-content thresholds are the origin engine's own
(nearshore/origin/automotive/phase.py).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any

from nearshore.writer.facts import Fact

REVIEW_DATE = "usmca.review.date"
TERM_END = "usmca.term.end"
ENTRY = "usmca.entry"
LVC_PASSENGER = "usmca.lvc.passenger"
LVC_TRUCKS = "usmca.lvc.trucks"
LVC_WAGE = "usmca.lvc.wage"
RVC_PASSENGER = "usmca.rvc.passenger"
NEXT_RELEASE = "census.ft900.next"
SCHEDULE_PAGE = "census.ft900.schedule"


@functools.cache
def reference() -> dict[str, Any]:
    """reference.yaml, read once."""
    import yaml

    text = resources.files("nearshore.writer").joinpath("reference.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def _cited(entry: dict[str, Any]) -> str:
    """'Title: detail (url)'; the brief's sources line names the title once, a note gives it all."""
    return f"{entry['title']}: {' '.join(str(entry['detail']).split())} ({entry['url']})"


def _date_fact(fact_id: str, on: date, label: str, source: str, vintage: str = "") -> Fact:
    return Fact(fact_id, float(on.year), "year", on.isoformat(), label, source, vintage)


def _anniversary(start: date, years: int) -> date:
    return start.replace(year=start.year + years)


def review_facts() -> list[Fact]:
    """The entry into force, the joint review's deadline and the end of the term unless all three extend it."""
    from nearshore.origin.automotive.phase import ENTRY_INTO_FORCE

    ref = reference()
    review, entry = ref["review"], ref["entry_into_force"]
    return [
        _date_fact(ENTRY, ENTRY_INTO_FORCE, "entry into force of the USMCA", _cited(entry)),
        _date_fact(
            REVIEW_DATE,
            _anniversary(ENTRY_INTO_FORCE, int(review["anniversary_years"])),
            "deadline of the USMCA joint review (sixth anniversary of entry into force, Article 34.7(2))",
            _cited(review),
        ),
        _date_fact(
            TERM_END,
            _anniversary(ENTRY_INTO_FORCE, int(review["term_years"])),
            "end of the USMCA's term unless each party confirms an extension (Article 34.7(1))",
            _cited(review),
        ),
    ]


def review_year() -> int:
    """The year of the joint review (2026)."""
    from nearshore.origin.automotive.phase import ENTRY_INTO_FORCE

    return ENTRY_INTO_FORCE.year + int(reference()["review"]["anniversary_years"])


def rules_facts(on: date) -> list[Fact]:
    """The automotive rules of origin in force on `on`: RVC for passenger vehicles, LVC for passenger vehicles and
    for light and heavy trucks, and the wage a high-wage plant must pay in the United States."""
    from nearshore.origin.automotive.phase import LVC, VEHICLE_RVC, step_on

    ref = reference()
    out = []
    for fact_id, schedule, label, key in (
        (RVC_PASSENGER, VEHICLE_RVC["passenger"], "regional value content required of a passenger vehicle", "rvc"),
        (LVC_PASSENGER, LVC["passenger"], "labour value content required of a passenger vehicle", "lvc"),
        (LVC_TRUCKS, LVC["light_truck"], "labour value content required of a light or heavy truck", "lvc"),
    ):
        step = step_on(schedule, on)
        if step is None:
            continue
        entry = ref[key]
        since = f"from {step.start.isoformat()}"
        out.append(
            Fact(fact_id, float(step.net_cost), "percent", since, label, _cited(entry), entry["vintage"], decimals=0)
        )
    wage = ref["lvc_wage"]
    out.append(
        Fact(
            LVC_WAGE,
            float(wage["value"]),
            "USD",
            "from 2020-07-01",
            "average base hourly wage of a qualifying high-wage plant in the United States (labour value content)",
            _cited(wage),
            wage["vintage"],
            decimals=0,
        )
    )
    return out


@dataclass(frozen=True)
class Release:
    """One FT-900 release: the statistical month it carries and its date."""

    month: str
    on: date


def releases() -> list[Release]:
    rows = reference()["ft900"]["releases"]
    return sorted((Release(str(r["month"]), date.fromisoformat(str(r["date"]))) for r in rows), key=lambda r: r.on)


def next_release(today: date) -> tuple[Release | None, Fact | None]:
    """The first FT-900 release after `today` in the schedule nearshore ships, as a fact (None past its end)."""
    upcoming = [r for r in releases() if r.on > today]
    if not upcoming:
        return None, None
    release = upcoming[0]
    ft900 = reference()["ft900"]
    year, month = (int(x) for x in release.month.split("-"))
    words = date(year, month, 1).strftime("%B %Y")
    # the id carries the date: a later brief's next release is another fact, not a revision of this one
    fact = _date_fact(
        f"{NEXT_RELEASE}.{release.on.isoformat()}",
        release.on,
        f"next FT-900 release (statistics for {words})",
        _cited(ft900),
        today.isoformat(),
    )
    return release, fact


def schedule_url() -> str:
    return str(reference()["ft900"]["url"])


__all__ = [
    "ENTRY",
    "LVC_PASSENGER",
    "LVC_TRUCKS",
    "LVC_WAGE",
    "NEXT_RELEASE",
    "REVIEW_DATE",
    "RVC_PASSENGER",
    "TERM_END",
    "Release",
    "next_release",
    "reference",
    "releases",
    "review_facts",
    "review_year",
    "rules_facts",
    "schedule_url",
]
