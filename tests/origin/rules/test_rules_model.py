"""satisfied_by edge cases; each rule shape cited from HTSUS GN 11(o)."""

from __future__ import annotations

import pytest

from nearshore.data.reference.hs import normalise as normalize_hs
from nearshore.origin.rules.model import CodeRange, RvcRequirement, TariffShift

R = CodeRange.single


def rng(a: str, b: str) -> CodeRange:
    return CodeRange(normalize_hs(a), normalize_hs(b))


# GN 11(o) ch. 87: "A change to subheading 8708.29 from any other heading" (simplified CTH)
CTH_8708 = TariffShift("heading", (R("8708.29"),))
# ch. 72-73 style: CTH except from headings 7208 through 7216
CTH_EXCEPT = TariffShift("heading", (R("7308"),), exceptions=(rng("7208", "7216"),))


@pytest.mark.parametrize(
    ("shift", "material", "good", "expected"),
    [
        (CTH_8708, "7318.15", "8708.29", True),  # another heading
        (CTH_8708, "8708.99", "8708.29", False),  # same heading, other subheading
        (CTH_8708, "8708.29.50", "8708.29", False),  # same subheading
        (CTH_EXCEPT, "7210.49", "7308.90", False),  # inside the except-from range
        (CTH_EXCEPT, "7208.10", "7308.90", False),  # range start
        (CTH_EXCEPT, "7216.99", "7308.90", False),  # range end
        (CTH_EXCEPT, "7217.10", "7308.90", True),  # just after the range
        (CTH_EXCEPT, "7207.11", "7308.90", True),  # just before the range
        (CTH_EXCEPT, "7308.40", "7308.90", False),  # same heading
    ],
)
def test_heading_shift(shift: TariffShift, material: str, good: str, expected: bool) -> None:
    assert shift.satisfied_by(material, good) is expected


def test_subheading_level_vs_heading_level() -> None:
    # ch. 9 rule 2: "A change to subheadings 0902.10 through 0902.40 from any other subheading,
    # including another subheading within that group."
    ctsh = TariffShift("subheading", (rng("0902.10", "0902.40"),))
    assert ctsh.satisfied_by("0902.20", "0902.10")  # another subheading within the group
    assert not ctsh.satisfied_by("0902.10", "0902.10")
    cth = TariffShift("heading", (rng("0902.10", "0902.40"),))
    assert not cth.satisfied_by("0902.20", "0902.10")


def test_outside_group() -> None:
    # "A change to headings 8401 through 8403 from any heading outside that group" form
    shift = TariffShift("heading", (rng("8401", "8403"),), outside_group=True)
    assert not shift.satisfied_by("8402.11", "8401.10")
    assert shift.satisfied_by("8404.10", "8401.10")


def test_within_subheading() -> None:
    # ch. 85 rule 76: "A change to a good of subheading 8533.90 from any other good within that
    # subheading or any other subheading."
    shift = TariffShift("subheading", (R("8533.90"),), allow_within=True)
    assert shift.satisfied_by("8533.90", "8533.90")
    assert shift.satisfied_by("8533.10", "8533.90")
    # ch. 13 rule 4(A): carrageenan of 1302.39 "from within that subheading or any other chapter"
    within = TariffShift("chapter", (R("1302.39"),), allow_within=True)
    assert within.satisfied_by("1302.39", "1302.39")
    assert not within.satisfied_by("1302.11", "1302.39")
    assert within.satisfied_by("0602.90", "1302.39")


def test_from_scope_whether_or_not() -> None:
    # ch. 85 rule 100(B): "A change to subheading 8540.20 from subheadings 8540.91 through
    # 8540.99, whether or not there is also a change from any other heading"
    shift = TariffShift(
        "subheading", (R("8540.20"),), from_scope=(rng("8540.91", "8540.99"),), also_from_level="heading"
    )
    assert shift.satisfied_by("8540.91", "8540.20")
    assert shift.satisfied_by("8541.10", "8540.20")
    assert not shift.satisfied_by("8540.11", "8540.20")


def test_codes_with_dots_and_bad_codes() -> None:
    assert normalize_hs("8708.29.50.00") == "8708295000"
    with pytest.raises(ValueError, match=r"invalid HS code '87a8': expected 2 to 10 digits"):
        normalize_hs("87a8")


def test_rvc_requirement() -> None:
    rvc = RvcRequirement(60.0, 50.0)
    assert rvc.satisfied_by(60.0, None)  # exactly at the threshold
    assert not rvc.satisfied_by(59.99, 49.99)
    assert rvc.satisfied_by(None, 50.0)
    assert not RvcRequirement(None, 70.0).satisfied_by(99.0, None)  # net cost only
