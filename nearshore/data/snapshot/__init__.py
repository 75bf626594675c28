"""The embedded default data: Parquet tables shipped in the package with a manifest of their provenance.

A store with no loads is seeded from it, so a fresh install with no network and no raw files has data.
`nearshore data snapshot build` (see builder.py) makes it from the official raw files with the project's own loaders.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from nearshore.data import schema
from nearshore.data.store import Store

MANIFEST = "manifest.json"


def snapshot_dir() -> Path:
    return Path(str(resources.files("nearshore.data.snapshot").joinpath("files")))


def read_manifest(directory: Path | None = None) -> dict[str, Any] | None:
    path = (directory or snapshot_dir()) / MANIFEST
    if not path.exists():
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def seed_from_snapshot(store: Store, directory: Path | None = None) -> bool:
    """Fill an empty store from the snapshot, in one transaction. False when there is nothing to do."""
    directory = directory or snapshot_dir()
    manifest = read_manifest(directory)
    if manifest is None or store.query("SELECT count(*) FROM loads").scalar():
        return False
    with store.transaction() as con:
        for load in manifest["loads"]:
            con.execute(
                "INSERT INTO loads VALUES (?, ?, ?, ?, ?, ?, ?::TIMESTAMP, ?, 0, 0, ?)",
                [
                    load["load_id"],
                    load["source"],
                    load["target"],
                    load["origin"],
                    load["checksum"],
                    load["vintage"],
                    load["loaded_at"],
                    load["rows"],
                    load.get("warnings", ""),
                ],
            )
        for entry in manifest["tables"]:
            if entry["table"] not in schema.TABLES:
                continue
            path = directory / entry["file"]
            # BY NAME: a snapshot written before a nullable column was added still seeds (the column stays NULL)
            con.execute(f"INSERT INTO {entry['table']} BY NAME SELECT * FROM read_parquet(?)", [str(path)])
    return True


def open_store(settings: Any = None, *, seed: bool = True) -> Store:
    """Open the configured store; an empty one is seeded from the embedded snapshot."""
    store = Store.open(settings)
    if seed:
        seed_from_snapshot(store)
    return store
