"""Chapter rules of GN 11(o) Chapters 61-63 that a product-specific rule cannot express.

Sewing thread (headings 52.04, 54.01, 55.08), narrow elastic fabrics (5806.20, heading 60.02) and coated
fabrics (heading 59.03) must be formed (and finished) in the USMCA territory "notwithstanding" the rule that
the PSR applies only to the component that determines classification; so neither that rule (s. 5(9)) nor
de minimis (s. 5(7), excluded by s. 5(10)) saves a good holding such a non-originating material. Which
chapter carries which rule is read from the chapter notes shipped with the rules
(`nearshore.origin.rules.notes_for`); effective dates in them (2021-2022) are past and not checked.
Pocket-bag fabric rules name no code and stay notes.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from nearshore.data.reference.hs import dotted
from nearshore.origin.bom import Good, Material
from nearshore.origin.result import Test

# (wording that marks the chapter rule, HS prefixes it covers, what the materials are)
_CHECKS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("sewing thread of headings 5204, 5401 or 5508", ("5204", "5401", "5508"), "sewing thread"),
    ("fabrics of subheading 5806.20 or heading 6002", ("580620", "6002"), "narrow elastic fabric"),
    ("fabrics of heading 5903", ("5903",), "coated fabric"),
)


@functools.lru_cache(maxsize=64)
def _chapter_rules(hs6: str) -> tuple[tuple[str, tuple[str, ...], str], ...]:
    """(citation, prefixes, label) of each of those chapter rules that covers the subheading."""
    from nearshore.origin.rules import index

    notes = index.notes_for(hs6)
    found = []
    for wording, prefixes, label in _CHECKS:
        note = next((n for n in notes if wording in " ".join(n.text.split())), None)
        if note is not None:
            found.append((f"HTSUS {note.citation}; SOR/2020-155 s. 5(10)", prefixes, label))
    return tuple(found)


def chapter_rule_tests(good: Good, materials: Sequence[Material]) -> list[Test]:
    """One test per chapter rule whose materials the BOM lists: passes when all of them originate."""
    if not 61 <= int(good.hs[:2]) <= 63:
        return []
    tests = []
    for citation, prefixes, label in _chapter_rules(good.hs[:6]):
        listed = [m for m in materials if m.hs and m.hs.startswith(prefixes) and not (m.indirect or m.packing)]
        if not listed:
            continue
        foreign = [m for m in listed if not m.originating or m.vnm > 0]
        where = ", ".join(f"line {m.line} ({m.description or 'material'}, HS {dotted(m.hs or '')})" for m in foreign)
        tests.append(
            Test(
                f"Chapter rule: {label}",
                citation,
                not foreign,
                inputs=(
                    f"non-originating {label}: {where}; it must be formed in the USMCA territory "
                    "(de minimis does not apply: SOR/2020-155 s. 5(10))"
                    if foreign
                    else f"{len(listed)} {label} material(s), all originating"
                ),
            )
        )
    return tests
