"""UN M49 numeric area codes (as used by UN Comtrade) -> store partner ids.

Countries resolve through pycountry's ISO 3166 numeric codes. Comtrade also uses codes that ISO does not
(its own codes for some countries, former areas, groups and the "n.e.s." residuals); those are listed in
`M49_SPECIAL`. Residuals such as 490 "Other Asia, nes" (Comtrade's code for Taiwan-reported partners) get the
id `X<code>` and kind 'other', like the Census residual codes; groups get kind 'aggregate'; 0 is the World.
The other direction, a country to the code Comtrade wants in a request, is `comtrade_area` (`COMTRADE_CODE`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from nearshore.data.reference.countries import PartnerKind
from nearshore.errors import UnknownCodeError


@dataclass(frozen=True)
class Area:
    """An M49 area: its code as the source writes it, its store id (ISO3, WLD or X<code>), name and kind."""

    code: str
    id: str
    name: str
    kind: PartnerKind

    def columns(self) -> dict[str, str]:
        """The store's four partner columns for this area."""
        return {"partner": self.id, "partner_code": self.code, "partner_name": self.name, "partner_kind": self.kind}


# code -> (id, name, kind). Comtrade-specific codes that differ from ISO 3166 numeric.
M49_SPECIAL: dict[int, tuple[str, str, PartnerKind]] = {
    0: ("WLD", "World", "world"),
    58: ("X58", "Belgium-Luxembourg", "aggregate"),
    97: ("X97", "European Union", "aggregate"),
    251: ("FRA", "France", "country"),
    280: ("DEU", "Germany (Federal Republic, before 1991)", "country"),
    381: ("ITA", "Italy", "country"),
    473: ("X473", "LAIA, nes", "other"),
    490: ("X490", "Other Asia, nes", "other"),
    492: ("X492", "Europe EU, nes", "other"),
    527: ("X527", "Oceania, nes", "other"),
    536: ("X536", "Neutral Zone", "other"),
    568: ("X568", "Other Europe, nes", "other"),
    577: ("X577", "Other Africa, nes", "other"),
    579: ("NOR", "Norway", "country"),
    590: ("PAN", "Panama", "country"),
    636: ("X636", "Rest of America, nes", "other"),
    637: ("X637", "North America and Central America, nes", "other"),
    697: ("X697", "Europe EFTA, nes", "other"),
    699: ("IND", "India", "country"),
    711: ("X711", "Southern African Customs Union", "aggregate"),
    757: ("CHE", "Switzerland", "country"),
    837: ("X837", "Bunkers", "other"),
    838: ("X838", "Free Zones", "other"),
    839: ("X839", "Special Categories", "other"),
    841: ("USA", "United States of America (before 1981)", "country"),
    842: ("USA", "United States of America", "country"),
    849: ("X849", "US Miscellaneous Pacific Islands", "other"),
    879: ("X879", "Western Asia, nes", "other"),
    899: ("X899", "Areas, nes", "other"),
}


# ISO3 -> the code Comtrade uses today for the country, where it differs from ISO 3166 numeric
# (each is in M49_SPECIAL; e.g. the USA is 842, including Puerto Rico and the U.S. Virgin Islands, not 840).
COMTRADE_CODE: dict[str, int] = {"USA": 842, "FRA": 251, "CHE": 757, "IND": 699, "NOR": 579}


@functools.cache
def m49_area(code: str | int) -> Area:
    """The area for an M49 / Comtrade numeric code ('842', 842, '076')."""
    import pycountry  # imported where used: slow to import, and most commands never need it

    text = str(code).strip()
    if text.endswith(".0"):
        text = text[:-2]
    if not text.isdigit():
        raise UnknownCodeError(f"unknown M49 area code {code!r}: M49 codes are numbers, e.g. 842 for the USA")
    number = int(text)
    if number in M49_SPECIAL:
        ident, name, kind = M49_SPECIAL[number]
        return Area(str(number), ident, name, kind)
    country = pycountry.countries.get(numeric=f"{number:03d}")
    if country is not None:
        name = getattr(country, "common_name", None) or country.name
        return Area(str(number), country.alpha_3, name, "country")
    historic = pycountry.historic_countries.get(numeric=f"{number:03d}")
    if historic is not None:
        return Area(str(number), historic.alpha_3, historic.name, "country")
    raise UnknownCodeError(
        f"unknown M49 area code {number}: not an ISO 3166 numeric code nor a known Comtrade special code. "
        "Check the code, or add it to nearshore.data.reference.m49.M49_SPECIAL"
    )


def comtrade_area(text: str) -> Area:
    """The area Comtrade knows by an ISO3/ISO2 code, a name or a Comtrade code ('MEX', 'us', 'Mexico', '484').

    'WLD'/'World'/'0' is the World. Raises UnknownCodeError for what is none of these.
    """
    import pycountry

    raw = text.strip()
    if raw.upper() in ("WLD", "WORLD"):
        return m49_area(0)
    if raw.isdigit():
        return m49_area(raw)
    try:
        country = pycountry.countries.lookup(raw)
    except LookupError:
        raise UnknownCodeError(f"unknown country {text!r}: not an ISO 3166 code or name") from None
    iso3 = str(country.alpha_3)
    return m49_area(COMTRADE_CODE.get(iso3, int(country.numeric)))


__all__ = ["COMTRADE_CODE", "M49_SPECIAL", "Area", "comtrade_area", "m49_area"]
