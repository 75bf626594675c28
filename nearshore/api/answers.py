"""Rendered answers kept by a worker, for the routes whose answer depends only on the store and the call.

A route marked `cache=True` (the stats figures, duty, landed cost, the effective rate) answers the same
document for the same call as long as the store file is the same version: the settings, the policy file and
the rule book are read once per worker, and the call's query string is part of its ETag. So the worker keeps
the rendered JSON body under the call's ETag (package version, store version, service, query string) and the
day (a default date is today's). Everything kept is dropped when the store file's version or the day changes;
at most `size` answers of at most `largest` bytes each are kept, the least recently used going first.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict

SIZE = 512
LARGEST = 256 * 1024


def today() -> str:
    return dt.date.today().isoformat()


class AnswerCache:
    """Rendered bodies by ETag, for one store version and one day (see the module docstring)."""

    def __init__(self, size: int = SIZE, largest: int = LARGEST) -> None:
        self.size = size
        self.largest = largest
        self.hits = 0
        self._kept: OrderedDict[str, bytes] = OrderedDict()
        self._generation: tuple[str, str] | None = None
        self._lock = threading.Lock()

    def get(self, store_version: str, etag: str) -> bytes | None:
        with self._lock:
            self._check(store_version)
            body = self._kept.get(etag)
            if body is not None:
                self._kept.move_to_end(etag)
                self.hits += 1
            return body

    def put(self, store_version: str, etag: str, body: bytes) -> None:
        if len(body) > self.largest:
            return
        with self._lock:
            self._check(store_version)
            self._kept[etag] = body
            self._kept.move_to_end(etag)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)

    def __len__(self) -> int:
        return len(self._kept)

    def _check(self, store_version: str) -> None:
        generation = (store_version, today())
        if generation != self._generation:
            self._kept.clear()
            self._generation = generation


__all__ = ["LARGEST", "SIZE", "AnswerCache"]
