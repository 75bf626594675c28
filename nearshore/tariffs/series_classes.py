"""Countries the policy treats alike on a date, so the panel is rated once per class instead of once per country.

The vectorised layers (`vector.layers`, `vector.base_rates`) depend on the country only through: column 2
membership, whether each measure covers it, which of a measure's rate periods applies to it on the date, and which
of its exemptions name it. Two countries with the same answers to all of these get the same rates on every line,
so one of them stands for the class (`tests/tariffs/test_series.py` checks a whole panel against this).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from nearshore.tariffs.policy import Policy

Signature = tuple[object, ...]


def signature(policy: Policy, country: str, on: date) -> Signature:
    """What the policy's layers see of `country` on `on`."""
    parts: list[object] = [country in policy.column2]
    for measure in policy.measures:
        if not measure.covers_country(country):
            parts.append(None)
            continue
        period = measure.period(country, on)
        index = None if period is None else measure.rates.index(period)
        named = tuple(ex.countries is None or country in ex.countries for ex in measure.exemptions if ex.active(on))
        parts.append((index, named))
    return tuple(parts)


def classes(policy: Policy, countries: Iterable[str], on: date) -> dict[Signature, list[str]]:
    """The countries grouped by signature on `on` (each group in the order given)."""
    out: dict[Signature, list[str]] = {}
    for country in countries:
        out.setdefault(signature(policy, country, on), []).append(country)
    return out


__all__ = ["Signature", "classes", "signature"]
