"""The manifest of an exported dataset: what was committed, with its schema and provenance.

`_nearshore_manifest.json` at the dataset's root is written last, when every file is in place; a folder without it
is not a dataset (an export that was interrupted, or is still running). It lists each table's schema (column,
Arrow type), partition columns, row count and every file with its rows and bytes, so a reader can tell a
missing partition or a changed file from the real thing, and the provenance of the data (for a store export:
the sources, vintages and load ids, and the whole `loads` table).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

from nearshore.data.export.location import Location
from nearshore.errors import DatasetError

MANIFEST: Final = "_nearshore_manifest.json"
FORMAT: Final = "nearshore-dataset"
FORMAT_VERSION: Final = 1

# The Arrow types a dataset column may have, by the name the manifest gives them.
ARROW_TYPES: Final = (
    "bool",
    "int8",
    "int16",
    "int32",
    "int64",
    "float",
    "double",
    "string",
    "date32[day]",
    "timestamp[us]",
)


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # one of ARROW_TYPES


@dataclass(frozen=True)
class DataFile:
    path: str  # relative to the dataset root, e.g. trade_flows/year=2024/partner=MEX/part-0.parquet
    rows: int
    bytes: int


@dataclass(frozen=True)
class TableEntry:
    name: str
    path: str  # folder relative to the root
    partition_by: tuple[str, ...]
    rows: int
    columns: tuple[Column, ...]
    files: tuple[DataFile, ...]

    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def arrow_schema(self) -> Any:
        """The table's pyarrow schema (partition columns included)."""
        import pyarrow as pa

        return pa.schema([(c.name, arrow_type(c.type)) for c in self.columns])


@dataclass(frozen=True)
class Manifest:
    kind: str  # 'store-export' | 'tariff-panel'
    tables: dict[str, TableEntry]
    provenance: dict[str, Any]
    export_id: str
    created_at: str = field(default_factory=lambda: datetime.now(UTC).replace(microsecond=0).isoformat())
    format: str = FORMAT
    version: int = FORMAT_VERSION

    def table(self, name: str, uri: str) -> TableEntry:
        if name not in self.tables:
            raise DatasetError(
                f"{uri} has no table {name!r}; it holds {', '.join(sorted(self.tables)) or 'no tables'}", file=uri
            )
        return self.tables[name]

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=False, default=str) + "\n"


def arrow_type(name: str) -> Any:
    import pyarrow as pa

    types = {
        "bool": pa.bool_(),
        "int8": pa.int8(),
        "int16": pa.int16(),
        "int32": pa.int32(),
        "int64": pa.int64(),
        "float": pa.float32(),
        "double": pa.float64(),
        "string": pa.string(),
        "date32[day]": pa.date32(),
        "timestamp[us]": pa.timestamp("us"),
    }
    if name not in types:
        raise DatasetError(f"unsupported column type {name!r}; supported: {', '.join(ARROW_TYPES)}")
    return types[name]


def columns_of(schema: Any) -> tuple[Column, ...]:
    """Manifest columns of a pyarrow schema; a type outside ARROW_TYPES is a DatasetError naming the column."""
    out = []
    for f in schema:
        name = str(f.type)
        if name not in ARROW_TYPES:
            raise DatasetError(
                f"column {f.name} has type {name}, which datasets do not hold; cast it to one of "
                f"{', '.join(ARROW_TYPES)}"
            )
        out.append(Column(f.name, name))
    return tuple(out)


def write_manifest(location: Location, manifest: Manifest) -> None:
    location.write_text(location.path(MANIFEST), manifest.to_json())


def read_manifest(location: Location) -> Manifest:
    """The committed manifest; a DatasetError naming the path when there is none or it is not one."""
    path = location.path(MANIFEST)
    if not location.exists(path):
        raise DatasetError(
            f"{location.uri} is not a committed nearshore dataset: {MANIFEST} is missing (the export was "
            "interrupted, is still running, or this is another folder); run `nearshore data export` again",
            file=location.uri,
        )
    try:
        raw = json.loads(location.read_text(path))
        if raw.get("format") != FORMAT:
            raise ValueError(f"format is {raw.get('format')!r}, not {FORMAT!r}")
        if raw.get("version") != FORMAT_VERSION:
            raise ValueError(f"version {raw.get('version')!r}; this nearshore reads version {FORMAT_VERSION}")
        tables = {
            name: TableEntry(
                name=t["name"],
                path=t["path"],
                partition_by=tuple(t["partition_by"]),
                rows=int(t["rows"]),
                columns=tuple(Column(c["name"], c["type"]) for c in t["columns"]),
                files=tuple(DataFile(f["path"], int(f["rows"]), int(f["bytes"])) for f in t["files"]),
            )
            for name, t in raw["tables"].items()
        }
        return Manifest(raw["kind"], tables, raw["provenance"], raw["export_id"], raw["created_at"])
    except (ValueError, KeyError, TypeError) as exc:
        raise DatasetError(
            f"{path} in {location.uri} is not a readable manifest ({type(exc).__name__}: {exc}); export the "
            "dataset again",
            file=location.uri,
        ) from None


__all__ = [
    "ARROW_TYPES",
    "MANIFEST",
    "Column",
    "DataFile",
    "Manifest",
    "TableEntry",
    "arrow_type",
    "columns_of",
    "read_manifest",
    "write_manifest",
]
