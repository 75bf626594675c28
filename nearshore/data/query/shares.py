"""Readers of the program_shares table: the share of each product's imports claimed under a programme, where a
source publishes shares without values (DataWeb's annual USMCA utilisation files)."""

from __future__ import annotations

from collections.abc import Sequence

from nearshore.data.query.engine import Reader, Result
from nearshore.data.query.sql import table, values


def program_shares(
    reader: Reader,
    year: int,
    program: str = "USMCA",
    partners: Sequence[str] | None = None,
    level: int = 10,
    as_of: str | None = None,
) -> Result:
    """Annual shares (0..1) of imports claimed under `program` per commodity of `level` digits and partner.
    Columns: commodity, partner, share, source, vintage."""
    e = reader.engine
    cond = [
        f"year = {int(year)}",
        "month IS NULL",
        f"program = {e.literal(program)}",
        f"length(commodity) = {int(level)}",
    ]
    if partners is not None:
        cond.append(f"partner IN ({values(e, partners) or 'NULL'})")
    sql = (
        f"SELECT commodity, partner, share, source, vintage FROM {table(reader, 'program_shares', as_of)} "
        f"WHERE {' AND '.join(cond)} ORDER BY commodity, partner"
    )
    return e.execute(sql)


def share_years(reader: Reader, program: str = "USMCA", as_of: str | None = None) -> list[int]:
    """The years with annual shares of `program`, ascending."""
    e = reader.engine
    sql = (
        f"SELECT DISTINCT year FROM {table(reader, 'program_shares', as_of)} "
        f"WHERE program = {e.literal(program)} AND month IS NULL ORDER BY year"
    )
    return [int(r[0]) for r in e.execute(sql).rows]


__all__ = ["program_shares", "share_years"]
