"""What `nearshore tariff series` shows: the series as rows (one per step, or per day), its weights and notes."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from nearshore.errors import InputError
from nearshore.tariffs.schedule import load_schedule
from nearshore.tariffs.series import COMPONENTS, Step, TariffSeries
from nearshore.tariffs.service import View

COLUMNS = ["partner", "from", "to", "total", *COMPONENTS]
NARROW = ["partner", "from", "total %", "mfn", "232", "301", "IEEPA", "122", "201"]


def _date(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{option} {text!r} is not a date; write YYYY-MM-DD", field=option, value=text) from None


def _row(step: Step, start: date, end: date) -> list[Any]:
    rates = [round(step.rates[c], 6) for c in ("total", *COMPONENTS)]
    return [step.partner, start.isoformat(), end.isoformat(), *rates]


def _narrow(step: Step) -> list[Any]:
    r = step.rates
    ieepa = r["ieepa_fentanyl"] + r["ieepa_reciprocal"] + r["ieepa_country"]
    values = (r["total"], r["mfn"], r["s232"], r["s301"], ieepa, r["s122"], r["s201"])
    return [step.partner, step.start.isoformat(), *(f"{v * 100:.2f}" for v in values)]


def series_rows(series: TariffSeries, daily: bool) -> list[list[Any]]:
    """One row per step (from, to), or with `daily` one per day (from = to = the day)."""
    if daily:
        return [_row(step, day, day) for day, step in series.daily()]
    return [_row(step, step.start, step.end) for step in series.steps]


def series_view(
    *,
    partners: str,
    start: str,
    end: str,
    claims: str = "second-half",
    weights: str = "auto",
    daily: bool = False,
    chart: Path | None = None,
    hts10_year: int | None = None,
    hs2_year: int | None = None,
    revision: str | None = None,
) -> View:
    from nearshore.data.snapshot import open_store
    from nearshore.tariffs.policy import load_policy
    from nearshore.tariffs.series import tariff_series

    first, last = _date(start, "--from"), _date(end, "--to")
    with open_store() as store:
        schedule = load_schedule(store, revision)
        series = tariff_series(
            store,
            schedule,
            load_policy(),
            partners=partners.split(","),
            start=first,
            end=last,
            claims=claims,
            hts10_year=hts10_year,
            hs2_year=hs2_year,
            weights=weights,
        )
    notes = []
    if chart is not None:
        from nearshore.tariffs.series_chart import write_chart

        notes.append(f"chart written to {write_chart(series, chart)}")
    footer = [
        "rates are fractions of customs value (csv, json) or percent (table); IEEPA in the table = fentanyl + "
        "reciprocal + Brazil/India (csv and json give each)",
        *(f"weights {b.partner}: {b.text}" for b in series.bases),
        *series.notes,
    ]
    title = f"Import-weighted U.S. tariff rate, {first} to {last}"
    meta = {
        "claims": series.claims,
        "hts_revision": series.revision,
        "policy_version": series.policy_version,
        "weights": [
            {
                "partner": b.partner,
                "level": b.level,
                "imports_usd": round(b.imports),
                "unrated_usd": round(b.unrated),
                "usmca_claimed_share": b.claimed,
                "basis": b.text,
            }
            for b in series.bases
        ],
    }
    narrow = View(NARROW, [_narrow(s) for s in series.steps], title=title, footer=footer)
    return View(COLUMNS, series_rows(series, daily), title, footer, meta, notes, None if daily else narrow)


__all__ = ["COLUMNS", "series_rows", "series_view"]
