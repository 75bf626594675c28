"""The brief's facts from two engines it would otherwise only ask about:

- the PE scenario engine (`nearshore scenario tariff`, nearshore/scenarios/pe) on the scenario file shipped in
  `scenarios/usmca_ch87.yaml` (USMCA preference withdrawn for vehicles and parts): the average tariff on the
  partners' chapter 87 imports before and after, on the brief year's HTS10 mix, and the model's change in those
  imports, in percent and dollars (the review section);
- the daily tariff series (`nearshore tariff series`, nearshore/tariffs/series.py): the import-weighted average
  tariff on the partners' goods on the first and last day of the brief's year, and the authorities that make up
  the last (the timeline section).

Both share the brief's schedule and policy (loaded once, so the rate arrays the exposure part built are reused).
For a set of partners a rate is recomputed from the summed bases, never averaged. Missing data (no HTS10 imports
for the year) raises DataNotFound, which the caller turns into a `missing` note.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Final

from nearshore.errors import DataNotFound
from nearshore.writer.facts import Direction, Fact

if TYPE_CHECKING:
    from nearshore.scenarios.result import ScenarioResult
    from nearshore.tariffs.policy import Policy
    from nearshore.tariffs.schedule import Schedule
    from nearshore.tariffs.series import TariffSeries
    from nearshore.writer.brief_facts import Collector, Context

SCENARIO_FILE: Final = Path(__file__).parent / "scenarios" / "usmca_ch87.yaml"
SCENARIO_NAME: Final = "nearshore/writer/scenarios/usmca_ch87.yaml"
SCENARIO_PRODUCTS: Final = ("87",)
SCENARIO_ID: Final = "usmca-ch87"
# The authorities of the tariff series, as prose names them (series.COMPONENTS).
AUTHORITIES: Final = {
    "mfn": "the general (MFN) rates",
    "s232": "Section 232 duties",
    "s301": "Section 301 duties",
    "ieepa_fentanyl": "the IEEPA fentanyl and border duties",
    "ieepa_reciprocal": "the IEEPA reciprocal duties",
    "ieepa_country": "the IEEPA duties on Brazil and India",
    "s122": "the Section 122 surcharge",
    "s201": "Section 201 safeguards",
}
SHOWN_FROM: Final = 0.05  # percent: an authority is named when it shows as at least 0.1%
SERIES_CLAIMS: Final = "second-half"
CLAIM_WORDS: Final = "each line's claimed share of July-December"


@dataclass(frozen=True)
class ScenarioRun:
    """What the brief ran and what the methodology says about it."""

    result: ScenarioResult
    lines: tuple[str, ...]


def _subject(ctx: Context) -> tuple[str, ...]:
    return tuple(sorted(ctx.name.split(" and ")))


def _weighted(rates: Sequence[float], weights: Sequence[float]) -> float:
    total = sum(weights)
    if not total:
        raise DataNotFound("no imports to weight the rate with")
    return sum(r * w for r, w in zip(rates, weights, strict=True)) / total


# --- the PE scenario --------------------------------------------------------------------------------------------


def run_scenario(ctx: Context, schedule: Schedule | None = None) -> ScenarioResult:
    """The shipped scenario on the year's HTS10 market of chapter 87 (every partner the store holds there)."""
    from nearshore.scenarios.pe import TariffRequest, simulate_tariff

    request = TariffRequest(scenario=SCENARIO_FILE, year=ctx.year, products=SCENARIO_PRODUCTS, top=0, as_of=ctx.as_of)
    return simulate_tariff(ctx.store, request, schedule=schedule)


def scenario_values(result: ScenarioResult, partners: Sequence[str]) -> dict[str, float]:
    """tariff_old, tariff_new (percent, import-weighted over the partners), total_effect (USD) and
    total_effect_pct (percent of the partners' imports before) from the result's partner table."""
    table = result.table("partners")
    held = {str(row.keys[0]) for row in table.rows}
    lacking = [p for p in partners if p not in held]
    if lacking:
        raise DataNotFound(f"the scenario's market holds no chapter 87 imports from {', '.join(lacking)}")
    base = [table.figure("imports_base", partner=p).value for p in partners]
    effect = sum(table.figure("total_effect", partner=p).value for p in partners)
    return {
        "tariff_old": _weighted([table.figure("tariff_old", partner=p).value for p in partners], base),
        "tariff_new": _weighted([table.figure("tariff_new", partner=p).value for p in partners], base),
        "total_effect": effect,
        "total_effect_pct": 100.0 * effect / sum(base),
    }


def _elasticity_words(result: ScenarioResult) -> str:
    rows = result.table("elasticities").rows
    parts = []
    for row in rows:
        demand, sigma, supply, count, _ = (f.value if f else 0.0 for f in row.figures)
        parts.append(
            f"import demand {demand:.4f}, substitution {sigma:.4f}, export supply {supply:g} for {count:,.0f} "
            f"product(s) ({row.keys[0]})"
        )
    return "; ".join(parts)


def scenario(c: Collector, ctx: Context, schedule: Schedule | None = None) -> ScenarioRun:
    """The review's scenario facts (roles `scenario_tariff_before`, `scenario_tariff_after`,
    `scenario_imports_change`, `scenario_imports_value`) and the methodology lines with its assumptions."""
    result = run_scenario(ctx, schedule)
    values = scenario_values(result, ctx.partners)
    before, after = result.assumption("baseline_date").value, result.assumption("scenario_date").value
    scen = result.assumption("scenario")
    command = f"nearshore scenario tariff {SCENARIO_NAME} --year {ctx.year} --product 87 --table partners" + (
        f" --as-of {ctx.as_of}" if ctx.as_of else ""
    )
    prov = result.provenance
    comparison = (
        f"engine {result.engine} (WITS-SMART partial equilibrium); scenario {SCENARIO_NAME} ({scen.meaning}; "
        f"{str(scen.source).rsplit('(', 1)[-1].rstrip(')')}); tariffs on {before} before and {after} after, "
        f"{'; '.join(v for v in prov.vintages)}; market: HTS10 imports for consumption of chapter 87, "
        f"{ctx.year}; elasticities: {_elasticity_words(result)}"
    )
    what = f"U.S. imports of vehicles and parts (chapter 87) from {ctx.name}"
    p, y = ctx.prefix, ctx.year
    base = Fact(
        id=f"{p}.scenario.{SCENARIO_ID}.tariff.before.{y}",
        value=values["tariff_old"],
        unit="percent",
        period=str(y),
        label=f"average tariff on {what}, tariffs of {before}, {y} mix",
        source="; ".join(("dataweb", "hts", "tariff-policy")),
        vintage=", ".join((*prov.vintages, f"policy {result.assumption('policy').value}")),
        query=command,
        comparison=comparison,
        decimals=1,
        subject=_subject(ctx),
    )
    facts = {
        "scenario_tariff_before": base,
        "scenario_tariff_after": replace(
            base,
            id=f"{p}.scenario.{SCENARIO_ID}.tariff.after.{y}",
            value=values["tariff_new"],
            label=f"average tariff on {what} with USMCA preference withdrawn (PE scenario), {y} mix",
        ),
        "scenario_imports_change": replace(
            base,
            id=f"{p}.scenario.{SCENARIO_ID}.imports.change.{y}",
            value=values["total_effect_pct"],
            label=f"change in {what} with USMCA preference withdrawn (PE model, total trade effect)",
            direction=_sign(values["total_effect_pct"]),
        ),
        "scenario_imports_value": replace(
            base,
            id=f"{p}.scenario.{SCENARIO_ID}.imports.change.usd.{y}",
            value=values["total_effect"],
            unit="USD",
            label=f"change in {what} with USMCA preference withdrawn (PE model, total trade effect, dollars)",
            direction=_sign(values["total_effect"]),
        ),
    }
    for role, fact in facts.items():
        c.put(role, fact)
    return ScenarioRun(result, _scenario_lines(result, ctx))


def _sign(value: float) -> Direction:
    return "up" if value > 0 else "down" if value < 0 else "unchanged"


def _scenario_lines(result: ScenarioResult, ctx: Context) -> tuple[str, ...]:
    keep = ("baseline_date", "scenario_date", "scenario", "market", "claims", "world_price", "export_supply")
    said = "; ".join(a.line() for a in result.assumptions if a.name in keep or a.name.startswith("change_"))
    said = said.replace(str(SCENARIO_FILE), SCENARIO_NAME)
    lacking = [n for n in result.provenance.notes if "lacks" in n]
    return (
        f"The review's scenario is nearshore's partial-equilibrium model (WITS-SMART; Jammes and Olarreaga 2005) "
        f"run on {SCENARIO_NAME}, the HTS10 imports for consumption of chapter 87 in {ctx.year}: the tariff "
        "engine rates every line before and after the edit, and the model moves imports by the import demand "
        "and substitution elasticities. The tariffs are the import-weighted averages on the year's mix; the "
        "change in imports is the total trade effect (creation, diversion and price effect). Assumptions: "
        f"{said}. Elasticities used: {_elasticity_words(result)}."
        + (
            " The market holds only the partners the store has at HTS10, so no trade is diverted to others."
            if lacking
            else ""
        ),
    )


# --- the tariff series ------------------------------------------------------------------------------------------


def series_days(year: int, policy: Policy) -> tuple[date, date] | None:
    """The first and last day of `year` the series can rate (None when the year ends before the policy starts)."""
    first, last = max(date(year, 1, 1), policy.start), date(year, 12, 31)
    return (first, last) if first <= last else None


def run_series(ctx: Context, schedule: Schedule, policy: Policy, days: tuple[date, date]) -> TariffSeries:
    from nearshore.tariffs.series import tariff_series

    return tariff_series(
        ctx.store,
        schedule,
        policy,
        partners=list(ctx.partners),
        start=days[0],
        end=days[1],
        claims=SERIES_CLAIMS,
        hts10_year=ctx.year,
    )


def series_rates(built: TariffSeries, partners: Sequence[str], day: date) -> dict[str, float]:
    """Each component and the total on `day`, in percent, weighted over the partners by their imports."""
    weights = {b.partner: b.imports for b in built.bases}
    steps = [built.at(p, day) for p in partners]
    keys = steps[0].rates
    return {k: 100.0 * _weighted([s.rates[k] for s in steps], [weights[p] for p in partners]) for k in keys}


def _weight_vintages(ctx: Context) -> tuple[str, ...]:
    """The store vintages of the HTS10 imports that weight the series."""
    from nearshore.data import query
    from nearshore.data.query import When
    from nearshore.tariffs.effective import HTS10_SCOPE

    prov = query.provenance(
        ctx.store, HTS10_SCOPE.with_partners(*ctx.partners), None, "", when=When.year(ctx.year, monthly=True)
    )
    return prov.vintages


def tariff_path(c: Collector, ctx: Context, schedule: Schedule, policy: Policy) -> tuple[str, ...]:
    """Roles `tariff_series_start`, `tariff_series_end` and `tariff_series_part:<authority>` (the end's parts);
    returns the methodology line."""
    if ctx.as_of:
        raise DataNotFound("the tariff series weights with the store's latest vintage only, not --as-of")
    days = series_days(ctx.year, policy)
    if days is None:
        raise DataNotFound(f"the tariff series starts on {policy.start.isoformat()}, after {ctx.year}")
    built = run_series(ctx, schedule, policy, days)
    bases = "; ".join(f"{b.partner}: {b.text}" for b in built.bases)
    comparison = (
        f"import-weighted average of the tariff engine's line rates (as `nearshore tariff series --claims "
        f"{SERIES_CLAIMS}`); weights {bases}"
    )
    command = (
        f"nearshore tariff series --partner {','.join(ctx.partners)} --from {days[0]} --to {days[1]} "
        f"--hts10-year {ctx.year} --claims {SERIES_CLAIMS}"
    )
    vintages = (*_weight_vintages(ctx), f"HTS {built.revision}", f"policy {built.policy_version}")
    what = f"import-weighted U.S. tariff on goods from {ctx.name}"
    for role, day in (("tariff_series_start", days[0]), ("tariff_series_end", days[1])):
        rates = series_rates(built, ctx.partners, day)
        fact = Fact(
            id=f"{ctx.prefix}.tariff.series.{day.isoformat()}",
            value=rates["total"],
            unit="percent",
            period=day.isoformat(),
            label=what,
            source="dataweb; hts; tariff-policy",
            vintage=", ".join(vintages),
            query=command,
            comparison=comparison,
            decimals=1,
            subject=_subject(ctx),
        )
        c.put(role, fact)
        if role == "tariff_series_end":
            for key, name in AUTHORITIES.items():
                if rates[key] >= SHOWN_FROM:
                    part = replace(fact, id=f"{fact.id}.{key.replace('_', '-')}", value=rates[key])
                    c.put(f"tariff_series_part:{name}", replace(part, label=f"{what}, {name}"))
    return (
        f"The average tariff in the timeline is nearshore's tariff series (`{command}`): the tariff engine's "
        f"rate on every HTS10 line on the day, weighted by the {ctx.year} imports for consumption of each line "
        f"(USITC DataWeb), the USMCA-claimed part at the USMCA rate ({CLAIM_WORDS}); split by the authority "
        "that levies each part. Value the schedule cannot rate stays in the denominator at zero.",
    )


__all__ = [
    "AUTHORITIES",
    "SCENARIO_FILE",
    "ScenarioRun",
    "run_scenario",
    "run_series",
    "scenario",
    "scenario_values",
    "series_days",
    "series_rates",
    "tariff_path",
]
