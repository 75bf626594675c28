"""The checks of an entry line's fields before anything is rated, shared by the one-entry engine (duty.py) and the
entry files (entries.py): the origin (a country, not the United States), the HTS code's form, the unit of
quantity, and the amounts (finite, below AMOUNT_LIMIT, contents within the customs value), each with the fix.
"""

from __future__ import annotations

import math
import re

from nearshore.data.reference.countries import Partner, resolve_partner
from nearshore.errors import PolicyCoverageError, UnknownCodeError
from nearshore.tariffs.policy import Policy

_UNIT_ALIASES = {
    "kg": "kg",
    "kgs": "kg",
    "kilogram": "kg",
    "kilograms": "kg",
    "no.": "each",
    "no": "each",
    "each": "each",
    "pcs": "each",
    "liter": "liter",
    "liters": "liter",
    "l": "liter",
    "t": "t",
    "doz.": "doz.",
    "doz": "doz.",
    "pr.": "pr.",
    "prs.": "pr.",
    "pairs": "pr.",
}


def resolve_origin(text: str, policy: Policy) -> Partner:
    """The country of origin `text` names; errors are located at the entry's `origin` field."""
    problem = origin_problem(text)
    if problem:
        raise UnknownCodeError(f"origin {text[:40]!r} {problem}: {ORIGIN_FIX}", field="origin", value=text)
    try:
        partner = resolve_partner(text)
    except UnknownCodeError as exc:
        raise exc.locate(field="origin", value=text) from None
    if partner.kind != "country":
        raise PolicyCoverageError(
            f"origin {text!r} ({partner.name}) is a group, not a country; the tariff policy "
            f"{policy.version} rates countries of origin: give an ISO code such as MX, CN or VN",
            field="origin",
            value=text,
        )
    return partner


def import_origin(text: str, policy: Policy) -> Partner:
    """`resolve_origin` for an import: not the United States, whose goods are no import."""
    partner = resolve_origin(text, policy)
    if partner.id == "USA":
        raise PolicyCoverageError(
            f"origin {text!r} is the United States: the duty engine rates imported goods, and goods of U.S. "
            "origin returned without having been advanced in value or improved abroad enter under HTS "
            "9801.00.10 (free); give the country where the goods were produced (tariff compare takes US as the "
            "domestic baseline)",
            field="origin",
            value=text,
        )
    return partner


# An origin as a person writes it: letters (of any script), digits, spaces and the punctuation of country names
# ("Cote d'Ivoire", "Korea, South", "Bosnia-Herzegovina"); not symbols such as a flag emoji.
_ORIGIN = re.compile(r"[^\W_](?:[\w .,'()&-]*[^\W_])?\.?")
# An HTS code: digits, with dots, spaces or hyphens between them ("8708.99.81", "8708 99 81", "8708-99-81").
_HTS = re.compile(r"[0-9](?:[0-9. -]*[0-9])?")


ORIGIN_FIX = "write an ISO code such as MX, MEX or CN, or a country name in letters"
HTS_FIX = "write 8 or 10 digits, with or without dots (e.g. 8708.99.81)"


def origin_problem(text: str) -> str | None:
    """Why `text` cannot be a country of origin (a symbol such as a flag, an empty cell), or None."""
    if not isinstance(text, str) or len(text) > 80 or not _ORIGIN.fullmatch(text.strip()):
        return "is not a country name or code"
    return None


def hts_problem(text: str) -> str | None:
    """Why `text` cannot be an HTS code (a sign, letters, symbols), or None; the schedule checks the digits."""
    if not isinstance(text, str) or len(text) > 40 or not _HTS.fullmatch(text.strip()):
        return "is not an HTS code"
    return None


def unit_key(text: str) -> str:
    """A unit of quantity as rates and entries are compared: 'Kgs' -> 'kg', 'No.' -> 'each'."""
    return _UNIT_ALIASES.get(text.strip().lower(), text.strip().lower())


def amount_text(amount: float) -> str:
    """An amount in a message: 20000, 12.5, -1 (no trailing zeros, no exponent; nan and inf as such)."""
    if not math.isfinite(amount) or abs(amount) >= AMOUNT_LIMIT:
        return f"{amount:g}"
    return f"{amount:.2f}".rstrip("0").rstrip(".")


AMOUNT_LABELS = {
    "value": "customs value",
    "quantity": "quantity",
    "metal_value": "metal value",
    "us_content": "U.S. content",
}


# No customs value, quantity or content of one entry line comes near this; a larger one is a typo.
AMOUNT_LIMIT = 1e15


def amount_problems(
    value: float, quantity: float | None, metal_value: float | None, us_content: float | None
) -> list[tuple[str, float, str, str]]:
    """What is wrong with an entry's amounts: (field, amount, what, fix) for each; [] when they are sound.

    Every amount is a finite number below AMOUNT_LIMIT; the metal content and the U.S. content are parts of
    the customs value, so neither may exceed it.
    """
    out: list[tuple[str, float, str, str]] = []
    amounts = (("value", value), ("quantity", quantity), ("metal_value", metal_value), ("us_content", us_content))
    for name, amount in amounts:
        if amount is not None and not (math.isfinite(amount) and abs(amount) < AMOUNT_LIMIT):
            what = "is not a number" if math.isnan(amount) else f"is not a finite amount below {AMOUNT_LIMIT:,.0f}"
            out.append((name, amount, what, f"give the {AMOUNT_LABELS[name]} as a plain number, e.g. 10000"))
    if out:
        return out
    if value < 0:
        out.append(("value", value, "is negative", "give the entered value in U.S. dollars"))
    if quantity is not None and quantity < 0:
        out.append(("quantity", quantity, "is negative", "give the quantity entered (zero or more)"))
    for name, amount, what in (
        ("metal_value", metal_value, "the steel, aluminium or copper content"),
        ("us_content", us_content, "the U.S. content"),
    ):
        if amount is None:
            continue
        if amount < 0:
            out.append((name, amount, "is negative", f"give the value of {what} in U.S. dollars"))
        elif amount > value >= 0:
            out.append(
                (
                    name,
                    amount,
                    f"is more than the customs value {amount_text(value)}",
                    f"{what} is part of the customs value: give at most {amount_text(value)}",
                )
            )
    return out


__all__ = [
    "AMOUNT_LABELS",
    "AMOUNT_LIMIT",
    "HTS_FIX",
    "ORIGIN_FIX",
    "amount_problems",
    "amount_text",
    "hts_problem",
    "import_origin",
    "origin_problem",
    "resolve_origin",
    "unit_key",
]
