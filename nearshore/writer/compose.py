"""The main job: from the store to a published brief. `compose_brief` computes the facts, the outline (roles and
the non-fact material of each section) and the charts for a topic and year; `run_brief` opens the user's store,
composes and writes the files.

Topics: us-mexico (Mexico), us-canada (Canada), north-america (Canada and Mexico taken together: amounts
summed, shares and rates recomputed from the sums; no rank, since the pair is not one country).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

from nearshore.analytics import series as q
from nearshore.analytics.events import get_event
from nearshore.analytics.result import FigureTable, choose
from nearshore.data import query
from nearshore.data.query import Scope
from nearshore.errors import DataNotFound
from nearshore.writer import brief_facts as bf
from nearshore.writer import brief_parts as parts
from nearshore.writer import engines, reference
from nearshore.writer import timeline as tl
from nearshore.writer.charts import Chart
from nearshore.writer.colophon import BriefInfo
from nearshore.writer.compose_notes import charts, methodology
from nearshore.writer.facts import FactTable
from nearshore.writer.outline import standard_outline
from nearshore.writer.plan import Outline

if TYPE_CHECKING:
    from nearshore.data.store import Store
    from nearshore.settings import Settings
    from nearshore.writer.pipeline import BriefResult
    from nearshore.writer.quotes import Quote

Topic = Literal["us-mexico", "us-canada", "north-america"]
TOPICS: Final[dict[str, tuple[tuple[str, ...], str, str]]] = {
    # topic: (partners, name in prose, fact-id prefix)
    "us-mexico": (("MEX",), "Mexico", "mex"),
    "us-canada": (("CAN",), "Canada", "can"),
    "north-america": (("CAN", "MEX"), "Canada and Mexico", "na"),
}
KEY_ROLES: Final = ("imports", "share", "rank", "balance", "usmca_share", "tariff_rate", "duty_rate")


@dataclass(frozen=True)
class Composition:
    """Everything the writers need: facts, outline, charts, methodology lines, and what was left out."""

    topic: Topic
    partner: str
    year: int
    facts: FactTable
    roles: dict[str, str]
    outline: Outline
    charts: tuple[Chart, ...]
    methodology: tuple[str, ...]
    missing: tuple[str, ...] = field(default=())
    quotes: tuple[Quote, ...] = ()

    @property
    def name(self) -> str:
        return f"{self.topic}-{self.year}"


def validate_topic(topic: str) -> Topic:
    choose(topic, TOPICS, "topic")
    return topic  # type: ignore[return-value]  # checked against TOPICS above


def complete_years(store: Store, partners: Sequence[str], as_of: str | None = None) -> list[int]:
    """Years with a full year of U.S. imports from every partner (annual rows or all 12 months)."""
    scope = Scope.for_flow("imports", partners=tuple(partners))
    rows = query.yearly(store, scope, ("partner",), None, as_of).rows
    found: dict[int, set[str]] = {}
    for partner, year, *_ in rows:
        found.setdefault(int(year), set()).add(str(partner))
    return sorted(y for y, held in found.items() if held >= set(partners))


def brief_year(store: Store, partners: Sequence[str], year: int | None, as_of: str | None) -> int:
    """`year`, checked to be complete in the store, or the latest complete year; DataNotFound otherwise."""
    years = complete_years(store, partners, as_of)
    if year is None and years:
        return years[-1]
    if year is not None and year in years:
        return year
    scope = Scope.for_flow("imports", partners=tuple(partners))
    wanted = f"a complete year of U.S. imports from {'+'.join(partners)}" + (f" in {year}" if year is not None else "")
    raise q.not_found(store, scope, as_of, wanted)


@dataclass
class _Parts:
    """What the parts found besides facts: chart data, where it came from, and each section's material."""

    sectors: list[tuple[str, float]] = field(default_factory=list)
    sector_source: str = ""  # dataweb (HTS10), census-hs2 (HS chapters), or none found
    months: list[tuple[str, float]] = field(default_factory=list)
    usmca_source: str = "census-usmca"
    extra: dict[str, dict[str, Any]] = field(default_factory=dict)
    method: list[str] = field(default_factory=list)  # methodology lines of the engines' parts


def _trade(c: bf.Collector, ctx: bf.Context, found: _Parts) -> None:
    """The trade figures: relationship, sectors (HTS10, or HS chapters where that is all the store has), USMCA
    claims by year and month, duty rates, the other partners' shares, the months since the tariffs."""
    bf.relationship(c, ctx)
    year = ctx.year

    def sector_part() -> None:
        try:
            found.sectors.extend(bf.sectors(c, ctx))
            found.sector_source = "dataweb"
        except DataNotFound as exc:
            found.sectors.extend(parts.chapters(c, ctx))
            found.sector_source = "census-hs2"
            c.miss("sectors by HTS10", str(exc))

    def usmca_part() -> None:
        # The Census USMCA series (0021/0022) is the published monthly total of claims; DataWeb's HTS10 claims
        # record March-June 2025 lower (see the methodology), so they serve only where the series is absent.
        try:
            found.months.extend(bf.usmca(c, ctx, source="census"))
        except DataNotFound:
            found.usmca_source = "dataweb"
            found.months.extend(bf.usmca(c, ctx))

    bf.guarded(c, "sectors", sector_part)
    bf.guarded(c, "usmca_month_first, usmca_month_last, usmca_change", usmca_part)
    bf.guarded(c, "usmca_share", lambda: parts.usmca_year(c, ctx, year, "usmca_share"))
    bf.guarded(c, "usmca_share_prev_year", lambda: parts.usmca_year(c, ctx, year - 1, "usmca_share_prev_year"))
    bf.guarded(c, "duty_rate", lambda: bf.duty(c, ctx, year, "duty_rate"))
    bf.guarded(c, "duty_rate_prev", lambda: bf.duty(c, ctx, year - 1, "duty_rate_prev"))
    bf.guarded(c, "china_share", lambda: bf.china(c, ctx, ctx.history["CHN"]))
    bf.guarded(c, "peer_share", lambda: parts.peers(c, ctx))
    if year - 1 in {int(str(r.keys[1])) for r in ctx.history["CHN"].rows}:
        figure = ctx.history["CHN"].figure("share", period=str(year - 1))
        c.add("china_share_prev", f"chn.imports.share.{year - 1}", figure)
    event = get_event(bf.TARIFF_EVENT).date
    if year >= event.year:
        bf.guarded(c, "event_change", lambda: parts.tariff_event(c, ctx))
    else:
        c.miss("event_change", f"the {event:%B %Y} tariffs fall after the brief's year {year}")


def _tariffs(c: bf.Collector, ctx: bf.Context, found: _Parts) -> None:
    """The tariff side as the store gives it: the engine's rates by sector, the scenario, the policy timeline."""
    from nearshore.tariffs.policy import load_policy

    policy = load_policy()
    if found.sector_source == "dataweb":
        from nearshore.tariffs.schedule import load_schedule

        schedule = load_schedule(ctx.store, as_of=ctx.as_of)  # one schedule: its cached rate arrays serve all three
        bf.guarded(c, "tariff_rate, tariff", lambda: parts.exposure(c, ctx, schedule))
        bf.guarded(c, "tariff_series", lambda: found.method.extend(engines.tariff_path(c, ctx, schedule, policy)))
        bf.guarded(c, "scenario", lambda: found.method.extend(engines.scenario(c, ctx, schedule).lines))
    else:
        lacking = f"which the store lacks for {ctx.year}"
        c.miss("tariff_rate, tariff", f"the tariff rates by sector need HTS10 imports, {lacking}")
        c.miss("tariff_series", f"the average tariff by day is weighted by HTS10 imports, {lacking}")
        c.miss("scenario", f"the review's tariff scenario runs on HTS10 imports, {lacking}")
    start = max(date(ctx.year, 1, 1), policy.start)
    rows = parts.policy_timeline(c, ctx, start)
    found.extra["timeline"] = {
        "rows": [r.as_dict() for r in rows],
        "recorded_to": policy.recorded_to,
        "after_year": ctx.year < start.year,
    }
    if ctx.year < start.year:
        found.extra["takeaways"] = {"before_tariffs": True}


def _ahead(c: bf.Collector, ctx: bf.Context, found: _Parts, today: date, latest: bool) -> None:
    """What the brief looks ahead to from `today`: the review's terms, the next release, what is scheduled."""
    from nearshore.tariffs.policy import load_policy

    policy = load_policy()
    parts.review_terms(c, ctx, today)
    after = max(today, policy.recorded_to) + timedelta(days=1)
    steps = tl.timeline(policy, ctx.partners, parts.NAMES, after, date(2100, 1, 1))
    for fact in tl.facts(steps):
        c.put(f"scheduled:{fact.id}", fact)
    watch: dict[str, Any] = {
        "scheduled": [r.as_dict() for r in tl.rows(steps)],
        "schedule_url": reference.schedule_url(),
    }
    if "next_release" in c.roles:
        month = c.facts[c.roles["next_release"]].label.split("statistics for ")[-1].rstrip(")")
        watch["next_month"] = month
    if latest:
        watch["data_end"] = f"December {ctx.year}"
    found.extra["watch"] = watch
    for fact_id, fact in c.facts.items():
        if fact_id.startswith("policy.s232-metals-1a.") and fact.period.startswith("2026-04-06"):
            c.roles["metals_rate"] = fact_id
        if fact_id.startswith("policy.ieepa-fentanyl-can.energy-critical-minerals."):
            c.roles.setdefault("energy_rate", fact_id)


def _aliases(c: bf.Collector, ctx: bf.Context) -> None:
    """Roles the review and takeaways use under a topic-neutral name."""
    roles = c.roles
    if "sector_value:Automotive (vehicles and parts)" in roles:
        roles["auto_value"] = roles["sector_value:Automotive (vehicles and parts)"]
    elif "chapter_value:vehicles and parts (chapter 87)" in roles:
        roles["auto_value"] = roles["chapter_value:vehicles and parts (chapter 87)"]
    if "CAN" in ctx.partners and "sector_value:Energy" in roles:
        roles["energy_value"] = roles["sector_value:Energy"]
    if "CAN" not in ctx.partners:
        roles.pop("energy_rate", None)


def _quotes(c: bf.Collector, quotes: Sequence[Quote], topic: str, found: _Parts) -> tuple[Quote, ...]:
    from nearshore.writer.quotes import quote_fact

    chosen = tuple(qt for qt in quotes if qt.topic in ("", "all", topic))
    for quote in chosen:
        c.put(f"quote:{quote.number}", quote_fact(quote))
    if chosen:
        found.extra["quotes"] = {"lines": [qt.line() for qt in chosen]}
    return chosen


@dataclass
class _Stored:
    """What a composition takes from the store, computed before anything that depends on the day it is
    written: the year, whether it is the latest complete one, the partners' share histories, the facts and the
    parts found (kept by the brief cache per store content, so the first brief of a day does not query again)."""

    year: int
    latest: bool
    history: dict[str, FigureTable]
    collector: bf.Collector
    found: _Parts


def _from_store(store: Store, topic: Topic, year: int | None, as_of: str | None) -> _Stored:
    from nearshore.analytics import share

    partners, name, prefix = TOPICS[topic]
    year = brief_year(store, partners, year, as_of)
    latest = year == complete_years(store, partners, as_of)[-1]
    history = {p: share(store, p, as_of=as_of) for p in dict.fromkeys((*partners, "MEX", "CAN", "CHN"))}
    ctx = bf.Context(store, partners, name, prefix, year, as_of, history)
    stored = _Stored(year, latest, history, bf.Collector(), _Parts())
    _trade(stored.collector, ctx, stored.found)
    _tariffs(stored.collector, ctx, stored.found)
    return stored


def compose_brief(
    store: Store,
    topic: str = "us-mexico",
    year: int | None = None,
    as_of: str | None = None,
    *,
    today: date | None = None,
    quotes: Sequence[Quote] = (),
    kept: Path | None = None,
) -> Composition:
    """Compute the brief's facts, outline and charts for `topic` from the store (see the module docstring).
    `today` dates what the brief looks ahead to (the next Census release, tariff changes already scheduled);
    `kept` is the brief cache's folder, where what the store gives is kept for the next day's brief. The parts
    ask some questions of the store more than once (the partners' totals): each is run once (`remembered`)."""
    from nearshore.data.query.engine import remembered

    with remembered(store):
        return _compose(store, topic, year, as_of, today, quotes, kept)


def _compose(
    store: Store,
    topic: str,
    year: int | None,
    as_of: str | None,
    today: date | None,
    quotes: Sequence[Quote],
    kept: Path | None,
) -> Composition:
    from nearshore.writer import cache

    chosen = validate_topic(topic)
    partners, name, prefix = TOPICS[chosen]
    today = today or date.today()
    stored = cache.composition(
        kept, store, ("store", chosen, year, as_of), lambda: _from_store(store, chosen, year, as_of)
    )
    year, c, found = stored.year, stored.collector, stored.found
    ctx = bf.Context(store, partners, name, prefix, year, as_of, stored.history)
    _ahead(c, ctx, found, today, stored.latest)
    _aliases(c, ctx)
    chosen_quotes = _quotes(c, quotes, chosen, found)
    if found.sector_source == "census-hs2":
        found.extra.setdefault("sectors", {})["chapters_only"] = True
    key_numbers = tuple(c.roles[r] for r in KEY_ROLES if r in c.roles)
    outline = standard_outline(chosen, name, year, c.roles, key_numbers, found.extra)
    facts = FactTable(
        tuple(c.facts.values()),
        outline.allowed_years,
        {"topic": chosen, "partner": name, "year": str(year), "as_of": as_of or "latest", "today": today.isoformat()},
    )
    drawn = charts(ctx, found.sectors, found.sector_source, found.months, found.usmca_source)
    method = methodology(
        ctx, c.missing, found.usmca_source, found.sector_source, bool(chosen_quotes), tuple(found.method)
    )
    return Composition(
        chosen, name, year, facts, dict(c.roles), outline, drawn, method, tuple(c.missing), chosen_quotes
    )


@dataclass(frozen=True)
class BriefRun:
    """A written brief: what was composed and what the writer produced."""

    composition: Composition
    result: BriefResult


def run_brief(
    topic: str = "us-mexico",
    year: int | None = None,
    as_of: str | None = None,
    formats: Sequence[str] = ("html", "md"),
    out_dir: Path = Path("out"),
    writer: str = "template",
    settings: Settings | None = None,
    store: Store | None = None,
    progress: Callable[[str], None] | None = None,
    *,
    quotes: Path | None = None,
    today: date | None = None,
) -> BriefRun:
    """Compose the brief from the user's store (opened read-only; on a fresh machine first seeded from the
    embedded snapshot) and write it to `out_dir` as `<topic>-<year>.<format>` plus `<topic>-<year>.facts.json`.
    `quotes` is a quotes file (quotes.py); `progress` is told each step."""
    from nearshore.data.snapshot import open_store
    from nearshore.settings import Settings
    from nearshore.writer import cache
    from nearshore.writer.pipeline import produce_brief
    from nearshore.writer.plan import validate_writer
    from nearshore.writer.quotes import load_quotes
    from nearshore.writer.reference import review_year
    from nearshore.writer.template import cache_compiled

    step = progress or (lambda _: None)
    validate_topic(topic)
    settings = settings or Settings.load()
    if validate_writer(writer) == "llm":  # an unconfigured endpoint is a ConfigError before any work
        from nearshore.writer.llm import LLMConfig

        LLMConfig.from_settings(settings)
    cache_compiled(settings.data_dir() / "cache" / "templates")
    kept = settings.data_dir() / "cache"
    briefs = kept / "briefs" if settings.flag("brief_cache") else None
    stored = kept / "stored" if briefs is not None else None
    loaded = load_quotes(quotes, (review_year(),)) if quotes is not None else []
    step("opening the store")
    today = today or date.today()
    args = (topic, year, as_of, today, tuple(loaded))
    with contextlib.ExitStack() as stack:
        opened = store if store is not None else stack.enter_context(open_store(settings, read_only=True))
        step("computing the facts")
        composition = cache.composition(
            briefs,
            opened,
            args,
            lambda: compose_brief(opened, topic, year, as_of, today=today, quotes=loaded, kept=stored),
        )
    info = BriefInfo(methodology=composition.methodology, quotes=composition.quotes)
    step(f"writing {composition.name} with the {writer} writer")
    with cache.keeping_charts(kept / "charts" if settings.flag("chart_cache") else None):
        result = produce_brief(
            composition.outline,
            composition.facts,
            composition.charts,
            out_dir,
            composition.name,
            formats,
            writer,
            info,
            settings,
        )
    return BriefRun(composition, result)


__all__ = [
    "TOPICS",
    "BriefRun",
    "Composition",
    "Topic",
    "brief_year",
    "complete_years",
    "compose_brief",
    "run_brief",
    "validate_topic",
]
