"""A gravity panel from the store: the imports reported to UN Comtrade, joined with a trade-cost file.

Each Comtrade import record is a flow from the partner (exporter) to the reporter (importer). Records are
summed per reporter, partner and year over the commodities of one level only, the coarsest that flow has (its
TOTAL row if loaded, else its HS chapters, ...), so no flow is counted twice. Comtrade holds no
intra-national flows, so a store panel serves estimation on international flows; the general-equilibrium
model needs a file with domestic flows (`--data`). The trade-cost variables (distance, RTA...) come from a
CSV/Parquet file keyed by exporter, importer and, if it has one, year.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from nearshore.data.query import Provenance, bilateral
from nearshore.data.store import Store
from nearshore.errors import DataNotFound, InputError
from nearshore.scenarios.gravity.panel import (
    Columns,
    FloatArray,
    Panel,
    TextArray,
    header_of,
    read_columns,
    unordered_pairs,
)

SOURCE = "comtrade"


def store_panel(
    store: Store,
    covariates: Path,
    variables: Sequence[str],
    *,
    columns: Columns | None = None,
    years: Sequence[int] | None = None,
    as_of: str | None = None,
) -> Panel:
    """Comtrade import flows (USD) from the store with `variables` from the `covariates` file."""
    columns = columns or Columns()
    result = bilateral(store, SOURCE, "imports", years, as_of)
    records = result.records()
    if not records:
        raise DataNotFound(
            "the store holds no annual Comtrade import records by partner country"
            + (f" for {', '.join(map(str, years))}" if years else "")
            + "; load some with `nearshore data load comtrade FILE` or `nearshore data fetch comtrade`"
        )
    exporter, importer, year, trade = _coarsest(records)
    pair = unordered_pairs(exporter, importer)
    values = _join(covariates, columns, variables, exporter, importer, year)
    return Panel(
        exporter=exporter,
        importer=importer,
        year=year,
        trade=trade,
        pair=pair,
        variables=values,
        origin=f"the store's {SOURCE} loads",
        columns=columns,
        provenance=Provenance(
            sources=(SOURCE, str(covariates)),
            vintages=tuple(sorted({str(v) for r in records for v in r["vintages"]})),
            query=result.sql,
            notes=(
                "flows are imports reported to UN Comtrade (exporter = partner, importer = reporter), in USD, "
                "summed at the coarsest commodity level each flow has",
            ),
        ),
    )


def _coarsest(records: list[dict[str, object]]) -> tuple[TextArray, TextArray, np.ndarray, FloatArray]:
    """Sum each reporter x partner x year flow over the records of its coarsest commodity level only."""
    coarsest: dict[tuple[str, str, int], int] = {}
    totals: dict[tuple[str, str, int], float] = {}
    for r in records:
        flow = (str(r["partner"]), str(r["reporter"]), int(str(r["year"])))
        level, value = int(str(r["level"])), float(str(r["value_usd"]))
        if level < coarsest.get(flow, 99):
            coarsest[flow], totals[flow] = level, value
        elif level == coarsest[flow]:
            totals[flow] += value
    keys = sorted(totals)
    return (
        np.array([k[0] for k in keys], dtype=str),
        np.array([k[1] for k in keys], dtype=str),
        np.array([k[2] for k in keys], dtype=np.int64),
        np.array([totals[k] for k in keys], dtype=np.float64),
    )


def _join(
    path: Path,
    columns: Columns,
    variables: Sequence[str],
    exporter: TextArray,
    importer: TextArray,
    year: np.ndarray,
) -> dict[str, FloatArray]:
    yearly = columns.year in header_of(path)
    numbers = [*([columns.year] if yearly else []), *variables]
    options = {columns.exporter: "--exporter-col", columns.importer: "--importer-col"}
    text, values, _ = read_columns(path, [columns.exporter, columns.importer], numbers, options)
    keys = [text[columns.exporter], text[columns.importer]]
    if yearly:
        keys.append(values[columns.year].astype(np.int64).astype(str))
    lookup = {"|".join(k): n for n, k in enumerate(zip(*(list(part) for part in keys), strict=True))}
    wanted = [exporter, importer, *([year.astype(str)] if yearly else [])]
    found = np.array([lookup.get("|".join(k), -1) for k in zip(*(list(part) for part in wanted), strict=True)])
    if (found < 0).any():
        k = int(np.flatnonzero(found < 0)[0])
        flow = f"{exporter[k]}->{importer[k]}" + (f" {year[k]}" if yearly else "")
        raise InputError(
            f"{path}: no trade-cost row for {flow} ({int((found < 0).sum())} store flows have none); "
            f"add rows keyed by {columns.exporter}, {columns.importer}" + (f", {columns.year}" if yearly else "")
        )
    return {name: values[name][found] for name in variables}


__all__ = ["store_panel"]
