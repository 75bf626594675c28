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
from pathlib import Path

from nearshore.errors import InputError

PRODUCTS_DIR = Path(__file__).parent / "products"

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
        "ieepa_annex2",
        2,
        "a",
        "IEEPA reciprocal exemptions, EO 14257 Annex II as amended (heading 9903.01.32)",
        anchor="(a) As provided for in heading 9903.01.32",
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


def build_product_lists(path: Path) -> dict[str, list[str]]:
    """Every list in LISTS, from the Chapter 99 text at `path`."""
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
    return out


def write_product_lists(lists: dict[str, list[str]], source: Path, directory: Path = PRODUCTS_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    specs = {s.name: s for s in LISTS}
    for name, codes in lists.items():
        spec = specs[name]
        target = directory / f"{name}.csv"
        header = (
            f"# {spec.what}: HTS codes (prefixes) in U.S. note {spec.note}({spec.subdivision}) to "
            f"subchapter III of HTSUS chapter 99\n# source: {source.name}\n"
            "# built by nearshore.tariffs.policy.derive.build_product_lists\nhts\n"
        )
        target.write_text(header + "\n".join(codes) + "\n", encoding="utf-8")
        written.append(target)
    return written


def read_product_list(name: str, directory: Path = PRODUCTS_DIR) -> list[str]:
    path = directory / f"{name}.csv"
    lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()]
    return [ln for ln in lines if ln and not ln.startswith("#") and ln != "hts"]


__all__ = ["LISTS", "PRODUCTS_DIR", "ListSpec", "build_product_lists", "read_product_list", "write_product_lists"]
