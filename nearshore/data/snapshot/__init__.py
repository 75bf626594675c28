"""The embedded default data: Parquet tables shipped in the package with a manifest of their provenance.

Seeding is an explicit step: `seed_from_snapshot(store)` fills an empty store, `seed()` (the command `nearshore
data seed`) the configured one. On a fresh machine, `open_store` seeds once when the store file does not exist yet
(built in a temporary file and moved into place, so no reader ever sees a half-seeded store), then opens it,
read-write or read-only; an existing store is never changed by opening it.
`nearshore data snapshot build` (see builder.py) makes the snapshot from the official raw files with the project's
own loaders.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from nearshore.data.query import catalog
from nearshore.data.store import Store
from nearshore.settings import Settings

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
    """Fill an empty store from the snapshot, in one transaction. False when there is nothing to do (the store
    holds loads already, or the package ships no snapshot)."""
    directory = directory or snapshot_dir()
    manifest = read_manifest(directory)
    if manifest is None or catalog.row_count(store, "loads"):
        return False
    tables = [(entry["table"], directory / entry["file"]) for entry in manifest["tables"]]
    store.restore(manifest["loads"], tables)
    return True


@dataclass(frozen=True)
class SeedReport:
    """What `seed` did: the store, whether it was seeded now, and the loads it holds."""

    path: str
    seeded: bool
    loads: int


def seed(settings: Settings | None = None) -> SeedReport:
    """Seed the configured store from the embedded snapshot if it holds no loads (creating it if needed)."""
    settings = settings or Settings.load()
    path = settings.db_path()
    if path != ":memory:" and not Path(path).exists():
        _create_seeded(path, settings)
        with Store.open(settings, read_only=True) as store:
            return SeedReport(store.path, True, catalog.row_count(store, "loads"))
    with Store.open(settings) as store:
        seeded = seed_from_snapshot(store)
        return SeedReport(store.path, seeded, catalog.row_count(store, "loads"))


def _create_seeded(path: str, settings: Settings) -> None:
    """Build a seeded store beside `path` and move it into place, unless another process got there first."""
    target = Path(path)
    staging = target.with_name(f".{target.name}.seeding-{os.getpid()}")
    try:
        with Store(staging, memory_limit=settings.get("memory_limit")) as store:
            seed_from_snapshot(store)
        try:
            os.link(staging, target)  # atomic, and never replaces a store another process made meanwhile
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links
            if not target.exists():
                os.replace(staging, target)
    finally:
        for leftover in (staging, staging.with_name(staging.name + ".wal")):
            leftover.unlink(missing_ok=True)


def open_store(settings: Settings | None = None, *, read_only: bool = False, seed: bool = True) -> Store:
    """Open the configured store, read-write or read-only. When the store file does not exist yet (a fresh
    machine) it is first created and seeded from the embedded snapshot, unless `seed` is False."""
    settings = settings or Settings.load()
    path = settings.db_path()
    if path == ":memory:":
        store = Store.open(settings)  # a throwaway store is always writable
        if seed:
            seed_from_snapshot(store)
        return store
    if seed and not Path(path).exists():
        _create_seeded(path, settings)
    return Store.open(settings, read_only=read_only)


__all__ = ["MANIFEST", "SeedReport", "open_store", "read_manifest", "seed", "seed_from_snapshot", "snapshot_dir"]
