"""The tariff series as a chart: each partner's total rate as a step line over the days, drawn with matplotlib (Agg)
and written as PNG or SVG by the path's suffix, with alt text that says what it shows.

Kept apart from the series so another renderer (a Vega-Lite spec) can take its place; drawn the way the brief's
charts are (`nearshore.writer.charts`, a higher layer this module may not import): one figure, legend beside the
plot, percent axis, no top or right spine, SVG with a fixed hash salt and no date so the file is reproducible.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from nearshore.errors import InputError
from nearshore.tariffs.series import TariffSeries

if TYPE_CHECKING:
    from matplotlib.figure import Figure

SUFFIXES = (".png", ".svg")


def alt_text(series: TariffSeries) -> str:
    """What the chart shows, in words: each partner's first and last rate and its highest step."""
    parts = []
    for partner in series.partners:
        steps = series.of(partner)
        top = max(steps, key=lambda s: s.total)
        parts.append(
            f"{partner} from {steps[0].total:.1%} to {steps[-1].total:.1%}, highest {top.total:.1%} from {top.start}"
        )
    return (
        f"Step chart of the import-weighted U.S. tariff rate by partner, {series.start} to {series.end}: "
        + "; ".join(parts)
        + "."
    )


def figure(series: TariffSeries) -> Figure:
    from matplotlib.figure import Figure
    from matplotlib.ticker import PercentFormatter

    fig = Figure(figsize=(7.2, 3.6), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    for index, partner in enumerate(series.partners):
        steps = series.of(partner)
        days = np.array([s.start for s in steps] + [steps[-1].end], dtype="datetime64[D]")
        rates = [s.total * 100 for s in steps] + [steps[-1].total * 100]
        ax.step(days, rates, where="post", linewidth=2, color=f"C{index % 10}", label=partner)
    fig.legend(frameon=False, loc="outside right upper")
    ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))
    ax.set_ylim(bottom=0)
    ax.set_title("Import-weighted U.S. tariff rate by partner", loc="left", fontsize=11, fontweight="bold")
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", linewidth=0.4, alpha=0.5)
    fig.autofmt_xdate()
    return fig


def write_chart(series: TariffSeries, path: Path) -> Path:
    """Write the chart to `path` (.png or .svg), whole under a temporary name and then renamed."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(
            f"--chart {path}: the chart is written as PNG or SVG; give a path ending in .png or .svg",
            field="chart",
            value=str(path),
        )
    if not path.parent.is_dir():
        raise InputError(f"--chart {path}: the folder {path.parent} does not exist", field="chart", value=str(path))
    temporary = path.with_name(f".{path.name}.tmp")
    metadata = {"Software": "nearshore"} if suffix == ".png" else {"Date": None, "Creator": "nearshore"}
    import matplotlib

    with matplotlib.rc_context({"svg.hashsalt": "nearshore-tariff-series", "svg.fonttype": "none"}):
        figure(series).savefig(temporary, format=suffix[1:], metadata=metadata)
    if suffix == ".svg":
        from html import escape

        text = temporary.read_text(encoding="utf-8")
        label = escape(alt_text(series), quote=True)
        temporary.write_text(text.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1), encoding="utf-8")
    os.replace(temporary, path)
    return path


__all__ = ["SUFFIXES", "alt_text", "figure", "write_chart"]
