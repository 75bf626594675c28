"""HS codes: the one place that normalises, validates and formats them, and the HS sections and chapters.

Codes are digit strings: chapter 2 digits, heading 4, subheading 6, tariff item 8 (HTS subheading), statistical
line 10 (HTS statistical suffix). Input may carry dots, spaces or hyphens (`8708.29.50`, `8708 29`, `8708-29`);
a code of digits only with an odd number of them lost its leading zero in a spreadsheet (`101` is heading
0101). Codes print as the HTSUS and General Note 11 print them: `87`, `8708`, `8708.29`, `8708.29.50`,
`8708.29.50.10` (`dotted`), or as digits (`undotted`).

`hs_chapter` and `hs_section` accept any HS-based code and use its first two digits. Chapter 77 is reserved in
the HS: it resolves, marked `reserved`. Chapters 98 and 99 are national provisions (e.g. U.S. HTS special
classification and temporary modifications), not HS chapters: they are unknown codes here.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from dataclasses import dataclass
from importlib import resources
from typing import Literal, get_args

from nearshore.errors import InvalidHSCode, UnknownCodeError

Level = Literal["chapter", "heading", "subheading", "tariff_item", "statistical"]
LEVELS: tuple[Level, ...] = get_args(Level)
LEVEL_DIGITS: dict[Level, int] = {"chapter": 2, "heading": 4, "subheading": 6, "tariff_item": 8, "statistical": 10}
_SEPARATORS = re.compile(r"[.\s-]")
_EXAMPLE = "dots allowed (e.g. 8708.29 or 870829)"


def normalise(code: str) -> str:
    """The digits of an HS code: '8708.29.50' -> '87082950', '101' -> '0101'; InvalidHSCode when not a code."""
    text = str(code).strip()
    digits = _SEPARATORS.sub("", text)
    if not digits.isdigit() or not 1 <= len(digits) <= 10:
        raise InvalidHSCode(f"invalid HS code {code!r}: expected 2 to 10 digits, {_EXAMPLE}", value=code)
    if len(digits) % 2:
        if digits != text:  # '8708.2': a lost trailing zero ('8708.20') or a lost leading one: ambiguous
            raise InvalidHSCode(
                f"invalid HS code {code!r}: an odd number of digits; write every pair, e.g. 8708.20 or 0101.21",
                value=code,
            )
        digits = "0" + digits  # a leading zero lost in a spreadsheet
    return digits


def is_valid(code: str) -> bool:
    """True when `normalise` accepts the code."""
    try:
        normalise(code)
    except InvalidHSCode:
        return False
    return True


def level_of(code: str) -> Level:
    """The level a code is written at: 2 digits chapter, 4 heading, 6 subheading, 8 tariff item, 10 statistical."""
    size = len(normalise(code))
    return next(level for level, digits in LEVEL_DIGITS.items() if digits >= size)


def at_level(code: str, level: Level) -> str:
    """The digits of the code's chapter, heading, subheading, ... ('870829', 'heading' -> '8708')."""
    digits = normalise(code)
    size = LEVEL_DIGITS[level]
    if len(digits) < size:
        raise InvalidHSCode(
            f"HS code {code!r} has no {level.replace('_', ' ')}: give at least {size} digits", value=code
        )
    return digits[:size]


def undotted(code: str, level: Level | None = None) -> str:
    """The code as digits, at `level` when given: '8708.29.50' -> '87082950'."""
    return normalise(code) if level is None else at_level(code, level)


def dotted(code: str, level: Level | None = None) -> str:
    """The code as printed: '87', '8708', '8708.29', '8708.29.50', '8708.29.50.10' (at `level` when given)."""
    digits = undotted(code, level)
    return ".".join([digits[:4], *(digits[i : i + 2] for i in range(4, len(digits), 2))])


@dataclass(frozen=True)
class Section:
    """An HS section: number 1-21, Roman numeral, abridged title and its chapter range."""

    number: int
    roman: str
    title: str
    first_chapter: str
    last_chapter: str

    @property
    def chapters(self) -> tuple[str, ...]:
        return tuple(f"{n:02d}" for n in range(int(self.first_chapter), int(self.last_chapter) + 1))


@dataclass(frozen=True)
class Chapter:
    """An HS chapter: two-digit code, abridged title, and the number of its section."""

    code: str
    title: str
    section: int
    reserved: bool = False


def _read(name: str) -> list[dict[str, str]]:
    text = resources.files("nearshore.data.reference").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@functools.cache
def _sections() -> dict[int, Section]:
    return {
        int(row["section"]): Section(
            int(row["section"]), row["roman"], row["title"], row["first_chapter"], row["last_chapter"]
        )
        for row in _read("hs_sections.csv")
    }


@functools.cache
def _chapters() -> dict[str, Chapter]:
    return {
        row["chapter"]: Chapter(
            row["chapter"], row["title"], int(row["section"]), reserved=row["title"].startswith("(Reserved")
        )
        for row in _read("hs_chapters.csv")
    }


def sections() -> tuple[Section, ...]:
    """The 21 HS sections in order."""
    return tuple(_sections()[n] for n in sorted(_sections()))


def chapters() -> tuple[Chapter, ...]:
    """The 97 HS chapters in order (77 is reserved)."""
    return tuple(_chapters()[c] for c in sorted(_chapters()))


def _chapter_code(code: str) -> str:
    try:
        return normalise(code)[:2]
    except InvalidHSCode:
        raise UnknownCodeError(
            f"unknown HS code {code!r}: an HS code is digits, e.g. '87', '8703', '8703.23' or '8703230190'",
            value=code,
        ) from None


def hs_chapter(code: str) -> Chapter:
    """The chapter of an HS-based code ('87', '8703', '8703.23.01', '0101210010')."""
    chapter = _chapter_code(code)
    try:
        return _chapters()[chapter]
    except KeyError:
        hint = (
            "chapters 98-99 are national provisions, not HS chapters"
            if chapter in ("98", "99")
            else "HS chapters run from 01 to 97"
        )
        raise UnknownCodeError(f"unknown HS chapter {chapter!r} (from code {code!r}): {hint}") from None


def hs_section(code: str | int) -> Section:
    """The section of an HS-based code, or a section given by number (int) or Roman numeral ('XVI')."""
    if isinstance(code, int):
        if code in _sections():
            return _sections()[code]
        raise UnknownCodeError(f"unknown HS section number {code}: sections run from 1 to 21")
    text = code.strip().upper()
    if text and not text.replace(".", "").isdigit():
        for section in _sections().values():
            if section.roman == text:
                return section
        raise UnknownCodeError(
            f"unknown HS section or code {code!r}: give a Roman numeral I-XXI or an HS code such as '8703'"
        )
    return _sections()[hs_chapter(text).section]


__all__ = [
    "LEVELS",
    "LEVEL_DIGITS",
    "Chapter",
    "Level",
    "Section",
    "at_level",
    "chapters",
    "dotted",
    "hs_chapter",
    "hs_section",
    "is_valid",
    "level_of",
    "normalise",
    "sections",
    "undotted",
]
