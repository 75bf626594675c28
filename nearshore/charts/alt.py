"""Text alternatives for the three kinds of chart, written from the same data the chart draws: what is shown,
over what span, where each series starts and ends, the extremes. A screen reader gets the chart's message; the
figures themselves are also given as a table beside every chart."""

from __future__ import annotations

from collections.abc import Sequence

from nearshore import format as fmt
from nearshore.charts.spec import Points


def _value(value: float, unit: str) -> str:
    if unit.startswith("$"):
        return f"${fmt.number(value, 1)}{unit[1:]}"
    return f"{fmt.number(value, 1)}{unit}"


def lines(what: str, series: Sequence[tuple[str, Points]], unit: str = "%") -> str:
    """'Line chart of <what>, 2015 to 2025: Mexico from 13.4% to 15.5%; ... Mexico is highest at the end.'"""
    drawn = [(name, points) for name, points in series if points]
    if not drawn:
        return f"Line chart of {what}: no data for the period chosen."
    first, last = drawn[0][1][0][0], drawn[0][1][-1][0]
    moves = "; ".join(
        f"{name} from {_value(points[0][1], unit)} to {_value(points[-1][1], unit)}" for name, points in drawn
    )
    leader = max(drawn, key=lambda item: item[1][-1][1])[0]
    ending = f" {leader} is highest at the end of the period." if len(drawn) > 1 else ""
    return f"Line chart of {what}, {first} to {last}: {moves}.{ending}"


def bars(what: str, points: Points, unit: str = "%") -> str:
    """'Bar chart of <what>, largest first: A 35.0%; B 20.0%.'"""
    ordered = sorted(points, key=lambda item: -item[1])
    if not ordered:
        return f"Bar chart of {what}: no data."
    return f"Bar chart of {what}, largest first: " + "; ".join(f"{n} {_value(v, unit)}" for n, v in ordered) + "."


def monthly(what: str, points: Points, unit: str = "%") -> str:
    """'Bar chart of <what> by month, 2025-01 to 2025-12: from x to y, lowest ... in ..., highest ... in ....'"""
    if not points:
        return f"Bar chart of {what} by month: no data."
    low = min(points, key=lambda item: item[1])
    high = max(points, key=lambda item: item[1])
    return (
        f"Bar chart of {what} by month, {points[0][0]} to {points[-1][0]}: from {_value(points[0][1], unit)} to "
        f"{_value(points[-1][1], unit)}, lowest {_value(low[1], unit)} in {low[0]}, highest "
        f"{_value(high[1], unit)} in {high[0]}."
    )


__all__ = ["bars", "lines", "monthly"]
