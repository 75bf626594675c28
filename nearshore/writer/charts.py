"""Charts for the brief, drawn with matplotlib (Agg) to SVG for HTML and PNG for PDF, each with alt text and a
caption that state what the chart shows, written from the same data.

Three kinds: partner shares of U.S. imports over time (lines), sector or chapter composition (horizontal bars),
USMCA-claimed share by month (bars). Each is drawn to be read without decoding: axis titles, the last year on the
axis and each line's last value labelled, a range that shows every series, month ticks Jan..Dec, the value on
every bar, and on monthly charts a marker at the month the 2025 tariffs took effect.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from nearshore.writer import cache
from nearshore.writer.facts import fmt_number

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

ChartKind = Literal["lines", "bars", "monthly"]
PALETTE = ("#0b6e4f", "#c8553d", "#2d3047", "#e0a458", "#6c8ead", "#8e6c8a", "#588b8b")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
TARIFF_MONTH = "2025-03"  # the IEEPA duties on Canada and Mexico took effect on 4 March 2025 (events.yaml)


@dataclass(frozen=True)
class Series:
    name: str
    points: tuple[tuple[str, float], ...]  # (x label, value in percent)


@dataclass(frozen=True)
class Chart:
    """What to draw; `after` is the id of the section the chart follows in the brief; `caption` names the series
    shown and their source."""

    id: str
    kind: ChartKind
    title: str
    alt: str
    series: tuple[Series, ...]
    source: str
    after: str = ""
    y_label: str = "percent"
    x_label: str = ""
    caption: str = ""


def _pct(value: float) -> str:
    return f"{fmt_number(value, 1)}%"


def _names(series: Sequence[Series]) -> str:
    names = [s.name for s in series]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


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
        y_label="Share of U.S. goods imports (%)",
        x_label="Year",
        caption=f"{_names(series)}: share of U.S. goods imports by year, {first}-{last}.",
    )


def sector_composition(
    partner: str,
    sectors: Sequence[tuple[str, float]],
    source: str,
    after: str = "sectors",
    what: str = "sector",
    year: str = "",
) -> Chart:
    """Horizontal bars: each sector's (or HS chapter's) share of U.S. imports from the partner, largest first."""
    ordered = sorted(sectors, key=lambda item: -item[1])
    listed = "; ".join(f"{name} {_pct(value)}" for name, value in ordered)
    when = f", {year}" if year else ""
    alt = f"Bar chart of U.S. imports from {partner} by {what}{when}, largest first: {listed}."
    label = "HS chapter" if what == "chapter" else "sector"
    return Chart(
        "sector-composition",
        "bars",
        f"U.S. imports from {partner} by {label}{when}",
        alt,
        (Series(partner, tuple(ordered)),),
        source,
        after,
        y_label="",
        x_label=f"Share of U.S. imports from {partner} (%)",
        caption=f"{partner}: share of U.S. imports by {label}{when}"
        + ("; sectors may overlap." if what == "sector" else "; the largest chapters."),
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
    year = months[0][0][:4]
    return Chart(
        "usmca-claimed",
        "monthly",
        f"USMCA-claimed share of U.S. imports from {partner}, {year}",
        alt,
        (Series(partner, tuple(months)),),
        source,
        after,
        y_label="Share of imports claiming USMCA (%)",
        x_label=f"Month of {year}",
        caption=f"{partner}: share of U.S. imports for consumption entered claiming USMCA, by month of {year}.",
    )


def _spread(values: list[float], gap: float) -> list[float]:
    """Label heights at least `gap` apart, each as near its value as that allows (order kept)."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    placed = [0.0] * len(values)
    floor = float("-inf")
    for i in order:
        placed[i] = max(values[i], floor + gap)
        floor = placed[i]
    return placed


def _lines(ax: Axes, chart: Chart) -> None:
    from matplotlib.ticker import MaxNLocator, PercentFormatter

    xs = [x for x, _ in chart.series[0].points]
    top = max(v for s in chart.series for _, v in s.points)
    for index, series in enumerate(chart.series):
        ax.plot(
            [xs.index(x) for x, _ in series.points],
            [v for _, v in series.points],
            marker="o",
            markersize=3,
            linewidth=2,
            color=PALETTE[index % len(PALETTE)],
            label=series.name,
        )
    ends = _spread([s.points[-1][1] for s in chart.series], top * 0.06)
    for index, (series, height) in enumerate(zip(chart.series, ends, strict=True)):
        ax.annotate(
            _pct(series.points[-1][1]),
            (len(xs) - 1, series.points[-1][1]),
            xytext=(len(xs) - 0.6, height),
            textcoords="data",
            va="center",
            fontsize=8,
            color=PALETTE[index % len(PALETTE)],
            fontweight="bold",
        )
    step = max(1, -(-len(xs) // 8))
    ticks = list(range(len(xs) - 1, -1, -step))[::-1]  # counted back from the last year, so it is always shown
    ax.set_xticks(ticks, [xs[i] for i in ticks])
    ax.set_xlim(-0.5, len(xs) + 1.2)
    ax.set_ylim(0, top * 1.15)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))


def _bars(ax: Axes, chart: Chart) -> None:
    from matplotlib.ticker import PercentFormatter

    points = list(reversed(chart.series[0].points))
    ax.barh([n for n, _ in points], [v for _, v in points], color=PALETTE[0])
    for y, (_, value) in enumerate(points):
        ax.annotate(_pct(value), (value, y), xytext=(3, 0), textcoords="offset points", va="center", fontsize=8)
    ax.set_xlim(0, max(v for _, v in points) * 1.18)
    ax.xaxis.set_major_formatter(PercentFormatter(decimals=0))


def _monthly(ax: Axes, chart: Chart) -> None:
    from matplotlib.ticker import PercentFormatter

    points = list(chart.series[0].points)
    xs = list(range(len(points)))
    ax.bar(xs, [v for _, v in points], color=PALETTE[0])
    for x, (_, value) in zip(xs, points, strict=True):
        ax.annotate(
            f"{fmt_number(value, 0)}%", (x, value), xytext=(0, 2), textcoords="offset points", ha="center", fontsize=7
        )
    ax.set_xticks(xs, [MONTHS[int(m[5:7]) - 1] for m, _ in points])
    months = [m for m, _ in points]
    if TARIFF_MONTH in months:
        at = months.index(TARIFF_MONTH) - 0.5
        ax.axvline(at, color=PALETTE[1], linewidth=1.2, linestyle="--")
        ax.annotate(
            "tariffs from 4 Mar",
            (at, 102),
            xytext=(3, 0),
            textcoords="offset points",
            fontsize=7,
            color=PALETTE[1],
            va="bottom",
        )
    ax.set_ylim(0, 110)
    ax.set_yticks([0, 20, 40, 60, 80, 100])
    ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))


def _figure(chart: Chart) -> Figure:
    try:
        from matplotlib.figure import Figure
    except ImportError:  # pragma: no cover - matplotlib is a core dependency
        from nearshore.errors import ConfigError

        raise ConfigError("charts need matplotlib: pip install matplotlib") from None
    fig = Figure(figsize=png_size(chart), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    {"lines": _lines, "bars": _bars, "monthly": _monthly}[chart.kind](ax, chart)
    if chart.kind == "lines":
        fig.legend(frameon=False, loc="outside right upper")  # beside the plot: never over a line
    if chart.y_label:
        ax.set_ylabel(chart.y_label, fontsize=9)
    if chart.x_label:
        ax.set_xlabel(chart.x_label, fontsize=9)
    ax.tick_params(labelsize=8)
    ax.set_title(chart.title, loc="left", fontsize=11, fontweight="bold")
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x" if chart.kind == "bars" else "y", linewidth=0.4, alpha=0.5)
    return fig


@functools.lru_cache(maxsize=16)
def render_svg(chart: Chart) -> str:
    """The chart as an inline `<svg>` element (no XML prolog), labelled with its alt text (from the chart cache
    within `cache.keeping_charts` and this exact chart was drawn before)."""
    return cache.chart(chart, "svg", lambda c: _draw_svg(c).encode("utf-8")).decode("utf-8")


def _draw_svg(chart: Chart) -> str:
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
    """The chart as PNG at `dpi` (from the chart cache like `render_svg`)."""
    return cache.chart(chart, f"png-{dpi}", lambda c: _draw_png(c, dpi))


def _draw_png(chart: Chart, dpi: int) -> bytes:
    buffer = io.BytesIO()
    _figure(chart).savefig(buffer, format="png", dpi=dpi, metadata={"Software": "nearshore"})
    return buffer.getvalue()


def png_size(chart: Chart) -> tuple[float, float]:
    """The chart's size in inches (width, height), for page layout."""
    return 7.2, (3.6 if chart.kind != "bars" else 0.9 + 0.32 * len(chart.series[0].points))
