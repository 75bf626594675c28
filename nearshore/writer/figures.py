"""Finding the figures in prose: amounts, percents, percentage points, ranks, plain numbers, years, and the
fact citations that follow them (read with citations.py, as the renderers read them). The verifier
(verifier.py) decides whether each figure is supported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from nearshore.writer.citations import CITE, FOOTNOTE, Citation, ids_of

FigureKind = Literal["money", "percent", "pp", "rank", "scaled", "ratio", "number", "year", "worded"]

SCALE_WORDS: dict[str, float] = {
    "trillion": 1e12,
    "tn": 1e12,
    "t": 1e12,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "million": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "thousand": 1e3,
    "k": 1e3,
}
WORD_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
ORDINAL_WORDS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
}
RISE_WORDS = frozenset(
    {
        "rose",
        "risen",
        "rise",
        "rises",
        "rising",
        "grew",
        "grown",
        "grow",
        "grows",
        "growing",
        "increased",
        "increase",
        "increases",
        "up",
        "gained",
        "gain",
        "climbed",
        "jumped",
        "expanded",
        "advanced",
    }
)
FALL_WORDS = frozenset(
    {
        "fell",
        "fallen",
        "fall",
        "falls",
        "falling",
        "declined",
        "decline",
        "declines",
        "decreased",
        "decrease",
        "dropped",
        "drop",
        "down",
        "shrank",
        "shrunk",
        "contracted",
        "slipped",
        "slid",
    }
)
DATE_WORDS = frozenset(
    {
        "in",
        "since",
        "from",
        "to",
        "through",
        "until",
        "till",
        "during",
        "between",
        "and",
        "of",
        "for",
        "before",
        "after",
        "year",
        "years",
        "ending",
        "end",
        "early",
        "late",
        "mid",
        "fiscal",
        "fy",
        "calendar",
        "around",
        "circa",
    }
)
MONTHS = frozenset(
    {
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    }
)
IDENTIFIER_WORDS = frozenset(
    {
        "section",
        "chapter",
        "article",
        "annex",
        "hs",
        "heading",
        "subheading",
        "title",
        "part",
        "rule",
        "item",
        "schedule",
        "appendix",
        "table",
        "figure",
        "chart",
        "footnote",
        "note",
        "page",
        "paragraph",
    }
)

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = r"trillion|billion|million|thousand|tn|bn|mn|[TBMK](?![A-Za-z])"
_ORD = r"second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th)"
_TOKEN = re.compile(
    rf"""
    (?P<cite>{CITE}|{FOOTNOTE})
  | (?P<money>(?:US\$|\$|USD\s?)\s?(?P<mnum>{_NUM})(?:\s?(?P<mscale>{_SCALE}))?)
  | (?P<dollars>(?<![\w.,])(?P<dnum>{_NUM})\s?(?P<dscale>trillion|billion|million|thousand)?\s(?:U\.S\.\s)?
        (?:dollars|USD)\b)
  | (?P<pp>(?<![\w.,])(?P<ppnum>{_NUM})\s?(?:percentage[\s-]points?|pp\b|pts?\b))
  | (?P<pct>(?<![\w.,])(?P<pnum>{_NUM})\s?(?:%|percent\b|per\scent\b|pct\b))
  | (?P<worded>\b(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|three|four
        |five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen
        |fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|hundred)\s(?:percent|per\scent
        |percentage\spoints?|trillion|billion|million)\b)
  | (?P<scaled>(?<![\w.,])(?P<snum>{_NUM})\s(?P<sscale>trillion|billion|million|thousand)\b)
  | (?P<ratio>(?<![\w.,])(?P<rnum>{_NUM})\s?(?:times\b|x(?![\w])))
  | (?P<ym>(?<![\w.,])(?P<ymyear>1[89]\d\d|20\d\d)-(?:0[1-9]|1[0-2])(?![\d-]))
  | (?P<rank>\b(?:(?P<ord>{_ORD})[\s-](?:largest|biggest)|largest|biggest
        |top(?:\s(?P<topn>\d+|two|three|four|five|six|seven|eight|nine|ten)\b)?
        |No\.\s?(?P<no>\d+)|number\s(?P<nw>one|two|three|four|five)
        |ranked\s(?P<rk>first|{_ORD}|\d+))\b)
  | (?P<number>(?<![\w.,])(?<![A-Za-z]-)(?P<nnum>{_NUM})(?![\w]|\.\d))
  | (?P<end>[.!?](?=\s|$))
    """,
    re.VERBOSE | re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z]+")
_ABBREVIATIONS = (
    "U.S",
    "No",
    "e.g",
    "i.e",
    "vs",
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
    "Mr",
    "Ms",
    "Dr",
    "St",
    "approx",
    "Inc",
    "Co",
)


@dataclass(frozen=True)
class ProseFigure:
    """A figure as written in the prose (not analytics' computed `Figure`). `shown` is the number as shown
    (absolute, in `scale` units)."""

    text: str
    kind: FigureKind
    shown: Decimal
    decimals: int
    scale: float
    offset: int
    top: bool = False  # "top five": a rank at most `shown`
    direction: Literal["rise", "fall", ""] = ""
    date_context: bool = False  # a year preceded by a date word ("in 2024")


@dataclass(frozen=True)
class SentenceEnd:
    offset: int


Token = ProseFigure | Citation | SentenceEnd


def _number(text: str) -> tuple[Decimal, int]:
    plain = text.replace(",", "")
    decimals = len(plain.split(".")[1]) if "." in plain else 0
    return Decimal(plain), decimals


def _previous_words(text: str, offset: int, count: int = 2) -> list[str]:
    return [w.lower() for w in _WORD.findall(text[max(0, offset - 40) : offset])][-count:]


def _next_word(text: str, offset: int) -> str:
    match = _WORD.search(text, offset, offset + 20)
    return match.group(0).lower() if match else ""


def _direction(text: str, offset: int) -> Literal["rise", "fall", ""]:
    words = _previous_words(text, offset, 2)
    if words and words[-1] == "by":
        words = words[:-1]
    last = words[-1] if words else ""
    if last in RISE_WORDS:
        return "rise"
    if last in FALL_WORDS:
        return "fall"
    return ""


def _is_abbreviation_end(text: str, offset: int) -> bool:
    return any(text[:offset].endswith(a) for a in _ABBREVIATIONS)


def _rank(m: re.Match[str]) -> tuple[int, bool]:
    if m.group("ord"):
        word = m.group("ord").lower()
        return (ORDINAL_WORDS[word] if word in ORDINAL_WORDS else int(word[:-2])), False
    if m.group("topn"):
        word = m.group("topn").lower()
        return (WORD_NUMBERS[word] if word in WORD_NUMBERS else int(word)), True
    if m.group("no"):
        return int(m.group("no")), False
    if m.group("nw"):
        return WORD_NUMBERS[m.group("nw").lower()], False
    if m.group("rk"):
        word = m.group("rk").lower()
        if word in ORDINAL_WORDS:
            return ORDINAL_WORDS[word], False
        return int(word.rstrip("stndrh")), False
    return 1, False  # largest, biggest, top


def tokens(text: str) -> list[Token]:
    """Figures, citations and sentence ends in `text`, in order."""
    out: list[Token] = []
    for m in _TOKEN.finditer(text):
        start = m.start()
        if m.group("cite"):
            ids = ids_of(m)
            previous = out[-1] if out else None
            if isinstance(previous, Citation) and not text[previous.end : start].strip():
                out[-1] = Citation(previous.ids + ids, previous.offset, m.end())  # one group: [[a]][[b]]
            else:
                out.append(Citation(ids, start, m.end()))
        elif m.group("end"):
            if not (m.group("end") == "." and _is_abbreviation_end(text, start)):
                out.append(SentenceEnd(start))
        else:
            figure = _figure(text, m)
            if figure is not None:
                out.append(figure)
    return out


def _figure(text: str, m: re.Match[str]) -> ProseFigure | None:
    """The figure a match of `_TOKEN` other than a citation or a sentence end stands for."""
    start = m.start()
    if m.group("money") or m.group("dollars"):
        shown, decimals = _number(m.group("mnum") or m.group("dnum"))
        scale = SCALE_WORDS.get((m.group("mscale") or m.group("dscale") or "").lower(), 1.0)
        direction = _direction(text, start)
        return ProseFigure(m.group(0).strip(), "money", shown, decimals, scale, start, direction=direction)
    if m.group("pp"):
        shown, decimals = _number(m.group("ppnum"))
        return ProseFigure(m.group(0), "pp", shown, decimals, 1.0, start, direction=_direction(text, start))
    if m.group("pct"):
        shown, decimals = _number(m.group("pnum"))
        return ProseFigure(m.group(0), "percent", shown, decimals, 1.0, start, direction=_direction(text, start))
    if m.group("scaled"):
        shown, decimals = _number(m.group("snum"))
        scale = SCALE_WORDS[m.group("sscale").lower()]
        return ProseFigure(m.group(0), "scaled", shown, decimals, scale, start, direction=_direction(text, start))
    if m.group("worded"):
        return ProseFigure(m.group(0), "worded", Decimal(0), 0, 1.0, start)
    if m.group("ratio"):
        shown, decimals = _number(m.group("rnum"))
        return ProseFigure(m.group(0), "ratio", shown, decimals, 1.0, start)
    if m.group("ym"):  # a month such as 2025-06: its year is a date
        year = m.group("ymyear")
        return ProseFigure(year, "year", Decimal(year), 0, 1.0, start, date_context=True)
    if m.group("rank"):
        rank, top = _rank(m)
        return ProseFigure(m.group(0), "rank", Decimal(rank), 0, 1.0, start, top=top)
    return _plain_number(text, m) if m.group("number") else None


def _plain_number(text: str, m: re.Match[str]) -> ProseFigure | None:
    raw = m.group("nnum")
    start = m.start()
    before = _previous_words(text, start, 1)
    previous = before[0] if before else ""
    if previous in IDENTIFIER_WORDS:
        return None  # "Section 232", "Chapter 87": identifiers, not figures
    shown, decimals = _number(raw)
    if decimals == 0 and shown <= 31 and (previous in MONTHS or _next_word(text, m.end()) in MONTHS):
        return None  # a day of the month
    if re.fullmatch(r"1[89]\d\d|20\d\d|2100", raw):
        return ProseFigure(raw, "year", shown, 0, 1.0, start, date_context=previous in DATE_WORDS or previous in MONTHS)
    return ProseFigure(raw, "number", shown, decimals, 1.0, start, direction=_direction(text, start))
