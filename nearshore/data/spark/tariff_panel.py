"""The tariff panel at every effective date, as one dataset partitioned by date.

The rates come from the tariff engine's own panel (nearshore/tariffs/panel.py: every HTS10 line x partner on one
date, vectorised with numpy); nothing here computes a rate. The `numpy` engine builds the dates one after the
other in this process; the `spark` engine ships the schedule and policy to the executors once (a broadcast) and
builds one date per task with `mapInArrow`, so N executor cores build N dates at a time, each task writing its
date's files itself. Both write the same dataset (`tariff_panel/date=YYYY-MM-DD/part-0.parquet`) through the same
staging and commit as `nearshore data export`.

The effective dates are the days the policy file changes something the panel shows: the start of the policy,
the first day of every rate period, exemption and stacking rule, and the day after each one ends.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any, Final, Literal

from nearshore.data.export.commit import Staging, commit, describe, staging, write_arrow
from nearshore.data.export.location import resolve
from nearshore.data.export.manifest import Manifest
from nearshore.errors import DatasetError, InputError
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
    found = {policy.start}
    for measure in policy.measures:
        for period in measure.rates:
            found.add(period.start)
            if period.end is not None:
                found.add(period.end + timedelta(days=1))
        for exemption in measure.exemptions:
            if exemption.start is not None:
                found.add(exemption.start)
            if exemption.end is not None:
                found.add(exemption.end + timedelta(days=1))
    found.update(rule.start for rule in policy.stacking)
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


def _build_partition(payload: Any, stage: Staging, batches: Iterable[Any]) -> Iterator[Any]:
    """mapInArrow body (runs on an executor): build the panel of each date in the partition with the numpy engine
    and write it straight to the staged date folder, as the numpy engine does; yield (date, rows) per date."""
    import pyarrow as pa

    schedule, policy, partners = payload.value
    for batch in batches:
        for on in batch.column(0).to_pylist():
            table = panel_table(schedule, policy, on, partners)
            write_arrow(stage, TABLE, table, ["date"])
            yield pa.record_batch(
                [pa.array([on], pa.date32()), pa.array([table.num_rows], pa.int64())], ["date", "rows"]
            )


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
    location = resolve(to, settings)
    with staging(location) as stage:
        if engine == "spark":
            if spark is None:
                from nearshore.data.spark.session import spark_session

                spark = spark_session(settings)
            _spark_write(spark, stage, schedule, policy, chosen, partners)
        else:
            for on in chosen:
                write_arrow(stage, TABLE, panel_table(schedule, policy, on, partners), ["date"])
                if progress is not None:
                    progress(on)
        entry = describe(stage, TABLE, arrow_schema(), ["date"])
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
        manifest = commit(stage, "tariff-panel", [entry], provenance)
    lines = len(schedule.statistical_lines())
    n_partners = entry.rows // (lines * len(chosen)) if lines else 0
    return PanelReport(location.uri, engine, tuple(chosen), n_partners, lines, manifest, time.perf_counter() - started)


def panels_from_store(
    to: str | Path,
    *,
    dates: str = "all",
    partners: str | None = None,
    engine: PanelEngine = "numpy",
    revision: str | None = None,
    settings: Settings | None = None,
) -> PanelReport:
    """`nearshore data tariff-panels`: the schedule from the store, the packaged policy, dates given as 'all'
    (every effective date) or YYYY-MM-DD,..., partners as ISO3,... (default: every country)."""
    from nearshore.data.snapshot import open_store
    from nearshore.tariffs.duty import resolve_origin
    from nearshore.tariffs.policy import load_policy
    from nearshore.tariffs.service import open_schedule

    policy = load_policy()
    chosen = None if dates.strip() == "all" else [_date(d.strip()) for d in dates.split(",") if d.strip()]
    who = [resolve_origin(p.strip(), policy).id for p in partners.split(",") if p.strip()] if partners else None
    with open_store() as store:
        schedule, _ = open_schedule(store, revision)
    return write_panels(schedule, policy, to, dates=chosen, partners=who, engine=engine, settings=settings)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"--dates: {text!r} is not a date; write YYYY-MM-DD,YYYY-MM-DD or all") from None


def _spark_write(
    spark: Any, stage: Staging, schedule: Schedule, policy: Policy, dates: Sequence[date], partners: list[str] | None
) -> None:
    """One Spark task per date, each running the numpy panel build and writing its date's files under the staging
    prefix with pyarrow (the executors reach the dataset's filesystem). Rows never pass through the JVM, which
    on this machine made the same job five times slower than writing from the executors."""
    payload = spark.sparkContext.broadcast((schedule, policy, partners))
    days = spark.sparkContext.parallelize([(d,) for d in dates], len(dates)).toDF("date DATE")
    try:
        written = days.mapInArrow(partial(_build_partition, payload, stage), "date DATE, rows BIGINT").collect()
    finally:
        payload.unpersist()
    done = sorted(row[0] for row in written)
    if done != sorted(dates):
        raise DatasetError(
            f"{stage.location.uri}: Spark wrote the panel for {len(done)} of {len(dates)} dates; nothing was "
            "committed, run it again",
            path=stage.location.uri,
        )


__all__ = [
    "PANEL_ENGINES",
    "TABLE",
    "PanelEngine",
    "PanelReport",
    "effective_dates",
    "panel_table",
    "panels_from_store",
    "write_panels",
]
