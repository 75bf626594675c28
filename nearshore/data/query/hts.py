"""Readers of the hts_schedule table: which revisions the store holds, and the lines of one revision."""

from __future__ import annotations

from collections.abc import Sequence

from nearshore.data.query.engine import Reader, Result
from nearshore.data.query.sql import table, values


def revisions(reader: Reader, as_of: str | None = None) -> Result:
    """Each revision held (as of vintage `as_of`) with its newest vintage. Columns: revision, vintage."""
    return reader.engine.execute(
        f"SELECT revision, max(vintage) AS vintage FROM {table(reader, 'hts_schedule', as_of)} GROUP BY revision"
    )


def lines(reader: Reader, revision: str, as_of: str | None = None, headings: Sequence[str] | None = None) -> Result:
    """The lines of one revision in schedule order (only those of the 4-digit `headings` when given). Columns:
    position, code, code_display, description, units, general_rate, special_rate, column2_rate."""
    e = reader.engine
    only = f" AND substr(code, 1, 4) IN ({values(e, headings) or 'NULL'})" if headings is not None else ""
    return e.execute(
        "SELECT position, code, code_display, description, units, general_rate, special_rate, column2_rate "
        f"FROM {table(reader, 'hts_schedule', as_of)} WHERE revision = {e.literal(revision)}{only} ORDER BY position"
    )


__all__ = ["lines", "revisions"]
