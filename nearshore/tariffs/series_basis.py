"""What a tariff series states beside its figures: each partner's weights (level, source, year, value, claims, what
is unrated) and the method's assumptions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from nearshore.tariffs.policy import Policy
from nearshore.tariffs.series_map import LineMap
from nearshore.tariffs.series_weights import Claims, Weights

ALL = "ALL"
CLAIM_RULES = {
    "second-half": "each HTS10 line's USMCA-claimed share of July-December of the weight year (the year's share "
    "for a line without July-December imports)",
    "year": "each HTS10 line's USMCA-claimed share of the weight year",
    "none": "no USMCA claims (every line at the rate without a claim: the upper bound)",
}


@dataclass(frozen=True)
class Basis:
    """How one partner's series is weighted."""

    partner: str
    level: str  # HTS10, HS2, or HTS10+HS2 for ALL
    imports: float  # USD, the denominator
    unrated: float  # USD of it the schedule does not rate (kept at 0)
    claimed: float | None  # USMCA-claimed share of the imports, HTS10 partners
    text: str


def _billions(value: float) -> str:
    return f"${value / 1e9:,.1f}B"


def _hts10_basis(partner: str, weights: Weights, lmap: LineMap, claims: Claims) -> Basis:
    total = weights.total
    unrated = float(weights.values[~lmap.rated].sum())
    prefixed = float(weights.values[lmap.by_prefix].sum())
    text = (
        f"HTS10: {len(weights.codes):,} lines, {weights.source}, {_billions(total)}; USMCA-claimed "
        f"{weights.claimed_share:.1%} of the value ({CLAIM_RULES[claims]}); {prefixed / total:.1%} of the value on "
        f"codes the schedule revision lacks, rated at the mean of their 8- or 6-digit subheading; "
        f"{unrated / total:.1%} unrated (kept at 0)"
    )
    return Basis(partner, "HTS10", total, unrated, weights.claimed_share, text)


def _chapter_unrated(weights: Weights, chapters: Sequence[str], cmap: LineMap | None) -> float:
    if cmap is None:
        return 0.0
    rated = {c for c, ok in zip(chapters, cmap.rated, strict=True) if ok}
    return float(sum(v for c, v in zip(weights.codes, weights.values, strict=True) if c not in rated))


def _hs2_basis(partner: str, weights: Weights, chapters: Sequence[str], cmap: LineMap | None) -> Basis:
    total = weights.total
    unrated = _chapter_unrated(weights, chapters, cmap)
    text = (
        f"HS2: {len(weights.codes)} chapters, {weights.source}, {_billions(total)}; each chapter at the plain mean "
        f"of the rates of its HTS10 lines; {unrated / total:.1%} in chapters the schedule does not rate "
        "(98, 99; kept at 0)"
    )
    return Basis(partner, "HS2", total, unrated, None, text)


def _all_basis(
    hts10: dict[str, tuple[Weights, LineMap]], hs2: dict[str, Weights], chapters: Sequence[str], cmap: LineMap | None
) -> Basis:
    total = sum(w.total for w in hs2.values())
    unrated = 0.0
    for p, w in hs2.items():
        if p in hts10:
            weights, lmap = hts10[p]
            unrated += w.total * float(weights.values[~lmap.rated].sum()) / weights.total
        else:
            unrated += _chapter_unrated(w, chapters, cmap)
    year = next(iter(hs2.values())).year
    detailed = ", ".join(sorted(hts10))
    text = (
        f"{len(hs2)} partners, each weighted by its Census general imports of {year} (census-hs2), "
        f"{_billions(total)} in all; {detailed} at their HTS10 rates (DataWeb mix and claims) scaled to that total, "
        f"the other {len(hs2) - len(hts10)} by HS chapter; {unrated / total:.1%} of the value unrated (kept at 0)"
    )
    return Basis(ALL, "HTS10+HS2", total, unrated, None, text)


def bases(
    wanted: Sequence[str],
    hts10: dict[str, tuple[Weights, LineMap]],
    hs2: dict[str, Weights],
    cmap: LineMap | None,
    chapters: Sequence[str],
    claims: Claims,
) -> list[Basis]:
    out = []
    for p in wanted:
        if p == ALL:
            out.append(_all_basis(hts10, hs2, chapters, cmap))
        elif p in hts10:
            out.append(_hts10_basis(p, *hts10[p], claims))
        else:
            out.append(_hs2_basis(p, hs2[p], chapters, cmap))
    return out


def notes(policy: Policy, end: date, claims: Claims, revision: str) -> list[str]:
    """The method's assumptions, said once under the series."""
    out = [
        f"rates of HTS {revision} statistical lines under tariff policy {policy.version}, dated by the orders' "
        "effective dates (not by HTS revision); a step starts on each day the policy changes a partner's rate",
        "lines with per-unit (specific) rates carry only their ad valorem part; Section 232 derivatives before "
        "2026-04-06 pay on their BEA metal-content estimate; no U.S. content declared on USMCA vehicles (the upper "
        "bound); measures that need an importer's claim (note 39 chips, authorised quantities, U.S. metal) are "
        "left out",
        "no preference programme other than USMCA is applied (KORUS, CAFTA-DR and the other FTAs pay the general rate)",
        f"USMCA claims: {CLAIM_RULES[claims]}",
    ]
    note = policy.currency_note(end)
    if note:
        out.append(note)
    return out


__all__ = ["ALL", "CLAIM_RULES", "Basis", "bases", "notes"]
