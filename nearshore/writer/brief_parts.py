"""More of the brief's facts, one function per part (see brief_facts.py for the trade relationship): the annual
USMCA-claimed share, two-way trade in the months since the March 2025 tariffs for each partner, the composition by
HS chapter where HTS10 detail is missing (Census HS2), the tariff engine's rates by sector, the policy timeline,
the review's terms and the next Census release, the peers' shares, and the user's quoted facts.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Final

from nearshore.analytics import composition, event_window, utilisation
from nearshore.analytics.result import Figure
from nearshore.writer import combine, reference
from nearshore.writer import timeline as tl
from nearshore.writer.brief_facts import TARIFF_EVENT, Collector, Context, mark_extremes

if TYPE_CHECKING:
    from nearshore.tariffs.schedule import Schedule
    from nearshore.writer.timeline import Row

NAMES: Final = {"MEX": "Mexico", "CAN": "Canada", "CHN": "China"}
PREFIX: Final = {"MEX": "mex", "CAN": "can", "CHN": "chn"}
CHAPTERS_SHOWN: Final = 5
# Short names of the HS chapters a brief names most (the full titles run to a line).
CHAPTER_WORDS: Final = {
    "27": "mineral fuels and oils",
    "39": "plastics",
    "44": "wood",
    "71": "precious stones and metals",
    "72": "iron and steel",
    "73": "articles of iron or steel",
    "76": "aluminium",
    "84": "machinery and mechanical appliances",
    "85": "electrical machinery and equipment",
    "87": "vehicles and parts",
    "88": "aircraft and parts",
    "90": "optical, medical and precision instruments",
    "94": "furniture and lighting",
    "08": "fruit and nuts",
    "07": "vegetables",
    "22": "beverages",
    "30": "pharmaceuticals",
    "31": "fertilisers",
    "48": "paper and paperboard",
    "40": "rubber",
    "29": "organic chemicals",
}


def chapter_words(code: str, title: str) -> str:
    """'vehicles and parts (chapter 87)': a short name for a chapter, with its number."""
    short = CHAPTER_WORDS.get(code) or title.split(";")[0].split(",")[0].strip().lower()
    return f"{short} (chapter {code})"


def usmca_year(c: Collector, ctx: Context, year: int, role: str) -> None:
    """The USMCA-claimed share of the year's imports (Census series 0021/0022 over imports for consumption)."""
    tables = [utilisation(ctx.store, q, year=year, source="census", as_of=ctx.as_of) for q in ctx.partners]
    label = f"USMCA-claimed share of U.S. imports from {ctx.name}"
    if ctx.single:
        share = tables[0].figure("share")
    else:
        share = combine.ratio(
            [t.figure("claimed") for t in tables],
            [t.figure("imports") for t in tables],
            label,
            "claimed under USMCA (S/S+) / all imports for consumption",
        )
    c.add(role, f"{ctx.prefix}.usmca.share.{year}", share, label)
    if role == "usmca_share":
        unclaimed = combine.total(
            [t.figure("unclaimed") for t in tables], f"U.S. imports from {ctx.name} not claimed under USMCA"
        )
        c.add("usmca_unclaimed", f"{ctx.prefix}.usmca.unclaimed.{year}", unclaimed)


def tariff_event(c: Collector, ctx: Context) -> None:
    """Two-way trade with each partner, and with Canada and Mexico together, from the March 2025 tariffs to the
    year's last month, against the same months a year earlier: the brief's own partner(s) as `event_self`, the
    others as `event:<name>`."""
    table = event_window(ctx.store, TARIFF_EVENT, partners=("CAN", "MEX"), flow="total", as_of=ctx.as_of)
    own = "+".join(ctx.partners)
    for key, prefix, name in (("MEX", "mex", "Mexico"), ("CAN", "can", "Canada"), ("CAN+MEX", "canmex", "")):
        figure = table.figure("change_pct", partners=key)
        span = figure.period.label.replace("..", "_")
        role = "event_self" if key == own else f"event:{name or 'Canada and Mexico'}"
        label = f"change in two-way U.S. goods trade with {name or 'Canada and Mexico together'}"
        c.add(role, f"{prefix}.trade.change.{span}", figure, label)


def peers(c: Collector, ctx: Context) -> None:
    """The other partners' shares of U.S. imports in the brief's year, to set beside the partner's own."""
    for pid in ("MEX", "CAN"):
        if pid in ctx.partners:
            continue
        figure = ctx.history[pid].figure("share", period=str(ctx.year))
        c.add(f"peer_share:{NAMES[pid]}", f"{PREFIX[pid]}.imports.share.{ctx.year}", figure)


def chapters(c: Collector, ctx: Context) -> list[tuple[str, float]]:
    """Where HTS10 detail is missing: U.S. general imports from the partners by HS chapter (Census HS2), the
    largest chapters and the sectors made of whole chapters, each with its share of the partners' total."""
    p, y = ctx.prefix, ctx.year
    by_chapter, by_sector = (
        [composition(ctx.store, q, year=y, by=by, basis="general", as_of=ctx.as_of) for q in ctx.partners]
        for by in ("chapter", "sector")
    )
    totals = [
        combine.total([r.figures[0] for r in t.rows if r.figures[0]], f"general imports from {q}, all chapters")
        for t, q in zip(by_chapter, ctx.partners, strict=True)
    ]
    what = "U.S. general imports from " + ctx.name
    values: dict[str, list[Figure]] = {}
    titles: dict[str, str] = {}
    for table in by_chapter:
        for row in table.rows:
            if row.figures[0] is not None:
                values.setdefault(str(row.keys[0]), []).append(row.figures[0])
                titles[str(row.keys[0])] = str(row.keys[1])
    held = {code: parts for code, parts in values.items() if len(parts) == len(ctx.partners)}
    ranked = sorted(held, key=lambda k: -sum(f.value for f in held[k]))[:CHAPTERS_SHOWN]
    out: list[tuple[str, float]] = []
    for code in ranked:
        name = chapter_words(code, titles[code])
        value = combine.total(held[code], f"{what}, {name}")
        share = combine.ratio(held[code], totals, f"share of {what}, {name}", f"chapter {code} / all chapters")
        c.add(f"chapter:{name}", f"{p}.chapter.{code}.share.{y}", share)
        c.add(f"chapter_value:{name}", f"{p}.chapter.{code}.value.{y}", value)
        out.append((name, share.value))
    for row in by_sector[0].rows:
        sid, name = str(row.keys[0]), str(row.keys[1])
        parts = [t.figure("value", sector=sid) for t in by_sector]
        value = combine.total(parts, f"{what}, {name}")
        share = combine.ratio(
            parts, totals, f"share of {what}, {name}", f"sector {sid} (whole chapters) / all chapters"
        )
        if value.value:
            c.add(f"sector:{name}", f"{p}.sector.{sid}.share.{y}", share)
            c.add(f"sector_value:{name}", f"{p}.sector.{sid}.value.{y}", value)
    return out


def exposure(c: Collector, ctx: Context, schedule: Schedule | None = None) -> None:
    """The tariff engine's modelled duty rate on the year's imports, in total and by named sector."""
    from nearshore.writer.exposure import exposure as engine

    found = engine(ctx.store, ctx.partners, ctx.year, as_of=ctx.as_of, schedule=schedule)
    p, y = ctx.prefix, ctx.year
    label = f"tariff rate modelled on U.S. imports from {ctx.name}"
    c.add("tariff_rate", f"{p}.tariff.modelled.{y}", found.figure(found.total, label))
    for sector in found.sectors:
        figure = found.figure(sector, f"tariff rate modelled on U.S. imports from {ctx.name}, {sector.name}")
        c.add(f"tariff:{sector.name}", f"{p}.sector.{sector.id}.tariff.{y}", figure)
    mark_extremes(
        c, [c.roles[f"tariff:{sector.name}"] for sector in found.sectors if f"tariff:{sector.name}" in c.roles]
    )


def policy_timeline(c: Collector, ctx: Context, start: date) -> list[Row]:
    """The dated tariff measures for the partners from `start` to the policy file's last recorded action."""
    from nearshore.tariffs.policy import load_policy

    steps = tl.timeline(load_policy(), ctx.partners, NAMES, start)
    for fact in tl.facts(steps):
        c.put(f"policy:{fact.id}", fact)
    return tl.rows(steps)


def review_terms(c: Collector, ctx: Context, today: date) -> None:
    """The joint review's date and the term it decides, the automotive value-content rules, the next release."""
    roles = {reference.ENTRY: "entry", reference.REVIEW_DATE: "review_date", reference.TERM_END: "term_end"}
    for fact in reference.review_facts():
        c.put(roles[fact.id], fact)
    rules = {
        reference.RVC_PASSENGER: "rvc_passenger",
        reference.LVC_PASSENGER: "lvc_passenger",
        reference.LVC_TRUCKS: "lvc_trucks",
        reference.LVC_WAGE: "lvc_wage",
    }
    for fact in reference.rules_facts(today):
        c.put(rules[fact.id], fact)
    _, release = reference.next_release(today)
    if release is None:
        c.miss("next_release", f"the FT-900 release dates nearshore ships end before {today.isoformat()}")
    else:
        c.put("next_release", release)


__all__ = [
    "CHAPTER_WORDS",
    "chapter_words",
    "chapters",
    "exposure",
    "peers",
    "policy_timeline",
    "review_terms",
    "tariff_event",
    "usmca_year",
]
