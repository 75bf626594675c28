"""Where a figure comes from: the sources and vintages of the rows it read, the SQL that computed it (re-runnable
as is) and notes on method. `provenance()` is the one function that finds them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nearshore.data.query.engine import Reader
from nearshore.data.query.scope import Scope, When
from nearshore.data.query.sql import table, where


@dataclass(frozen=True)
class Provenance:
    """Where a figure comes from: the store sources and vintages read, the SQL run, and notes on method
    (e.g. 'world total = sum over countries; the source publishes no World row for 2022-2025')."""

    sources: tuple[str, ...] = ()
    vintages: tuple[str, ...] = ()
    query: str = ""
    notes: tuple[str, ...] = ()

    def merge(self, *others: Provenance) -> Provenance:
        """One provenance covering this and `others` (sources, vintages and notes unioned, queries joined)."""
        parts = (self, *others)
        queries = [p.query for p in parts if p.query]
        return Provenance(
            sources=tuple(sorted({s for p in parts for s in p.sources})),
            vintages=tuple(sorted({v for p in parts for v in p.vintages})),
            query=";\n".join(dict.fromkeys(queries)),
            notes=tuple(dict.fromkeys(n for p in parts for n in p.notes)),
        )

    def with_note(self, *notes: str) -> Provenance:
        merged = tuple(dict.fromkeys((*self.notes, *notes)))
        return Provenance(self.sources, self.vintages, self.query, merged)

    def footer(self) -> list[str]:
        """Lines to print under a table: source and vintage, then the method notes."""
        sources, vintages = ", ".join(self.sources) or "none", ", ".join(self.vintages) or "none"
        lines = [f"source: {sources}; vintage: {vintages}"]
        lines.extend(f"note: {n}" for n in self.notes)
        return lines

    def to_dict(self) -> dict[str, Any]:
        return {
            "sources": list(self.sources),
            "vintages": list(self.vintages),
            "query": self.query,
            "notes": list(self.notes),
        }


def provenance(
    reader: Reader, scope: Scope, as_of: str | None, query: str, *notes: str, when: When | None = None
) -> Provenance:
    """The sources and vintages of the trade_flows rows `scope` selects in the periods `when` (None: every
    period) as of vintage `as_of`, with the SQL `query` that computed the figure and method `notes`."""
    e = reader.engine
    rows = e.execute(
        f"SELECT DISTINCT source, vintage FROM {table(reader, 'trade_flows', as_of)} WHERE {where(e, scope, when)}"
    ).rows
    return Provenance(tuple(sorted({r[0] for r in rows})), tuple(sorted({r[1] for r in rows})), query, tuple(notes))


__all__ = ["Provenance", "provenance"]
