"""Public names of a package imported on first use: the package's module `__getattr__` and `__dir__`.

    __getattr__, __dir__ = exports(__name__, {"Store": "nearshore.data.store", ...})

A name is looked up in its module once and then bound on the package; `dir()` lists every name, imported or not.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def exports(package: str, table: Mapping[str, str]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """`__getattr__` and `__dir__` for `package`, whose public name N lives in module `table[N]`."""
    module = sys.modules[package]

    def getattr_(name: str) -> Any:
        if name not in table:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(table[name]), name)
        setattr(module, name, value)
        return value

    def dir_() -> list[str]:
        return sorted({*vars(module), *table})

    return getattr_, dir_
