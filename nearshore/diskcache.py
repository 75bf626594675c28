"""Files the caches keep on disk (the compiled tariff schedule, the origin rule book, the brief and its charts):
written atomically, read back as nothing when absent or damaged. A cache never decides an answer, so a file
that cannot be written is skipped and one that cannot be read is computed again."""

from __future__ import annotations

import gc
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file renamed into place; skipped when it cannot be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except OSError:
        return


def write_pickle(path: Path, doc: object) -> None:
    """Pickle `doc` to `path` atomically (write_atomic)."""
    write_atomic(path, pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL))


def read_pickle(path: Path) -> Any:
    """The object pickled at `path`, or None when the file is absent or damaged (never trusted then)."""
    collecting = gc.isenabled()
    gc.disable()  # a cache holds many objects: each collection on the way would walk all those made so far
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)
    except Exception:  # a damaged file of any kind is rebuilt
        return None
    finally:
        if collecting:
            gc.enable()


__all__ = ["read_pickle", "write_atomic", "write_pickle"]
