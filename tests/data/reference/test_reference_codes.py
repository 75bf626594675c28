"""HS sections and chapters, M49 areas and the Comtrade codes of countries."""

from __future__ import annotations

import pytest

from nearshore.data.reference import chapters, comtrade_area, hs_chapter, hs_section, m49_area, sections
from nearshore.data.reference.m49 import COMTRADE_CODE
from nearshore.errors import UnknownCodeError


def test_sections_and_chapters_are_complete_and_consistent() -> None:
    assert [s.number for s in sections()] == list(range(1, 22))
    assert [c.code for c in chapters()] == [f"{n:02d}" for n in range(1, 98)]
    covered = [code for s in sections() for code in s.chapters]
    assert covered == [f"{n:02d}" for n in range(1, 98)]  # each chapter in exactly one section, in order
    for section in sections():
        for code in section.chapters:
            assert hs_chapter(code).section == section.number
    assert [c.code for c in chapters() if c.reserved] == ["77"]


@pytest.mark.parametrize(
    ("code", "chapter", "roman"),
    [
        ("0101210010", "01", "I"),
        ("8703.23.01", "87", "XVII"),
        ("8504", "85", "XVI"),
        ("101", "01", "I"),
        ("27", "27", "V"),
        ("9701", "97", "XXI"),
        ("7", "07", "II"),
    ],
)
def test_lookup_by_code(code: str, chapter: str, roman: str) -> None:
    assert hs_chapter(code).code == chapter
    assert hs_section(code).roman == roman


def test_lookup_section_by_number_or_numeral() -> None:
    assert hs_section("XVI").title.startswith("Machinery")
    assert hs_section(11).chapters[0] == "50"
    assert hs_chapter("8703").title.startswith("Vehicles other than railway")


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (
            "9903.01.01",
            "unknown HS chapter '99' (from code '9903.01.01'): chapters 98-99 are national provisions, not HS chapters",
        ),
        ("00", "unknown HS chapter '00' (from code '00'): HS chapters run from 01 to 97"),
        ("abc", "unknown HS code 'abc': an HS code is digits, e.g. '87', '8703', '8703.23' or '8703230190'"),
    ],
)
def test_unknown_chapters(code: str, message: str) -> None:
    with pytest.raises(UnknownCodeError) as err:
        hs_chapter(code)
    assert str(err.value) == message


def test_unknown_sections() -> None:
    with pytest.raises(UnknownCodeError, match="unknown HS section number 22: sections run from 1 to 21"):
        hs_section(22)
    with pytest.raises(UnknownCodeError, match="give a Roman numeral I-XXI"):
        hs_section("XXII")


@pytest.mark.parametrize(
    ("code", "ident", "kind"),
    [
        ("484", "MEX", "country"),
        (842, "USA", "country"),
        ("0", "WLD", "world"),
        ("490", "X490", "other"),
        ("251", "FRA", "country"),
        ("124.0", "CAN", "country"),
        ("97", "X97", "aggregate"),
        ("200", "CSK", "country"),
    ],
)
def test_m49_areas(code: str | int, ident: str, kind: str) -> None:
    area = m49_area(code)
    assert (area.id, area.kind) == (ident, kind)


def test_unknown_m49() -> None:
    with pytest.raises(UnknownCodeError) as err:
        m49_area("999")
    assert str(err.value) == (
        "unknown M49 area code 999: not an ISO 3166 numeric code nor a known Comtrade "
        "special code. Check the code, or add it to nearshore.data.reference.m49.M49_SPECIAL"
    )


def test_comtrade_codes_map_back_to_their_country() -> None:
    for iso3, code in COMTRADE_CODE.items():
        assert m49_area(code).id == iso3
        assert comtrade_area(iso3).code == str(code)


@pytest.mark.parametrize(
    ("text", "code", "ident"),
    [("MEX", "484", "MEX"), ("us", "842", "USA"), ("France", "251", "FRA"), ("wld", "0", "WLD"), ("97", "97", "X97")],
)
def test_comtrade_area_from_what_a_user_types(text: str, code: str, ident: str) -> None:
    area = comtrade_area(text)
    assert (area.code, area.id) == (code, ident)


def test_unknown_comtrade_area() -> None:
    with pytest.raises(UnknownCodeError) as err:
        comtrade_area("Atlantis")
    assert str(err.value) == "unknown country 'Atlantis': not an ISO 3166 code or name"


def test_iso2_resolves_as_pycountry_does_without_importing_it() -> None:
    """Every ISO 3166 alpha-2 code: the partner resolve_partner gives is the one pycountry's own answer leads to
    (its alpha-3 in the Census table), or the same error; pycountry is not imported for the Schedule C codes."""
    import subprocess
    import sys

    import pycountry

    from nearshore.data.reference.countries import _by_id, resolve_partner

    ids = _by_id()
    for country in pycountry.countries:
        code = str(country.alpha_2)
        expected = ids.get(str(country.alpha_3))
        if expected is None or code in ids:
            continue  # resolved by the name fallback (or as an id), the path before this one
        assert resolve_partner(code) == expected, code
        assert resolve_partner(code.lower()) == expected, code
    for user_assigned in ("KV", "GZ", "WE"):  # in Schedule C but not ISO 3166: not resolved as ISO2
        assert pycountry.countries.get(alpha_2=user_assigned) is None
        with pytest.raises(UnknownCodeError):
            resolve_partner(user_assigned)
    probe = "import sys; from nearshore.data.reference.countries import resolve_partner as r; "
    probe += "assert r('MX').id == 'MEX' and r('cn').id == 'CHN'; print('pycountry' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
