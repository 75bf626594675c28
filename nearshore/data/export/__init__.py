"""Exported datasets: the store's tables (and the tariff panel) as partitioned Parquet with a committed manifest.

    location.py      local folder or Hadoop-compatible URI (s3a://, hdfs://, abfss://) as a pyarrow filesystem
    manifest.py      the manifest: tables, schema, files with row counts, provenance; written last
    commit.py        staging under a temporary prefix, then the commit (nothing half-written)
    store_export.py  `export_store`: the store's tables, partitioned (`nearshore data export`)
    reader.py        `open_dataset`: refuse an uncommitted dataset; check files and schema against the manifest

Spark reads these datasets through nearshore/data/spark/ (the optional `spark` extra).
"""

from __future__ import annotations

from nearshore.data.export.manifest import MANIFEST, Manifest, TableEntry
from nearshore.data.export.reader import Dataset, open_dataset, open_parquet
from nearshore.data.export.store_export import EXPORT_TABLES, ExportReport, export_store

__all__ = [
    "EXPORT_TABLES",
    "MANIFEST",
    "Dataset",
    "ExportReport",
    "Manifest",
    "TableEntry",
    "export_store",
    "open_dataset",
    "open_parquet",
]
