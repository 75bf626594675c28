"""`nearshore data`: what the store holds; loading, fetching and snapshotting official data; the store exported as
partitioned Parquet, and the large panels built from it (docs/scale.md)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from nearshore.cli.commands import command
from nearshore.cli.output import FORMAT_OPTION, QUIET_OPTION, Format, Table, emit, show
from nearshore.services import data, scale

if TYPE_CHECKING:
    from nearshore.services.base import Result

app = typer.Typer(
    help="The official-data store: info, load, loads, seed, snapshot; export, tariff-panels, gravity (docs/scale.md)."
    "\n\nExample: nearshore data info",
    no_args_is_help=True,
)


@command(app, "info", data.info)
def info(result: Result[Any], fmt: Format = FORMAT_OPTION) -> None:
    """What the store holds, per source: vintages, coverage, row counts, and where the file is.

    Example: nearshore data info --format json
    """
    if fmt is not Format.table or not result.rows:
        show(result, fmt)
        return
    # one small block per source fits a terminal; one wide row per source does not
    names = [c.name for c in result.columns]
    for number, row in enumerate(result.rows, start=1):
        block = [[name, value] for name, value in zip(names, row, strict=True)][2:]
        emit(
            ["", "value"],
            block,
            title=f"{row[0]} -> {row[1]}",
            footer=result.notes if number == len(result.rows) else (),
        )


@command(app, "load", data.load)
def load(result: Result[Any], fmt: Format = FORMAT_OPTION, quiet: bool = QUIET_OPTION) -> None:
    """Load an official file into the store, in one transaction (all or nothing).

    Example: nearshore data load census-country country.xlsx --vintage 2026-07
    """
    show(result, fmt, quiet=quiet)


@command(app, "seed", data.seed)
def seed(result: Result[Any], fmt: Format = FORMAT_OPTION) -> None:
    """Fill an empty store from the embedded snapshot (a store that holds loads is left as it is).

    Example: nearshore data seed
    """
    show(result, fmt)


snapshot_app = typer.Typer(
    help="The embedded default data shipped inside the package.\n\nExample: nearshore data snapshot build",
    no_args_is_help=True,
)
app.add_typer(snapshot_app, name="snapshot")


@command(snapshot_app, "build", data.snapshot_build)
def snapshot_build(result: Result[Any], fmt: Format = FORMAT_OPTION, quiet: bool = QUIET_OPTION) -> None:
    """Rebuild the embedded snapshot from the official raw files with nearshore's own loaders.

    Example: nearshore data snapshot build --raw ../shared/data/raw
    """
    show(result, fmt, quiet=quiet)


def _loads_table(result: Result[Any]) -> Table:
    """On a terminal: the file's name, not its path; json and csv carry every column whole."""
    index = {c.name: i for i, c in enumerate(result.columns)}
    rows = [
        [
            r[index["load_id"]],
            r[index["source"]],
            Path(str(r[index["origin"]])).name,
            r[index["vintage"]],
            r[index["rows"]],
        ]
        for r in result.rows
    ]
    footer = [*result.notes, "tables, full paths, checksums and load times: --format json or csv"]
    return Table(["id", "source", "file", "vintage", "rows"], rows, result.title, footer)


@command(app, "loads", data.loads)
def loads(result: Result[Any], fmt: Format = FORMAT_OPTION) -> None:
    """The provenance of every load in the store: source, file or request, checksum, vintage, time, rows.

    Example: nearshore data loads --format csv
    """
    show(result, fmt, _loads_table)


# -- datasets for other engines (docs/scale.md) --------------------------------------------------------------------


@command(app, "export", scale.export)
def export(result: Result[Any], fmt: Format = FORMAT_OPTION, quiet: bool = QUIET_OPTION) -> None:
    """The store's tables as partitioned Parquet with a manifest of their provenance, committed whole.

    --to is a folder or a Hadoop-compatible URI (s3a://, hdfs://, abfss://); the tables are written under a
    temporary prefix and committed by the manifest, written last.

    Example: nearshore data export --to ./export --partition-by year,partner
    """
    show(result, fmt, quiet=quiet)


@command(app, "tariff-panels", scale.tariff_panels)
def tariff_panels(result: Result[Any], fmt: Format = FORMAT_OPTION, quiet: bool = QUIET_OPTION) -> None:
    """The HTS10 x partner tariff panel at every effective date, as Parquet partitioned by date.

    Example: nearshore data tariff-panels --to ./panels --engine spark --spark-master local[2]
    """
    show(result, fmt, quiet=quiet)


@command(app, "gravity", scale.gravity)
def gravity(result: Result[Any], fmt: Format = FORMAT_OPTION, quiet: bool = QUIET_OPTION) -> None:
    """The gravity panel prepared for estimation: trade by exporter, importer, year, with fixed-effect ids.

    Example: nearshore data gravity --from ./export --out gravity.parquet --year-step 4 --engine spark
    """
    show(result, fmt, quiet=quiet)
