"""Partner codes: Census Schedule C codes, ISO 3166 codes (pycountry), and Census aggregate series."""

from __future__ import annotations

import csv
import functools
import io
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

from nearshore.errors import Problem, SourceFormatError, UnknownCodeError

PartnerKind = Literal["country", "aggregate", "world", "other"]

# ISO alpha-3 codes for Schedule C entries that have no ISO 3166 code (user-assigned range).
_USER_ASSIGNED = {"KV": "XKX", "GZ": "XGZ", "WE": "XWB"}


@dataclass(frozen=True)
class Partner:
    """A trade partner: its id in the store (ISO3 or AGG_xxxx), Census code, name and kind."""

    id: str
    census_code: str
    name: str
    kind: PartnerKind

    def columns(self, name: str | None = None) -> dict[str, str]:
        """The store's four partner columns for this partner (`name` overrides the reference name)."""
        return {
            "partner": self.id,
            "partner_code": self.census_code,
            "partner_name": name or self.name,
            "partner_kind": self.kind,
        }


def _read_package_csv(name: str) -> list[dict[str, str]]:
    text = resources.files("nearshore.data.reference").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@functools.cache
def census_table() -> dict[str, Partner]:
    """Census partner code -> Partner, from the shipped reference tables."""
    table: dict[str, Partner] = {}
    for row in _read_package_csv("census_countries.csv"):
        table[row["census_code"]] = Partner(row["iso3"], row["census_code"], row["name"], "country")
    for row in _read_package_csv("census_historic.csv"):
        kind: PartnerKind = "other" if row["kind"] == "other" else "country"
        table.setdefault(row["census_code"], Partner(row["iso3"], row["census_code"], row["name"], kind))
    for row in _read_package_csv("census_aggregates.csv"):
        agg_kind: PartnerKind = "world" if row["kind"] == "world" else "aggregate"
        table[row["census_code"]] = Partner(row["partner"], row["census_code"], row["name"], agg_kind)
    return table


def census_partner(code: str) -> Partner:
    """The partner for a Census Schedule C code (zero-padded to four digits)."""
    code = code.strip().zfill(4)
    try:
        return census_table()[code]
    except KeyError:
        raise UnknownCodeError(
            f"unknown Census country code {code!r}: not in Schedule C, the historic codes or the aggregates. "
            "Check the code (four digits, e.g. 2010 for Mexico) or add it to census_historic.csv"
        ) from None


@functools.cache
def _by_id() -> dict[str, Partner]:
    out: dict[str, Partner] = {}
    for partner in census_table().values():
        out.setdefault(partner.id, partner)
    return out


@functools.cache
def _iso3_of_iso2() -> dict[str, str]:
    """ISO2 -> ISO3 of the Schedule C countries whose codes ISO 3166 assigns: the pair pycountry gives, as the
    table's ISO3 was derived from it (build_census_countries); the user-assigned codes (KV...) are left out."""
    rows = _read_package_csv("census_countries.csv")
    return {row["iso2"]: row["iso3"] for row in rows if row["iso2"] and row["iso2"] not in _USER_ASSIGNED}


def resolve_partner(text: str) -> Partner:
    """A partner from what a user types: ISO3 ('MEX'), ISO2 ('MX'), Census code ('2010') or a name."""
    raw = text.strip()
    key = raw.upper()
    ids = _by_id()
    if key in ids:
        return ids[key]
    if raw.isdigit():
        return census_partner(raw)
    if len(key) == 2 and _iso3_of_iso2().get(key) in ids:  # what pycountry answers, without importing it
        return ids[_iso3_of_iso2()[key]]
    import pycountry  # imported where used: slow to import, and most commands never need it

    country = None
    if len(key) == 2:
        country = pycountry.countries.get(alpha_2=key)
    if country is None:
        try:
            country = pycountry.countries.lookup(raw)
        except LookupError:
            country = None
    if country is not None and country.alpha_3 in ids:
        return ids[country.alpha_3]
    lowered = raw.lower()
    for partner in ids.values():
        if partner.name.lower() == lowered:
            return partner
    raise UnknownCodeError(
        f"unknown partner {text!r}: use an ISO 3166 code (MEX, MX), a Census code (2010) or a country name",
        value=text,
    )


_SCHEDULE_C_LINE = re.compile(r"^(\d{4})\s*\|(.*)$")


def build_census_countries(schedule_c: Path, out: Path) -> int:
    """Derive census_countries.csv from the Census Schedule C country list (text, pipe-separated).

    Returns the number of codes written. ISO alpha-2 comes from the list, alpha-3 from pycountry.
    """
    import pycountry

    rows: list[tuple[str, str, str, str]] = []
    for lineno, line in enumerate(schedule_c.read_text(encoding="utf-8").splitlines(), start=1):
        match = _SCHEDULE_C_LINE.match(line)
        if not match:
            continue
        code, rest = match.groups()
        name, _, iso2 = rest.rpartition("|")
        iso2 = iso2.strip()
        if len(iso2) > 2:  # the name overflowed its column and overwrote the separator
            name, iso2 = name + "|" + iso2[:-2], iso2[-2:]
        name = name.replace("|", "").strip()
        country = pycountry.countries.get(alpha_2=iso2)
        iso3 = country.alpha_3 if country else _USER_ASSIGNED.get(iso2, "")
        if not iso3:
            raise SourceFormatError(
                Problem(
                    str(schedule_c),
                    lineno,
                    "ISO Code",
                    iso2,
                    "no ISO 3166 alpha-3 code for this alpha-2 code",
                    "add it to nearshore.data.reference.countries._USER_ASSIGNED",
                )
            )
        rows.append((code, name, iso2, iso3))
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["census_code", "name", "iso2", "iso3"])
        writer.writerows(rows)
    return len(rows)
