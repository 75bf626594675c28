"""The daily tariff series as a service: the import-weighted U.S. tariff by partner and day, split by authority,
with the weights and the USMCA-claim assumption stated (nearshore/tariffs/series.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from nearshore.data.query.provenance import Provenance
from nearshore.errors import InputError
from nearshore.services.base import Column, Context, Result, service
from nearshore.services.fields import Request, opt
from nearshore.services.tariffs import REVISION

if TYPE_CHECKING:
    from nearshore.tariffs.series import TariffSeries

SeriesClaims = Literal["second-half", "year", "none"]
SeriesWeights = Literal["auto", "hs2"]


@dataclass(frozen=True, kw_only=True)
class SeriesRequest(Request):
    partner: Annotated[
        str, opt("Comma-separated partners (ISO codes or names) and/or ALL (every partner).", "--partner")
    ] = "MEX,CAN,CHN,ALL"
    start: Annotated[str, opt("First day, YYYY-MM-DD (not before 2025-01-01).", "--from")] = "2025-01-01"
    end: Annotated[str, opt("Last day, YYYY-MM-DD.", "--to")] = "2026-12-31"
    claims: Annotated[
        SeriesClaims,
        opt(
            "USMCA claims on Canadian and Mexican lines: second-half (each line's Jul-Dec claimed share), "
            "year (the year's share) or none (no claims: the upper bound).",
            "--claims",
        ),
    ] = "second-half"
    weights: Annotated[
        SeriesWeights,
        opt("auto (HTS10 where the store has it, HS chapters elsewhere) or hs2 (chapters for all).", "--weights"),
    ] = "auto"
    daily: Annotated[bool, opt("One row per day instead of one per step.", "--daily")] = False
    chart: Annotated[Path | None, opt("Also write a chart of the totals (.png or .svg).", "--chart")] = None
    hts10_year: Annotated[
        int | None, opt("Year of the HTS10 weights (default: last complete).", "--hts10-year", min=1989)
    ] = None
    hs2_year: Annotated[
        int | None, opt("Year of the HS chapter weights (default: last complete).", "--hs2-year", min=1989)
    ] = None
    revision: Annotated[str | None, REVISION] = None


def _date(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{option} {text!r} is not a date; write YYYY-MM-DD", field=option, value=text) from None


def series_rows(series: TariffSeries, daily: bool) -> tuple[tuple[Any, ...], ...]:
    """One row per step (from, to), or with `daily` one per day (from = to = the day): partner, from, to, the
    total and each authority's rate as fractions of customs value."""
    from nearshore.tariffs.series import COMPONENTS

    def row(step: Any, start: date, end: date) -> tuple[Any, ...]:
        return (step.partner, start.isoformat(), end.isoformat(), *(step.rates[c] for c in ("total", *COMPONENTS)))

    if daily:
        return tuple(row(step, day, day) for day, step in series.daily())
    return tuple(row(step, step.start, step.end) for step in series.steps)


@service("tariff.series", SeriesRequest)
def series(ctx: Context, r: SeriesRequest) -> Result[dict[str, Any]]:
    """The import-weighted average U.S. tariff by partner and day, split by authority, with its weights stated."""
    from nearshore.tariffs.policy import load_policy
    from nearshore.tariffs.schedule import load_schedule
    from nearshore.tariffs.series import COMPONENTS, tariff_series

    first, last = _date(r.start, "--from"), _date(r.end, "--to")
    built = tariff_series(
        ctx.db,
        load_schedule(ctx.db, r.revision),
        load_policy(),
        partners=r.partner.split(","),
        start=first,
        end=last,
        claims=r.claims,
        hts10_year=r.hts10_year,
        hs2_year=r.hs2_year,
        weights=r.weights,
    )
    messages: tuple[str, ...] = ()
    if r.chart is not None:
        from nearshore.tariffs.series_chart import write_chart

        messages = (f"chart written to {write_chart(built, r.chart)}",)
    notes = (
        "rates are fractions of customs value; a table shows them in percent, with IEEPA = fentanyl + reciprocal "
        "+ Brazil/India (csv and json give each)",
        *(f"weights {b.partner}: {b.text}" for b in built.bases),
        *built.notes,
    )
    payload = {
        "claims": built.claims,
        "hts_revision": built.revision,
        "policy_version": built.policy_version,
        "weights": [
            {
                "partner": b.partner,
                "level": b.level,
                "imports_usd": b.imports,
                "unrated_usd": b.unrated,
                "usmca_claimed_share": b.claimed,
                "basis": b.text,
            }
            for b in built.bases
        ],
    }
    cols = (Column("partner"), Column("from"), Column("to"), *(Column(c) for c in ("total", *COMPONENTS)))
    return Result(
        f"Import-weighted U.S. tariff rate, {first} to {last}",
        cols,
        series_rows(built, r.daily),
        payload,
        notes,
        Provenance(notes=(f"HTS revision {built.revision}", f"policy {built.policy_version}")),
        messages,
    )


__all__ = ["SeriesRequest", "series", "series_rows"]
