"""What a rule change over a portfolio is asked to do (`run_rules`), checked when it is made."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from nearshore.errors import InputError


@dataclass(frozen=True)
class RulesRequest:
    """portfolio: .jsonl/.parquet file or folder; changes: the change file; on: determination date (default the
    change file's date, else today); duty_date: the tariff engine's date (default `on`); fixes: look for the
    cheapest fix of each BOM that stops qualifying; top: BOMs listed (0 = every BOM whose answer changes);
    workers: processes that judge parts of a large JSON-lines file (1: this process alone)."""

    portfolio: Path
    changes: Path
    on: dt.date | None = None
    duty_date: dt.date | None = None
    fixes: bool = True
    top: int = 100
    workers: int = 1

    def __post_init__(self) -> None:
        if self.top < 0:
            raise InputError(
                f"top {self.top} is negative: give the number of BOMs to list (0 = all)", field="top", value=self.top
            )
        if not 1 <= self.workers <= 64:
            raise InputError(
                f"workers {self.workers} is out of range: give 1 to 64 processes", field="workers", value=self.workers
            )


__all__ = ["RulesRequest"]
