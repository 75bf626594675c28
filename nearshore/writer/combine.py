"""Figures for a set of partners taken together (Canada and Mexico for the north-america brief), built from
the analytics Figures of each partner: dollar amounts are summed, shares and rates are recomputed from the
summed numerators and denominators (never averaged), and the provenance of every part is kept."""

from __future__ import annotations

from collections.abc import Sequence

from nearshore.analytics.result import Figure, Period, Provenance


def merged(figures: Sequence[Figure]) -> Provenance:
    first, *rest = [f.provenance for f in figures]
    return first.merge(*rest)


def total(parts: Sequence[Figure], label: str, subject: tuple[tuple[str, str], ...] = ()) -> Figure:
    """The sum of USD figures of one period (e.g. imports from Canada + imports from Mexico)."""
    if len(parts) == 1:
        return parts[0]
    first = parts[0]
    value = sum(f.value for f in parts)
    return Figure(
        value,
        "USD",
        label,
        first.period,
        merged(parts),
        comparison=" + ".join(f.label for f in parts),
        scale=first.scale,
        decimals=first.decimals,
        subject=subject,
    )


def ratio(
    numerators: Sequence[Figure],
    denominators: Sequence[Figure],
    label: str,
    comparison: str,
    *,
    decimals: int = 1,
    subject: tuple[tuple[str, str], ...] = (),
) -> Figure:
    """100 * sum(numerators) / sum(denominators), in percent, over the period of the first numerator."""
    num = sum(f.value for f in numerators)
    den = sum(f.value for f in denominators)
    return Figure(
        100.0 * num / den,
        "percent",
        label,
        numerators[0].period,
        merged([*numerators, *denominators]),
        comparison=comparison,
        decimals=decimals,
        subject=subject,
    )


def change(now: Figure, before: Figure, label: str) -> Figure:
    """The difference of two percents in percentage points, over the span from `before` to `now`."""
    period = Period(
        before.period.start_year,
        before.period.start_month,
        now.period.end_year or now.period.start_year,
        now.period.end_month if now.period.is_span else now.period.start_month,
    )
    return Figure(
        now.value - before.value,
        "pp",
        label,
        period,
        now.provenance.merge(before.provenance),
        comparison=f"{now.display()} in {now.period.words} vs {before.display()} in {before.period.words}",
        decimals=1,
        subject=now.subject,
    )


def growth(now: Figure, before: Figure, label: str) -> Figure:
    """Percent change of a USD amount between two periods."""
    period = Period(
        before.period.start_year,
        before.period.start_month,
        now.period.end_year or now.period.start_year,
        now.period.end_month if now.period.is_span else now.period.start_month,
    )
    return Figure(
        100.0 * (now.value - before.value) / before.value,
        "percent",
        label,
        period,
        now.provenance.merge(before.provenance),
        comparison=f"{now.period.words} vs {before.period.words}",
        subject=now.subject,
    )


__all__ = ["change", "growth", "merged", "ratio", "total"]
