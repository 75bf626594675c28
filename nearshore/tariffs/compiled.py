"""The schedule and the policy compiled once and kept on disk, so one `tariff duty` needs neither DuckDB nor YAML.

One cache file per store and requested revision, under `<data_dir>/cache/tariffs/`. It holds the parsed policy
and the parsed schedule split by 4-digit heading (a line inherits its rates only from lines of its own heading,
so a heading's lines price any code of it exactly as the whole schedule does), each pickled on its own so that a
call unpickles one heading. It is valid while

- the policy files hash to what they hashed to when it was built, and
- the store file (and its write-ahead log) has the size, modification time and inode it had: a load writes the
  file, so a load invalidates it; when only these changed (another process opened the store for writing),
  the store's HTS loads (load ids and source checksums) are compared, and an unchanged list keeps the cache.

The batch (`tariff batch`) keeps a second file beside it (`batch_inputs`): the whole schedule with the line
arrays the vectorised engine derives from it (`vector.line_arrays`, kept in `Schedule.cache`) and the policy,
valid under the same key, so a second batch on the same store reads neither DuckDB nor the YAML nor parses a rate.

Anything else (no file, another format, a damaged file, a key that does not match) rebuilds it from the store.
The file is written to a temporary name and renamed into place, so a reader never sees half a file. A code the
heading cannot answer (unknown, a heading, a typo) is looked up in the whole schedule, so its error message and
suggestions are the ones the cold path gives.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeGuard

from nearshore.data.reference.hs import normalise
from nearshore.diskcache import read_pickle, write_pickle
from nearshore.errors import InvalidHSCode
from nearshore.settings import Settings

if TYPE_CHECKING:
    from nearshore.data.store import Store
    from nearshore.tariffs.policy import Policy
    from nearshore.tariffs.schedule import Schedule

FORMAT = 1  # bump when the pickled classes change shape (Schedule, Line, Rate, Policy, vector.LineArrays)
StatKey = tuple[tuple[int, int, int] | None, ...]


def _files_digest(folder: Path, paths: Iterable[Path]) -> str:
    """sha256 over the files among `paths` (each its path relative to `folder`, then its bytes), sorted."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@functools.cache
def policy_hash() -> str:
    """sha256 over the policy file, its product lists and the metal shares (what `load_policy` reads); once a
    process, as `load_policy` reads them once a process."""
    from nearshore.tariffs.policy import POLICY_FILE

    folder = POLICY_FILE.parent
    return _files_digest(folder, [POLICY_FILE, *folder.glob("*.csv"), *(folder / "products").rglob("*")])


@functools.cache
def code_hash() -> str:
    """sha256 over the tariff modules' source (the classes pickled and the code that derives what is cached), so
    a cache written by other code is rebuilt even where FORMAT was not bumped; once a process."""
    folder = Path(__file__).resolve().parent
    return _files_digest(folder, folder.rglob("*.py"))


def store_stat(db_path: str) -> StatKey:
    """(size, mtime ns, inode) of the store file and of its write-ahead log (None: absent)."""
    out: list[tuple[int, int, int] | None] = []
    for path in (db_path, db_path + ".wal"):
        try:
            st = os.stat(path)
        except OSError:
            out.append(None)
            continue
        out.append((st.st_size, st.st_mtime_ns, st.st_ino))
    return tuple(out)


def hts_loads(store: Store) -> tuple[tuple[Any, ...], ...]:
    """The store's HTS schedule loads: (load id, source checksum, vintage), oldest first."""
    from nearshore.data import query

    return tuple(tuple(r) for r in query.catalog.loads_of_target(store, "hts_schedule").rows)


def cache_file(settings: Settings, db_path: str, revision: str | None, kind: str = "") -> Path:
    """The cache file of a store and requested revision; `kind` "batch" for the batch's whole schedule."""
    name = hashlib.sha256(f"{os.path.realpath(db_path)}\0{revision or ''}".encode()).hexdigest()[:24]
    return settings.data_dir() / "cache" / "tariffs" / f"{name}{'.' + kind if kind else ''}.pickle"


def _read(path: Path) -> dict[str, Any] | None:
    """The cache document, or None when absent, damaged or of another format."""
    doc = read_pickle(path)
    return doc if isinstance(doc, dict) and doc.get("format") == FORMAT else None


def _build(store: Store, revision: str | None, key: dict[str, Any]) -> dict[str, Any]:
    from nearshore.data import query
    from nearshore.tariffs.policy import load_policy
    from nearshore.tariffs.schedule import Schedule, load_schedule

    schedule = load_schedule(store, revision)
    by_heading: dict[str, list[Any]] = {}
    for row in query.hts.lines(store, schedule.revision).rows:
        by_heading.setdefault(str(row[1] or "")[:4], []).append(row)
    shards = {
        h: pickle.dumps(Schedule(schedule.revision, rows), pickle.HIGHEST_PROTOCOL) for h, rows in by_heading.items()
    }
    return {
        **key,
        "revision": schedule.revision,
        "policy": pickle.dumps(load_policy(), pickle.HIGHEST_PROTOCOL),
        "shards": shards,
        "full": schedule,  # for this process only: dropped before writing
    }


@dataclass
class _Loaded:
    """A cache document as this process holds it: the policy unpickled, each heading unpickled on first use."""

    doc: dict[str, Any]
    policy: Policy
    headings: dict[str, Schedule | None] = field(default_factory=dict)


_LOADED: dict[Path, _Loaded] = {}  # per cache file: a library caller (the API) reads it once, not per call
_BATCH: dict[Path, dict[str, Any]] = {}  # the same for the batch cache
_AHEAD: dict[Path, dict[str, Any]] = {}  # a batch cache document read ahead whose store stat has changed


def _matches(doc: dict[str, Any] | None, key: dict[str, Any]) -> TypeGuard[dict[str, Any]]:
    """Whether a cache document holds every entry of `key`."""
    return doc is not None and all(doc.get(k) == v for k, v in key.items())


def tariff_inputs(
    settings: Settings, open_store: Callable[[], Store], revision: str | None, hts: str
) -> tuple[Schedule, Policy]:
    """The schedule (enough of it to price `hts`, or all of it) and the policy, from the cache when it is valid,
    else built from the store (opened with `open_store` only then) and cached."""
    db_path = settings.db_path()
    if db_path == ":memory:" or not settings.flag("tariff_cache"):
        return _cold(open_store(), revision)
    path = cache_file(settings, db_path, revision)
    key = {
        "format": FORMAT,
        "code": code_hash(),
        "policy_hash": policy_hash(),
        "stat": store_stat(db_path),
        "db": db_path,
    }
    loaded = _LOADED.get(path)
    if loaded is None or not _matches(loaded.doc, key):
        doc = _valid(path, key, open_store, lambda store, k: _build(store, revision, k))
        loaded = _LOADED[path] = _Loaded(doc, pickle.loads(doc["policy"]))
    schedule = _heading(loaded, hts)
    if schedule is None:
        schedule = loaded.doc.get("full") or _cold(open_store(), revision)[0]
    return schedule, loaded.policy


def batch_inputs(settings: Settings, open_store: Callable[[], Store], revision: str | None) -> tuple[Schedule, Policy]:
    """The whole schedule (its line arrays for the policy derived) and the policy, from the batch cache file when
    it is valid (the key and checks of `tariff_inputs`), else built from the store (opened only then) and cached."""
    db_path = settings.db_path()
    if db_path == ":memory:" or not settings.flag("tariff_cache"):
        return _cold(open_store(), revision)
    path, key = _batch_key(settings, db_path, revision)
    doc = _BATCH.get(path)
    if not _matches(doc, key):
        read = _AHEAD.pop(path, None)  # read on another thread by read_batch_cache: not read again
        doc = _BATCH[path] = _valid(path, key, open_store, lambda store, k: _build_batch(store, revision, k), read)
    return doc["schedule"], doc["policy"]


def read_batch_cache(settings: Settings, revision: str | None) -> bool:
    """Read the batch cache file into this process when it is valid as it stands (its key and the store file's
    stat), without opening the store; `batch_inputs` then takes it from memory. False when it must be built or
    checked against the store's loads (batch_inputs does that). Safe on another thread while the entries are
    read: it opens no store and writes nothing."""
    db_path = settings.db_path()
    if db_path == ":memory:" or not settings.flag("tariff_cache"):
        return False
    path, key = _batch_key(settings, db_path, revision)
    if _matches(_BATCH.get(path), key):
        return True
    doc = _read(path)
    if not _matches(doc, key):
        if doc is not None:
            _AHEAD[path] = doc  # batch_inputs checks it against the store's loads without reading it again
        return False
    _BATCH[path] = doc
    return True


def _batch_key(settings: Settings, db_path: str, revision: str | None) -> tuple[Path, dict[str, Any]]:
    key = {
        "format": FORMAT,
        "kind": "batch",
        "code": code_hash(),
        "policy_hash": policy_hash(),
        "stat": store_stat(db_path),
        "db": db_path,
    }
    return cache_file(settings, db_path, revision, "batch"), key


def _build_batch(store: Store, revision: str | None, key: dict[str, Any]) -> dict[str, Any]:
    from nearshore.tariffs.vector import SPECIFIC_COLUMNS, line_arrays, specific_column

    schedule, policy = _cold(store, revision)
    arrays = line_arrays(schedule, policy)  # kept in schedule.cache, pickled with it
    for column in SPECIFIC_COLUMNS:  # the per-unit rates, kept on the arrays
        specific_column(arrays, column)
    return {**key, "revision": schedule.revision, "schedule": schedule, "policy": policy}


def _valid(
    path: Path,
    key: dict[str, Any],
    open_store: Callable[[], Store],
    build: Callable[[Store, dict[str, Any]], dict[str, Any]],
    read: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The cache document at `path` (`read`: as already read from it) if it matches `key`, else checked against
    the store's loads or rebuilt."""
    doc = read if read is not None else _read(path)
    fresh = doc is not None and _matches(doc, {k: v for k, v in key.items() if k != "stat"})
    if doc is not None and fresh and doc.get("stat") == key["stat"]:
        return doc
    store = open_store()
    key = {**key, "loads": hts_loads(store)}
    if doc is None or not fresh or doc.get("loads") != key["loads"]:
        doc = build(store, key)
    doc = {**doc, "stat": store_stat(key["db"])}  # taken after opening: DuckDB may have touched the file
    write_pickle(path, {k: v for k, v in doc.items() if k != "full"})
    return doc


def _heading(loaded: _Loaded, hts: str) -> Schedule | None:
    """The schedule of the heading of `hts` when it holds the line (None: use the whole schedule)."""
    try:
        heading = normalise(hts)[:4]
    except (InvalidHSCode, TypeError, ValueError):
        return None
    if heading not in loaded.headings:
        shard = loaded.doc["shards"].get(heading)
        loaded.headings[heading] = None if shard is None else pickle.loads(shard)
    schedule = loaded.headings[heading]
    if schedule is None:
        return None
    try:
        schedule.line(hts)
    except Exception:  # unknown here: the whole schedule gives the error and its suggestions
        return None
    return schedule


def _cold(store: Store, revision: str | None) -> tuple[Schedule, Policy]:
    from nearshore.tariffs.policy import load_policy
    from nearshore.tariffs.schedule import load_schedule

    return load_schedule(store, revision), load_policy()


__all__ = [
    "batch_inputs",
    "cache_file",
    "hts_loads",
    "policy_hash",
    "read_batch_cache",
    "store_stat",
    "tariff_inputs",
]
