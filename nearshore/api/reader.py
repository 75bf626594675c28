"""One read-only connection to the store per worker, shared by the calls in flight.

Opening a DuckDB file costs tens of milliseconds (its catalog is read) and closing it again as much; a duty
or origin call computes in about one. So a worker keeps the store open while calls come, and each call reads
through its own cursor (DuckDB connections must not be shared between threads, cursors of one database may).

What the connection depends on is the store file's version (path, mtime, size, inode): a call that finds
another version (a file moved into place, a load while the connection was closed) waits for the calls still
reading the old one to end (DuckDB keeps one database per path in a process), then opens the new one.
While a worker holds the file, no process can write it, so a worker lets go of it when no call has come for
`linger` seconds (a load run on the server waits at most that long after the calls stop, plus its own
polling), and `paused()` lets go at once for the worker's own writer path (nearshore.api.writer), holding
new reads back until the write has finished.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from nearshore.data.store import Store
from nearshore.settings import Settings

LINGER = 1.0  # seconds without a call before a worker closes the store (a load can take the write lock then)
Version = tuple[str, int, int, int]


def file_version(path: str) -> Version | None:
    """The store file's path, mtime, size and inode; None for an in-memory store or a missing file."""
    if path == ":memory:":
        return None
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (path, stat.st_mtime_ns, stat.st_size, stat.st_ino)


@dataclass(eq=False)
class _Open:
    """The store opened at one file version, and the calls reading it now."""

    store: Store
    version: Version | None
    users: int = 0
    idle_since: float = field(default_factory=time.monotonic)


class SharedReader:
    """The worker's read-only store: `with reader.cursor() as store:` for each call (see the module docstring)."""

    def __init__(self, settings: Settings, linger: float = LINGER) -> None:
        self.settings = settings
        self.linger = linger
        self.opens = 0  # how many times the store was opened (for tests and the benchmark's notes)
        self._lock = threading.Condition()
        self._current: _Open | None = None
        self._pauses = 0
        self._sweeping = False  # a thread closes the store after `linger` idle seconds

    @contextmanager
    def cursor(self) -> Iterator[Store]:
        """A cursor over the current version of the store, for one call in one thread."""
        held = self._acquire()
        try:
            view = held.store.cursor()
            try:
                yield view
            finally:
                view.close()
        finally:
            self._release(held)

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Let go of the store (once the calls reading it end) and hold new reads back until the block ends."""
        with self._lock:
            self._pauses += 1
            self._lock.wait_for(lambda: self._current is None or self._current.users == 0)
            self._close_current()
        try:
            yield
        finally:
            with self._lock:
                self._pauses -= 1
                self._lock.notify_all()

    def close(self) -> None:
        with self._lock:
            if self._current is not None and self._current.users == 0:
                self._close_current()

    def _acquire(self) -> _Open:
        with self._lock:
            while True:
                self._lock.wait_for(lambda: self._pauses == 0)
                version = file_version(self.settings.db_path())
                current = self._current
                if current is not None and version is not None and current.version == version:
                    break
                if current is not None and current.users:
                    # DuckDB keeps one database per path in a process: the calls reading the old version end
                    # first (they are short), then the new version is opened
                    self._lock.wait()
                    continue
                self._close_current()
                current = self._open(version)
                break
            current.users += 1
            return current

    def _open(self, version: Version | None) -> _Open:
        from nearshore.data.snapshot import open_store

        opened = _Open(open_store(self.settings, read_only=True), version)
        self.opens += 1
        if version is not None:  # an in-memory store is never kept (each call opens its own)
            self._current = opened
            if not self._sweeping:
                self._sweeping = True
                threading.Thread(target=self._sweep, name="nearshore-store-linger", daemon=True).start()
        return opened

    def _release(self, held: _Open) -> None:
        with self._lock:
            held.users -= 1
            held.idle_since = time.monotonic()
            if held is not self._current and held.users == 0:
                held.store.close()  # a store never kept (in memory)
            self._lock.notify_all()

    def _close_current(self) -> None:
        if self._current is not None:
            self._current.store.close()
            self._current = None

    def _sweep(self) -> None:
        """Close the store once no call has read it for `linger` seconds; stop when it is closed."""
        while True:
            time.sleep(self.linger / 4)
            with self._lock:
                current = self._current
                idle = current is None or (current.users == 0 and time.monotonic() - current.idle_since >= self.linger)
                if idle:
                    self._close_current()
                    self._sweeping = False
                    return


__all__ = ["LINGER", "SharedReader", "file_version"]
