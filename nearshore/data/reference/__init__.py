"""Reference codes: partners (Census Schedule C, ISO 3166 via pycountry, Census aggregates), HS sections/chapters."""

from __future__ import annotations

from nearshore.data.reference.countries import (
    Partner,
    build_census_countries,
    census_partner,
    resolve_partner,
)

__all__ = ["Partner", "build_census_countries", "census_partner", "resolve_partner"]
