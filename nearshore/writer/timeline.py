"""The tariff timeline of a brief, drawn from the tariff policy file (nearshore/tariffs/policy): each dated step of
a 2025-2026 measure (IEEPA, Section 232, Section 122) that applies to the brief's partners, what it covers, on
what value, and how goods that claim USMCA are treated; and each measure that ended.

Every rate is a fact (`policy.<measure>.<start>`, percent) citing the legal text the policy file records; the
brief prints the timeline as a table and the verifier checks each rate against its fact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Final

from nearshore.writer.facts import Fact

if TYPE_CHECKING:
    from nearshore.tariffs.policy import Exemption, Measure, Policy, RatePeriod

AUTHORITIES: Final = ("IEEPA fentanyl/border", "IEEPA reciprocal", "IEEPA country", "Section 232", "Section 122")
# What each measure covers, in words (the policy file holds product lists, not names).
GOODS: Final[dict[str, str]] = {
    "ieepa-fentanyl-can": "all goods",
    "ieepa-fentanyl-mex": "all goods",
    "s232-steel": "steel and articles of steel",
    "s232-aluminum": "aluminium",
    "s232-copper": "copper articles",
    "s232-alu-derivatives": "aluminium derivatives",
    "s232-alu-inclusions-2025": "added aluminium derivatives",
    "s232-steel-inclusions-2025": "added steel derivatives",
    "s232-autos": "passenger vehicles and light trucks",
    "s232-auto-parts": "automobile parts",
    "s232-mhd-vehicles": "medium- and heavy-duty trucks",
    "s232-buses": "buses",
    "s232-softwood": "softwood timber and lumber",
    "s232-upholstered-furniture": "upholstered wooden furniture",
    "s232-kitchen-cabinets": "kitchen cabinets and vanities",
    "s232-metals-1a": "steel, aluminium and copper articles (Annex I-A)",
    "s232-metals-1b": "metal derivatives (Annex I-B)",
    "s232-metals-3": "metal derivatives (Annex III)",
    "s232-semiconductors": "certain advanced semiconductors",
    "s122-balance-of-payments": "most goods (balance-of-payments surcharge)",
}
BASIS_WORDS: Final = {"metal": "on the metal content", "non_us_content": "on the non-U.S. content", "value": ""}
EXEMPTION_GOODS: Final = {"energy-critical-minerals": "energy and critical minerals", "potash": "potash"}


@dataclass(frozen=True)
class Step:
    """One dated change for the partners: a rate taking effect, or a measure ending (`ended`)."""

    on: date
    measure: str
    authority: str
    goods: str
    whom: str
    basis: str
    usmca: str
    fact: Fact | None
    ended: bool = False
    extra: tuple[Fact, ...] = ()  # reduced rates for some goods (Canada's energy at 10%)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(f.id for f in (self.fact, *self.extra) if f is not None)


def _applies(period: RatePeriod, partner: str) -> bool:
    if partner in period.except_countries:
        return False
    return period.countries is None or partner in period.countries


def _usmca_words(measure: Measure) -> str:
    for exemption in measure.exemptions:
        if not exemption.usmca or exemption.claim:
            continue
        if exemption.us_content:
            return "USMCA-qualifying goods pay on their non-U.S. content only"
        if exemption.rate == 0.0:
            since = f" from {exemption.start:%-d %B %Y}" if exemption.start else ""
            return f"goods that claim USMCA are exempt{since}"
    if measure.authority == "Section 232":
        return "no USMCA exemption"
    return ""


def _whom(measure: Measure, partners: Sequence[str], names: dict[str, str]) -> str:
    if measure.countries is not None and len(measure.countries) <= 2:
        return " and ".join(names[p] for p in partners if p in measure.countries)
    return "all countries"


def _fact(measure: Measure, period: RatePeriod, whom: str, version: str, goods: str, suffix: str = "") -> Fact:
    rate = round(period.rate * 100, 4)
    decimals = 0 if float(rate).is_integer() else 2
    heading = period.heading or measure.heading
    what = f"{goods} ({whom})" if whom != "all countries" else goods
    floor = " (a floor inclusive of the general rate)" if period.floor else ""
    return Fact(
        f"policy.{measure.id}{suffix}.{period.start.isoformat()}",
        rate,
        "percent",
        period.start.isoformat(),
        f"additional duty under {measure.authority}, heading {heading}, on {what}{floor}",
        f"{period.citation}; {measure.citation}",
        f"policy {version}",
        decimals=decimals,
    )


def _exemption_fact(measure: Measure, exemption: Exemption, start: date, version: str) -> Fact:
    rate = round((exemption.rate or 0.0) * 100, 4)
    goods = EXEMPTION_GOODS.get(exemption.id, exemption.id)
    return Fact(
        f"policy.{measure.id}.{exemption.id}.{start.isoformat()}",
        rate,
        "percent",
        start.isoformat(),
        f"reduced {measure.authority} duty on {goods}, heading {exemption.heading}",
        exemption.citation,
        f"policy {version}",
        decimals=0,
    )


def timeline(
    policy: Policy, partners: Sequence[str], names: dict[str, str], start: date, end: date | None = None
) -> list[Step]:
    """The steps from `start` to `end` (default: the policy's last recorded action) for `partners`, by date."""
    end = end or policy.recorded_to
    found: dict[tuple[str, date, bool], Step] = {}
    for measure in policy.measures:
        if measure.authority not in AUTHORITIES or not any(measure.covers_country(p) for p in partners):
            continue
        goods = GOODS.get(measure.id, f"{measure.authority} goods ({measure.heading})")
        whom = _whom(measure, partners, names)
        for partner in partners:
            if not measure.covers_country(partner):
                continue
            periods = sorted((p for p in measure.rates if _applies(p, partner)), key=lambda p: p.start)
            for i, period in enumerate(periods):
                if policy.start < period.start and start <= period.start <= end:
                    key = (f"{measure.id}|{partner if whom != 'all countries' else ''}", period.start, False)
                    suffix = f".{partner.lower()}" if whom != "all countries" and len(partners) > 1 else ""
                    extra = tuple(
                        _exemption_fact(measure, e, period.start, policy.version)
                        for e in measure.exemptions
                        if i == 0 and e.rate and not e.usmca and not e.claim and e.id in EXEMPTION_GOODS
                    )
                    found.setdefault(
                        key,
                        Step(
                            period.start,
                            measure.id,
                            measure.authority,
                            goods,
                            names[partner] if whom != "all countries" else whom,
                            BASIS_WORDS.get(measure.basis, ""),
                            _usmca_words(measure),
                            _fact(measure, period, whom, policy.version, goods, suffix),
                            extra=extra,
                        ),
                    )
                following = periods[i + 1] if i + 1 < len(periods) else None
                if period.end is not None and following is None and start <= period.end < end:
                    key = (f"{measure.id}|end", period.end, True)
                    found.setdefault(
                        key,
                        Step(period.end, measure.id, measure.authority, goods, whom, "", "", None, ended=True),
                    )
    steps = sorted(found.values(), key=lambda s: (s.on, s.ended, s.measure))
    # a measure replaced the next day by another of the same authority (the 2025 metal duties by the April 2026
    # annexes) did not end for the importer: only its successor is listed
    starts = {(s.authority, s.on) for s in steps if not s.ended}
    return [s for s in steps if not (s.ended and (s.authority, date.fromordinal(s.on.toordinal() + 1)) in starts)]


@dataclass(frozen=True)
class Row:
    """Steps of one date, authority and treatment, as one line of the timeline table."""

    on: date
    authority: str
    goods: tuple[str, ...]
    whom: str
    basis: str
    usmca: str
    facts: tuple[Fact, ...]
    extra: tuple[Fact, ...] = ()
    ended: bool = False

    def as_dict(self) -> dict[str, Any]:
        """The row as plain data for a section plan: goods in words, the ids of its rate facts, reduced rates."""
        goods = list(self.goods)
        words = goods[0] if len(goods) == 1 else ", ".join(goods[:-1]) + " and " + goods[-1]
        reduced = [(EXEMPTION_GOODS.get(f.id.split(".")[-2], f.id.split(".")[-2]), f.id) for f in self.extra]
        return {
            "on": self.on,
            "authority": self.authority,
            "goods": words,
            "whom": self.whom,
            "basis": self.basis,
            "usmca": self.usmca,
            "ids": [f.id for f in self.facts],
            "reduced": reduced,
            "ended": self.ended,
        }


def rows(steps: Sequence[Step]) -> list[Row]:
    """The steps grouped by date, authority, whom, value basis and USMCA treatment, in date order."""
    grouped: dict[tuple[date, str, str, str, str, bool], list[Step]] = {}
    for step in steps:
        key = (step.on, step.authority, step.whom, step.basis, step.usmca, step.ended)
        grouped.setdefault(key, []).append(step)
    out = []
    for (on, authority, whom, basis, usmca, ended), group in grouped.items():
        order = list(GOODS.values())
        goods = tuple(sorted(dict.fromkeys(s.goods for s in group), key=lambda g: order.index(g) if g in order else 99))
        found = tuple(s.fact for s in group if s.fact is not None)
        extra = tuple(f for s in group for f in s.extra)
        out.append(Row(on, authority, goods, whom, basis, usmca, found, extra, ended))
    return sorted(out, key=lambda r: (r.on, r.ended, r.authority, r.whom))


def facts(steps: Sequence[Step]) -> list[Fact]:
    out: dict[str, Fact] = {}
    for step in steps:
        for fact in (step.fact, *step.extra):
            if fact is not None:
                out[fact.id] = fact
    return list(out.values())


__all__ = ["AUTHORITIES", "GOODS", "Row", "Step", "facts", "rows", "timeline"]
