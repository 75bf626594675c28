"""The Spark engine: the query layer's SQL run by Spark SQL over an exported dataset (`nearshore data export`),
and Spark's own spellings of what `Engine` leaves to each engine (the as-of relation without QUALIFY,
`startswith`, sorted `collect_set`, string literals with backslash escapes).

`SparkReader.over(spark, dataset)` registers the dataset's tables as temporary views under their store names
(nearshore/data/spark/datasets.py), so every reader of the query layer (analytics, the `stats` services) runs on
it unchanged and gives the figures the DuckDB store gives for the same rows. pyspark is imported by the caller
that made the session (the `spark` extra); this module only talks to the session it is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from nearshore.data.query.engine import Result, plain_literal
from nearshore.errors import StoreError

if TYPE_CHECKING:
    from nearshore.data.export.reader import Dataset

SPARK_MEMORY_HINT: Final = (
    "give the Spark driver more memory with NEARSHORE_SPARK_DRIVER_MEMORY (e.g. 4g), or ask for less at once"
)


class SparkEngine:
    """The `Engine` of a Spark session whose views hold the store's tables."""

    name: Final = "spark"

    def __init__(self, spark: Any) -> None:
        self.spark = spark

    def execute(self, sql: str) -> Result:
        from pyspark.errors import PySparkException

        try:
            frame = self.spark.sql(sql)
            rows = [tuple(row) for row in frame.collect()]
        except PySparkException as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            hint = f"; {SPARK_MEMORY_HINT}" if "OutOfMemory" in str(exc) else ""
            raise StoreError(f"query failed on Spark: {first}{hint}\nSQL: {sql}") from exc
        return Result(tuple(frame.columns), rows, sql)

    def literal(self, value: object) -> str:
        plain = plain_literal(value)
        # Spark SQL reads backslash escapes inside string literals
        return plain if plain is not None else "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"

    def relation(self, table: str, key: Sequence[str], as_of: str | None) -> str:
        if as_of is None:
            return f"(SELECT * FROM {table} WHERE superseded_by IS NULL)"
        columns = ", ".join(f"`{c}`" for c in self.spark.table(table).columns)  # the view's, without the helper
        return (
            f"(SELECT {columns} FROM (SELECT *, max(vintage) OVER (PARTITION BY {', '.join(key)}) AS newest_vintage "
            f"FROM {table} WHERE vintage <= {self.literal(as_of)}) WHERE vintage = newest_vintage)"
        )

    def starts_with(self, column: str, prefix: str) -> str:
        return f"startswith({column}, {self.literal(prefix)})"

    def sorted_distinct(self, expression: str, condition: str | None = None) -> str:
        value = f"CASE WHEN {condition} THEN {expression} END" if condition else expression
        return f"array_sort(collect_set({value}))"


@dataclass(frozen=True)
class SparkReader:
    """A `Reader` over an exported dataset on Spark: what the query layer reads instead of the DuckDB store."""

    engine: SparkEngine
    uri: str

    @classmethod
    def over(cls, spark: Any, dataset: Dataset) -> SparkReader:
        """The dataset's tables registered as views in `spark` (each checked against the manifest first)."""
        from nearshore.data.spark.datasets import register_tables

        register_tables(spark, dataset)
        return cls(SparkEngine(spark), dataset.uri)


__all__ = ["SPARK_MEMORY_HINT", "SparkEngine", "SparkReader"]
