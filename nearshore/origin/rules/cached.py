"""The shipped rule book built once and kept on disk, so that a process loads it in a few milliseconds.

Reading the shipped GN 11 file (`read_rule_file`: JSON with line numbers, every rule validated and built) costs
about 0.2 s a process; the built rules, pickled, load in a tenth of that. The cache file,
`<data_dir>/cache/origin/rules-<key>.pickle`, is named after a sha256 over the shipped file and the modules that
define the pickled classes, so an edited rule file or a changed class never meets an old cache: it is simply
another name. Anything else (no file, a damaged one, no permission to write) falls back to reading the shipped
file, which gives the same book. Written to a temporary name and renamed into place (a reader never sees half a
file); setting `tariff_cache` off (the switch for the compiled caches) turns it off as well.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from nearshore.diskcache import read_pickle, write_pickle

FORMAT = 1  # bump when what is pickled changes shape in a way the hashed modules do not show


def cache_key(files: Sequence[Path]) -> str:
    """sha256 over the format and `files`: the shipped rule file and the modules defining the pickled classes."""
    digest = hashlib.sha256(str(FORMAT).encode())
    for path in files:
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:24]


def cached_book(files: Sequence[Path], build: Callable[[], Any], folder: Path | None) -> Any:
    """The book `build` makes from `files` (the rule file first, then the modules of its classes), read from the
    cache in `folder` when it holds it (None: no cache), else built and written there."""
    if folder is None:
        return build()
    path = folder / f"rules-{cache_key(files)}.pickle"
    enabled = gc.isenabled()
    gc.disable()  # the collector's passes over the ~40,000 objects being unpickled: about a fifth of the load
    try:
        kept = read_pickle(path)  # absent or damaged: None, built afresh
    finally:
        if enabled:
            gc.enable()
    if kept is not None:
        return kept
    book = build()
    write_pickle(path, book)
    return book


def cache_folder() -> Path | None:
    """`<data_dir>/cache/origin` of the user's settings, or None when the compiled caches are off."""
    from nearshore.settings import Settings

    settings = Settings.load()
    return settings.data_dir() / "cache" / "origin" if settings.flag("tariff_cache") else None


__all__ = ["cache_folder", "cache_key", "cached_book"]
