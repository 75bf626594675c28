"""Official data sources. Each module has the same shape:

NAME: str                      the name users type (`nearshore data load NAME PATH`)
TITLE: str                     one line for --help and `data info`
parse(path, *, vintage=None) -> Batch        read and validate the whole file; raise on any problem
load(store, path, *, vintage=None) -> LoadReport   parse, then store in one transaction
"""

from __future__ import annotations

import importlib
from types import ModuleType

from nearshore.errors import InputError

SOURCES: dict[str, str] = {
    "census-country": "nearshore.data.sources.census_country",
    "census-duties": "nearshore.data.sources.census_duties",
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


__all__ = ["SOURCES", "get_source"]
