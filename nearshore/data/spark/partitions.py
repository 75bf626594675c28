"""A dataset built one partition at a time, here or distributed over Spark: the same files either way.

`build_partitions` takes the keys (e.g. dates), a module-level function `build(payload, key) -> pyarrow.Table`
and its payload (e.g. the tariff schedule and policy), and writes each key's table as the partition
`<table>/<key_column>=<key>/part-0.parquet` under a staging prefix, then commits the dataset with its manifest
(nearshore/data/export/commit.py). Locally (`engine="local"`) the keys are built one after the other; on Spark the
payload is broadcast once, each key is one task (`mapInArrow`), and each task writes its own files with pyarrow,
so the rows never pass through the JVM (on this machine, routing them through Spark's writer made the job five
times slower). The executors must reach the dataset's filesystem (a local folder on local[N]; S3, HDFS or ADLS on
a cluster) and have nearshore installed. Nothing here knows what the tables hold: the tariff panel uses it from
nearshore/tariffs/panel_dates.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import Any, Final, Literal

from nearshore.data.export.commit import Staging, commit, describe, staging, write_arrow
from nearshore.data.export.location import resolve
from nearshore.data.export.manifest import Manifest, columns_of
from nearshore.errors import DatasetError, InputError
from nearshore.settings import Settings

PartitionEngine = Literal["local", "spark"]
PARTITION_ENGINES: Final = ("local", "spark")
Build = Callable[[Any, Any], Any]  # (payload, key) -> pyarrow.Table with the dataset's schema


def build_partitions(
    to: str | Path,
    *,
    table: str,
    key_column: str,
    keys: Sequence[Any],
    build: Build,
    payload: Any,
    schema: Any,
    kind: str,
    provenance: dict[str, Any],
    engine: PartitionEngine = "local",
    spark: Any = None,
    settings: Settings | None = None,
    progress: Callable[[Any], None] | None = None,
) -> Manifest:
    """Build and write one partition per key of `table` at `to`, then commit the dataset (see the module doc)."""
    if engine not in PARTITION_ENGINES:
        raise InputError(f"unknown engine {engine!r}; engines: {', '.join(PARTITION_ENGINES)}")
    location = resolve(to, settings)
    with staging(location) as stage:
        if engine == "spark":
            if spark is None:
                from nearshore.data.spark.session import spark_session

                spark = spark_session(settings)
            _on_spark(spark, stage, table, key_column, keys, build, payload, schema)
        else:
            for key in keys:
                write_arrow(stage, table, build(payload, key), [key_column])
                if progress is not None:
                    progress(key)
        entry = describe(stage, table, schema, [key_column])
        return commit(stage, kind, [entry], provenance)


def _task(
    payload: Any, stage: Staging, table: str, key_column: str, build: Build, batches: Iterable[Any]
) -> Iterator[Any]:
    """mapInArrow body (runs on an executor): build and write the partition of each key; yield (key, rows)."""
    import pyarrow as pa

    value = payload.value
    for batch in batches:
        column = batch.column(0)
        for index, key in enumerate(column.to_pylist()):
            data = build(value, key)
            write_arrow(stage, table, data, [key_column])
            yield pa.record_batch([column.slice(index, 1), pa.array([data.num_rows], pa.int64())], ["key", "rows"])


def _on_spark(
    spark: Any,
    stage: Staging,
    table: str,
    key_column: str,
    keys: Sequence[Any],
    build: Build,
    payload: Any,
    schema: Any,
) -> None:
    import pyarrow as pa

    from nearshore.data.spark.datasets import SPARK_TYPES

    key_type = SPARK_TYPES[columns_of(pa.schema([schema.field(key_column)]))[0].type]
    broadcast = spark.sparkContext.broadcast(payload)
    frame = spark.sparkContext.parallelize([(k,) for k in keys], max(len(keys), 1)).toDF(f"key {key_type}")
    try:
        written = frame.mapInArrow(
            partial(_task, broadcast, stage, table, key_column, build), f"key {key_type}, rows BIGINT"
        ).collect()
    finally:
        broadcast.unpersist()
    if sorted(row[0] for row in written) != sorted(keys):
        raise DatasetError(
            f"{stage.location.uri}: Spark wrote {len(written)} of {len(keys)} partitions of {table}; nothing was "
            "committed, run it again",
            file=stage.location.uri,
        )


__all__ = ["PARTITION_ENGINES", "Build", "PartitionEngine", "build_partitions"]
