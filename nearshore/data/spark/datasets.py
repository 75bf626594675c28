"""Exported datasets on Spark: each table read by exactly its committed files, typed by the manifest.

`read_table` checks the table first (nearshore/data/export/reader.py: the manifest is committed, every listed
file is there with the committed columns, types and row counts), then reads the files with the manifest's
schema (partition columns included), so Spark never infers a type. `register_tables` makes each table a
temporary view under its store name (`trade_flows`, `program_shares`, `hts_schedule`, `loads`): the SQL the
query layer writes for the store then runs on Spark as it is, which is what a Spark engine behind the query layer
needs (see docs/scale.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from nearshore.data.export.manifest import TableEntry
from nearshore.data.export.reader import Dataset
from nearshore.errors import DatasetError

SPARK_TYPES: Final = {
    "bool": "BOOLEAN",
    "int8": "TINYINT",
    "int16": "SMALLINT",
    "int32": "INT",
    "int64": "BIGINT",
    "float": "FLOAT",
    "double": "DOUBLE",
    "string": "STRING",
    "date32[day]": "DATE",
    "timestamp[us]": "TIMESTAMP_NTZ",
}


def spark_schema(entry: TableEntry) -> str:
    """The table's schema as a Spark DDL string (`name TYPE, ...`)."""
    return ", ".join(f"`{c.name}` {SPARK_TYPES[c.type]}" for c in entry.columns)


def read_table(spark: Any, dataset: Dataset, table: str) -> Any:
    """A checked table of `dataset` as a Spark DataFrame with the manifest's columns and types."""
    entry = dataset.check(table)
    ddl = spark_schema(entry)
    if not entry.files:
        return spark.createDataFrame([], ddl)
    frame = (
        spark.read.schema(ddl)
        .option("basePath", dataset.location.uri_of(entry.path))
        .parquet(*dataset.uris(table))
        .select(*[f"`{c}`" for c in entry.column_names()])
    )
    found = [f.name for f in frame.schema.fields]
    if found != list(entry.column_names()):
        raise DatasetError(
            f"{dataset.location.uri_of(entry.path)}: Spark read columns {found}, the manifest says "
            f"{list(entry.column_names())}; export the dataset again",
            file=dataset.location.uri_of(entry.path),
        )
    return frame


def register_tables(spark: Any, dataset: Dataset, tables: Sequence[str] | None = None) -> tuple[str, ...]:
    """Each table (default: all) as a temporary view named after it; returns the view names."""
    names = tuple(tables or sorted(dataset.manifest.tables))
    for name in names:
        read_table(spark, dataset, name).createOrReplaceTempView(name)
    return names


__all__ = ["SPARK_TYPES", "read_table", "register_tables", "spark_schema"]
