"""What `compose_brief` adds around the facts: the three charts, and the methodology lines that say how every
part was computed and what the store could not give."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from nearshore.analytics.result import FigureTable
from nearshore.writer import brief_facts as bf
from nearshore.writer.charts import Chart, Series, partner_shares, sector_composition, usmca_claimed
from nearshore.writer.colophon import BriefInfo
from nearshore.writer.notes import SOURCE_TITLES, month_words

CHART_PARTNERS: Final = (("MEX", "Mexico"), ("CAN", "Canada"), ("CHN", "China"))
CHART_YEARS: Final = 20
USMCA_SOURCES: Final = {
    "census-usmca": "U.S. Census Bureau, USMCA-claimed imports (FT-900 series 0021/0022) over imports for consumption",
    "dataweb": SOURCE_TITLES["dataweb"] + ", claims under special programme S/S+",
}


def _source(table: FigureTable) -> str:
    prov = table.provenance
    names = "; ".join(SOURCE_TITLES.get(s, s) for s in prov.sources)
    return f"{names} ({', '.join(month_words(v) for v in prov.vintages)} releases)"


def charts(
    ctx: bf.Context,
    sectors: list[tuple[str, float]],
    sector_source: str,
    months: list[tuple[str, float]],
    usmca_source: str,
) -> tuple[Chart, ...]:
    out = []
    first = ctx.year - CHART_YEARS + 1
    series = []
    for pid, label in CHART_PARTNERS:
        rows = ctx.history[pid].rows
        points = tuple(
            (str(r.keys[1]), f.value)
            for r in rows
            if first <= int(str(r.keys[1])) <= ctx.year and (f := r.figures[2]) is not None
        )
        series.append(Series(label, points))
    if not ctx.single:
        combined = tuple((str(y), f.value) for y, f in bf.share_series(ctx) if y >= first)
        series.append(Series("Canada + Mexico", combined))
    out.append(partner_shares(series, _source(ctx.history["MEX"])))
    if sectors and sector_source:
        what = "chapter" if sector_source == "census-hs2" else "sector"
        out.append(sector_composition(ctx.name, sectors, SOURCE_TITLES[sector_source], what=what, year=str(ctx.year)))
    if months:
        out.append(usmca_claimed(ctx.name, months, USMCA_SOURCES[usmca_source]))
    return tuple(out)


def methodology(
    ctx: bf.Context,
    missing: Sequence[str],
    usmca_source: str,
    sector_source: str,
    quoted: bool,
    engines: Sequence[str] = (),
) -> tuple[str, ...]:
    lines = list(BriefInfo().methodology)
    lines.append(
        "Shares of U.S. goods imports are general imports (customs value) from the Census country file over the "
        "world total; ranks are among countries. Figures are annual unless a month is named."
    )
    if sector_source == "census-hs2":
        lines.append(
            "Composition for this year is U.S. general imports by HS chapter (Census International Trade API); the "
            "named sectors given are those made of whole HS chapters (energy 27, agriculture and food 01-24, "
            "steel and aluminium 72, 73 and 76). Sectors defined by headings need HTS10 rows, which the embedded "
            "snapshot holds (USITC DataWeb) only for later years."
        )
    elif sector_source == "dataweb":
        lines.append(
            "Sector shares use the HS lists of nearshore's sector definitions over all imports for consumption by "
            "HTS10 (USITC DataWeb); sectors may overlap. Modelled tariff rates apply the tariff engine's rate panel "
            "(the HTS general rates with every measure of the tariff policy file stacked on them) on the 15th of "
            "each month to that month's imports by HTS10 line, the USMCA-claimed value at the USMCA rate, with "
            "claims calibrated to the Census USMCA series; as `nearshore tariff effective`. They differ from the "
            "duty collected for reasons the model cannot see: exclusions not modelled, metal content below the "
            "value, claims recorded late, the timing of entries, drawback and deferral."
        )
    if usmca_source == "dataweb":
        lines.append(
            "USMCA-claimed shares are DataWeb imports for consumption entered under special programme S or S+ "
            "over all imports for consumption, as the store holds no Census USMCA series (aggregates "
            "0021/0022) for the brief's year. Collected duty rates are Census calculated duties over imports for "
            "consumption."
        )
    else:
        lines.append(
            "USMCA-claimed shares are the Census USMCA-claimed imports for consumption (aggregates 0021 Mexico / "
            "0022 Canada) over Census imports for consumption, for the year and by month. USITC DataWeb's HTS10 "
            "claims under special programme S/S+ agree with it in January-February and from July 2025 but record "
            "far fewer claims in March-June 2025 (e.g. Mexico, March: 48.7% against 76.4%). Collected duty rates "
            "are Census calculated duties over imports for consumption."
        )
    lines.append(
        "The tariff timeline lists the measures of nearshore's tariff policy file that apply to the partner "
        "(IEEPA, Section 232, Section 122), each rate with its legal text in the notes. Changes in trade over "
        "the months since March 2025 compare the same months a year apart; they describe, they do not attribute."
    )
    lines += engines
    if not ctx.single:
        lines.append(
            "North America here means Canada and Mexico taken together: dollar amounts are the sums of the "
            "two partners' figures and every share or rate is recomputed from those sums (never averaged). "
            "A pair of countries has no rank among countries, so no rank is given."
        )
    if quoted:
        lines.append(
            "Quoted figures come from the user's quotes file, each from the named source on the date given; the "
            "verifier checks that the brief prints them as the file gives them, not that they are true."
        )
    lines += [f"Not in this brief: {m.split('; load more')[0]}." for m in missing]
    return tuple(lines)


__all__ = ["CHART_PARTNERS", "CHART_YEARS", "charts", "methodology"]
