"""What both API clients share about a run: periods, the vintage, resumability and the per-period report.

A run is a list of periods (months or years). Each period is fetched and stored as ONE load whose `origin`
is the period's query written as a URL without the key; a period whose query already has a load at the
same vintage is skipped, so an interrupted or failed run picks up where it stopped.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from nearshore.data.batch import Batch, check_vintage
from nearshore.data.query import catalog
from nearshore.data.sources.base import Problems
from nearshore.data.store import Store
from nearshore.errors import FetchServerError, InputError, RemoteDataError

Status = Literal["loaded", "skipped", "empty", "failed"]
MAX_PERIODS = 240

_MONTH = re.compile(r"^([0-9]{4})-?([0-9]{2})$")


@dataclass(frozen=True)
class PeriodResult:
    """What happened to one period of a run."""

    period: str
    status: Status
    rows: int = 0
    calls: int = 0
    load_id: int | None = None
    message: str = ""


@dataclass(frozen=True)
class FetchReport:
    """A whole run: the source, the vintage it stored, and one result per period, in order."""

    source: str
    vintage: str
    periods: tuple[PeriodResult, ...]

    def count(self, status: Status) -> int:
        return sum(1 for p in self.periods if p.status == status)

    @property
    def failed(self) -> tuple[PeriodResult, ...]:
        return tuple(p for p in self.periods if p.status == "failed")

    @property
    def rows(self) -> int:
        return sum(p.rows for p in self.periods)


Progress = Callable[[PeriodResult], None]


def parse_month(text: str, option: str = "--from") -> tuple[int, int]:
    """(year, month) from 'YYYY-MM' or 'YYYYMM'; an error naming the option otherwise."""
    match = _MONTH.match(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise InputError(f"{option} {text!r} is not a month: write it as YYYY-MM, e.g. 2025-01")
    return int(match.group(1)), int(match.group(2))


def month_range(first: str, last: str) -> list[tuple[int, int]]:
    """Every month from `first` to `last` inclusive (YYYY-MM each)."""
    start, end = parse_month(first, "--from"), parse_month(last, "--to")
    if end < start:
        raise InputError(f"--to {last} is before --from {first}: give the earlier month first")
    months: list[tuple[int, int]] = []
    year, month = start
    while (year, month) <= end:
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    if len(months) > MAX_PERIODS:
        raise InputError(
            f"--from {first} --to {last} spans {len(months)} months; at most {MAX_PERIODS} in one run. "
            "Split the range into several runs"
        )
    return months


def run_vintage(vintage: str | None, today: date | None = None) -> str:
    """The run's release month: --vintage when given, else the current month (YYYY-MM)."""
    if vintage:
        return check_vintage(vintage)
    today = today or date.today()
    return f"{today.year:04d}-{today.month:02d}"


def already_loaded(store: Store, source: str, vintage: str, origin: str) -> int | None:
    """The load id of a stored load of this exact query at this vintage, or None."""
    return catalog.load_of(store, source, vintage, origin)


def checksum(bodies: list[bytes]) -> str:
    digest = hashlib.sha256()
    for body in bodies:
        digest.update(hashlib.sha256(body).digest())
    return "sha256:" + digest.hexdigest()


@dataclass(frozen=True)
class Period:
    """One unit of a run: its label, its query as a URL without the key (the load's origin), and the work."""

    label: str
    origin: str
    work: Callable[[], PeriodResult]


def run_periods(
    store: Store,
    source: str,
    vintage: str,
    periods: Iterable[Period],
    *,
    calls: Callable[[], int],
    progress: Progress | None = None,
) -> FetchReport:
    """Do each period not already stored at this vintage; one that keeps failing or answers malformed data is
    reported, not raised, and the run goes on (the next run tries it again)."""
    results: list[PeriodResult] = []
    for period in periods:
        existing = already_loaded(store, source, vintage, period.origin)
        if existing is not None:
            result = PeriodResult(
                period.label, "skipped", load_id=existing, message=f"already stored at vintage {vintage}"
            )
        else:
            before = calls()
            try:
                result = period.work()
            except (FetchServerError, RemoteDataError) as exc:
                result = PeriodResult(period.label, "failed", calls=calls() - before, message=str(exc))
        results.append(result)
        if progress is not None:
            progress(result)
    return FetchReport(source, vintage, tuple(results))


def remote_data_error(problems: Problems, period: str, limit: int = 10) -> RemoteDataError:
    """Every problem of one period's answer in one error; nothing of the period is stored."""
    shown = "\n".join(f"  - {p}" for p in problems.items[:limit])
    more = f"\n  ... and {len(problems.items) - limit} more" if len(problems.items) > limit else ""
    return RemoteDataError(
        f"{len(problems.items)} problem(s) in the API's answer for {period}; nothing of {period} was stored:\n"
        f"{shown}{more}",
        url=problems.file,
    )


def store_period(store: Store, batch: Batch, *, period: str, calls: int, empty: str) -> PeriodResult:
    """Store one period's batch as one load (one transaction); no rows is `empty`, with nothing stored."""
    if not batch.rows:
        return PeriodResult(period, "empty", calls=calls, message=empty)
    report = store.load(batch)
    note = f"{len(batch.warnings)} warning(s)" if batch.warnings else ""
    return PeriodResult(period, "loaded", rows=report.rows, calls=calls, load_id=report.load_id, message=note)


__all__ = [
    "MAX_PERIODS",
    "FetchReport",
    "Period",
    "PeriodResult",
    "Progress",
    "Status",
    "already_loaded",
    "checksum",
    "month_range",
    "parse_month",
    "remote_data_error",
    "run_periods",
    "run_vintage",
    "store_period",
]
