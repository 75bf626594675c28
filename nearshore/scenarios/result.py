"""The result every scenario engine returns: analytics' figure tables plus the assumptions behind them.

A scenario figure is an analytics `Figure` (value, unit, period, provenance), collected in named `FigureTable`s
(e.g. `countries` and `pairs` for a gravity counterfactual). What an analytics figure does not need and a
scenario figure does is the list of assumptions it rests on: an elasticity, a reference country, a closure, the
coefficients used. Each `Assumption` carries its value, what it means and where it comes from (a citation, a
file, or the option the user gave), so a brief can print them in its notes and a reader can rerun the scenario.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nearshore.analytics.result import Figure, FigureTable, Provenance


@dataclass(frozen=True)
class Assumption:
    """One input a scenario's figures depend on.

    name         short key, e.g. "sigma"
    value        the value used (a number, a code, or a short text)
    meaning      what it is, e.g. "elasticity of substitution between countries' goods"
    source       where the value comes from: a citation ("Yotov et al. 2016, ch. 2"), "estimated from FILE",
                 or "option --sigma"
    """

    name: str
    value: float | int | str
    meaning: str
    source: str = ""

    def line(self) -> str:
        """'sigma = 7 (elasticity of substitution ...; Yotov et al. 2016)' for a table footer or a brief's notes."""
        source = f"; {self.source}" if self.source else ""
        return f"{self.name} = {self.value} ({self.meaning}{source})"

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "value": self.value, "meaning": self.meaning, "source": self.source}


@dataclass(frozen=True)
class ScenarioResult:
    """What a scenario engine returns.

    engine       which engine computed it, e.g. "gravity-ge", "gravity-estimate"
    title        one line saying what was simulated or estimated
    tables       named figure tables, in display order, e.g. (("countries", ...), ("pairs", ...))
    assumptions  every input the figures rest on, in the order a reader needs them
    provenance   sources, vintages and method notes of the whole result
    """

    engine: str
    title: str
    tables: tuple[tuple[str, FigureTable], ...]
    assumptions: tuple[Assumption, ...]
    provenance: Provenance

    def __iter__(self) -> Iterator[tuple[str, FigureTable]]:
        return iter(self.tables)

    @property
    def table_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.tables)

    def table(self, name: str) -> FigureTable:
        for key, table in self.tables:
            if key == name:
                return table
        raise KeyError(f"no table {name!r} in {self.title!r}; tables: {', '.join(self.table_names)}")

    def figure(self, table: str, measure: str, **keys: Any) -> Figure:
        """One figure, e.g. `result.figure("countries", "welfare_change", country="MEX")`."""
        return self.table(table).figure(measure, **keys)

    def assumption(self, name: str) -> Assumption:
        for item in self.assumptions:
            if item.name == name:
                return item
        raise KeyError(f"no assumption {name!r} in {self.title!r}")

    def footer(self) -> list[str]:
        """Lines to print under a table: the assumptions, then source, vintage and method notes."""
        return [f"assumption: {a.line()}" for a in self.assumptions] + self.provenance.footer()

    def summary(self) -> dict[str, Any]:
        """Everything but the tables' figures: engine, title, assumptions, provenance (for JSON output)."""
        return {
            "engine": self.engine,
            "title": self.title,
            "assumptions": [a.to_dict() for a in self.assumptions],
            "provenance": self.provenance.to_dict(),
        }

    def write(self, directory: Path) -> list[Path]:
        """Write each table as `<name>.csv` (values in the units of its headers) and `result.json` (summary)
        into `directory`. Each file is written whole under a temporary name, then renamed, so a reader never
        sees half a file and writing twice gives the same files."""
        directory.mkdir(parents=True, exist_ok=True)
        files: dict[str, str] = {}
        for name, table in self.tables:
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            writer.writerow(table.headers())
            writer.writerows(table.plain_rows())
            files[f"{name}.csv"] = buffer.getvalue()
        files["result.json"] = json.dumps(self.summary(), indent=2) + "\n"
        written = []
        for filename, text in files.items():
            target = directory / filename
            temporary = directory / f".{filename}.tmp"
            temporary.write_text(text, encoding="utf-8")
            os.replace(temporary, target)
            written.append(target)
        return written

    def to_dict(self) -> dict[str, Any]:
        return {
            "engine": self.engine,
            "title": self.title,
            "assumptions": [a.to_dict() for a in self.assumptions],
            "tables": {name: table.to_dict() for name, table in self.tables},
            "provenance": self.provenance.to_dict(),
        }


__all__ = ["Assumption", "ScenarioResult"]
