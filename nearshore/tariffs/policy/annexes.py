"""Product lists of the Section 232 metals restructuring of 2 April 2026, from the proclamation's annexes.

The proclamation (effective 2026-04-06) sorts the articles of aluminum, steel and copper into Annex I-A (50% on the
full value), I-B (25%), II (removed from Section 232) and III (a 15% floor including the general rate until
2027-12-31). U.S. note 16(c) to subchapter III of Chapter 99, as inserted by its Annex IV, prints the same codes as
ten lists (c)(i)-(x), one per annex and metal. The annex text (../shared/data/raw/yale_budget_lab_tariff_resources/
s232_metals_annexes_2026_text.txt) prints each annex as sections headed "Steel", "Steel Derivatives", "Aluminum",
"Aluminum Derivatives", "Copper Articles", each a run of code-only lines between description paragraphs; this module
reads those runs. `tests/tariffs/test_annexes.py` checks that the union equals the codes of note 16(c) in the
2026 revision 6 Chapter 99 text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from nearshore.errors import InputError

ANNEX_FILE = "s232_metals_annexes_2026_text.txt"
PROCLAMATION = "Proclamation of 2026-04-02 adjusting imports of aluminum, steel and copper, effective 2026-04-06"

_CODE = r"\d{4}(?:\.\d{2}(?:\.\d{4}|\.\d{2}(?:\.\d{2})?)?)?"
_CODE_LINE = re.compile(rf"^\s*(?:{_CODE}\s+)*{_CODE}\s*$")
_SECTION = re.compile(rf"^(Steel|Aluminum|Copper)( Derivatives?| Articles)?((?:\s+{_CODE})*)\s*$")
_ANNEX = re.compile(r"^Annex (I-A|I-B|II|III|IV)\b")


@dataclass(frozen=True)
class AnnexList:
    """One list of the annexes: its annex, section heading and the subdivision of U.S. note 16(c) it becomes."""

    name: str
    annex: str
    section: str
    subdivision: str
    what: str


ANNEX_LISTS: tuple[AnnexList, ...] = (
    AnnexList("s232_1a_aluminum", "I-A", "Aluminum", "16(c)(i)", "Articles of aluminum, 50% (9903.82.02)"),
    AnnexList("s232_1a_aluminum_deriv", "I-A", "Aluminum Derivatives", "16(c)(ii)", "Derivative aluminum, 50%"),
    AnnexList("s232_1a_steel", "I-A", "Steel", "16(c)(iii)", "Articles of steel, 50% (9903.82.02)"),
    AnnexList("s232_1a_steel_deriv", "I-A", "Steel Derivatives", "16(c)(iv)", "Derivative steel articles, 50%"),
    AnnexList("s232_1a_copper", "I-A", "Copper Articles", "16(c)(v)", "Articles of copper, 50% (9903.82.02)"),
    AnnexList("s232_1b_aluminum_deriv", "I-B", "Aluminum Derivative", "16(c)(vi)", "Derivative aluminum, 25%"),
    AnnexList("s232_1b_steel_deriv", "I-B", "Steel Derivatives", "16(c)(vii)", "Derivative steel articles, 25%"),
    AnnexList("s232_1b_copper", "I-B", "Copper Articles", "16(c)(viii)", "Articles of copper, 25% (9903.82.09)"),
    AnnexList("s232_3_aluminum_deriv", "III", "Aluminum Derivatives", "16(c)(ix)", "Derivative aluminum, 15% floor"),
    AnnexList("s232_3_steel_deriv", "III", "Steel Derivatives", "16(c)(x)", "Derivative steel, 15% floor"),
    AnnexList("s232_2_steel_deriv", "II", "Steel Derivatives", "-", "Removed from Section 232 (Annex II), steel"),
    AnnexList("s232_2_aluminum_deriv", "II", "Aluminum Derivatives", "-", "Removed from Section 232 (Annex II), alu."),
)


def _sections(lines: list[str]) -> dict[tuple[str, str], list[str]]:
    out: dict[tuple[str, str], dict[str, None]] = {}
    annex = section = ""
    for raw in lines:
        line = raw.replace("\f", "").rstrip()
        found = _ANNEX.match(line)
        if found:
            annex, section = found.group(1), ""
            if annex == "IV":  # the HTSUS modifications, not a product annex
                break
            continue
        label = _SECTION.match(line)
        if label and annex:
            section = label.group(1) + (label.group(2) or "")
            codes = re.findall(_CODE, label.group(3) or "")
        elif section and _CODE_LINE.match(line):
            codes = re.findall(_CODE, line)
        else:
            continue
        bucket = out.setdefault((annex, section), {})
        bucket.update((code.replace(".", ""), None) for code in codes)
    return {key: list(codes) for key, codes in out.items()}


def build_annex_lists(path: Path) -> dict[str, list[str]]:
    """Every list in ANNEX_LISTS from the annex text at `path`."""
    if not path.exists():
        raise InputError(
            f"{path}: no such file; the annex text is ../shared/data/raw/yale_budget_lab_tariff_resources/{ANNEX_FILE}"
        )
    sections = _sections(path.read_text(encoding="utf-8", errors="replace").splitlines())
    out: dict[str, list[str]] = {}
    for spec in ANNEX_LISTS:
        codes = sections.get((spec.annex, spec.section))
        if not codes:
            raise InputError(
                f"{path}: Annex {spec.annex} has no '{spec.section}' section with HTS codes; the layout of the "
                "annex text has changed"
            )
        out[spec.name] = codes
    return out


__all__ = ["ANNEX_FILE", "ANNEX_LISTS", "PROCLAMATION", "AnnexList", "build_annex_lists"]
