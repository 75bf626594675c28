"""Official data sources. Each module has the same shape:

NAME: str                      the name users type (`nearshore data load NAME PATH`)
TITLE: str                     one line for --help and `data info`
parse(path, *, vintage=None) -> Batch        read and validate the whole file; raise on any problem
load(store, path, *, vintage=None) -> LoadReport   parse, then store in one transaction

`load_file` loads a file by source name (what `nearshore data load` calls).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from nearshore.errors import InputError

if TYPE_CHECKING:
    from nearshore.data.store import LoadReport, Store

SOURCES: dict[str, str] = {
    "census-country": "nearshore.data.sources.census_country",
    "census-duties": "nearshore.data.sources.census_duties",
    "census-hs2": "nearshore.data.sources.census_hs2",
    "comtrade": "nearshore.data.sources.comtrade",
    "dataweb": "nearshore.data.sources.dataweb",
    "hts": "nearshore.data.sources.hts",
    "trade-parquet": "nearshore.data.sources.trade_parquet",
}


def get_source(name: str) -> ModuleType:
    """The source module for a name, or an error listing the known names."""
    try:
        module_name = SOURCES[name]
    except KeyError:
        known = ", ".join(sorted(SOURCES))
        raise InputError(f"unknown source {name!r}; known sources: {known}") from None
    return importlib.import_module(module_name)


# Sources whose load takes `force`: the HTS schedule, refused when it would lose most loaded rates.
FORCEABLE = ("hts",)


def load_file(store: Store, name: str, path: Path, *, vintage: str | None = None, force: bool = False) -> LoadReport:
    """Load one official file with the source called `name`, in one transaction."""
    module = get_source(name)
    if not force:
        report: LoadReport = module.load(store, path, vintage=vintage)
        return report
    if name not in FORCEABLE:
        raise InputError(f"--force applies to the {', '.join(FORCEABLE)} source only, not {name}; leave it out")
    forced: LoadReport = module.load(store, path, vintage=vintage, force=True)
    return forced


__all__ = ["FORCEABLE", "SOURCES", "get_source", "load_file"]
