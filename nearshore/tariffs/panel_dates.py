"""The tariff panel at every effective date, as one dataset partitioned by date.

The rates are the tariff engine's own panel (`build_panel`, panel.py: every HTS10 line x partner on one date,
vectorised with numpy); this module only picks the dates and hands the per-date build to
nearshore/data/spark/partitions.py, which runs it here (`numpy`) or one date per Spark task (`spark`, the schedule
and policy broadcast once) and writes the same dataset either way (`tariff_panel/date=YYYY-MM-DD/part-0.parquet`),
staged and committed with a manifest like `nearshore data export`.

The effective dates are the days the policy file changes something the panel shows: the start of the policy,
the first day of every rate period, exemption and stacking rule, and the day after each one ends.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Final, Literal

from nearshore.data.export.location import resolve
from nearshore.data.export.manifest import Manifest
from nearshore.data.spark.partitions import build_partitions
from nearshore.errors import InputError
from nearshore.settings import Settings
from nearshore.tariffs.panel import COLUMNS, build_panel
from nearshore.tariffs.policy import Policy
from nearshore.tariffs.schedule import Schedule

PanelEngine = Literal["numpy", "spark"]
PANEL_ENGINES: Final = ("numpy", "spark")
TABLE: Final = "tariff_panel"


def effective_dates(policy: Policy, since: date | None = None, until: date | None = None) -> list[date]:
    """Every date from `since` (default: the policy's start) to `until` (default: the last change recorded or
    scheduled) on which a rate period, exemption or stacking rule starts, or the day after one ends."""
    found = policy.change_days()
    low = max(since or policy.start, policy.start)
    return sorted(d for d in found if d >= low and (until is None or d <= until))


def arrow_schema() -> Any:
    import pyarrow as pa

    fields = [("date", pa.date32()), ("hts10", pa.string()), ("partner", pa.string()), ("base_specific", pa.bool_())]
    return pa.schema(fields + [(c, pa.float32()) for c in COLUMNS])


def panel_table(schedule: Schedule, policy: Policy, on: date, partners: list[str] | None) -> Any:
    """The tariff engine's panel on `on` as a plain Arrow table (strings, not dictionaries) with a date column."""
    import pyarrow as pa

    table = build_panel(schedule, policy, on, partners=partners).to_arrow()
    table = table.add_column(0, "date", pa.array([on] * table.num_rows, pa.date32()))
    return table.cast(arrow_schema())


def _build(payload: tuple[Schedule, Policy, list[str] | None], on: date) -> Any:
    """One date's panel (runs here or on a Spark executor)."""
    schedule, policy, partners = payload
    return panel_table(schedule, policy, on, partners)


@dataclass(frozen=True)
class PanelReport:
    uri: str
    engine: str
    dates: tuple[date, ...]
    partners: int
    lines: int
    manifest: Manifest
    seconds: float


def write_panels(
    schedule: Schedule,
    policy: Policy,
    to: str | Path,
    *,
    dates: Sequence[date] | None = None,
    partners: list[str] | None = None,
    engine: PanelEngine = "numpy",
    spark: Any = None,
    settings: Settings | None = None,
    progress: Callable[[date], None] | None = None,
) -> PanelReport:
    """Write the panel of every date (default: every effective date) to `to`, partitioned by date."""
    if engine not in PANEL_ENGINES:
        raise InputError(f"unknown engine {engine!r}; engines: {', '.join(PANEL_ENGINES)}")
    chosen = sorted(set(dates)) if dates is not None else effective_dates(policy)
    if not chosen:
        raise InputError("no dates to build the tariff panel on; give at least one date on or after 2025-01-01")
    for on in chosen:
        policy.check_date(on)
    started = time.perf_counter()
    provenance = {
        "engine": engine,
        "hts_revision": schedule.revision,
        "policy_version": policy.version,
        "policy_recorded_to": policy.recorded_to.isoformat(),
        "dates": [d.isoformat() for d in chosen],
        "partners": partners or "all countries",
        "notes": sorted({n for n in (policy.currency_note(d) for d in chosen) if n}),
        "rates": "nearshore.tariffs.panel.build_panel (fractions of customs value)",
    }
    manifest = build_partitions(
        to,
        table=TABLE,
        key_column="date",
        keys=chosen,
        build=_build,
        payload=(schedule, policy, partners),
        schema=arrow_schema(),
        kind="tariff-panel",
        provenance=provenance,
        engine="spark" if engine == "spark" else "local",
        spark=spark,
        settings=settings,
        progress=progress,
    )
    entry = manifest.tables[TABLE]
    lines = len(schedule.statistical_lines())
    n_partners = entry.rows // (lines * len(chosen)) if lines else 0
    return PanelReport(
        resolve(to, settings).uri, engine, tuple(chosen), n_partners, lines, manifest, time.perf_counter() - started
    )


def parse_dates(text: str) -> list[date] | None:
    """`--dates`: 'all' (None: every effective date) or YYYY-MM-DD,YYYY-MM-DD."""
    if text.strip() == "all":
        return None
    return [_date(d.strip()) for d in text.split(",") if d.strip()]


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"--dates: {text!r} is not a date; write YYYY-MM-DD,YYYY-MM-DD or all") from None


__all__ = [
    "PANEL_ENGINES",
    "TABLE",
    "PanelEngine",
    "PanelReport",
    "effective_dates",
    "panel_table",
    "parse_dates",
    "write_panels",
]
