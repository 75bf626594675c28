"""Build the embedded snapshot from the official raw files with the project's own loaders.

The plan (plan.yaml) names each file and its vintage. Every file is loaded into a throwaway in-memory store
exactly as `nearshore data load` would; the store's tables are then written as compressed Parquet beside a
manifest (source, file, vintage, checksum, rows). The output directory is replaced atomically.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from nearshore._version import __version__
from nearshore.data import schema
from nearshore.data.query import catalog
from nearshore.data.snapshot import MANIFEST
from nearshore.data.sources import get_source
from nearshore.data.store import Store
from nearshore.errors import InputError

# Sort orders that put similar rows together, which keeps the Parquet files small.
_ORDER = {
    "trade_flows": "source, classification, partner, flow, basis, program, commodity, year, month",
    "program_shares": "source, partner, program, commodity, year, month",
    "hts_schedule": "source, revision, position",
}


@dataclass(frozen=True)
class PlanEntry:
    source: str
    file: str
    vintage: str
    note: str = ""


def read_plan() -> list[PlanEntry]:
    text = resources.files("nearshore.data.snapshot").joinpath("plan.yaml").read_text(encoding="utf-8")
    return [PlanEntry(**entry) for entry in yaml.safe_load(text)]


def _sha256(path: Path) -> str:
    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


def build_snapshot(
    raw_dir: Path,
    out_dir: Path,
    *,
    plan: list[PlanEntry] | None = None,
    progress: Callable[[PlanEntry], None] | None = None,
) -> dict[str, Any]:
    """Load every planned file from `raw_dir`, write the Parquet tables and manifest to `out_dir`."""
    plan = plan if plan is not None else read_plan()
    missing = [e.file for e in plan if not (raw_dir / e.file).is_file()]
    if missing:
        raise InputError(
            f"the snapshot needs official files that are not under {raw_dir}: {', '.join(missing)}. "
            "Point --raw at shared/data/raw (or set NEARSHORE_SHARED_DIR to shared/)"
        )
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".snapshot-", dir=out_dir.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; the package folder it becomes is read by everyone
    try:
        with Store(":memory:") as store:
            for entry in plan:
                if progress:
                    progress(entry)
                get_source(entry.source).load(store, raw_dir / entry.file, vintage=entry.vintage)
            manifest = _export(store, raw_dir, staging)
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        if out_dir.exists():
            shutil.rmtree(out_dir)
        staging.rename(out_dir)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return manifest


def _export(store: Store, raw_dir: Path, staging: Path) -> dict[str, Any]:
    loads = []
    for row in store.loads().records():
        origin = Path(row["origin"])
        loads.append(
            {
                "load_id": row["load_id"],
                "source": row["source"],
                "target": row["target"],
                "origin": str(origin.relative_to(raw_dir)) if origin.is_relative_to(raw_dir) else origin.name,
                "checksum": row["checksum"],
                "vintage": row["vintage"],
                "loaded_at": str(row["loaded_at"]),
                "rows": row["rows"],
                # paths in warnings are given relative to the raw folder, so a rebuild elsewhere matches
                "warnings": row["warnings"].replace(f"{raw_dir}/", ""),
            }
        )
    tables = []
    for table in schema.TABLES:
        rows = catalog.row_count(store, table)
        if not rows:
            continue
        path = staging / f"{table}.parquet"
        store.export(table, path, _ORDER[table])
        tables.append(
            {"table": table, "file": path.name, "rows": rows, "bytes": path.stat().st_size, "checksum": _sha256(path)}
        )
    return {
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "nearshore_version": __version__,
        "schema_version": schema.SCHEMA_VERSION,
        "loads": loads,
        "tables": tables,
    }
