"""Which engine a reading service runs its queries on: the DuckDB store (default) or Spark over an exported
dataset (`nearshore data export`). `OnEngine` is the base of such requests (`--engine`, `--dataset`,
`--spark-master`); `reader()` gives what the query layer reads from for one request (docs/scale.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from nearshore.data.query.engine import Reader
from nearshore.errors import InputError
from nearshore.services.base import Context, StoreAccess
from nearshore.services.fields import Request, opt

QueryEngine = Literal["duckdb", "spark"]
SPARK_MASTER = opt(
    "Spark master: local[2], local[*] or spark://host:port (default: the spark_master setting).", "--spark-master"
)


@dataclass(frozen=True, kw_only=True)
class OnEngine(Request):
    engine: Annotated[
        QueryEngine, opt("duckdb (the store) or spark (an exported dataset, given with --dataset).", "--engine")
    ] = "duckdb"
    dataset: Annotated[
        str | None, opt("With --engine spark: the exported dataset (folder or URI of `data export`).", "--dataset")
    ] = None
    spark_master: Annotated[str | None, SPARK_MASTER] = None


def store_access(r: OnEngine) -> StoreAccess:
    """The store access a request needs: none on Spark (it reads the dataset), read on DuckDB."""
    return "none" if r.engine == "spark" else "read"


def spark(ctx: Context, master: str | None) -> Any:
    """A Spark session from the settings (or `master`), said as a step: starting the JVM takes seconds."""
    from nearshore.data.spark.session import spark_session

    ctx.step("starting Spark")
    return spark_session(ctx.settings, master=master)


def reader(ctx: Context, r: OnEngine) -> Reader:
    """The store (engine duckdb), or the request's exported dataset registered on Spark (engine spark)."""
    if r.engine == "duckdb":
        if r.dataset is not None:
            raise InputError(
                f"--dataset {r.dataset} is read by the Spark engine only; add --engine spark, or drop --dataset",
                field="--dataset",
                value=r.dataset,
            )
        return ctx.db
    if r.dataset is None:
        raise InputError(
            "--engine spark reads an exported dataset: give --dataset PATH (write one with "
            "`nearshore data export --to PATH`)",
            field="--dataset",
        )
    from nearshore.data.export import open_dataset
    from nearshore.data.query.spark import SparkReader

    dataset = open_dataset(r.dataset, ctx.settings)
    session = spark(ctx, r.spark_master)
    ctx.step(f"reading {dataset.uri} on Spark")
    return SparkReader.over(session, dataset)


__all__ = ["SPARK_MASTER", "OnEngine", "QueryEngine", "reader", "spark", "store_access"]
