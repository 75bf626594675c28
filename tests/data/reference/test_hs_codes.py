"""One HS-code module: each case on which the five former normalisers and formatters disagreed has one answer.

Before: origin/hs.py `dotted`, origin/rules/model.py `format_hs`/`normalize_hs`, tariffs/schedule.py
`digits`/`display_code`, data/reference/hs.py `_chapter_code`, and slicing in cli/origin.py. The old answers are
in the comments; the pinned one follows the HTSUS and General Note 11 (headings undotted, pairs after the
subheading dot).
"""

from __future__ import annotations

import pytest

from nearshore.data.reference.hs import at_level, dotted, is_valid, level_of, normalise, undotted
from nearshore.errors import InvalidHSCode


@pytest.mark.parametrize(
    ("code", "shown"),
    [
        ("8708", "8708"),  # origin.hs: '87.08'; rules.format_hs and schedule.display_code: '8708'; cli: '8708.'
        ("8708295010", "8708.29.50.10"),  # origin.hs: '8708.29.5010'; cli: '8708.29'
        ("87", "87"),
        ("870829", "8708.29"),
        ("87082950", "8708.29.50"),
        ("8708.29.50", "8708.29.50"),
    ],
)
def test_dotted(code: str, shown: str) -> None:
    assert dotted(code) == shown


@pytest.mark.parametrize(
    ("code", "digits"),
    [
        ("101", "0101"),  # reference: '0101' (a lost leading zero); origin.hs, rules, schedule: '101'
        ("7", "07"),
        ("8708-29", "870829"),  # reference: not a code; the others: '870829'
        (" 8708 29 ", "870829"),
        ("8708.29.50.00", "8708295000"),
    ],
)
def test_normalise(code: str, digits: str) -> None:
    assert normalise(code) == digits


@pytest.mark.parametrize(
    ("code", "message"),
    [
        # schedule.digits: '878' (the letter dropped); origin.hs: '87O8' kept; rules: an error
        ("87O8", "invalid HS code '87O8': expected 2 to 10 digits, dots allowed (e.g. 8708.29 or 870829)"),
        # origin.hs, rules, schedule: '87082' kept; reference: '087082', a different code
        ("8708.2", "invalid HS code '8708.2': an odd number of digits; write every pair, e.g. 8708.20 or 0101.21"),
        # origin.hs and schedule: kept; rules: an error
        ("87082950101", "invalid HS code '87082950101': expected 2 to 10 digits"),
        ("", "invalid HS code '': expected 2 to 10 digits"),
    ],
)
def test_not_a_code(code: str, message: str) -> None:
    with pytest.raises(InvalidHSCode) as info:
        normalise(code)
    assert str(info.value).startswith(message)
    assert isinstance(info.value, ValueError)
    assert info.value.value == code
    assert not is_valid(code)


def test_levels() -> None:
    assert [level_of(c) for c in ("87", "8708", "8708.29", "8708.29.50", "8708.29.50.10")] == [
        "chapter",
        "heading",
        "subheading",
        "tariff_item",
        "statistical",
    ]
    assert at_level("8708.29.50", "heading") == "8708"
    assert dotted("8708295010", "subheading") == "8708.29"  # what cli/origin.py's slicing meant
    assert undotted("8708.29.50", "subheading") == "870829"
    with pytest.raises(InvalidHSCode, match="HS code '8708' has no subheading: give at least 6 digits"):
        at_level("8708", "subheading")


def test_every_caller_uses_the_one_module() -> None:
    """The former formatters answer through the module (a rule range, a schedule suggestion, an origin note)."""
    from nearshore.origin.rules.model import CodeRange

    assert str(CodeRange.single("87.08")) == "8708"
    assert str(CodeRange("8708295010", "8708295090")) == "8708.29.50.10-8708.29.50.90"
