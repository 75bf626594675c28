"""Reading HS code lists as the legal text writes them.

"headings 5106 through 5113, 5204 through 5212, 5311, chapter 54 or headings 5508 through 5516",
"fabric of man-made fibers of subheading 5903.10", "heading 87.08", "tariff items 8540.12.10 or
8540.12.50". Bare numbers take their level from their digits (2 chapter, 4 heading, 6 subheading,
8 tariff item); a number after "chapter" is a chapter even when printed with one digit.
"""

from __future__ import annotations

import re

from nearshore.errors import CodeListError
from nearshore.origin.rules.model import CodeRange

LEVEL_WORD = r"(?:chapters?|headings?|subheadings?|tariff\s+items?|items?)"
CODE = r"\d{1,2}(?:\.?\d{2}){0,4}(?![\d.]\d)"
ITEM = re.compile(
    rf"(?:(?P<word>{LEVEL_WORD})\s+)?(?P<start>{CODE})(?:\s*(?:through|to|-|–)\s*(?P<end>{CODE}))?",
    re.IGNORECASE,
)
SEPARATOR = re.compile(r"^(?:[\s,;]|\bor\b|\band\b|\binclusive\b)*$", re.IGNORECASE)
LEVEL_START = re.compile(rf"\b{LEVEL_WORD}\s+\d|(?<=\bof )(?=\d{{4}}\.\d{{2}}\b)", re.IGNORECASE)


def _digits(code: str, word: str) -> str:
    digits = code.replace(".", "")
    if word.lower().startswith("chapter") and len(digits) == 1:
        digits = "0" + digits
    if len(digits) % 2 or not 2 <= len(digits) <= 10:
        raise CodeListError(f"unreadable code {code!r}")
    if len(digits) == 2 and not word.lower().startswith("chapter"):
        raise CodeListError(f"a two-digit number {code!r} outside a list of chapters")
    return digits


def parse_code_list(text: str, *, allow_descriptions: bool = True) -> tuple[CodeRange, ...]:
    """All codes and ranges of a list; text between codes ending in 'of' describes the next code.

    Raises CodeListError when some text is neither a code, a separator nor (when allowed) a
    description, or when no code is found.
    """
    ranges: list[CodeRange] = []
    position = 0
    word = ""
    for match in ITEM.finditer(text):
        gap = text[position : match.start()]
        description = None
        if not SEPARATOR.match(gap):
            if not allow_descriptions:
                raise CodeListError(f"unexpected text {gap.strip()!r} in code list {text.strip()!r}")
            stripped = re.sub(r"^(?:[\s,;]|\bor\b|\band\b)+", "", gap)
            description = re.sub(r"\s+(?:of|in)\s*$", "", stripped).strip(" ,") or None
        if match.group("word"):
            word = match.group("word")
        start = _digits(match.group("start"), word)
        end = _digits(match.group("end"), word) if match.group("end") else start
        if len(end) != len(start) or end < start:
            raise CodeListError(f"unreadable range {match.group(0)!r} in {text.strip()!r}")
        ranges.append(CodeRange(start, end, description))
        position = match.end()
    tail = text[position:]
    if not ranges:
        raise CodeListError(f"no HS code found in {text.strip()!r}")
    if not SEPARATOR.match(tail):
        raise CodeListError(f"unexpected text {tail.strip()!r} after the codes in {text.strip()!r}")
    return tuple(ranges)


def _candidates(text: str) -> list[tuple[str | None, tuple[CodeRange, ...]]]:
    """Every reading of `text` as goods + codes: pure code tails first, then codes with words after."""
    pure: list[tuple[str | None, tuple[CodeRange, ...]]] = []
    trailing: list[tuple[str | None, tuple[CodeRange, ...]]] = []
    for match in LEVEL_START.finditer(text):
        tail = text[match.start() :]
        head = re.sub(r"\s*\b(?:of|in)$", "", text[: match.start()].strip()).strip(" ,")
        try:
            pure.append((head or None, parse_code_list(tail, allow_descriptions=False)))
            continue
        except CodeListError:
            pass
        try:
            ranges, rest = leading_codes(tail)
        except CodeListError:
            continue
        if ranges:
            description = " ".join(part for part in (head, "...", rest.strip(" ,")) if part)
            trailing.append((description, ranges))
    return pure + trailing


def split_described_codes(text: str, chapter: str | None = None) -> tuple[str | None, tuple[CodeRange, ...]]:
    """'mounted brake linings of subheading 8708.30' -> ('mounted brake linings', (8708.30,)), also when words
    follow the codes: 'hides or skins of heading 4101 which have undergone a tanning ... process' ->
    ('hides or skins ... which have undergone a tanning ... process', (4101,)).

    What comes before the codes (less a trailing 'of') describes the goods. With `chapter`, a reading whose
    codes lie in that chapter is preferred ('hoses of subheading 4009.12, of a kind for use in a motor vehicle
    of heading 8711' -> 4009.12 in chapter 40).
    """
    return _choose(text, _candidates(text), chapter)


def _choose(
    text: str, candidates: list[tuple[str | None, tuple[CodeRange, ...]]], chapter: str | None
) -> tuple[str | None, tuple[CodeRange, ...]]:
    if not candidates:
        raise CodeListError(f"no list of HS codes found in {text.strip()!r}")
    if chapter:
        for description, ranges in candidates:
            if all(r.start.startswith(chapter) for r in ranges):
                return description, ranges
    return candidates[0]


def leading_codes(text: str) -> tuple[tuple[CodeRange, ...], str]:
    """The codes at the start of `text` (joined by separators only) and the text after them."""
    ranges: list[CodeRange] = []
    position = 0
    word = ""
    for match in ITEM.finditer(text):
        if not SEPARATOR.match(text[position : match.start()]):
            break
        if match.group("word"):
            word = match.group("word")
        start = _digits(match.group("start"), word)
        end = _digits(match.group("end"), word) if match.group("end") else start
        ranges.append(CodeRange(start, end))
        position = match.end()
    return tuple(ranges), text[position:]
