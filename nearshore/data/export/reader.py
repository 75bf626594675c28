"""Reading an exported dataset, checked against its manifest before any engine touches it.

`open_dataset` refuses a folder without a committed manifest. `Dataset.check(table)` lists the table's folder once
and reads every file's Parquet footer: a file the manifest lists that is gone (a missing partition), a column
missing or of another type, or a file whose row count changed is a `DatasetError` naming the path. Files the
manifest does not list (left by another writer) are ignored. The checked table is then read by exactly the
listed files, typed by the manifest's schema: `Dataset.arrow()` for DuckDB and pyarrow, and the Spark reader in
nearshore/data/spark/datasets.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nearshore.data.export.location import Location, resolve
from nearshore.data.export.manifest import Manifest, TableEntry, read_manifest
from nearshore.errors import DatasetError
from nearshore.settings import Settings

SHOWN = 5
FOOTER_THREADS = 8


@dataclass(frozen=True)
class Dataset:
    location: Location
    manifest: Manifest

    @property
    def uri(self) -> str:
        return self.location.uri

    def check(self, table: str) -> TableEntry:
        """The table's manifest entry, after checking that its files are all there with the committed schema."""
        entry = self.manifest.table(table, self.uri)
        present = set(self.location.files(self.location.path(entry.path)))
        missing = [f.path for f in entry.files if self.location.path(f.path) not in present]
        if missing:
            folders = sorted({m.rsplit("/", 1)[0] for m in missing})
            shown = ", ".join(folders[:SHOWN]) + (f" and {len(folders) - SHOWN} more" if len(folders) > SHOWN else "")
            raise DatasetError(
                f"{self.uri}: table {table} is missing {len(missing)} of its {len(entry.files)} committed file(s), "
                f"in {shown}; the dataset was changed after the export: export it again",
                file=self.uri,
            )
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=FOOTER_THREADS) as pool:  # footers are small reads: overlap them
            list(pool.map(lambda f: self._check_file(entry, f.path, f.rows), entry.files))
        return entry

    def _check_file(self, entry: TableEntry, relative: str, rows: int) -> None:
        import pyarrow.parquet as pq

        path = self.location.path(relative)
        with self.location.io(f"reading the footer of {relative} in"):
            metadata = pq.read_metadata(path, filesystem=self.location.fs)
        found = {f.name: str(f.type) for f in metadata.schema.to_arrow_schema()}
        for column in entry.columns:
            if column.name in entry.partition_by:
                continue
            if column.name not in found:
                raise DatasetError(
                    f"{self.location.uri_of(relative)}: column {column.name} ({column.type}) of table {entry.name} is "
                    f"missing; the file has {', '.join(found)}. Export the dataset again",
                    file=self.location.uri_of(relative),
                )
            if found[column.name] != column.type:
                raise DatasetError(
                    f"{self.location.uri_of(relative)}: column {column.name} of table {entry.name} is "
                    f"{found[column.name]}, the manifest says {column.type}; export the dataset again",
                    file=self.location.uri_of(relative),
                )
        if metadata.num_rows != rows:
            raise DatasetError(
                f"{self.location.uri_of(relative)}: {metadata.num_rows} rows, the manifest says {rows}; the file was "
                "changed after the export: export the dataset again",
                file=self.location.uri_of(relative),
            )

    def arrow(self, table: str) -> Any:
        """A checked table as a pyarrow dataset (lazy; DuckDB can scan it), partition columns typed."""
        import pyarrow as pa
        import pyarrow.dataset as ds

        entry = self.check(table)
        schema = entry.arrow_schema()
        partitioning = (
            ds.partitioning(pa.schema([schema.field(c) for c in entry.partition_by]), flavor="hive")
            if entry.partition_by
            else None
        )
        return ds.dataset(
            [self.location.path(f.path) for f in entry.files],
            schema=schema,
            format="parquet",
            filesystem=self.location.fs,
            partitioning=partitioning,
            partition_base_dir=self.location.path(entry.path),
        )

    def uris(self, table: str) -> list[str]:
        """URIs of a table's committed files (for engines that read paths, e.g. Spark)."""
        entry = self.manifest.table(table, self.uri)
        return [self.location.uri_of(f.path) for f in entry.files]


def open_dataset(uri: str | Path, settings: Settings | None = None) -> Dataset:
    """A committed dataset at `uri` (local folder or URI); DatasetError if there is none."""
    location = resolve(uri, settings)
    return Dataset(location, read_manifest(location))


def open_parquet(uri: str | Path, columns: Sequence[str], settings: Settings | None = None) -> Any:
    """A plain Parquet file or folder (not an export) as a pyarrow dataset, checked to have `columns`."""
    import pyarrow.dataset as ds

    location = resolve(uri, settings)
    if not location.exists(location.root):
        raise DatasetError(f"{location.uri} does not exist; give a Parquet file or folder", file=location.uri)
    with location.io("reading"):
        dataset = ds.dataset(location.root, format="parquet", filesystem=location.fs, partitioning="hive")
    missing = [c for c in columns if c not in dataset.schema.names]
    if missing:
        raise DatasetError(
            f"{location.uri}: column(s) {', '.join(missing)} missing; it has {', '.join(dataset.schema.names)}. "
            "Name the columns to use (--exporter-column, --importer-column, --year-column, --value-column)",
            file=location.uri,
        )
    return dataset


__all__ = ["Dataset", "open_dataset", "open_parquet"]
