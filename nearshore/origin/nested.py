"""Materials with their own inputs listed under them (`within`): which lines the tariff shift tests, and the origin
of a designated intermediate material derived from its inputs.

**The shift** (s. 3(2): "each of the non-originating materials used in the production of the good"):

- a self-produced material not designated intermediate is production of the producer itself: its non-originating
  inputs are materials used in producing the good, so they make the change, unless the producer chooses to take
  the self-produced material as the material instead (s. 3(8), `shift_as_material`; then it is tested, with its
  own code, when any input under it is non-originating);
- an accumulated material, produced in a USMCA country but not originating (s. 9(1)(c): "production undertaken on
  a non-originating material ... may contribute to the originating status of a good"): the supplier's statement of
  "the tariff classification of all non-originating materials used" (s. 9(7)(a)(ii)) is what the shift tests, so
  its listed inputs make the change, not the material;
- a designated intermediate material stands for its inputs (s. 8(6)-(7)): tested with its own code when it is not
  originating, left out when it is; an originating material of another producer likewise.

**The origin of an intermediate material** (s. 8(7)(a): "in order to qualify as an originating material, a
self-produced material that is designated as an intermediate material must qualify as an originating material
under these Regulations"): when its inputs are listed, the material is determined as a good of its own (its code,
its rule, its listed inputs, its value as its net cost, s. 8(8)) and the derived status replaces the one the BOM
asserts; a note says which it is and why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import replace

from nearshore.data.reference.hs import dotted
from nearshore.origin.bom import BOM, USMCA_COUNTRIES, Good, Material, NetCost
from nearshore.origin.result import Determination

Determine = Callable[[BOM, dt.date], Determination]
MAX_DEPTH = 12  # deeper nesting than any real bill of materials; guards against a `within` loop


def inputs_of(materials: Sequence[Material]) -> dict[str, list[Material]]:
    """ref -> the lines listed directly under that material."""
    out: dict[str, list[Material]] = {}
    for m in materials:
        if m.within:
            out.setdefault(m.within, []).append(m)
    return out


def _accumulated(m: Material) -> bool:
    """Produced in a USMCA country by another producer but not originating (s. 9(1)(c)), or with a supplier
    statement (s. 9(2)-(3))."""
    return not m.self_produced and not m.originating and (m.accumulation is not None or m.origin in USMCA_COUNTRIES)


def _expands(m: Material, inputs: dict[str, list[Material]]) -> bool:
    """Whether the shift looks at `m`'s listed inputs instead of `m`."""
    if not m.ref or m.ref not in inputs:
        return False
    if m.self_produced:
        return not m.intermediate and not m.shift_as_material
    return _accumulated(m)


def _any_foreign(m: Material, inputs: dict[str, list[Material]], depth: int = 0) -> bool:
    below = inputs.get(m.ref, []) if m.ref else []
    return depth < MAX_DEPTH and any(
        not i.originating or _any_foreign(i, inputs, depth + 1) for i in below if not (i.indirect or i.packing)
    )


def shift_materials(materials: Sequence[Material]) -> list[Material]:
    """The lines the tariff shift looks at, top-level materials first replaced by their inputs where those make
    the change (`_expands`); a material taken as the material under s. 3(8) counts as non-originating when any
    input under it is."""
    inputs = inputs_of(materials)
    if not inputs:  # no line lists inputs: the top-level lines as they are
        return list(materials)

    def walk(m: Material, depth: int) -> list[Material]:
        if depth < MAX_DEPTH and _expands(m, inputs):
            return [x for i in inputs[m.ref] for x in walk(i, depth + 1)]
        if m.self_produced and m.shift_as_material and m.ref in inputs:
            return [replace(m, originating=False)] if _any_foreign(m, inputs) else []
        return [m]

    return [x for m in materials if not m.within for x in walk(m, 0)]


def _sub_bom(bom: BOM, m: Material, inputs: dict[str, list[Material]]) -> BOM:
    """The intermediate material as a good of its own: its direct inputs on top, their own inputs under them."""
    assert m.hs is not None
    good = Good(
        description=m.description or m.ref,
        hs=m.hs,
        country=bom.good.country,
        currency=bom.good.currency,
        net_cost=NetCost(m.value),
        export_to=bom.good.export_to,
        conditions_met=bom.good.conditions_met,
    )
    top = [replace(i, within="") for i in inputs[m.ref]]
    below: list[Material] = []
    frontier = [i.ref for i in top if i.ref]
    seen = {m.ref, *frontier}
    while frontier:
        ref = frontier.pop()
        for i in inputs.get(ref, []):
            below.append(i)
            if i.ref and i.ref not in seen:
                seen.add(i.ref)
                frontier.append(i.ref)
    return BOM(f"{bom.source} line {m.line}", good, tuple(top + below))


def _note(m: Material, result: Determination, count: int) -> str:
    status = "originating" if result.qualifies else "not originating"
    why = result.basis if result.qualifies else "; ".join(t.name for t in result.tests if not t.passed)
    why = why or next((a.citation for a in result.alternatives), "no rule met")
    said = "" if m.originating == result.qualifies else f" (the BOM said {'' if m.originating else 'not '}originating)"
    return (
        f"line {m.line} ({m.description or dotted(m.hs or '')}), designated intermediate material: {status}{said}, "
        f"determined from its {count} listed input(s) as a good of HS {dotted(m.hs or '')}: {why} "
        "(SOR/2020-155 s. 8(7)(a))"
    )


def resolve_intermediates(bom: BOM, on: dt.date, determine: Determine, depth: int = 0) -> tuple[BOM, list[str]]:
    """`bom` with the origin of each designated intermediate material whose inputs are listed determined from
    them (innermost first, as `determine` recurses), and a note per material."""
    inputs = inputs_of(bom.materials)
    if not inputs:  # nothing to determine from its inputs
        return bom, []
    notes: list[str] = []
    resolved: list[Material] = []
    for m in bom.materials:
        if not (m.self_produced and m.intermediate and m.ref in inputs) or depth >= MAX_DEPTH:
            resolved.append(m)
            continue
        if m.hs is None:
            notes.append(
                f"line {m.line} ({m.description or m.ref}): designated intermediate material without an HS code; "
                "its stated origin is used (give hs to determine it from its inputs)"
            )
            resolved.append(m)
            continue
        result = determine(_sub_bom(bom, m, inputs), on)
        notes.append(_note(m, result, len(inputs[m.ref])))
        resolved.append(replace(m, originating=result.qualifies, non_originating_content=0.0))
    return bom.with_materials(tuple(resolved)), notes


__all__ = ["inputs_of", "resolve_intermediates", "shift_materials"]
