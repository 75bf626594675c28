"""The store as services: what it holds, the provenance of its loads, loading official files, fetching from
the source APIs, and rebuilding the embedded snapshot."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from nearshore.services.base import Context, Result, columns, service
from nearshore.services.fields import Request, arg, opt

if TYPE_CHECKING:
    from nearshore.data.fetch.runs import FetchReport, PeriodResult
    from nearshore.data.snapshot import SeedReport
    from nearshore.data.store import LoadReport

INFO_COLUMNS = (
    "source",
    "table",
    "vintages",
    "years",
    "months",
    "partners",
    "aggregates",
    "classification",
    "flows",
    "rows",
    "superseded",
    "loads",
)
VINTAGE = opt("Release of the data, YYYY-MM. Default: this month.", "--vintage")


@dataclass(frozen=True, kw_only=True)
class InfoRequest(Request):
    """No parameters: the whole store."""


@service("data.info", InfoRequest)
def info(ctx: Context, r: InfoRequest) -> Result[dict[str, Any]]:
    """What the store holds, per source: vintages, coverage, row counts, and where the file is."""
    from nearshore.data.info import store_info

    held = store_info(ctx.db)
    rows = tuple(
        (
            s.source,
            s.table,
            s.vintages,
            f"{s.years[0]}-{s.years[1]}" if s.years else "",
            s.months,
            s.partners,
            s.aggregates,
            s.classifications,
            s.flows,
            s.rows,
            s.superseded_rows,
            s.loads,
        )
        for s in held.sources
    )
    notes = [f"store: {held.path}"]
    if held.empty:
        notes.append("the store is empty: load official files with `nearshore data load SOURCE PATH`")
    return Result(
        "nearshore store",
        columns(*INFO_COLUMNS),
        rows,
        {"store": held.path, "sources": held.sources},
        notes=tuple(notes),
    )


@dataclass(frozen=True, kw_only=True)
class LoadsRequest(Request):
    """No parameters: every load."""


@service("data.loads", LoadsRequest)
def loads(ctx: Context, r: LoadsRequest) -> Result[dict[str, Any]]:
    """The provenance of every load in the store: source, file or request, checksum, vintage, time, rows."""
    from nearshore.data.query import load_listing

    listing = load_listing(ctx.db)
    return Result(
        "loads",
        columns(*listing.columns),
        tuple(listing.rows),
        {"store": ctx.db.path},
        notes=(f"store: {ctx.db.path}",),
    )


@dataclass(frozen=True, kw_only=True)
class LoadRequest(Request):
    source: Annotated[
        str, arg("Source name: census-country, census-hs2, dataweb, comtrade, census-duties, hts, trade-parquet.")
    ]
    path: Annotated[Path, arg("The official file to load.")]
    vintage: Annotated[str | None, opt("Release of the data, YYYY-MM or YYYY-MM-DD.", "--vintage")] = None
    force: Annotated[
        bool, opt("hts: load a schedule even if it has far fewer general rates than the loaded one.", "--force")
    ] = False

    def __post_init__(self) -> None:
        from nearshore.data.sources import get_source

        super().__post_init__()
        get_source(self.source)  # an unknown name fails before the store is opened


@service("data.load", LoadRequest, store="write", writes=True)
def load(ctx: Context, r: LoadRequest) -> Result[LoadReport]:
    """Load an official file into the store, in one transaction (all or nothing)."""
    from nearshore.data.sources import load_file

    report = load_file(ctx.db, r.source, r.path, vintage=r.vintage, force=r.force)
    row = (
        report.load_id,
        report.source,
        report.target,
        report.vintage,
        report.rows,
        report.replaced,
        report.superseded,
        len(report.warnings),
    )
    return Result(
        f"loaded {r.path}",
        columns("load_id", "source", "table", "vintage", "rows", "replaced", "superseded", "warnings"),
        (row,),
        report,
        messages=tuple(f"warning: {w}" for w in report.warnings),
    )


@dataclass(frozen=True, kw_only=True)
class CensusFetchRequest(Request):
    flow: Annotated[str, opt("imports or exports.", "--flow")]
    level: Annotated[str, opt("HS2, HS4, HS6, HS10 or TOTAL (all commodities).", "--level")] = "TOTAL"
    partner: Annotated[str, opt("Partners, comma-separated (MEX,CAN or 2010). Default: all.", "--partner")] = ""
    first: Annotated[str, opt("First month, YYYY-MM.", "--from")]
    last: Annotated[str | None, opt("Last month, YYYY-MM. Default: --from.", "--to")] = None
    basis: Annotated[str | None, opt("Imports: general (default) or consumption.", "--basis")] = None
    duty: Annotated[bool, opt("Also store calculated duty (needs --basis consumption).", "--duty")] = False
    commodity: Annotated[str, opt("Only this HS code (as many digits as --level).", "--commodity")] = ""
    vintage: Annotated[str | None, VINTAGE] = None


@service("data.fetch.census", CensusFetchRequest, store="write", writes=True)
def fetch_census(ctx: Context, r: CensusFetchRequest) -> Result[FetchReport]:
    """Fetch U.S. monthly trade from the Census International Trade API, one load per month (resumable)."""
    from nearshore.data.fetch.census import CensusQuery, fetch

    query = CensusQuery.build(
        flow=r.flow,
        level=r.level,
        first=r.first,
        last=r.last,
        partners=r.partner.split(","),
        basis=r.basis,
        duty=r.duty,
        commodity=r.commodity,
    )
    step = _counter(ctx, "census", len(query.months))
    report = fetch(ctx.db, query, vintage=r.vintage, settings=ctx.settings, progress=step)
    return _fetched(report, f"census-api {query.flow} ({query.basis}) {query.level}")


@dataclass(frozen=True, kw_only=True)
class ComtradeFetchRequest(Request):
    reporter: Annotated[str, opt("Reporting country: ISO code (MEX), name or code (484).", "--reporter")]
    partner: Annotated[str, opt("Partners, comma-separated (USA,CAN). Default: all.", "--partner")] = ""
    flow: Annotated[str, opt("M (imports), X (exports) or M,X.", "--flow")] = "M,X"
    period: Annotated[str, opt("Years (2021, 2019-2021) or months (2021-01), comma-separated.", "--period")]
    level: Annotated[int, opt("HS digits: 2, 4, 6, or 0 for all commodities.", "--level")] = 0
    commodity: Annotated[str, opt("Only these HS codes, comma-separated.", "--commodity")] = ""
    vintage: Annotated[str | None, VINTAGE] = None


@service("data.fetch.comtrade", ComtradeFetchRequest, store="write", writes=True)
def fetch_comtrade(ctx: Context, r: ComtradeFetchRequest) -> Result[FetchReport]:
    """Fetch trade from the UN Comtrade API, one load per period (resumable)."""
    from nearshore.data.fetch.comtrade import ComtradeQuery, fetch

    query = ComtradeQuery.build(
        reporter=r.reporter, period=r.period, flow=r.flow, level=r.level, partners=r.partner, commodities=r.commodity
    )
    step = _counter(ctx, "comtrade", len(query.periods))
    report = fetch(ctx.db, query, vintage=r.vintage, settings=ctx.settings, progress=step)
    return _fetched(report, f"comtrade-api reporter {query.reporter.id} {query.cmd_code}")


def _counter(ctx: Context, label: str, total: int) -> Callable[[PeriodResult], None]:
    done: list[PeriodResult] = []

    def advance(period: PeriodResult) -> None:
        done.append(period)
        ctx.step(f"{label} {period.period}: {period.status}", len(done), total)

    return advance


def _fetched(report: FetchReport, title: str) -> Result[FetchReport]:
    """One row per period; failed periods make the outcome an error (exit 6) after the rows are shown."""
    from nearshore.errors import FetchError

    rows = tuple((p.period, p.status, p.rows, p.calls, p.load_id, p.message) for p in report.periods)
    summary = (
        f"vintage {report.vintage}: {report.count('loaded')} loaded, {report.count('skipped')} skipped, "
        f"{report.count('empty')} empty, {report.count('failed')} failed; {report.rows} rows"
    )
    failed = report.failed
    return Result(
        title,
        columns("period", "status", "rows", "calls", "load_id", "note"),
        rows,
        report,
        notes=(summary,),
        messages=("failed periods are fetched again by the next run with the same options",) if failed else (),
        error=FetchError(f"{len(failed)} period(s) failed: {failed[0].message}") if failed else None,
    )


@dataclass(frozen=True, kw_only=True)
class SeedRequest(Request):
    """No parameters: the configured store."""


@service("data.seed", SeedRequest, store="none", writes=True)
def seed(ctx: Context, r: SeedRequest) -> Result[SeedReport]:
    """Fill an empty store from the embedded snapshot (a store that holds loads is left as it is)."""
    from nearshore.data.snapshot import seed as seed_store

    report = seed_store(ctx.settings)  # opens the store itself: creating it seeded is one atomic step
    done = "seeded from the embedded snapshot" if report.seeded else "already holds data: left as it is"
    return Result(
        f"store {done}",
        columns("store", "seeded", "loads"),
        ((report.path, report.seeded, report.loads),),
        report,
    )


@dataclass(frozen=True, kw_only=True)
class SnapshotRequest(Request):
    raw: Annotated[Path | None, opt("Folder of official files (default: ../shared/data/raw).", "--raw")] = None
    out: Annotated[Path | None, opt("Output folder (default: the package's snapshot folder).", "--out")] = None


@service("data.snapshot.build", SnapshotRequest, store="none", writes=True)
def snapshot_build(ctx: Context, r: SnapshotRequest) -> Result[dict[str, Any]]:
    """Rebuild the embedded snapshot from the official raw files with nearshore's own loaders."""
    from nearshore.data.snapshot import snapshot_dir
    from nearshore.data.snapshot.builder import PlanEntry, build_snapshot, read_plan

    plan = read_plan()
    done: list[PlanEntry] = []

    def step(entry: PlanEntry) -> None:
        done.append(entry)
        ctx.step(f"loading {entry.file}", len(done), len(plan))

    manifest = build_snapshot(r.raw or ctx.settings.raw_dir(), r.out or snapshot_dir(), plan=plan, progress=step)
    return Result(
        "snapshot built",
        columns("table", "file", "rows", "bytes"),
        tuple((t["table"], t["file"], t["rows"], t["bytes"]) for t in manifest["tables"]),
        manifest,
        notes=(f"{len(manifest['loads'])} official files loaded",),
    )


__all__ = [
    "CensusFetchRequest",
    "ComtradeFetchRequest",
    "InfoRequest",
    "LoadRequest",
    "LoadsRequest",
    "SeedRequest",
    "SnapshotRequest",
    "fetch_census",
    "fetch_comtrade",
    "info",
    "load",
    "loads",
    "seed",
    "snapshot_build",
]
