"""Subscriber input, checked at the boundary: addresses (email-validator), names, topics and frequencies.

Anything that may reach a mail header is refused when it holds CR, LF or another control character, and a
name is refused when it holds markup characters: nothing a subscriber types can add a header or a tag.
"""

from __future__ import annotations

import re
from typing import Final, Literal, get_args

from nearshore.errors import AddressError

Frequency = Literal["daily", "weekly", "monthly"]
FREQUENCIES: Final[tuple[str, ...]] = get_args(Frequency)
FREQUENCY_DAYS: Final = {"daily": 1, "weekly": 7, "monthly": 28}
TOPICS: Final = ("us-mexico", "us-canada", "north-america")  # the brief's topics (nearshore.writer.compose)
MAX_NAME = 100
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
_MARKUP = re.compile(r"[<>\"`]|&#?\w+;|(?i:javascript:)")
_FORMULA = ("=", "+", "-", "@")  # a spreadsheet would run these from an exported CSV


def no_control(value: str, field: str) -> str:
    """`value` unchanged, or AddressError if it holds CR, LF or another control character."""
    found = _CONTROL.search(value)
    if found:
        raise AddressError(
            f"{field} contains a control character ({found.group()!r}, e.g. a line break), which could add a mail "
            f"header; remove it (value {value!r})",
            field=field,
            value=value,
        )
    return value


def normalise_email(value: str, field: str = "email") -> str:
    """The address in its normal form (lower-cased, IDNA domain as ASCII), or AddressError saying why not.

    Local parts are lower-cased too: no mail provider in use treats Reader@ and reader@ as two mailboxes,
    and merging them is what keeps one reader from being subscribed twice."""
    from email_validator import EmailNotValidError, validate_email

    text = no_control(str(value), field).strip()
    if not text:
        raise AddressError(f"{field} is empty; give an address such as reader@example.org", field=field, value="")
    try:
        valid = validate_email(text, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as exc:
        raise AddressError(f"{field} {text!r} is not a valid e-mail address: {exc}", field=field, value=text) from None
    return (valid.ascii_email or valid.normalized).lower()


def clean_name(value: str | None, field: str = "name") -> str:
    """A display name: plain text, at most 100 characters, no control or markup characters."""
    text = no_control(value or "", field).strip()
    if len(text) > MAX_NAME:
        raise AddressError(f"{field} is longer than {MAX_NAME} characters", field=field, value=text[:40] + "...")
    found = _MARKUP.search(text)
    if found or text.startswith(_FORMULA):
        bad = found.group() if found else text[0]
        raise AddressError(
            f"{field} contains {bad!r}: names are plain text, without markup, quotes or a leading =, +, - or @ "
            f"(value {text!r})",
            field=field,
            value=text,
        )
    return text


def check_topics(values: str | list[str] | tuple[str, ...], field: str = "topic") -> tuple[str, ...]:
    """Topics from a list or a comma/space separated text, each one of TOPICS; at least one."""
    items = values.replace(";", ",").replace(" ", ",").split(",") if isinstance(values, str) else list(values)
    topics = tuple(dict.fromkeys(t.strip().lower() for t in items if t and t.strip()))
    bad = [t for t in topics if t not in TOPICS]
    if bad or not topics:
        shown = bad[0] if bad else ""
        raise AddressError(
            f"{field} {shown!r} is not a newsletter topic; choose from: {', '.join(TOPICS)}",
            field=field,
            value=shown,
        )
    return topics


def check_frequency(value: str, field: str = "frequency") -> Frequency:
    text = (value or "").strip().lower()
    for frequency in FREQUENCIES:
        if text == frequency:
            return frequency  # type: ignore[return-value]  # one of FREQUENCIES
    raise AddressError(
        f"{field} {value!r} is not a frequency; choose from: {', '.join(FREQUENCIES)}", field=field, value=value
    )


__all__ = [
    "FREQUENCIES",
    "FREQUENCY_DAYS",
    "TOPICS",
    "Frequency",
    "check_frequency",
    "check_topics",
    "clean_name",
    "no_control",
    "normalise_email",
]
