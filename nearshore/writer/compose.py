"""The main job: from the store to a published brief. `compose_brief` computes the facts, the outline roles and
the three charts for a topic and year; `run_brief` opens the user's store, composes and writes the files.

Topics: us-mexico (Mexico), us-canada (Canada), north-america (Canada and Mexico taken together: amounts
summed, shares and rates recomputed from the sums; no rank, since the pair is not one country).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Final, Literal

from nearshore.analytics import series as q
from nearshore.analytics.events import get_event
from nearshore.analytics.result import FigureTable, choose
from nearshore.data import query
from nearshore.data.query import Scope
from nearshore.errors import DataNotFound
from nearshore.writer import brief_facts as bf
from nearshore.writer.charts import Chart, Series, partner_shares, sector_composition, usmca_claimed
from nearshore.writer.facts import FactTable
from nearshore.writer.plan import Outline
from nearshore.writer.render import BriefInfo
from nearshore.writer.template import REVIEW_YEAR, standard_outline

if TYPE_CHECKING:
    from nearshore.data.store import Store
    from nearshore.settings import Settings
    from nearshore.writer.pipeline import BriefResult

Topic = Literal["us-mexico", "us-canada", "north-america"]
TOPICS: Final[dict[str, tuple[tuple[str, ...], str, str]]] = {
    # topic: (partners, name in prose, fact-id prefix)
    "us-mexico": (("MEX",), "Mexico", "mex"),
    "us-canada": (("CAN",), "Canada", "can"),
    "north-america": (("CAN", "MEX"), "Canada and Mexico", "na"),
}
CHART_PARTNERS: Final = (("MEX", "Mexico"), ("CAN", "Canada"), ("CHN", "China"))
CHART_YEARS: Final = 20
KEY_ROLES: Final = ("imports", "share", "rank", "balance", "usmca_share")
SOURCE_NAMES: Final = {
    "census-country": "U.S. Census Bureau, FT-900 trade by country",
    "dataweb": "USITC DataWeb, imports for consumption by HTS10",
    "census-duties": "U.S. Census Bureau, imports for consumption and calculated duties",
    "census-usmca": "U.S. Census Bureau, USMCA-claimed imports (series 0021/0022) over imports for consumption",
}


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


def _source(table: FigureTable) -> str:
    prov = table.provenance
    names = "; ".join(SOURCE_NAMES.get(s, s) for s in prov.sources)
    return f"{names} (vintage {', '.join(prov.vintages)})"


def compose_brief(
    store: Store, topic: str = "us-mexico", year: int | None = None, as_of: str | None = None
) -> Composition:
    """Compute the brief's facts, roles and charts for `topic` from the store (see the module docstring)."""
    chosen = validate_topic(topic)
    partners, name, prefix = TOPICS[chosen]
    year = brief_year(store, partners, year, as_of)
    from nearshore.analytics import share

    history = {p: share(store, p, as_of=as_of) for p in dict.fromkeys((*partners, "MEX", "CAN", "CHN"))}
    ctx = bf.Context(store, partners, name, prefix, year, as_of, history)
    c = bf.Collector()
    bf.relationship(c, ctx)
    sectors: list[tuple[str, float]] = []
    months: list[tuple[str, float]] = []

    def sector_part() -> None:
        sectors.extend(bf.sectors(c, ctx))

    usmca_source: list[str] = ["census-usmca"]

    def usmca_part() -> None:
        # The Census USMCA series (0021/0022) is the published monthly total of claims; DataWeb's HTS10 claims
        # record March-June 2025 lower (see the methodology), so they serve only where the series is absent.
        try:
            months.extend(bf.usmca(c, ctx, source="census"))
        except DataNotFound:
            usmca_source[0] = "dataweb"
            months.extend(bf.usmca(c, ctx))

    bf.guarded(c, "sectors", sector_part)
    bf.guarded(c, "usmca_share, usmca_share_prev, usmca_change", usmca_part)
    bf.guarded(c, "duty_rate", lambda: bf.duty(c, ctx, year, "duty_rate"))
    bf.guarded(c, "duty_rate_prev", lambda: bf.duty(c, ctx, year - 1, "duty_rate_prev"))
    bf.guarded(c, "china_share", lambda: bf.china(c, ctx, history["CHN"]))
    event = get_event(bf.TARIFF_EVENT).date
    if year >= event.year:
        bf.guarded(c, "event_change", lambda: bf.tariff_event(c, ctx))
    else:
        c.miss("event_change", f"the {event:%B %Y} tariffs fall after the brief's year {year}")
    charts = _charts(ctx, sectors, months, usmca_source[0])
    key_numbers = tuple(c.roles[r] for r in KEY_ROLES if r in c.roles)
    outline = standard_outline(chosen, name, year, c.roles, key_numbers)
    facts = FactTable(
        tuple(c.facts.values()),
        (year, REVIEW_YEAR),
        {"topic": chosen, "partner": name, "year": str(year), "as_of": as_of or "latest"},
    )
    method = _methodology(ctx, c.missing, usmca_source[0])
    return Composition(chosen, name, year, facts, dict(c.roles), outline, charts, method, tuple(c.missing))


def _charts(
    ctx: bf.Context, sectors: list[tuple[str, float]], months: list[tuple[str, float]], usmca_source: str
) -> tuple[Chart, ...]:
    charts = []
    first = ctx.year - CHART_YEARS + 1
    series = []
    for pid, label in CHART_PARTNERS:
        rows = ctx.history[pid].rows
        points = tuple(
            (str(r.keys[1]), f.value)
            for r in rows
            if first <= int(str(r.keys[1])) <= ctx.year and (f := r.figures[2]) is not None
        )
        series.append(Series(label, points))
    if not ctx.single:
        sub = bf.Context(ctx.store, ctx.partners, ctx.name, ctx.prefix, ctx.year, ctx.as_of, ctx.history)
        combined = tuple((str(y), f.value) for y, f in bf.share_series(sub) if y >= first)
        series.append(Series("Canada + Mexico", combined))
    charts.append(partner_shares(series, _source(ctx.history["MEX"])))
    if sectors:
        charts.append(sector_composition(ctx.name, sectors, SOURCE_NAMES["dataweb"]))
    if months:
        charts.append(usmca_claimed(ctx.name, months, SOURCE_NAMES[usmca_source]))
    return tuple(charts)


def _methodology(ctx: bf.Context, missing: Sequence[str], usmca_source: str) -> tuple[str, ...]:
    lines = list(BriefInfo().methodology)
    lines.append(
        "Shares of U.S. goods imports are general imports (customs value) from the Census country file over "
        "the world total; ranks are among countries. Sector shares use the HS lists of nearshore's sector "
        "definitions over all imports for consumption by HTS10 (DataWeb); sectors may overlap."
    )
    duties = "Collected duty rates are Census calculated duties over imports for consumption."
    if usmca_source == "dataweb":
        lines.append(
            "USMCA-claimed shares are DataWeb imports for consumption entered under special programme S or S+ "
            "over all imports for consumption, as the store holds no Census USMCA series (aggregates "
            "0021/0022) for the brief's year. " + duties
        )
    else:
        lines.append(
            "USMCA-claimed shares are the Census USMCA-claimed imports for consumption (aggregates 0021 "
            "Mexico / 0022 Canada) over Census imports for consumption. USITC DataWeb's HTS10 claims under "
            "special programme S/S+, used for product detail, agree with it in January-February and from July "
            "2025 but record far fewer claims in March-June 2025 (e.g. Mexico, March: 48.7% against 76.4%). " + duties
        )
    if not ctx.single:
        lines.append(
            "North America here means Canada and Mexico taken together: dollar amounts are the sums of the "
            "two partners' figures and every share or rate is recomputed from those sums (never averaged). "
            "A pair of countries has no rank among countries, so no rank is given."
        )
    lines += [f"Not in this brief: {m.split('; load more')[0]}." for m in missing]
    return tuple(lines)


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
) -> BriefRun:
    """Compose the brief from the user's store (opened read-only; on a fresh machine first seeded from the
    embedded snapshot) and write it to `out_dir` as `<topic>-<year>.<format>` plus `<topic>-<year>.facts.json`.
    `progress` is told each step."""
    from nearshore.data.snapshot import open_store
    from nearshore.writer.pipeline import produce_brief
    from nearshore.writer.plan import validate_writer

    step = progress or (lambda _: None)
    validate_topic(topic)
    if validate_writer(writer) == "llm":  # an unconfigured endpoint is a ConfigError before any work
        from nearshore.settings import Settings
        from nearshore.writer.llm import LLMConfig

        LLMConfig.from_settings(settings or Settings.load())
    step("opening the store")
    if store is None:
        with open_store(settings, read_only=True) as opened:
            step("computing the facts")
            composition = compose_brief(opened, topic, year, as_of)
    else:
        composition = compose_brief(store, topic, year, as_of)
    info = BriefInfo(methodology=composition.methodology)
    step(f"writing {composition.name} with the {writer} writer")
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
