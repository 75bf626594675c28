"""Criterion D: the parts provision and unassembled goods (SOR/2020-155 s. 3(4)-(5); 19 U.S.C. 4531(c)(1)(D);
USMCA Art. 4.2(d)).

Paragraph (a) lets a good that fails its tariff shift only because non-originating materials share its subheading
(or its undivided heading) qualify on an RVC of 60% (TV) / 50% (NC) instead, but only for materials "provided for
as parts under the HTS" (19 U.S.C. 4531(c)(1)(D)(ii)), in a heading or subheading that "provides for a good and
its parts" on the basis of its nomenclature (s. 3(5)(a)). So here:

- the producer declares the material a part (`materials[].part: true`): whether a material is a part of the good
  is a fact of the bill of materials; a finished article bought in is not a part of itself;
- the subheading where good and material are both classified must be one whose text provides for goods and their
  parts: `data/parts_subheadings.csv`, derived by `build_parts_subheadings` from the nomenclature of the USITC HTS
  2025 basic edition (HS 2022 texts at the 6-digit level: "...; parts thereof", "... and parts and accessories
  thereof", "Other, including parts", "...; parts suitable for use therewith").

Paragraph (b) covers a good imported unassembled but classified as assembled (GRI 2(a)). Neither applies to
Chapters 61-63. The decision is explained by a "Parts provision" test.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Sequence
from pathlib import Path

from nearshore.data.reference.hs import dotted, normalise
from nearshore.origin import general
from nearshore.origin.bom import BOM, Good, Material
from nearshore.origin.derived import read_table, write_table
from nearshore.origin.result import AlternativeResult, Test

CITATION_A = "SOR/2020-155 s. 3(4)(a), 3(5)(a); 19 U.S.C. 4531(c)(1)(D)(ii)(I); USMCA Art. 4.2(d)(i)"
CITATION_B = "SOR/2020-155 s. 3(4)(b); 19 U.S.C. 4531(c)(1)(D)(ii)(II); USMCA Art. 4.2(d)(ii)"
# the nomenclature provides for the goods named and their parts
_PARTS = re.compile(
    r"\bparts\b(?: \([^)]*\))?(?: and accessories)? thereof\b|\bparts of (?:such|the foregoing)\b"
    r"|\bincluding parts\b|;\s*parts(?: suitable for use therewith)?\s*:?\s*$",
    re.IGNORECASE,
)
_NOT = re.compile(r"^\s*(?:other\s+)?parts?\b|\b(?:excluding|except) parts\b", re.IGNORECASE)


def provides_for_parts(text: str) -> bool:
    """Whether a subheading's text provides for goods and their parts (not parts alone, not "except parts")."""
    return bool(_PARTS.search(text)) and not _NOT.search(text)


def build_parts_subheadings(hts_csv: Path) -> list[tuple[str, str]]:
    """(hs6, text) of every 6-digit subheading of chapters 01-97 whose own text provides for goods and parts.

    A subheading's text is the first row of its code in the file: its 6-digit row, or its 8-digit line ending
    in 00 when the subheading is not split (an undivided heading, 9503.00.00, carries the heading's text); a
    subheading printed only through split 8-digit lines has no text of its own and is left out."""
    texts: dict[str, str | None] = {}
    with hts_csv.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            digits = row["HTS Number"].replace(".", "")
            if len(digits) < 6 or not digits.isdigit() or not 1 <= int(digits[:2]) <= 97 or digits[:6] in texts:
                continue
            texts[digits[:6]] = row["Description"] if len(digits) == 6 or digits[6:8] == "00" else None
    return [(six, text) for six, text in sorted(texts.items()) if text and provides_for_parts(text)]


def write_parts_subheadings(hts_csv: Path, target: Path) -> None:
    """Rebuild `data/parts_subheadings.csv` from the official HTS file (see data/README.md)."""
    provenance = (
        f"derived by nearshore.origin.parts.build_parts_subheadings from {hts_csv.name} (USITC HTS 2025 basic "
        "edition, HS 2022 nomenclature): subheadings providing for goods and their parts (s. 3(5)(a))"
    )
    write_table(target, provenance, ["hs6", "text"], build_parts_subheadings(hts_csv))


@functools.cache
def parts_subheadings() -> dict[str, str]:
    """hs6 -> its text, for the subheadings that provide for goods and their parts (the committed table)."""
    return {row["hs6"]: row["text"] for row in read_table("parts_subheadings.csv")}


def _same_subheading(material: Material, good: Good) -> bool:
    return material.hs is not None and material.hs[:6] == good.hs[:6]


def _label(m: Material) -> str:
    return f"line {m.line} ({m.description or dotted(m.hs or '')})"


def parts_decision(good: Good, failing: Sequence[Material]) -> Test:
    """Whether materials failing the shift in the good's own subheading fall under the parts provision, and why."""
    six = normalise(good.hs)[:6]
    text = parts_subheadings().get(six)
    where = f"subheading {dotted(six, 'subheading')}"
    undeclared = [m for m in failing if not m.part]
    if undeclared:
        names = ", ".join(_label(m) for m in undeclared)
        return Test(
            "Parts provision",
            CITATION_A,
            False,
            inputs=f"{names} in the good's {where} not declared a part of the good (materials[].part): only "
            "materials provided for as parts of the good count; a finished good bought in does not",
        )
    if text is None:
        return Test(
            "Parts provision",
            CITATION_A,
            False,
            inputs=f"{where} does not provide for both a good and its parts (its nomenclature names no parts, "
            "s. 3(5)(a)): the parts provision does not apply",
        )
    names = ", ".join(_label(m) for m in failing)
    inputs = f"{names} declared a part; {where} ('{text.rstrip(':')}') provides for the good and its parts"
    return Test("Parts provision", CITATION_A, True, inputs=inputs)


def parts_provision(bom: BOM, alternatives: list[AlternativeResult], vnm: float, delta: float) -> list[Test] | None:
    """The criterion D tests of a good that did not qualify otherwise, or None when neither paragraph is in play:
    (a) an alternative failed only on materials of the good's own subheading, (b) the good is unassembled."""
    good = bom.good
    if 61 <= int(good.hs[:2]) <= 63:
        return None
    citation = CITATION_B
    tests: list[Test] = []
    if not good.unassembled:
        by_line = {m.line: m for m in bom.materials}
        own = [
            [by_line[n] for n in sorted(a.failed_lines)]
            for a in alternatives
            if a.failed_lines and all(_same_subheading(by_line[n], good) for n in a.failed_lines)
        ]
        if not own:
            return None
        decision = parts_decision(good, min(own, key=len))
        if not decision.passed:
            return [decision]
        tests.append(decision)
        citation = CITATION_A
    exempt = general.rvc_de_minimis(good, vnm)
    if exempt is not None and exempt.passed:
        return [*tests, exempt]
    thresholds = {k: v + delta for k, v in general.STANDARD_RVC.items()}
    return [*tests, *general.rvc_tests(good, vnm, thresholds, citation)]


__all__ = [
    "build_parts_subheadings",
    "parts_decision",
    "parts_provision",
    "parts_subheadings",
    "provides_for_parts",
    "write_parts_subheadings",
]
