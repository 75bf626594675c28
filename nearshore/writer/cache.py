"""What a brief computes, kept on disk under `<data_dir>/cache/`, so a brief of unchanged inputs is not
computed again: the composition (facts, outline, charts) in `briefs/` and each drawn chart in `charts/`.

Each is a pure function of its inputs, and its file is named by a sha256 over all of them, so an entry is never
stale, only unused:

- the code: every file of the installed package (modules, templates, the policy and reference data), the Python
  version and the version of each dependency; each file's digest is kept in `code-files.pickle` and reused while
  the file's size, inode, modification and change times are unchanged (for files settled before they were hashed);
- for a composition: the store's content, as its `loads` table (every load: id, source, checksum, vintage, time,
  rows) and its file's path, size, modification time and inode (and its write-ahead log's), which any write
  changes, by a load or by hand; and the brief's arguments: topic, year, as-of vintage, the date it is written
  on, and the quotes;
- for a chart: the `Chart` itself (every title, label and data point; its repr is exact), the image format and
  resolution, and the matplotlibrc files matplotlib would read.

Files are written to a temporary name and renamed into place; a file that cannot be read or unpickled is
recomputed, and a cache that cannot be written is skipped: the brief never depends on it. Settings
`brief_cache` and `chart_cache` turn each off.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import sys
import time
from collections.abc import Callable, Iterator
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from nearshore.diskcache import read_pickle, write_atomic, write_pickle

if TYPE_CHECKING:
    from nearshore.data.store import Store

C = TypeVar("C")  # a chart (nearshore.writer.charts.Chart, which imports this module)
T = TypeVar("T")  # a composition (nearshore.writer.compose.Composition, which imports this module)
FORMAT = 2  # bump when a key's recipe or a file's layout changes
PACKAGE = Path(__file__).resolve().parent.parent
SETTLED_NS = 2_000_000_000  # a file unchanged this long (ns) before it was hashed has its digest kept
CODE_MEMO = "code-files.pickle"  # the digests kept, in the cache folder
_CHARTS: list[Path] = []  # where drawn charts are kept (empty: not kept), as set by `keeping_charts`


@functools.cache
def code_key(memo: Path | None = None) -> str:
    """sha256 over every file of the package (path and content), the Python version and each dependency's
    version: what computes and draws a brief besides its data. `memo` is a file keeping each file's digest
    (see `_file_digests`), so unchanged files are not read again."""
    digest = hashlib.sha256(f"{FORMAT}\0{sys.version}\0".encode())
    for name, file_digest in _file_digests(memo):
        digest.update(name.encode() + b"\0" + file_digest + b"\0")
    for requirement in metadata.requires("nearshore") or []:
        if "extra ==" not in requirement:
            name = requirement.split(";")[0].split(">")[0].split("=")[0].split("<")[0].strip()
            digest.update(f"{name}={_version(name)}\0".encode())
    return digest.hexdigest()


def _file_digests(memo: Path | None) -> list[tuple[str, bytes]]:
    """(path, sha256 of the content) of every file of the package, sorted. A digest kept in `memo` is reused
    when the file's size, inode, modification and change times are those it had when hashed, and it had then
    been left unchanged for SETTLED_NS: a later write, even of the same size within the clock's resolution,
    moves its change time (which no user tool can set back) past the recorded one."""
    kept: dict[str, tuple[tuple[int, int, int, int], bytes]] = (read_pickle(memo) or {}) if memo else {}
    if not isinstance(kept, dict):
        kept = {}
    now = time.time_ns()
    found: list[tuple[str, bytes]] = []
    settled: dict[str, tuple[tuple[int, int, int, int], bytes]] = {}
    for path in sorted(p for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        name = path.relative_to(PACKAGE).as_posix()
        st = path.stat()
        stamp = (st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns)
        entry = kept.get(name)
        file_digest = entry[1] if entry and entry[0] == stamp else hashlib.sha256(path.read_bytes()).digest()
        if now - max(st.st_mtime_ns, st.st_ctime_ns) > SETTLED_NS:
            settled[name] = (stamp, file_digest)
        found.append((name, file_digest))
    if memo is not None and settled != kept:
        write_pickle(memo, settled)
    return found


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


def store_key(store: Store) -> str:
    """sha256 over the store's loads and file (see the module docstring)."""
    from nearshore.data.query import catalog
    from nearshore.tariffs.compiled import store_stat

    loads = catalog.loads(store).rows
    where = os.path.realpath(store.path) if store.path != ":memory:" else ":memory:"
    stat = store_stat(where) if where != ":memory:" else None
    return hashlib.sha256(repr((where, stat, loads)).encode()).hexdigest()


def composition(
    directory: Path | None,
    store: Store,
    args: tuple[object, ...],
    compute: Callable[[], T],
) -> T:
    """`compute()`, or what it returned before for this store content, code and `args` (for a composition:
    topic, year, as-of, today, quotes; for what the store gives it: "store", topic, year, as-of), kept in
    `directory` (None, or an in-memory store: always computed)."""
    if directory is None or store.path == ":memory:":
        return compute()
    key = hashlib.sha256(f"{code_key(directory.parent / CODE_MEMO)}\0{store_key(store)}\0{args!r}".encode()).hexdigest()
    path = directory / f"{key}.pickle"
    kept = read_pickle(path)
    if kept is not None:
        return kept  # type: ignore[no-any-return]
    found = compute()
    write_pickle(path, found)
    return found


@contextlib.contextmanager
def keeping_charts(directory: Path | None) -> Iterator[None]:
    """Within the block, keep drawn charts in `directory` (None: draw every chart)."""
    before = list(_CHARTS)
    _CHARTS[:] = [directory] if directory is not None else []
    try:
        yield
    finally:
        _CHARTS[:] = before


def chart_key(chart: object, form: str) -> str:
    """The key of `chart` drawn as `form` ('svg', 'png-150'): the code, the user's matplotlibrc files, the
    chart's repr (every field and point) and the form."""
    rc = hashlib.sha256()
    for path in _rc_files():
        try:
            rc.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
        except OSError:
            rc.update(str(path).encode() + b"\0absent\0")
    code = code_key(_CHARTS[0].parent / CODE_MEMO) if _CHARTS else code_key()
    return hashlib.sha256(f"{code}\0{rc.hexdigest()}\0{form}\0{chart!r}".encode()).hexdigest()


def _rc_files() -> list[Path]:
    """The user matplotlibrc files matplotlib looks for (present or not): ./matplotlibrc, $MATPLOTLIBRC,
    $MPLCONFIGDIR/matplotlibrc, else ~/.config/matplotlib/matplotlibrc ($XDG_CONFIG_HOME honoured)."""
    found = [Path.cwd() / "matplotlibrc"]
    if os.environ.get("MATPLOTLIBRC"):
        rc = Path(os.environ["MATPLOTLIBRC"])
        found.append(rc / "matplotlibrc" if rc.is_dir() else rc)
    config = os.environ.get("MPLCONFIGDIR")
    if config:
        found.append(Path(config) / "matplotlibrc")
    else:
        base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
        found.append(base / "matplotlib" / "matplotlibrc")
    return found


def chart(chart: C, form: str, draw: Callable[[C], bytes]) -> bytes:
    """`draw(chart)`, read from the chart cache when this exact chart was drawn as `form` before, else drawn
    and kept (within `keeping_charts`)."""
    if not _CHARTS:
        return draw(chart)
    path = _CHARTS[0] / f"{chart_key(chart, form)}.{form.partition('-')[0]}"
    try:
        return path.read_bytes()
    except OSError:
        image = draw(chart)
        write_atomic(path, image)
        return image


__all__ = ["chart", "chart_key", "code_key", "composition", "keeping_charts", "store_key"]
