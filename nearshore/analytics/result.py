"""The typed results every analytics function returns: a `Figure` (one number with its unit, period,
comparison and provenance) and a `FigureTable` (rows of Figures under key columns).

A Figure is what a brief cites: `figure.value` is the exact number in its base unit (U.S. dollars, percent,
percentage points...), `figure.display()` is how a sentence should print it (scaled by the `scale` hint and
rounded to `decimals`), and `figure.provenance` says which sources and vintages it came from and the SQL that
computed it, so a reader can reproduce it.

Units and how a value prints: see nearshore/format.py (one formatting module for the whole package).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from math import ceil, log10
from typing import Any, Final

from nearshore import format as fmt
from nearshore.data.query.provenance import Provenance
from nearshore.errors import InputError
from nearshore.format import UNITS, Scale, Unit

# the scales a stats figure is shown in (divisor, suffix); prose may also use trillions (nearshore/format.py)
SCALES: Final[dict[str, tuple[float, str]]] = {
    name: fmt.SCALES[name][:2] for name in ("units", "thousands", "millions", "billions")
}
MONTH_NAMES: Final = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def choose(value: str, allowed: Iterable[str], what: str) -> str:
    """Validate `value` against a closed set at the boundary, with a message listing the allowed values."""
    options = tuple(allowed)
    if value not in options:
        raise InputError(f"{what} {value!r} is not one of: {', '.join(options)}")
    return value


@dataclass(frozen=True, order=True)
class Period:
    """A year, a month, or an inclusive span of either. `month` None means the whole year(s).

    `Period.year(2024)`, `Period.month(2025, 3)`, `Period.span(2025, 3, 2025, 12)` (March-December 2025),
    `Period.years(2019, 2024)` (the span of annual figures 2019..2024).
    """

    start_year: int
    start_month: int | None = None
    end_year: int | None = None
    end_month: int | None = None

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(year)

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(year, month)

    @classmethod
    def span(cls, start_year: int, start_month: int, end_year: int, end_month: int) -> Period:
        if (start_year, start_month) == (end_year, end_month):
            return cls(start_year, start_month)
        return cls(start_year, start_month, end_year, end_month)

    @classmethod
    def years(cls, start: int, end: int) -> Period:
        return cls(start) if start == end else cls(start, None, end, None)

    @property
    def is_span(self) -> bool:
        return self.end_year is not None

    @property
    def label(self) -> str:
        """'2024', '2025-03', '2025-03..2025-12' or '2019..2024'."""

        def one(year: int, month: int | None) -> str:
            return f"{year}" if month is None else f"{year}-{month:02d}"

        text = one(self.start_year, self.start_month)
        if self.end_year is not None:
            text += ".." + one(self.end_year, self.end_month)
        return text

    @property
    def words(self) -> str:
        """'2024', 'Mar 2025', 'Mar-Dec 2025', 'Nov 2024-Feb 2025', '2019-2024' (for prose)."""

        def one(year: int, month: int | None, with_year: bool = True) -> str:
            if month is None:
                return str(year)
            return f"{MONTH_NAMES[month - 1]} {year}" if with_year else MONTH_NAMES[month - 1]

        if self.end_year is None:
            return one(self.start_year, self.start_month)
        if self.start_month is not None and self.start_year == self.end_year:
            return f"{one(self.start_year, self.start_month, False)}-{one(self.end_year, self.end_month)}"
        return f"{one(self.start_year, self.start_month)}-{one(self.end_year, self.end_month)}"

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class Figure:
    """One number a brief can cite.

    value       the exact value in `unit` (USD in dollars, percent as 0-100, pp, ratio, rank, index, count)
    unit        see the module docstring
    label       what it is, e.g. "Mexico's share of U.S. general imports"
    period      when
    comparison  what it is measured against, e.g. "imports from MEX / imports from all countries"
    provenance  sources, vintages, SQL, method notes
    scale       display hint for USD ('billions' prints $42.0B); the value itself is never scaled
    decimals    display hint: digits after the point
    subject     the keys the figure is about, e.g. (('partner', 'MEX'), ('flow', 'imports'))
    """

    value: float
    unit: Unit
    label: str
    period: Period
    provenance: Provenance
    comparison: str = ""
    scale: Scale = "units"
    decimals: int = 1
    subject: tuple[tuple[str, str], ...] = field(default=())

    def __post_init__(self) -> None:
        choose(self.unit, UNITS, "unit")
        choose(self.scale, fmt.SCALES, "scale")

    @property
    def scaled(self) -> float:
        """The value divided by the display scale (e.g. dollars to $ billions)."""
        return self.value / fmt.SCALES[self.scale][0]

    def display(self, *, signed: bool = False) -> str:
        """The value as compact text prints it: '$42.0B', '-$3.1M', '45.5%', '+3.2 pp', '#1', '1.83x', '2,150'
        (rounded half-up on the decimal value: 15.45 -> '15.5%')."""
        return fmt.short(self.value, self.unit, self.decimals, scale=self.scale, signed=signed)

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "unit": self.unit,
            "display": self.display(),
            "label": self.label,
            "period": self.period.label,
            "comparison": self.comparison,
            "subject": dict(self.subject),
            "scale": self.scale,
            "decimals": self.decimals,
            "provenance": self.provenance.to_dict(),
        }


@dataclass(frozen=True)
class FigureRow:
    """One row of a FigureTable: the key values (e.g. partner, year) and one Figure (or None) per measure."""

    keys: tuple[Any, ...]
    figures: tuple[Figure | None, ...]

    def get(self, measures: Sequence[str], name: str) -> Figure | None:
        return self.figures[list(measures).index(name)]


@dataclass(frozen=True)
class FigureTable:
    """A table-shaped result: key columns, measure columns holding Figures, and the provenance of the whole.

    `table.figure("share", partner="MEX", year=2021)` finds one Figure; `table.plain_rows()` gives the
    rows as plain numbers in each measure's display scale (what the CLI prints); `table.to_dict()` is JSON.
    """

    title: str
    key_columns: tuple[str, ...]
    measures: tuple[str, ...]
    rows: tuple[FigureRow, ...]
    provenance: Provenance

    def __len__(self) -> int:
        return len(self.rows)

    def column(self, measure: str) -> list[Figure | None]:
        i = self.measures.index(measure)
        return [row.figures[i] for row in self.rows]

    def figure(self, measure: str, **keys: Any) -> Figure:
        """The Figure in column `measure` of the one row whose keys match; KeyError if none."""
        i = self.measures.index(measure)
        for row in self.rows:
            values = dict(zip(self.key_columns, row.keys, strict=True))
            if all(values.get(k) == v for k, v in keys.items()):
                found = row.figures[i]
                if found is not None:
                    return found
        raise KeyError(f"no {measure!r} figure for {keys} in {self.title!r}")

    def units(self) -> list[str | None]:
        """The unit each column's values are in, as a header shows it: None for keys and ranks, '$B', '%', 'pp'..."""
        return [*(None for _ in self.key_columns), *(_unit_label(self.column(m)) for m in self.measures)]

    def headers(self) -> list[str]:
        """Column names with units, e.g. ['partner', 'year', 'imports ($B)', 'share (%)']."""
        names = [*self.key_columns, *self.measures]
        return [name if unit is None else f"{name} ({unit})" for name, unit in zip(names, self.units(), strict=True)]

    def decimals(self) -> list[int | None]:
        """Digits after the point for each column in a table (None for keys and ranks): see `column_decimals`."""
        places = [
            None if _unit_label(self.column(m)) is None else column_decimals(self.column(m)) for m in self.measures
        ]
        return [*(None for _ in self.key_columns), *places]

    def plain_rows(self) -> list[list[Any]]:
        """Rows as plain numbers at full precision in each measure's display scale (for JSON and CSV)."""
        out: list[list[Any]] = []
        for row in self.rows:
            cells: list[Any] = list(row.keys)
            for fig in row.figures:
                if fig is None:
                    cells.append(None)
                elif fig.unit in ("rank", "count") and float(fig.value).is_integer():
                    cells.append(int(fig.value))
                else:
                    cells.append(fig.scaled)
            out.append(cells)
        return out

    def table_rows(self) -> list[list[Any]]:
        """`plain_rows` for a terminal table: each measure column printed with one number of decimals
        (see `column_decimals`), so 4.07 stands beside 22.42 rather than 4.066."""
        places = self.decimals()
        return [
            [
                Fixed(cell, p) if p is not None and isinstance(cell, float) else cell
                for cell, p in zip(cells, places, strict=True)
            ]
            for cells in self.plain_rows()
        ]

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "key_columns": list(self.key_columns),
            "measures": list(self.measures),
            "rows": [
                {
                    **dict(zip(self.key_columns, row.keys, strict=True)),
                    **{
                        m: (f.to_dict() if f is not None else None)
                        for m, f in zip(self.measures, row.figures, strict=True)
                    },
                }
                for row in self.rows
            ],
            "provenance": self.provenance.to_dict(),
        }


MAX_DECIMALS: Final = 6


class Fixed(float):
    """A float that prints with `decimals` digits after the point whatever format it is asked for, so a
    shared table printer (which picks digits by magnitude) shows one precision down a column."""

    decimals: int

    def __new__(cls, value: float, decimals: int) -> Fixed:
        made = super().__new__(cls, value)
        made.decimals = decimals
        return made

    def __format__(self, spec: str) -> str:
        return fmt.number(float(self), self.decimals)

    def __str__(self) -> str:
        return format(self)


def column_decimals(figures: Sequence[Figure | None]) -> int:
    """Digits after the point for a table column: the most any figure asks for in prose (`Figure.decimals`),
    one more for rates (percent, pp, ratio, index) since a table is read closely, and more if the smallest
    non-zero value would otherwise show fewer than two significant digits (at most 6)."""
    present = [f for f in figures if f is not None]
    if not present:
        return 0
    places = max(f.decimals + (0 if f.unit == "USD" else 1) for f in present)
    small = min((abs(f.scaled) for f in present if f.scaled), default=0.0)
    if small:
        places = max(places, ceil(-log10(small)) + 1)
    return min(places, MAX_DECIMALS)


_UNIT_LABEL: Final = {"percent": "%", "pp": "pp", "ratio": "x", "index": "index", "count": "count", "year": "year"}


def _unit_label(figures: Sequence[Figure | None]) -> str | None:
    """'$B', '%', 'pp'... for a column of figures; None for ranks (the name says it) and empty columns."""
    first = next((f for f in figures if f is not None), None)
    if first is None or first.unit == "rank":
        return None
    if first.unit == "USD":
        return "$" + fmt.SCALES[first.scale][1]
    return _UNIT_LABEL[first.unit]


__all__ = [
    "MAX_DECIMALS",
    "MONTH_NAMES",
    "SCALES",
    "UNITS",
    "Figure",
    "FigureRow",
    "FigureTable",
    "Fixed",
    "Period",
    "Provenance",
    "Scale",
    "Unit",
    "choose",
    "column_decimals",
]
