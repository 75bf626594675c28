"""How a weight code (an HTS10 line or an HS chapter) takes its rate from the schedule's statistical lines.

A `LineMap` is a list of (unit, line, share) triples; a unit's rate is the sum of share x rate over its lines, so
rating every unit is one `np.bincount` per rate column, whatever the number of units.

- **HTS10 units** (`hts10_map`): the line itself when the schedule revision has the code; otherwise the plain mean
  of the revision's lines under the code's 8-digit subheading, else under its 6-digit subheading (codes created
  or split after the revision); a code with neither is unrated (rate 0, its value kept in the denominator).
- **HS2 units** (`chapter_map`), the stated rule for partners weighted by chapter: the plain (unweighted) mean of
  the rates of every statistical line of the chapter in the revision, each line counting once. Chapters with no
  rated line (98 and 99: special classification provisions, which the schedule does not rate) are unrated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class LineMap:
    """Units x lines as triples: unit index, line index and the share of the unit's rate the line carries."""

    units: int
    unit: Ints
    line: Ints
    share: Floats
    rated: npt.NDArray[np.bool_]  # per unit: at least one line
    by_prefix: npt.NDArray[np.bool_]  # per unit: rated from the lines under its 8- or 6-digit prefix

    def rate(self, line_rates: Floats) -> Floats:
        """Each unit's rate from the lines' rates."""
        rates = np.bincount(self.unit, weights=self.share * line_rates[self.line], minlength=self.units)
        return rates.astype(np.float64)


def _build(groups: Sequence[Sequence[int]], by_prefix: Sequence[bool]) -> LineMap:
    unit = [u for u, lines in enumerate(groups) for _ in lines]
    line = [i for lines in groups for i in lines]
    share = [1.0 / len(lines) for lines in groups for _ in lines]
    return LineMap(
        len(groups),
        np.array(unit, dtype=np.int64),
        np.array(line, dtype=np.int64),
        np.array(share, dtype=np.float64),
        np.array([bool(lines) for lines in groups]),
        np.array(by_prefix, dtype=bool),
    )


def _prefix_index(codes: Sequence[str], size: int, wanted: set[str] | None = None) -> dict[str, list[int]]:
    """Prefix of `size` digits -> the indexes of the codes with it, in order (only the `wanted` prefixes)."""
    out: dict[str, list[int]] = {}
    if wanted is not None and not wanted:
        return out
    for i, code in enumerate(codes):
        prefix = code[:size]
        if wanted is None or prefix in wanted:
            out.setdefault(prefix, []).append(i)
    return out


def hts10_map(units: Sequence[str], line_codes: Sequence[str]) -> LineMap:
    """HTS10 weight codes onto the schedule's lines: exact, else the 8-digit, else the 6-digit mean."""
    exact = {code: i for i, code in enumerate(line_codes)}
    missing = [code for code in units if code not in exact]  # the prefixes are indexed for these alone
    by8 = _prefix_index(line_codes, 8, {code[:8] for code in missing})
    by6 = _prefix_index(line_codes, 6, {code[:6] for code in missing})
    groups: list[list[int]] = []
    prefixed: list[bool] = []
    for code in units:
        if code in exact:
            groups.append([exact[code]])
            prefixed.append(False)
        else:
            found = by8.get(code[:8]) or by6.get(code[:6]) or []
            groups.append(found)
            prefixed.append(bool(found))
    return _build(groups, prefixed)


def chapter_map(chapters: Sequence[str], line_codes: Sequence[str]) -> LineMap:
    """HS chapters onto the schedule's lines: the plain mean of every line of the chapter."""
    by2 = _prefix_index(line_codes, 2)
    return _build([by2.get(c, []) for c in chapters], [False] * len(chapters))


__all__ = ["LineMap", "chapter_map", "hts10_map"]
