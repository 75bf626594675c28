"""Writing a dataset with nothing half-written: stage every table under a temporary prefix, then commit.

    <root>/_staging-<id>/<table>/...   written first (by pyarrow here, or by Spark)
    commit: remove the old manifest (the folder stops being a dataset), move the old tables aside, move the
            staged tables into place, write the manifest last, delete what was moved aside.

A reader needs the manifest, so it sees the old dataset, none, or the new one whole; never a mix. An export that
fails before the commit deletes its staging prefix and leaves the old dataset as it was; one killed during the
commit leaves a folder with no manifest, which readers refuse until the export is run again.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from nearshore.data.export.location import Location
from nearshore.data.export.manifest import (
    MANIFEST,
    DataFile,
    Manifest,
    TableEntry,
    columns_of,
    read_manifest,
    write_manifest,
)
from nearshore.errors import DatasetError

ROWS_PER_FILE = 5_000_000


@dataclass(frozen=True)
class Staging:
    """A temporary prefix of `location` that tables are written under before the commit."""

    location: Location
    export_id: str

    @property
    def prefix(self) -> str:
        return f"_staging-{self.export_id}"

    def path(self, table: str) -> str:
        return self.location.path(self.prefix, table)

    def uri(self, table: str) -> str:
        """The URI of a staged table's folder, for writers that take URIs (Spark)."""
        return self.location.uri_of(self.prefix, table)


@contextmanager
def staging(location: Location) -> Iterator[Staging]:
    """A fresh staging prefix, deleted when the block fails (the dataset at `location` is left untouched)."""
    stage = Staging(location, uuid.uuid4().hex[:12])
    with location.io("creating the dataset folder"):
        location.fs.create_dir(location.path(stage.prefix), recursive=True)
    try:
        yield stage
    except BaseException:
        location.delete(location.path(stage.prefix))
        raise


def write_arrow(stage: Staging, table: str, data: Any, partition_by: Sequence[str]) -> None:
    """Write Arrow data (a Table or RecordBatchReader) under the staged table's folder, Hive-partitioned."""
    import pyarrow as pa
    import pyarrow.dataset as ds

    schema = data.schema
    partitioning = (
        ds.partitioning(pa.schema([schema.field(c) for c in partition_by]), flavor="hive") if partition_by else None
    )
    with stage.location.io(f"writing table {table} to"):
        stage.location.fs.create_dir(stage.path(table), recursive=True)  # an empty table is an empty folder
        ds.write_dataset(
            data,
            stage.path(table),
            filesystem=stage.location.fs,
            format="parquet",
            partitioning=partitioning,
            basename_template="part-{i}.parquet",
            existing_data_behavior="overwrite_or_ignore",
            max_partitions=1_000_000,
            max_rows_per_file=ROWS_PER_FILE,
            max_rows_per_group=min(ROWS_PER_FILE, 1_000_000),
            file_options=ds.ParquetFileFormat().make_write_options(compression="zstd"),
        )


def describe(stage: Staging, table: str, schema: Any, partition_by: Sequence[str]) -> TableEntry:
    """The manifest entry of a staged table: its schema and every file with rows (from the footer) and bytes."""
    import pyarrow.parquet as pq

    location = stage.location
    files = []
    for path in location.files(stage.path(table)):
        with location.io(f"reading the footer of {path} in"):
            rows = pq.read_metadata(path, filesystem=location.fs).num_rows
            size = location.fs.get_file_info(path).size
        relative = location.relative(path).split("/", 1)[1]  # drop the staging prefix
        files.append(DataFile(relative, int(rows), int(size)))
    return TableEntry(
        name=table,
        path=table,
        partition_by=tuple(partition_by),
        rows=sum(f.rows for f in files),
        columns=columns_of(schema),
        files=tuple(files),
    )


def commit(stage: Staging, kind: str, tables: Sequence[TableEntry], provenance: dict[str, Any]) -> Manifest:
    """Move the staged tables into place and write the manifest last (see the module docstring)."""
    location = stage.location
    manifest = Manifest(kind, {t.name: t for t in tables}, provenance, stage.export_id)
    old_tables: set[str] = set()
    if location.exists(location.path(MANIFEST)):
        try:
            old_tables = {t.path for t in read_manifest(location).tables.values()}
        except DatasetError:
            old_tables = set()
        location.delete(location.path(MANIFEST))
    aside = location.path(f"_old-{stage.export_id}")
    for folder in sorted(old_tables | {t.path for t in tables}):
        if location.exists(location.path(folder)):
            location.move_dir(location.path(folder), location.path(f"_old-{stage.export_id}", folder))
    for entry in tables:
        location.move_dir(stage.path(entry.path), location.path(entry.path))
    write_manifest(location, manifest)
    location.delete(aside)
    location.delete(location.path(stage.prefix))
    return manifest


__all__ = ["Staging", "commit", "describe", "staging", "write_arrow"]
