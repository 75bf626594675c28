"""The proviso of SOR/2020-155 s. 8(6) on nested intermediate materials.

A producer may designate any self-produced material as an intermediate material, "provided that, if an
intermediate material is subject to a regional value content requirement, no other self-produced material that
is subject to a regional value content requirement and is incorporated into that intermediate material is also
designated". The BOM shows the nesting with `ref` and `within` (a nested line is documentation of the structure:
its value is inside the material it is incorporated into, so it is out of the VNM and the shift test) and marks
materials whose own rule has an RVC with `rvc_required`.
"""

from __future__ import annotations

from collections.abc import Sequence

from nearshore.origin.bom import Material
from nearshore.origin.result import Test

CITATION = "SOR/2020-155 s. 8(6)"


def _inside(material: Material, refs: dict[str, Material]) -> list[Material]:
    """The materials `material` is incorporated into, nearest first (the chain of `within`)."""
    chain: list[Material] = []
    seen = {material.ref} if material.ref else set()
    current = material
    while current.within and current.within in refs and current.within not in seen:
        seen.add(current.within)
        current = refs[current.within]
        chain.append(current)
    return chain


def nesting_test(materials: Sequence[Material]) -> Test | None:
    """A failing test for each designation the s. 8(6) proviso forbids; None when the BOM shows no nesting."""
    if not any(m.within for m in materials):
        return None
    refs = {m.ref: m for m in materials if m.ref}
    conflicts = []
    for inner in materials:
        if not (inner.self_produced and inner.intermediate and inner.rvc_required):
            continue
        for outer in _inside(inner, refs):
            if outer.self_produced and outer.intermediate and outer.rvc_required:
                conflicts.append(
                    f"line {inner.line} ({inner.description or inner.ref}) is designated inside designated "
                    f"line {outer.line} ({outer.description or outer.ref}); both are subject to an RVC"
                )
    if conflicts:
        return Test(
            "Intermediate material designations",
            CITATION,
            False,
            inputs="; ".join(conflicts) + ": undesignate one of each pair",
        )
    return Test(
        "Intermediate material designations",
        CITATION,
        True,
        inputs="no designated intermediate material subject to an RVC holds another such designation",
    )
