"""Finding the figures in prose: amounts, percents, percentage points, ranks, plain numbers, years, and the
fact citations that follow them (read with citations.py, as the renderers read them). The verifier
(verifier.py) decides whether each figure is supported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Literal

from nearshore.writer.citations import CITE, FOOTNOTE, Citation, ids_of

FigureKind = Literal["money", "percent", "pp", "rank", "scaled", "ratio", "number", "year", "worded"]
Lead = Literal["from", "to", "against", "up from", "down from", ""]

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
        "climb",
        "jumped",
        "jump",
        "jumps",
        "expanded",
        "advanced",
        "improved",
        "widened",
        "surged",
        "surge",
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
        "lost",
        "loss",
        "losses",
        "eased",
        "dipped",
        "dip",
        "narrowed",
        "worsened",
        "plunged",
        "slump",
        "slumped",
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
# Currency signs and ISO codes written before an amount, and currency words written after it.
CURRENCY_SIGNS: dict[str, str] = {
    "US$": "USD",
    "U.S.$": "USD",
    "$": "USD",
    "C$": "CAD",
    "CA$": "CAD",
    "Can$": "CAD",
    "MX$": "MXN",
    "Mex$": "MXN",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
}
CURRENCY_CODES = frozenset(
    {"USD", "EUR", "MXN", "CAD", "GBP", "JPY", "CNY", "RMB", "CHF", "KRW", "INR", "BRL", "TWD", "VND", "AUD"}
)
CURRENCY_WORDS: dict[str, str] = {
    "dollars": "USD",
    "u.s. dollars": "USD",
    "us dollars": "USD",
    "canadian dollars": "CAD",
    "pesos": "MXN",
    "mexican pesos": "MXN",
    "euros": "EUR",
    "yuan": "CNY",
    "renminbi": "CNY",
    "yen": "JPY",
    "pounds": "GBP",
}
_SIGN = "|".join(re.escape(s) for s in sorted(CURRENCY_SIGNS, key=len, reverse=True))
_CODE = "|".join(sorted(CURRENCY_CODES))
_CURRENCY_WORD = r"(?:(?:U\.S\.|US|Canadian|Mexican)\s)?(?:dollars|pesos|euros|yuan|renminbi|yen|pounds)\b|USD\b"
_ORD = r"second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th)"
_TOKEN = re.compile(
    rf"""
    (?P<cite>{CITE}|{FOOTNOTE})
  | (?P<money>(?P<cur>(?<![A-Za-z]){_SIGN}|\b(?:{_CODE})(?:/(?:{_CODE}))*(?:\s?|(?=\$)))\s?(?P<mnum>{_NUM})
        (?:\s?(?P<mscale>{_SCALE}))?)
  | (?P<dollars>(?<![\w.,])(?P<dnum>{_NUM})\s?(?P<dscale>trillion|billion|million|thousand)?\s
        (?P<curword>{_CURRENCY_WORD}))
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
_CITATIONS = re.compile(f"{CITE}|{FOOTNOTE}")
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
    direction: Literal["rise", "fall", ""] = ""  # a direction word written just before it ("rose", "a gain of")
    date_context: bool = False  # a year preceded by a date word ("in 2024")
    direction_at: int = -1  # where that direction word is
    lead: Lead = ""  # the word(s) that introduce it as one end of a change: "from 15.4%", "to 15.6%", "up from"
    lead_at: int = -1  # where the lead starts
    currency: str = ""  # the currency an amount is written in ('USD' for '$', 'EUR' for '€' or 'EUR')


@dataclass(frozen=True)
class SentenceEnd:
    offset: int


Token = ProseFigure | Citation | SentenceEnd


def _number(text: str) -> tuple[Decimal, int]:
    plain = text.replace(",", "")
    decimals = len(plain.split(".")[1]) if "." in plain else 0
    return Decimal(plain), decimals


def _previous_words(text: str, offset: int, count: int = 2) -> list[str]:
    return [w for _, w in words_before(text, offset, count)]


def words_before(text: str, offset: int, count: int) -> list[tuple[int, str]]:
    """The last `count` words before `offset` (lowercase), with their offsets."""
    start = max(0, offset - 60)
    return [(start + m.start(), m.group(0).lower()) for m in _WORD.finditer(text[start:offset])][-count:]


def _next_word(text: str, offset: int) -> str:
    match = _WORD.search(text, offset, offset + 20)
    return match.group(0).lower() if match else ""


# Words that may stand between a direction word and its figure: 'rose by nearly 5%', 'a gain of 0.2 points'.
_FILLERS = frozenset({"by", "of", "nearly", "almost", "about", "roughly", "some", "just", "another", "a", "an"})


def direction_of_word(word: str) -> Literal["rise", "fall", ""]:
    return "rise" if word in RISE_WORDS else "fall" if word in FALL_WORDS else ""


def _direction(text: str, offset: int) -> tuple[Literal["rise", "fall", ""], int]:
    """The direction word just before a figure ('rose 3%', 'up 3%', 'a gain of 3 points') and its offset."""
    words = words_before(text, offset, 4)
    while words and words[-1][1] in _FILLERS:
        words.pop()
    if not words:
        return "", -1
    at, last = words[-1]
    direction = direction_of_word(last)
    return direction, at if direction else -1


def _lead(text: str, offset: int) -> tuple[Lead, int]:
    """How the figure is introduced as one end of a change: 'from', 'to', 'against', 'up from', 'down from'."""
    words = words_before(text, offset, 3)
    while words and words[-1][1] in ("the", "a", "its", "their", "nearly", "about", "roughly", "just"):
        words.pop()
    if not words or words[-1][1] not in ("from", "to", "against"):
        return "", -1
    at, word = words[-1]
    if word == "from" and len(words) > 1 and words[-2][1] in ("up", "down"):
        return ("up from" if words[-2][1] == "up" else "down from"), words[-2][0]
    return word, at  # type: ignore[return-value]  # one of the three words checked above


def direction_words(text: str) -> list[tuple[int, Literal["rise", "fall"]]]:
    """Every rise or fall word in `text` with its offset (the verifier decides which a figure binds)."""
    out: list[tuple[int, Literal["rise", "fall"]]] = []
    for m in _WORD.finditer(text):
        direction = direction_of_word(m.group(0).lower())
        if direction:
            out.append((m.start(), direction))
    return out


def blank_citations(text: str) -> str:
    """`text` with every citation replaced by spaces (offsets kept), so ids are not read as words."""
    return _CITATIONS.sub(lambda m: " " * len(m.group(0)), text)


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
    plain = blank_citations(text)
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
            figure = _figure(plain, m)
            if figure is not None:
                lead, lead_at = _lead(plain, m.start())
                out.append(replace(figure, lead=lead, lead_at=lead_at) if lead else figure)
    return out


def _figure(text: str, m: re.Match[str]) -> ProseFigure | None:
    """The figure a match of `_TOKEN` other than a citation or a sentence end stands for."""
    start = m.start()
    direction, at = _direction(text, start)
    if m.group("money") or m.group("dollars"):
        shown, decimals = _number(m.group("mnum") or m.group("dnum"))
        scale = SCALE_WORDS.get((m.group("mscale") or m.group("dscale") or "").lower(), 1.0)
        return ProseFigure(
            m.group(0).strip(),
            "money",
            shown,
            decimals,
            scale,
            start,
            direction=direction,
            direction_at=at,
            currency=_currency(m),
        )
    if m.group("pp"):
        shown, decimals = _number(m.group("ppnum"))
        return ProseFigure(m.group(0), "pp", shown, decimals, 1.0, start, direction=direction, direction_at=at)
    if m.group("pct"):
        shown, decimals = _number(m.group("pnum"))
        return ProseFigure(m.group(0), "percent", shown, decimals, 1.0, start, direction=direction, direction_at=at)
    if m.group("scaled"):
        shown, decimals = _number(m.group("snum"))
        scale = SCALE_WORDS[m.group("sscale").lower()]
        return ProseFigure(m.group(0), "scaled", shown, decimals, scale, start, direction=direction, direction_at=at)
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
    direction, at = _direction(text, start)
    if decimals == 0 and shown <= 31 and (previous in MONTHS or _next_word(text, m.end()) in MONTHS):
        return None  # a day of the month
    if re.fullmatch(r"1[89]\d\d|20\d\d|2100", raw):
        return ProseFigure(raw, "year", shown, 0, 1.0, start, date_context=previous in DATE_WORDS or previous in MONTHS)
    return ProseFigure(raw, "number", shown, decimals, 1.0, start, direction=direction, direction_at=at)


def _currency(m: re.Match[str]) -> str:
    """The currency an amount is written in: its sign or code before, or its word after ('USD' by default)."""
    sign = (m.group("cur") or "").strip()
    if sign:
        return CURRENCY_SIGNS.get(sign) or CURRENCY_SIGNS.get(sign.upper()) or sign.upper()
    word = " ".join((m.group("curword") or "dollars").lower().split())
    return CURRENCY_WORDS.get(word, "USD" if word == "usd" else word.upper())
