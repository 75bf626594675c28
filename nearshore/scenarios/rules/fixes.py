"""The cheapest fix for a BOM that stops qualifying under a rule change: which non-originating materials to source
as originating (from a USMCA country) so that it qualifies again, under the changed rules and caps.

The search (the origin what-if's, under the changed rules): the candidates are the materials that count as
non-originating (VNM above zero, or a material the tariff shift looks at), tried one at a time from the smallest
value up; the first that works is the cheapest single material, and the search stops there. When no single
material works, materials are added largest VNM first until the good qualifies: a sufficient set, not shown to
be the cheapest one. Trials that the caps alone rule out (cheap to test) are not determined.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from nearshore.origin.bom import BOM, Material
from nearshore.scenarios.rules.judge import CapGap


@dataclass(frozen=True)
class Fix:
    """Materials to source as originating; `single` when one material suffices (the cheapest one)."""

    materials: tuple[Material, ...]
    single: bool

    @property
    def value(self) -> float:
        return sum(m.value for m in self.materials)

    def text(self) -> str:
        if self.single:
            m = self.materials[0]
            return f"source line {m.line} ({m.description or m.hs}, value {m.value:,.2f}) as originating"
        lines = ", ".join(str(m.line) for m in self.materials)
        return f"source lines {lines} as originating (value {self.value:,.2f}; a sufficient set)"


NO_FIX = "no sourcing change found: see the failing tests"


def cheapest_fix(bom: BOM, works: Callable[[BOM], bool], gap: CapGap) -> Fix | None:
    """The cheapest single material to source as originating, else a sufficient set, else None. `gap` says what
    the caps need: a trial that leaves a cap failing is not tried."""
    candidates = sorted(
        (m for m in bom.materials if m.vnm > 0 or (not m.originating and m.counts_for_shift)), key=lambda m: m.value
    )
    for material in candidates:
        if gap.closed_by((material,)) and works(_sourced(bom, (material,))):
            return Fix((material,), True)
    chosen: list[Material] = []
    for material in sorted(candidates, key=lambda m: -max(m.vnm, m.value)):
        chosen.append(material)
        if gap.closed_by(chosen) and works(_sourced(bom, chosen)):
            return Fix(tuple(chosen), False)
    return None


def _sourced(bom: BOM, materials: Sequence[Material]) -> BOM:
    ids = {id(m) for m in materials}
    return bom.with_materials(tuple(m.as_originating() if id(m) in ids else m for m in bom.materials))


__all__ = ["NO_FIX", "Fix", "cheapest_fix"]
