"""Build the policy's product lists from the official text of HTSUS Chapter 99 (U.S. notes to subchapter III).

The lists in `products/*.csv` are made by `build_product_lists(path)` from the Chapter 99 text (2026 revision 6,
../shared/data/raw/yale_budget_lab_tariff_resources/chapter99_2026_rev_6.txt.gz, extracted from the USITC PDF).
Each list is the HTS codes printed as a code-only list inside one subdivision of one note: for instance the
Section 232 auto parts are the codes in U.S. note 33(g) to subchapter III. Run it again with
`nearshore tariff policy build PATH`; a test re-derives the lists and compares them with the committed files.
"""

from __future__ import annotations

import gzip
import re
import string
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from nearshore.errors import InputError

PRODUCTS_DIR = Path(__file__).parent / "products"

_PAGE_HEAD = "U.S. Notes (con.)"  # a page's running head, sometimes printed on the first line of a list
_CODE_LINE = re.compile(r"^\s*(?:\d{4}(?:\.\d{2}(?:\.?\d{2,4})?)?\s+)*\d{4}(?:\.\d{2}(?:\.?\d{2,4})?)?\s*$")
_CODE = re.compile(r"\d{4}(?:\.\d{2}(?:\.?\d{2,4})?)?")
_NUMBERED_LINE = re.compile(r"^\s*\(\d+\)\s+(\d{4}\.\d{2}(?:\.\d{2,4})?)\s*$")
_PROSE_CODE = re.compile(r"(?<![\d.])(\d{4}\.\d{2}(?:\.\d{2,4})?)(?![\d.]\d)")


@dataclass(frozen=True)
class ListSpec:
    """Where one product list is printed: note and subdivision of subchapter III of Chapter 99."""

    name: str
    note: int
    subdivision: str
    what: str
    anchor: str = ""  # a phrase on the subdivision's first line (nested or mislabelled subdivisions)
    prose: bool = False  # also take codes named in the text ("statistical reporting number 6307.90.9870")
    until: str = ""  # a phrase on the first line after the subdivision, where the next label is misprinted


LISTS: tuple[ListSpec, ...] = (
    ListSpec("s232_autos", 33, "b", "Section 232 passenger vehicles and light trucks (heading 9903.94.01)"),
    ListSpec("s232_auto_parts", 33, "g", "Section 232 auto parts (heading 9903.94.05)"),
    ListSpec("s301_list1", 20, "b", "Section 301 China list 1 (heading 9903.88.01, 25%)"),
    ListSpec("s301_list2", 20, "d", "Section 301 China list 2 (heading 9903.88.02, 25%)"),
    ListSpec("s301_list3", 20, "f", "Section 301 China list 3 (heading 9903.88.03, 25%)"),
    ListSpec("s301_list4a", 20, "s", "Section 301 China list 4A (heading 9903.88.15, 7.5%)"),
    ListSpec("s232_softwood", 37, "b", "Section 232 softwood timber and lumber (heading 9903.76.01, 10%)"),
    ListSpec("s232_upholstered", 37, "d", "Section 232 upholstered wooden furniture (heading 9903.76.02, 25%)"),
    ListSpec("s232_cabinets", 37, "f", "Section 232 kitchen cabinets and vanities (heading 9903.76.03, 25%)"),
    ListSpec("s232_mhd_vehicles", 38, "b", "Section 232 medium- and heavy-duty vehicles (heading 9903.74.01, 25%)"),
    ListSpec("s232_buses", 38, "c", "Section 232 buses (heading 9903.74.02, 10%)"),
    ListSpec(
        "s301_2024_b",
        31,
        "b",
        "Section 301 four-year review, 25% from 2024-09-27 (heading 9903.91.01)",
        anchor="(b) Heading 9903.91.01 applies",
    ),
    ListSpec(
        "s301_2024_c",
        31,
        "c",
        "Section 301 four-year review, 50% from 2024-09-27 (heading 9903.91.02)",
        anchor="(c) Heading 9903.91.02 applies",
    ),
    ListSpec(
        "s301_2024_d",
        31,
        "d",
        "Section 301 four-year review, 100% from 2024-09-27 (heading 9903.91.03)",
        anchor="(d) Heading 9903.91.03 applies",
    ),
    ListSpec(
        "s301_2024_e",
        31,
        "e",
        "Section 301 four-year review, 25% in 2025 (heading 9903.91.04)",
        anchor="(e) Heading 9903.91.04 applies",
        prose=True,
        until="Heading 9903.91.05 applies",
    ),
    ListSpec(
        "s301_2024_f",
        31,
        "f",
        "Section 301 four-year review, 50% from 2025-01-01 (heading 9903.91.05)",
        anchor="Heading 9903.91.05 applies",
    ),
    ListSpec(
        "s301_2024_g",
        31,
        "g",
        "Section 301 four-year review, 25% from 2026-01-01 (heading 9903.91.06)",
        anchor="(g) Heading 9903.91.06 applies",
    ),
    ListSpec(
        "s301_2024_h",
        31,
        "h",
        "Section 301 four-year review, 50% from 2026-01-01 (heading 9903.91.07)",
        anchor="(h) Heading 9903.91.07 applies",
        prose=True,
    ),
    ListSpec(
        "s301_2024_i",
        31,
        "i",
        "Section 301 four-year review, 100% from 2026-01-01 (heading 9903.91.08)",
        anchor="(i) Heading 9903.91.08 applies",
        prose=True,
    ),
    ListSpec(
        "ieepa_annex2_all",
        2,
        "a",
        "IEEPA reciprocal exemptions, EO 14257 Annex II as amended, as printed in 2026 (heading 9903.01.32)",
        anchor="(a) As provided for in heading 9903.01.32",
    ),
    ListSpec(
        "brazil_annex_all",
        2,
        "a",
        "Brazil order exemptions, EO 14323 Annex I as amended, as printed in 2026 (heading 9903.01.81)",
        anchor="(a) As provided in heading 9903.01.81",
        until="(b) As provided in heading 9903.01.90",
    ),
    ListSpec(
        "s122_annex",
        2,
        "aa)(ii",
        "Section 122 product exemptions (heading 9903.03.03)",
        anchor="(ii) As provided in heading 9903.03.03",
        until="(iii) As provided in heading 9903.03.04",
    ),
    ListSpec(
        "s122_particular",
        2,
        "aa)(iii",
        "Section 122 exemption of particular articles, by the subheading each is classified in (heading 9903.03.04)",
        anchor="(iii) As provided in heading 9903.03.04",
        prose=True,
        until="(iv) As provided in heading 9903.03.05",
    ),
    ListSpec(
        "s122_civil_aircraft",
        2,
        "aa)(iv",
        "Section 122 exemption of civil aircraft articles meeting general note 6 (heading 9903.03.05)",
        anchor="(iv) As provided in heading 9903.03.05",
        until="(v) As provided in heading 9903.03.06",
    ),
)


def _next_label(label: str) -> str:
    """'g' -> 'h', 'z' -> 'aa', 'zz' -> 'aaa' (the note's subdivision sequence)."""
    letters = string.ascii_lowercase
    if label[-1] != "z":
        return letters[letters.index(label[0]) + 1] * len(label)
    return "a" * (len(label) + 1)


def read_text(path: Path) -> list[str]:
    if not path.exists():
        raise InputError(
            f"{path}: no such file; the Chapter 99 text is in "
            "../shared/data/raw/yale_budget_lab_tariff_resources/chapter99_2026_rev_6.txt.gz"
        )
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", errors="replace") as handle:
        return handle.read().splitlines()


def subchapter(lines: list[str], number: str, file: Path | str = "the Chapter 99 text") -> list[str]:
    start = next((i for i, ln in enumerate(lines) if ln.strip() == f"SUBCHAPTER {number}"), None)
    if start is None:
        raise InputError(
            f"{file}: no 'SUBCHAPTER {number}' line, so it is not the HTSUS Chapter 99 text; give "
            "../shared/data/raw/yale_budget_lab_tariff_resources/chapter99_2026_rev_6.txt.gz"
        )
    end = next((i for i in range(start + 1, len(lines)) if lines[i].strip().startswith("SUBCHAPTER ")), len(lines))
    return lines[start:end]


def subdivision_lines(lines: list[str], note: int, label: str) -> list[str]:
    """The lines of subdivision `label` of U.S. note `note` (lines start at column 0 in the text)."""
    # a note starts "33. (a) ..." or "37." alone on its line
    start_note = next((i for i, ln in enumerate(lines) if re.match(rf"^{note}\.(\s+\(a\)|\s*$)", ln)), None)
    if start_note is None:
        raise InputError(f"U.S. note {note} not found in the Chapter 99 text")
    end_note = next(
        (i for i in range(start_note + 1, len(lines)) if re.match(r"^\d+\.(\s+(\(a\)|\[)|\s*$)", lines[i])), len(lines)
    )
    block = lines[start_note:end_note]

    def is_label(line: str, name: str) -> bool:  # subdivision labels sit at the margin (at most 8 spaces in)
        return line.lstrip().startswith(f"({name}) ") and len(line) - len(line.lstrip()) <= 8

    if label == "a":
        start = 0
    else:
        start = next((i for i, ln in enumerate(block) if is_label(ln, label)), -1)
        if start < 0:
            raise InputError(f"U.S. note {note}({label}) not found in the Chapter 99 text")
    nxt = _next_label(label)
    end = next((i for i in range(start + 1, len(block)) if is_label(block[i], nxt)), len(block))
    return block[start:end]


def anchored_lines(lines: list[str], anchor: str, label: str, until: str = "") -> list[str]:
    """From the line holding `anchor` to the next subdivision label after `label` (any indentation), or to the
    line holding `until`."""
    start = next((i for i, ln in enumerate(lines) if anchor in ln), None)
    if start is None:
        raise InputError(f"{anchor!r} not found in the Chapter 99 text")
    nxt = f"({_next_label(label)}) "
    end = next(
        (
            i
            for i in range(start + 1, len(lines))
            if (until and until in lines[i]) or (not until and lines[i].lstrip().startswith(nxt))
        ),
        len(lines),
    )
    return lines[start:end]


def codes_in(lines: list[str], prose: bool = False) -> list[str]:
    """HTS codes (digits only) printed in code-only or numbered lines ("(1) 8702.40.31"), in order, once each;
    with `prose`, also every product code the text names ("statistical reporting number 6307.90.9870")."""
    found: dict[str, None] = {}
    for line in lines:
        line = line.replace("\f", "").removeprefix(_PAGE_HEAD)
        if _CODE_LINE.match(line):
            for code in _CODE.findall(line):
                found[code.replace(".", "")] = None
        numbered = _NUMBERED_LINE.match(line)
        if numbered:
            found[numbered.group(1).replace(".", "")] = None
    if prose:  # every product code the text names (Chapter 99 headings are references, not products)
        for code in _PROSE_CODE.findall(" ".join(line.strip() for line in lines)):
            if not code.startswith("99"):
                found[code.replace(".", "")] = None
    return list(found)


# Products added to an exemption list on 2025-11-13 (EO 14360 for Annex II; the Brazil order of 2025-11-20): the
# Chapter 99 text prints the lists as amended, undated, so each list is split into the part in force from the
# order's start and the part added on 2025-11-13. The dates come from the Budget Lab's country order file (rows
# "EO modifying scope (Nov 20 2025) Annex II", 2025-11-13), whose 236 codes inside Annex II lie in the chapters
# EO 14360 names (02, 07-12, 15, 16, 18-22, 31) and number one less than its 237 classifications.
_RAW = "../shared/data/raw/yale_budget_lab_tariff_resources"
DATED_FILE = "country_eo_exempt_products.csv"
ADDED = date(2025, 11, 13)
SPLITS = {"ieepa_annex2": "ieepa_annex2_all", "brazil_annex": "brazil_annex_all"}


def added_on(path: Path, on: date = ADDED) -> list[str]:
    """HS8 codes the Budget Lab's country order file dates `on` (EO additions), in file order."""
    if not path.exists():
        raise InputError(
            f"{path}: no such file; it is ../shared/data/raw/yale_budget_lab_tariff_resources/{DATED_FILE}"
        )
    rows = [ln.split(",") for ln in path.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    codes = (r[1].replace(".", "") for r in rows[1:] if len(r) > 2 and r[2] == on.isoformat())
    return list(dict.fromkeys(c for c in codes if not c.startswith("99")))


# The 2025 Section 232 derivative lists outside chapters 72, 73 and 76 (U.S. notes 16 and 19 as amended in 2025,
# incl. the inclusions of 90 FR 40326, effective 2025-08-18) are no longer printed in the 2026 Chapter 99 text (note
# 16 was replaced on 2026-04-06): they come from the Budget Lab's curated file, by metal and effective date.
DERIVATIVES_FILE = "s232_derivative_products.csv"
# Undated rows are kept only for the headings of the 2020 derivative lists in force before 2025 (9903.85.04, .07);
# the undated 9903.85.08 rows have no effective date in any shared source and are not modelled.
DERIVATIVE_LISTS = {
    "s232_alu_deriv_2025_03": ("aluminum", ""),
    "s232_alu_deriv_2025_08": ("aluminum", "2025-08-18"),
    "s232_steel_deriv_2025_08": ("steel", "2025-08-18"),
}


def derivative_lists(path: Path) -> dict[str, list[str]]:
    """The 2025 derivative lists (DERIVATIVE_LISTS) from the Budget Lab's curated file at `path`."""
    if not path.exists():
        raise InputError(
            f"{path}: no such file; it is ../shared/data/raw/yale_budget_lab_tariff_resources/{DERIVATIVES_FILE}"
        )
    rows = [ln.split(",") for ln in path.read_text(encoding="utf-8").splitlines()[1:] if ln]
    out: dict[str, list[str]] = {}
    for name, (metal, start) in DERIVATIVE_LISTS.items():
        codes = (
            r[0]
            for r in rows
            if r[2] == metal
            and r[3] == start
            and not r[0].startswith(("72", "73", "76"))
            and (start or r[1] in ("9903.85.04", "9903.85.07"))
        )
        out[name] = list(dict.fromkeys(codes))
    return out


def build_product_lists(path: Path) -> dict[str, list[str]]:
    """Every list in LISTS from the Chapter 99 text at `path`, split by date, and the April 2026 annex lists
    from the annex text in the same folder."""
    from nearshore.tariffs.policy.annexes import ANNEX_FILE, build_annex_lists

    sub3 = subchapter(read_text(path), "III", path)
    out: dict[str, list[str]] = {}
    for spec in LISTS:
        if spec.anchor:
            codes = codes_in(anchored_lines(sub3, spec.anchor, spec.subdivision, spec.until), spec.prose)
        else:
            codes = codes_in(subdivision_lines(sub3, spec.note, spec.subdivision), spec.prose)
        if not codes:
            raise InputError(
                f"U.S. note {spec.note}({spec.subdivision}) of subchapter III lists no HTS codes in "
                f"{path}; the layout of the text has changed"
            )
        out[spec.name] = codes
    added = set(added_on(path.parent / DATED_FILE))
    for name, whole in SPLITS.items():
        codes = out.pop(whole)
        out[name] = [c for c in codes if c not in added]
        out[f"{name}_2025_11"] = [c for c in codes if c in added]
    out.update(build_annex_lists(path.parent / ANNEX_FILE))
    out.update(derivative_lists(path.parent / DERIVATIVES_FILE))
    return out


def _header(name: str, source: Path) -> str:
    from nearshore.tariffs.policy.annexes import ANNEX_FILE, ANNEX_LISTS, PROCLAMATION

    specs = {s.name: s for s in LISTS}
    annexes = {a.name: a for a in ANNEX_LISTS}
    base = name.removesuffix("_2025_11")
    if name in DERIVATIVE_LISTS:
        metal, start = DERIVATIVE_LISTS[name]
        when = f"effective {start}" if start else "undated, headings 9903.85.04/.07 (applied from 2025-03-12)"
        where = f"Section 232 {metal} derivatives outside chapters 72, 73 and 76, {when}"
        where += " (secondary source: the 2026 text no longer prints these lists)"
        files = DERIVATIVES_FILE
    elif name in annexes:
        a = annexes[name]
        where = f"{a.what}: Annex {a.annex} '{a.section}' of the {PROCLAMATION} (U.S. note {a.subdivision})"
        files = ANNEX_FILE
    else:
        spec = specs[SPLITS.get(base, name)]
        where = f"{spec.what}: HTS codes (prefixes) in U.S. note {spec.note}({spec.subdivision}) to subchapter III"
        where += " of HTSUS chapter 99"
        files = source.name
        if base in SPLITS:
            part = "added on 2025-11-13" if name != base else "in force from the order's start"
            where += f", the part {part} (dates: {DATED_FILE})"
            files += f", {DATED_FILE}"
    return f"# {where}\n# source: {files}\n# built by nearshore.tariffs.policy.derive.build_product_lists\nhts\n"


def write_product_lists(lists: dict[str, list[str]], source: Path, directory: Path = PRODUCTS_DIR) -> list[Path]:
    """Write each list with a provenance header; with the BEA metal shares beside `source`, the metal table too."""
    from nearshore.tariffs.policy.metal import BEA_FILE, write_metal_shares

    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, codes in lists.items():
        target = directory / f"{name}.csv"
        target.write_text(_header(name, source) + "\n".join(codes) + "\n", encoding="utf-8")
        written.append(target)
    if (source.parent / BEA_FILE).exists():
        written.append(write_metal_shares(source.parent / BEA_FILE, lists))
    return written


def read_product_list(name: str, directory: Path = PRODUCTS_DIR) -> list[str]:
    path = directory / f"{name}.csv"
    lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()]
    return [ln for ln in lines if ln and not ln.startswith("#") and ln != "hts"]


__all__ = [
    "ADDED",
    "LISTS",
    "PRODUCTS_DIR",
    "ListSpec",
    "added_on",
    "build_product_lists",
    "read_product_list",
    "write_product_lists",
]
