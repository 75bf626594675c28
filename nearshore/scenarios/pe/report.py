"""The figures of a PE tariff simulation: totals, per partner, per named sector and per product, with the
assumptions (dates, policy, scenario file, market, elasticities used)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

import numpy as np

from nearshore.analytics.result import Figure, FigureRow, FigureTable, Period, Provenance, Unit
from nearshore.analytics.sectors import all_sectors
from nearshore.scenarios.pe.elasticities import Choice
from nearshore.scenarios.pe.market import Market
from nearshore.scenarios.pe.model import Effects, aggregate
from nearshore.scenarios.pe.scenario_file import TariffScenario
from nearshore.scenarios.result import Assumption, ScenarioResult
from nearshore.tariffs.policy import Policy

if TYPE_CHECKING:
    from nearshore.scenarios.pe.request import TariffRequest

ENGINE: Final = "pe-smart"
TABLES: Final = ("totals", "partners", "sectors", "products", "elasticities")
METHOD: Final = "WITS-SMART single-market model (Jammes & Olarreaga 2005, Explaining SMART and GSIM)"
# (measure, unit, label); USD sums first, then the ratios computed from them
MEASURES: Final[tuple[tuple[str, Unit, str], ...]] = (
    ("imports_base", "USD", "imports before"),
    ("creation", "USD", "trade creation"),
    ("diversion", "USD", "trade diversion"),
    ("price_effect", "USD", "price effect"),
    ("total_effect", "USD", "total trade effect"),
    ("total_effect_pct", "percent", "total trade effect, percent of imports"),
    ("revenue_change", "USD", "tariff revenue change"),
    ("consumer_surplus", "USD", "consumer surplus change"),
    ("welfare", "USD", "welfare change (consumer surplus + tariff revenue)"),
    ("tariff_old", "percent", "effective tariff before (import-weighted)"),
    ("tariff_new", "percent", "effective tariff after, on the baseline mix"),
)


@dataclass(frozen=True)
class Inputs:
    """What the report needs besides the effects."""

    market: Market
    keep: np.ndarray
    codes: list[str]
    product: np.ndarray
    choices: list[Choice]
    scenario: TariffScenario
    baseline_date: dt.date
    scenario_date: dt.date
    policy: Policy
    base_policy: Policy
    revision: str
    notes: tuple[str, ...]
    request: TariffRequest


def report(inputs: Inputs, effects: Effects) -> ScenarioResult:
    market = inputs.market
    partners = np.array(market.partners, dtype=object)[inputs.keep]
    period = Period.year(market.year)
    provenance = _provenance(inputs)
    title = inputs.scenario.describe()
    tables = (
        (
            "totals",
            _table(
                "Totals",
                ("market",),
                [("all",)],
                aggregate(effects, np.zeros(len(partners), dtype=np.int64), 1),
                period,
                provenance,
            ),
        ),
        ("partners", _grouped("By partner", "partner", list(partners), effects, period, provenance)),
        ("sectors", _sectors(inputs, effects, period, provenance)),
        ("products", _products(inputs, effects, period, provenance)),
        ("elasticities", _elasticities(inputs, period, provenance)),
    )
    return ScenarioResult(
        engine=ENGINE,
        title=f"Partial-equilibrium effects of: {title} ({market.level} market {market.year})",
        tables=tables,
        assumptions=_assumptions(inputs),
        provenance=provenance,
    )


def _grouped(
    title: str, key: str, labels: Sequence[str], effects: Effects, period: Period, prov: Provenance
) -> FigureTable:
    names = sorted(set(labels))
    index = {n: k for k, n in enumerate(names)}
    groups = np.array([index[x] for x in labels], dtype=np.int64)
    sums = aggregate(effects, groups, len(names))
    return _table(title, (key,), [(n,) for n in names], sums, period, prov)


def _sectors(inputs: Inputs, effects: Effects, period: Period, prov: Provenance) -> FigureTable:
    keys, sums = [], []
    for sector in all_sectors():
        prefixes = frozenset(sector.hs)
        sizes = sorted({len(p) for p in prefixes})
        inside = np.array([any(c[:n] in prefixes for n in sizes) for c in inputs.codes], dtype=bool)
        covered = inside[inputs.product]
        if covered.any():
            keys.append((sector.id,))
            sums.append(aggregate(effects, np.where(covered, 0, -1).astype(np.int64), 1))
    merged = {m: np.concatenate([s[m] for s in sums]) if sums else np.zeros(0) for m in effects.values}
    return _table("By named sector (sectors may overlap)", ("sector",), keys, merged, period, prov)


def _products(inputs: Inputs, effects: Effects, period: Period, prov: Provenance) -> FigureTable:
    sums = aggregate(effects, inputs.product.astype(np.int64), len(inputs.codes))
    order = np.argsort(-np.abs(sums["total_effect"]), kind="stable")
    top = inputs.request.top
    chosen = order if top == 0 else order[:top]
    picked = {m: v[chosen] for m, v in sums.items()}
    shown = (
        "every product"
        if top == 0 or top >= len(order)
        else f"the {len(chosen)} of {len(order):,} products with the largest effect"
    )
    return _table(f"By product ({shown})", ("product",), [(inputs.codes[k],) for k in chosen], picked, period, prov)


def _table(
    title: str,
    key_columns: tuple[str, ...],
    keys: Sequence[tuple[str, ...]],
    sums: dict[str, np.ndarray],
    period: Period,
    prov: Provenance,
) -> FigureTable:
    base = sums["imports_base"]
    derived = {
        "total_effect_pct": 100.0 * np.divide(sums["total_effect"], base, out=np.zeros_like(base), where=base > 0),
        "tariff_old": 100.0 * np.divide(sums["duty_base_weighted"], base, out=np.zeros_like(base), where=base > 0),
        "tariff_new": 100.0 * np.divide(sums["duty_new_weighted"], base, out=np.zeros_like(base), where=base > 0),
    }
    columns = {**sums, **derived}
    rows = []
    for k, key in enumerate(keys):
        subject = tuple(zip(key_columns, key, strict=True))
        who = "/".join(key)
        figures = tuple(
            _figure(float(columns[name][k]), unit, f"{who}: {label}", period, prov, subject)
            for name, unit, label in MEASURES
        )
        rows.append(FigureRow(key, figures))
    return FigureTable(title, key_columns, tuple(m for m, _, _ in MEASURES), tuple(rows), prov)


def _figure(
    value: float, unit: Unit, label: str, period: Period, prov: Provenance, subject: tuple[tuple[str, str], ...]
) -> Figure:
    if unit == "USD":
        return Figure(value, unit, label, period, prov, scale="millions", decimals=1, subject=subject)
    return Figure(value, unit, label, period, prov, decimals=2, subject=subject)


def _elasticities(inputs: Inputs, period: Period, prov: Provenance) -> FigureTable:
    """Each distinct set of elasticities used, with how many products and how much baseline trade it covers."""
    imports = np.bincount(inputs.product, weights=inputs.market.imports[inputs.keep], minlength=len(inputs.codes))
    groups: dict[Choice, list[int]] = {}
    for k, choice in enumerate(inputs.choices):
        groups.setdefault(choice, []).append(k)
    rows = []
    for choice, members in sorted(groups.items(), key=lambda item: -float(imports[item[1]].sum())):
        label = "; ".join(
            f"{v.source}{', ' + v.where if v.where else ''}"
            for v in (choice.import_demand, choice.substitution, choice.export_supply)
        )
        subject = (("sources", label),)
        demand, sigma, supply = choice.key()
        figures = (
            Figure(demand, "index", "import demand elasticity", period, prov, decimals=4, subject=subject),
            Figure(sigma, "index", "substitution elasticity", period, prov, decimals=4, subject=subject),
            Figure(supply, "index", "export supply elasticity", period, prov, decimals=1, subject=subject),
            Figure(float(len(members)), "count", "products", period, prov, decimals=0, subject=subject),
            Figure(
                float(imports[members].sum()),
                "USD",
                "imports before",
                period,
                prov,
                scale="millions",
                decimals=1,
                subject=subject,
            ),
        )
        rows.append(FigureRow((label,), figures))
    measures = ("import_demand", "substitution", "export_supply", "products", "imports_base")
    return FigureTable("Elasticities used", ("sources",), measures, tuple(rows), prov)


def _provenance(inputs: Inputs) -> Provenance:
    market = inputs.market
    dropped = int((~inputs.keep).sum())
    notes = [
        f"method: {METHOD}; tariffs from nearshore.tariffs (policy {inputs.policy.version}, {inputs.revision}) "
        f"on {inputs.baseline_date.isoformat()} (before) and {inputs.scenario_date.isoformat()} (after)",
        *market.notes,
        *dict.fromkeys(inputs.notes),
    ]
    if dropped:
        value = float(market.imports[~inputs.keep].sum())
        notes.append(f"{dropped:,} line(s) (${value / 1e6:,.1f}M) left out: no rate in the schedule or no imports")
    if market.lacking:
        notes.append(market.lacking)
    return market.provenance.with_note(*notes)


def _assumptions(inputs: Inputs) -> tuple[Assumption, ...]:
    return (*_setting(inputs), *_elasticity_sources(inputs))


def _setting(inputs: Inputs) -> list[Assumption]:
    """Dates, scenario, policy, market, claims and prices the figures rest on."""
    scenario, request, market = inputs.scenario, inputs.request, inputs.market
    checksum = f" (sha256 {scenario.checksum[:12]})" if scenario.checksum else ""
    withdrawn = "; withdrawn lines pay the rate without a claim" if scenario.withdrawals() else ""
    sources = ", ".join(market.provenance.sources) + "; vintages " + ", ".join(market.provenance.vintages)
    items = [
        Assumption("engine", ENGINE, "partial equilibrium, one market per product, Armington varieties", METHOD),
        Assumption(
            "baseline_date",
            inputs.baseline_date.isoformat(),
            "tariffs before",
            "option --date" if request.baseline_date else "default: the policy's last recorded action",
        ),
        Assumption(
            "scenario_date",
            inputs.scenario_date.isoformat(),
            "tariffs after",
            "option --at" if request.at else ("scenario file" if scenario.date else "the baseline date"),
        ),
        Assumption("scenario", scenario.name, scenario.describe(), scenario.source + checksum),
        Assumption("policy", inputs.base_policy.version, "tariff policy the scenario edits", _file(inputs.base_policy)),
        Assumption("market", f"{market.level} {market.year}", "U.S. imports by product x partner", sources),
        Assumption("claims", "as in the store", "each line's USMCA-claimed share stays as in the baseline" + withdrawn),
        Assumption("world_price", 1, "imports are quantities at world prices normalised to 1", "WITS SMART manual"),
    ]
    items += [
        Assumption(f"change_{k}", c.text, "scenario edit of the policy data", scenario.source)
        for k, c in enumerate(scenario.changes, 1)
    ]
    return items


def _file(policy: Policy) -> str:
    return f"nearshore/tariffs/policy/{Path(policy.path).name}" if policy.path else "the shipped policy"


def _elasticity_sources(inputs: Inputs) -> list[Assumption]:
    """How many products took each source of each elasticity (the values: the elasticities table)."""
    items = []
    for kind in ("import_demand", "substitution"):
        counts = Counter(getattr(c, kind).source for c in inputs.choices)
        what = kind.replace("_", " ") + " elasticity"
        items += [
            Assumption(kind, f"{n:,} product(s)", f"{what} from this source (values: table elasticities)", source)
            for source, n in counts.most_common()
        ]
    counts = Counter(f"{c.export_supply.value:g} ({c.export_supply.source})" for c in inputs.choices)
    source = "option --export-supply" if inputs.request.export_supply is not None else "table elasticities"
    items += [
        Assumption("export_supply", v, f"export supply elasticity of {n:,} product(s)", source)
        for v, n in counts.most_common()
    ]
    return items


__all__ = ["ENGINE", "MEASURES", "TABLES", "Inputs", "report"]
