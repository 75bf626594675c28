from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from nearshore.origin.bom_io import load_bom
from nearshore.origin.determine import determine
from nearshore.origin.result import Determination

DATA = Path(__file__).resolve().parent.parent / "data" / "origin"
ON = dt.date(2024, 1, 15)


def run(name: str, on: dt.date = ON) -> Determination:
    return determine(load_bom(DATA / name), on)


def bom_dict(materials: list[dict[str, Any]], *, rule: dict[str, Any] | None = None, **good: Any) -> dict[str, Any]:
    """A BOM document as a dict: good fields from keywords, materials as dicts."""
    base = {"description": "test good", "hs": "8479.89", "country": "MX", "currency": "USD"}
    base.update(good)
    doc: dict[str, Any] = {"good": base, "materials": materials}
    if rule is not None:
        doc["rule"] = rule
    return doc
