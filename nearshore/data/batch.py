"""What a source parser hands to the store: validated rows for one table, plus where they came from."""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from nearshore.data import schema
from nearshore.errors import InputError

_VINTAGE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")

_ARROW_TYPES: dict[str, pa.DataType] = {
    "VARCHAR": pa.string(),
    "SMALLINT": pa.int16(),
    "TINYINT": pa.int8(),
    "INTEGER": pa.int32(),
    "DOUBLE": pa.float64(),
    "BIGINT": pa.int64(),
}

# Columns the store fills in itself when it loads a batch.
STORE_COLUMNS = ("source", "vintage", "load_id", "superseded_by")


def check_vintage(vintage: str) -> str:
    """A vintage is the release a figure belongs to, written YYYY-MM or YYYY-MM-DD so it sorts."""
    if not _VINTAGE.match(vintage) or not _is_date(vintage):
        raise InputError(
            f"vintage {vintage!r} is not a date: write it as YYYY-MM or YYYY-MM-DD "
            "(the release month of the data, e.g. 2026-07)"
        )
    return vintage


def _is_date(vintage: str) -> bool:
    try:
        datetime.date.fromisoformat(vintage if len(vintage) == 10 else vintage + "-01")
    except ValueError:
        return False
    return True


def arrow_schema(table: str) -> pa.Schema:
    """The Arrow schema of a batch for `table`: the table's columns less those the store fills."""
    columns, _ = schema.TABLES[table]
    fields = [
        pa.field(name, _ARROW_TYPES[kind.split()[0]], nullable="NOT NULL" not in kind)
        for name, kind in columns
        if name not in STORE_COLUMNS
    ]
    return pa.schema(fields)


def file_checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return "sha256:" + digest.hexdigest()


@dataclass
class Batch:
    """Validated rows for one store table from one file or request."""

    source: str
    target: str
    origin: str
    checksum: str
    vintage: str
    data: pa.Table
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def from_columns(
        cls,
        *,
        source: str,
        target: str,
        origin: str,
        checksum: str,
        vintage: str,
        columns: dict[str, list[Any]],
        warnings: list[str] | None = None,
    ) -> Batch:
        target_schema = arrow_schema(target)
        length = len(next(iter(columns.values()))) if columns else 0
        filled = {name: columns[name] if name in columns else [None] * length for name in target_schema.names}
        unknown = sorted(set(columns) - set(target_schema.names))
        if unknown:
            raise ValueError(f"columns {unknown} are not in table {target}")
        table = pa.Table.from_pydict(filled, schema=target_schema)
        return cls(source, target, origin, checksum, check_vintage(vintage), table, warnings or [])

    @property
    def rows(self) -> int:
        return int(self.data.num_rows)


class ColumnBuffer:
    """Collects rows column by column for a target table; missing optional columns are left null."""

    def __init__(self, target: str) -> None:
        self.names = arrow_schema(target).names
        self.columns: dict[str, list[Any]] = {name: [] for name in self.names}

    def add(self, **values: Any) -> None:
        for name in self.names:
            self.columns[name].append(values.get(name))

    def __len__(self) -> int:
        return len(self.columns[self.names[0]])
