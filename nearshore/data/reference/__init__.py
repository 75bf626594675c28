"""Reference codes: partners (Census Schedule C, ISO 3166 via pycountry, Census aggregates), HS sections/chapters."""

from __future__ import annotations

from nearshore.data.reference.countries import (
    Partner,
    build_census_countries,
    census_partner,
    resolve_partner,
)
from nearshore.data.reference.hs import Chapter, Section, chapters, hs_chapter, hs_section, sections
from nearshore.data.reference.m49 import Area, comtrade_area, m49_area

__all__ = [
    "Area",
    "Chapter",
    "Partner",
    "Section",
    "build_census_countries",
    "census_partner",
    "chapters",
    "comtrade_area",
    "hs_chapter",
    "hs_section",
    "m49_area",
    "resolve_partner",
    "sections",
]
