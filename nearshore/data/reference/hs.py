"""Harmonized System sections (I-XXI) and chapters (01-97), from the shipped WCO nomenclature titles.

`hs_chapter` and `hs_section` accept any HS-based code (chapter, heading, subheading, HTS10, with or without
dots) and use its first two digits. Chapter 77 is reserved in the HS: it resolves, marked `reserved`.
Chapters 98 and 99 are national provisions (e.g. U.S. HTS special classification and temporary
modifications), not HS chapters: they are unknown codes here.
"""

from __future__ import annotations

import csv
import functools
import io
from dataclasses import dataclass
from importlib import resources

from nearshore.errors import UnknownCodeError


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
    digits = code.strip().replace(".", "").replace(" ", "")
    if not digits.isdigit():
        raise UnknownCodeError(
            f"unknown HS code {code!r}: an HS code is digits, e.g. '87', '8703', '8703.23' or '8703230190'"
        )
    if len(digits) % 2:  # a leading zero lost in a spreadsheet: '101' is heading 0101
        digits = "0" + digits
    return digits[:2]


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


__all__ = ["Chapter", "Section", "chapters", "hs_chapter", "hs_section", "sections"]
