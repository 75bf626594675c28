"""Charts for the brief, drawn with matplotlib (Agg) to SVG for HTML and PNG for PDF, each with alt text
that states what the chart shows, written from the same data.

Three kinds: partner shares of U.S. imports over time (lines), sector composition (horizontal bars),
USMCA-claimed share by month (bars).
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from nearshore.writer.facts import fmt_number

if TYPE_CHECKING:
    from matplotlib.figure import Figure

ChartKind = Literal["lines", "bars", "monthly"]
PALETTE = ("#0b6e4f", "#c8553d", "#2d3047", "#e0a458", "#6c8ead", "#8e6c8a", "#588b8b")


@dataclass(frozen=True)
class Series:
    name: str
    points: tuple[tuple[str, float], ...]  # (x label, value in percent)


@dataclass(frozen=True)
class Chart:
    """What to draw; `after` is the id of the section the chart follows in the brief."""

    id: str
    kind: ChartKind
    title: str
    alt: str
    series: tuple[Series, ...]
    source: str
    after: str = ""
    y_label: str = "percent"


def _pct(value: float) -> str:
    return f"{fmt_number(value, 1)}%"


def partner_shares(series: Sequence[Series], source: str, after: str = "relationship") -> Chart:
    """Lines: each partner's share of U.S. goods imports by year."""
    first, last = series[0].points[0][0], series[0].points[-1][0]
    moves = "; ".join(f"{s.name} from {_pct(s.points[0][1])} to {_pct(s.points[-1][1])}" for s in series)
    leader = max(series, key=lambda s: s.points[-1][1]).name
    alt = (
        f"Line chart of shares of U.S. goods imports by partner, {first} to {last}: {moves}. "
        f"{leader} has the largest share at the end of the period."
    )
    return Chart(
        "partner-shares",
        "lines",
        f"Share of U.S. goods imports, {first}-{last}",
        alt,
        tuple(series),
        source,
        after,
    )


def sector_composition(
    partner: str, sectors: Sequence[tuple[str, float]], source: str, after: str = "sectors"
) -> Chart:
    """Horizontal bars: each sector's share of U.S. imports from the partner, largest first."""
    ordered = sorted(sectors, key=lambda item: -item[1])
    listed = "; ".join(f"{name} {_pct(value)}" for name, value in ordered)
    alt = f"Bar chart of the sector composition of U.S. imports from {partner}, largest first: {listed}."
    return Chart(
        "sector-composition",
        "bars",
        f"U.S. imports from {partner} by sector",
        alt,
        (Series(partner, tuple(ordered)),),
        source,
        after,
    )


def usmca_claimed(partner: str, months: Sequence[tuple[str, float]], source: str, after: str = "usmca") -> Chart:
    """Bars by month: the share of U.S. imports from the partner entered claiming USMCA preference."""
    low = min(months, key=lambda item: item[1])
    high = max(months, key=lambda item: item[1])
    alt = (
        f"Bar chart of the share of U.S. imports from {partner} claiming USMCA preference by month, "
        f"{months[0][0]} to {months[-1][0]}: from {_pct(months[0][1])} to {_pct(months[-1][1])}, lowest "
        f"{_pct(low[1])} in {low[0]}, highest {_pct(high[1])} in {high[0]}."
    )
    return Chart(
        "usmca-claimed",
        "monthly",
        f"USMCA-claimed share of U.S. imports from {partner}",
        alt,
        (Series(partner, tuple(months)),),
        source,
        after,
    )


def _figure(chart: Chart) -> Figure:
    try:
        from matplotlib.figure import Figure
        from matplotlib.ticker import MaxNLocator, PercentFormatter
    except ImportError:  # pragma: no cover - matplotlib is a core dependency
        from nearshore.errors import ConfigError

        raise ConfigError("charts need matplotlib: pip install matplotlib") from None
    fig = Figure(figsize=(7.2, 3.6), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    if chart.kind == "lines":
        for index, series in enumerate(chart.series):
            xs = [x for x, _ in series.points]
            ax.plot(
                xs,
                [v for _, v in series.points],
                marker="o",
                markersize=3,
                linewidth=2,
                color=PALETTE[index % len(PALETTE)],
                label=series.name,
            )
        fig.legend(frameon=False, loc="outside right upper")  # beside the plot: never over a line
        count = len(chart.series[0].points)
        step = max(1, -(-count // 10))  # at most about ten labels on the x axis
        ax.set_xticks(range(0, count, step), [x for x, _ in chart.series[0].points][::step])
    elif chart.kind == "bars":
        points = list(reversed(chart.series[0].points))
        ax.barh([n for n, _ in points], [v for _, v in points], color=PALETTE[0])
        for y, (_, value) in enumerate(points):
            ax.annotate(_pct(value), (value, y), xytext=(3, 0), textcoords="offset points", va="center", fontsize=8)
        ax.xaxis.set_major_formatter(PercentFormatter(decimals=0))
    else:
        points = list(chart.series[0].points)
        ax.bar([m for m, _ in points], [v for _, v in points], color=PALETTE[0])
        ax.set_ylim(0, 100)
        ax.tick_params(axis="x", labelrotation=90, labelsize=7)
    if chart.kind != "bars":
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # whole percents, so '%.0f' labels are exact
        ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))
    ax.set_title(chart.title, loc="left", fontsize=11, fontweight="bold")
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x" if chart.kind == "bars" else "y", linewidth=0.4, alpha=0.5)
    return fig


@functools.lru_cache(maxsize=16)
def render_svg(chart: Chart) -> str:
    """The chart as an inline `<svg>` element (no XML prolog), labelled with its alt text."""
    from html import escape

    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": f"nearshore-{chart.id}", "svg.fonttype": "none"}):
        _figure(chart).savefig(buffer, format="svg", metadata={"Date": None, "Creator": "nearshore"})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    label = escape(chart.alt, quote=True)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)
    title = f"<title>{escape(chart.title)}</title>"
    return re.sub(r"<svg[^>]*>", lambda m: m.group(0) + title, svg, count=1)


def render_png(chart: Chart, dpi: int = 150) -> bytes:
    buffer = io.BytesIO()
    _figure(chart).savefig(buffer, format="png", dpi=dpi, metadata={"Software": "nearshore"})
    return buffer.getvalue()
