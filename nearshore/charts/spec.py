"""Vega-Lite specifications of nearshore's three kinds of chart, from plain data:

    lines     each series' value over time (partner shares of U.S. imports by year)
    bars      one value per category, largest first, labelled (sector composition, duty collected by partner)
    monthly   one bar per month on a 0-100% scale (the USMCA-claimed share)

`spec(kind, title, alt, series)` returns the specification as a dict (JSON-ready): `series` is a list of
(name, [(x label, value), ...]); values are in `unit` ('%' by default: 12.5 means 12.5%). The alt text goes in
as the chart's description (Vega puts it on the drawing as its ARIA label), every mark has a tooltip with its
exact value, and `responsive` makes the width follow the page (the dashboard) instead of a fixed 640 pixels
(files). The same dict is drawn to a file by vl-convert (nearshore.charts.render) and in the browser by
vega-embed, so the brief and the dashboard cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

ChartKind = Literal["lines", "bars", "monthly"]
KINDS: tuple[ChartKind, ...] = ("lines", "bars", "monthly")
PALETTE = ("#0b6e4f", "#c8553d", "#2d3047", "#e0a458", "#6c8ead", "#8e6c8a", "#588b8b")
SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"  # an identifier: nothing is fetched from it
Points = Sequence[tuple[str, float]]


def _values(series: Sequence[tuple[str, Points]]) -> list[dict[str, Any]]:
    return [
        {"series": name, "x": str(x), "value": float(value), "order": index}
        for name, points in series
        for index, (x, value) in enumerate(points)
    ]


def _affixes(unit: str) -> tuple[str, str]:
    """What goes before and after a number in `unit`: '%' -> ('', '%'), '$B' -> ('$', 'B')."""
    unit = unit.replace("'", "")
    return ("$", unit[1:]) if unit.startswith("$") else ("", unit)


def _label(unit: str, digits: str) -> str:
    """A Vega expression printing datum.value in `unit` ('12%', '$9.9B')."""
    before, after = _affixes(unit)
    return f"'{before}' + format(datum.value, ',.{digits}f') + '{after}'"


def _axis(unit: str) -> dict[str, Any]:
    """Axis labels with the unit (12%, $10B), whole numbers."""
    return {"labelExpr": _label(unit, "0"), "tickMinStep": 1, "tickCount": 6}


def _tooltip(unit: str, x_title: str, with_series: bool) -> list[dict[str, Any]]:
    tips: list[dict[str, Any]] = [{"field": "series", "type": "nominal", "title": "series"}] if with_series else []
    return [
        *tips,
        {"field": "x", "type": "ordinal", "title": x_title},
        {"field": "value", "type": "quantitative", "title": f"value ({unit})", "format": ",.2f"},
    ]


def _encoding(kind: ChartKind, unit: str, y_label: str, count: int) -> tuple[Any, dict[str, Any]]:
    """The mark and encoding of each kind."""
    y_title = f"{y_label} ({unit})" if unit and unit not in y_label else y_label
    if kind == "lines":
        mark = {"type": "line", "point": {"size": 30}, "strokeWidth": 2}
        return mark, {
            "x": {"field": "x", "type": "ordinal", "title": None, "sort": None, "axis": {"labelAngle": 0}},
            "y": {"field": "value", "type": "quantitative", "title": y_title, "axis": _axis(unit)},
            "color": {
                "field": "series",
                "type": "nominal",
                "title": None,
                "scale": {"range": list(PALETTE)},
                "legend": {"orient": "top"} if count > 1 else None,
            },
            "tooltip": _tooltip(unit, "period", True),
        }
    if kind == "bars":
        return {"type": "bar", "color": PALETTE[0]}, {
            "y": {
                "field": "x",
                "type": "nominal",
                "title": None,
                "sort": {"field": "value", "op": "max", "order": "descending"},
            },
            "x": {"field": "value", "type": "quantitative", "title": y_title, "axis": _axis(unit)},
            "tooltip": _tooltip(unit, "category", False),
        }
    return {"type": "bar", "color": PALETTE[0]}, {
        "x": {"field": "x", "type": "ordinal", "title": None, "sort": None, "axis": {"labelAngle": -90}},
        "y": {
            "field": "value",
            "type": "quantitative",
            "title": y_title,
            "scale": {"domain": [0, 100]} if unit == "%" else {},
            "axis": _axis(unit),
        },
        "tooltip": _tooltip(unit, "month", False),
    }


def spec(
    kind: ChartKind,
    title: str,
    alt: str,
    series: Sequence[tuple[str, Points]],
    *,
    y_label: str = "share",
    unit: str = "%",
    source: str = "",
    responsive: bool = False,
) -> dict[str, Any]:
    """The Vega-Lite specification of one chart (see the module docstring)."""
    if kind not in KINDS:
        raise ValueError(f"chart kind {kind!r} is not one of: {', '.join(KINDS)}")
    mark, encoding = _encoding(kind, unit, y_label, len(series))
    layers: list[dict[str, Any]] = [{"mark": mark, "encoding": encoding}]
    if kind == "bars":
        label = {"type": "text", "align": "left", "dx": 3, "fontSize": 10}
        layers.append(
            {
                "mark": label,
                "transform": [{"calculate": _label(unit, "1"), "as": "label"}],
                "encoding": {**encoding, "text": {"field": "label", "type": "nominal"}},
            }
        )
    height = 24 * max(len(series[0][1]) if series else 1, 4) if kind == "bars" else 300
    return {
        "$schema": SCHEMA,
        "description": alt,
        "title": {"text": title, "anchor": "start", **({"subtitle": f"Source: {source}"} if source else {})},
        "data": {"values": _values(series)},
        "width": "container" if responsive else 640,
        "height": height,
        "autosize": {"type": "fit-x" if responsive else "pad", "contains": "padding"},
        "config": {"font": "sans-serif", "view": {"stroke": None}, "axis": {"grid": True, "gridOpacity": 0.4}},
        "layer": layers,
    }


__all__ = ["KINDS", "PALETTE", "SCHEMA", "ChartKind", "Points", "spec"]
