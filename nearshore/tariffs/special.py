"""The special rate column: groups of "rate (programme codes)".

"Free (A+,AU,B,S,SG) 2.5% (JO) See 9823.04.01-9823.04.54 (S+)" -> three groups. The programme codes are
the General Note 3(c)(i) symbols: S and S+ are USMCA, A/A+/A* GSP, AU Australia, KR Korea, and so on.
Parentheses that do not hold programme codes ("(see U.S. note 3 of this subchapter)") stay in the rate text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nearshore.tariffs.rates import Rate, RateParseError, _clean, parse_rate

USMCA_PROGRAMS = ("S", "S+")

_GROUP = re.compile(r"\(([^()]*)\)")
_CODE = re.compile(r"^[A-Z]{1,2}[+*]?$")
_STRAY = re.compile(r"\(\s*([A-Z]{1,2}[+*]?)\s*$")


@dataclass(frozen=True)
class SpecialRate:
    """One group of the special column: a rate and the programmes it applies to."""

    rate: Rate
    programs: tuple[str, ...]


def _codes(inner: str) -> tuple[str, ...] | None:
    """Programme codes in a parenthesised list, or None when it is not a list of codes."""
    tokens = [t.strip().lstrip(".") for t in re.split(r"[,\s]+", inner)]
    tokens = [t for t in tokens if t]
    if tokens and all(_CODE.match(t) for t in tokens):
        return tuple(tokens)
    return None


def parse_special(text: str) -> tuple[SpecialRate, ...]:
    """All groups of a special-column text; '' gives no groups. Raises RateParseError on unreadable text."""
    cleaned = _clean(text)
    if not cleaned:
        return ()
    groups: list[SpecialRate] = []
    start = 0
    for match in _GROUP.finditer(cleaned):
        codes = _codes(match.group(1))
        if codes is None:
            continue
        rate_text = cleaned[start : match.start()].strip()
        stray = _STRAY.search(rate_text)
        if stray:
            codes = (stray.group(1), *codes)
            rate_text = rate_text[: stray.start()].strip()
        start = match.end()
        if not rate_text:
            if groups:  # "(B,C) (E)": a second list for the previous rate
                previous = groups.pop()
                groups.append(SpecialRate(previous.rate, previous.programs + codes))
                continue
            raise RateParseError(f"special rate {cleaned!r}: programmes {codes} have no rate before them")
        groups.append(SpecialRate(parse_rate(rate_text), tuple(dict.fromkeys(codes))))
    rest = cleaned[start:].strip()
    if rest:
        # A rate with no programme list applies to no programme; keep it visible with an empty list.
        groups.append(SpecialRate(parse_rate(rest), ()))
    return tuple(groups)


def program_rate(groups: tuple[SpecialRate, ...], program: str) -> Rate | None:
    """The rate a programme gets on this line, or None when the programme is not listed."""
    for group in groups:
        if program in group.programs:
            return group.rate
    return None


__all__ = ["USMCA_PROGRAMS", "SpecialRate", "parse_special", "program_rate"]
