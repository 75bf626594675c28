"""Trade partners as prose names them: every country of the Census partner list by its short name ('Germany'
for 'Germany (Federal Republic of Germany)'), a few other spellings, and the adjectives of the partners a brief
is most often about ('Mexican' -> Mexico). The United States is the reporter, never a partner, so it is not
here. The verifier reads the partners a sentence names with `partners_in`; a fact's subject is derived from its
label the same way.
"""

from __future__ import annotations

import functools
import re

# Other spellings and adjectives, each -> the short name of the partner it names.
_ALIASES = {
    "Mexican": "Mexico",
    "Canadian": "Canada",
    "Chinese": "China",
    "Japanese": "Japan",
    "German": "Germany",
    "Korea": "South Korea",
    "Korean": "South Korea",
    "Vietnamese": "Vietnam",
    "Viet Nam": "Vietnam",
    "Taiwanese": "Taiwan",
    "Indian": "India",
    "Brazilian": "Brazil",
    "Myanmar": "Burma",
    "Britain": "United Kingdom",
    "British": "United Kingdom",
    "UK": "United Kingdom",
    "Irish": "Ireland",
    "Italian": "Italy",
    "French": "France",
    "Swiss": "Switzerland",
    "Thai": "Thailand",
    "Malaysian": "Malaysia",
}
_NOT_PARTNERS = frozenset({"USA"})  # the reporter


def short_name(name: str) -> str:
    """'Germany (Federal Republic of Germany)' -> 'Germany'; 'Denmark, except Greenland' -> 'Denmark'."""
    return re.split(r"\s\(|,\s", name, maxsplit=1)[0].strip()


@functools.cache
def lexicon() -> dict[str, str]:
    """Written form -> partner short name, for every country partner (and the aliases above)."""
    from nearshore.data.reference.countries import census_table

    names = {
        short_name(p.name): short_name(p.name)
        for p in census_table().values()
        if p.kind == "country" and p.id not in _NOT_PARTNERS and p.name
    }
    names.update(_ALIASES)
    return names


@functools.cache
def _pattern() -> re.Pattern[str]:
    forms = sorted(lexicon(), key=len, reverse=True)  # the longest first: 'Papua New Guinea' before 'Guinea'
    # a currency ('Canadian dollars', 'Mexican pesos') names no partner
    names = "|".join(re.escape(f) for f in forms)
    return re.compile(rf"(?<![\w-])(?:{names})(?:'s)?(?![\w-])(?!\s+(?:dollars?|pesos?)\b)")


def partners_in(text: str) -> list[tuple[int, str]]:
    """(offset, partner short name) of every partner `text` names ('Mexico', "Mexico's", 'Mexican')."""
    found = []
    for match in _pattern().finditer(text):
        written = match.group(0).removesuffix("'s")
        found.append((match.start(), lexicon()[written]))
    return found


@functools.lru_cache(maxsize=4096)
def names_of(text: str) -> tuple[str, ...]:
    """The partners `text` names, each once, in order: 'trade with Canada and Mexico' -> ('Canada', 'Mexico')."""
    return tuple(dict.fromkeys(name for _, name in partners_in(text)))


__all__ = ["lexicon", "names_of", "partners_in", "short_name"]
