"""Partner codes of the Census International Trade API (`CTY_CODE`), shared by the `census-hs2` file source
and the `census-api` fetch client.

Partners are Census Schedule C codes (four digits from 1000). Besides them the API answers group rows: `-`
(total for all countries), numbered groupings `0003`-`0028` and continent totals written with a literal X
(`1XXX` North America ... `7XXX` Africa). The numbered groupings are not those of the FT-900 `country.xlsx`
above `0017`: there `0021`/`0022` are USMCA-claimed imports, in the API the Twenty Latin American Republics and
the OECD. So only the world total and the groupings that mean the same in both (EU, Pacific Rim, CAFTA-DR) are
stored, under the store's ids (`WLD`, `AGG_0003` ...); the others are checked where their members are fixed and
never stored under a code that means something else in the store.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from nearshore.data.reference.countries import Partner, census_partner
from nearshore.data.sources.base import digits
from nearshore.errors import UnknownCodeError

WORLD: Final = Partner("WLD", "-", "Total for all countries", "world")
# API groupings (the names the API gives in CTY_NAME), from the 2023-2024 answers of intltrade/imports/hs.
GROUPS: Final = {
    "0003": "EUROPEAN UNION",
    "0014": "PACIFIC RIM COUNTRIES",
    "0017": "CAFTA-DR",
    "0020": "USMCA (NAFTA)",
    "0021": "TWENTY LATIN AMERICAN REPUBLICS",
    "0022": "OECD",
    "0023": "NATO",
    "0024": "LAFTA",
    "0025": "EURO AREA",
    "0026": "APEC",
    "0027": "ASEAN",
    "0028": "CACM",
    "1XXX": "NORTH AMERICA",
    "2XXX": "CENTRAL AMERICA",
    "3XXX": "SOUTH AMERICA",
    "4XXX": "EUROPE",
    "5XXX": "ASIA",
    "6XXX": "AUSTRALIA AND OCEANIA",
    "7XXX": "AFRICA",
}
# Groupings that are the same series in the FT-900 country file, stored under its AGG_ ids.
STORED_GROUPS: Final = frozenset({"0003", "0014", "0017"})
# Census counts Mexico (Schedule C 2010, in the 2xxx block) in North America.
_CONTINENT_EXCEPTIONS: Final = {"2010": "1XXX"}
USMCA_MEMBERS: Final = frozenset({"1220", "2010"})


def is_partner(code: str) -> bool:
    """A Schedule C partner code (four digits from 1000), as opposed to a grouping."""
    return len(code) == 4 and digits(code) and code >= "1000"


def api_partner(code: str) -> Partner | None:
    """The store partner for an API `CTY_CODE`; None for a grouping that is not stored.

    Raises UnknownCodeError for a code that is neither a Schedule C country nor an API grouping.
    """
    code = code.strip()
    if code == "-":
        return WORLD
    if code in GROUPS:
        return census_partner(code) if code in STORED_GROUPS else None
    if not is_partner(code):
        raise UnknownCodeError(
            f"unknown Census API country code {code!r}: not a Schedule C partner code (four digits from 1000), "
            "'-' (all countries) or an API grouping"
        )
    return census_partner(code)


def members(group: str, countries: Iterable[str]) -> set[str] | None:
    """The country codes a group row totals, among `countries`; None when its membership is not fixed
    (EU, OECD ... change over time and are not checked)."""
    if group == "-":
        return set(countries)
    if group == "0020":
        return set(countries) & USMCA_MEMBERS
    if group.endswith("XXX"):
        return {c for c in countries if _CONTINENT_EXCEPTIONS.get(c, c[0] + "XXX") == group}
    return None


__all__ = ["GROUPS", "STORED_GROUPS", "USMCA_MEMBERS", "WORLD", "api_partner", "is_partner", "members"]
