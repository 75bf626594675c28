"""Hand-worked duties for every measure and stacking rule of the policy file, each citing the text it follows.

The general rates quoted in the comments are those of the 2025 Basic Edition lines named.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from nearshore.errors import MissingInputError, PolicyCoverageError, TariffError, UnknownCodeError
from nearshore.tariffs.duty import DutyResult, Entry, calculate
from nearshore.tariffs.policy import Policy, load_policy
from nearshore.tariffs.schedule import Schedule


@pytest.fixture(scope="module")
def policy():
    return load_policy()


def duty(schedule: Schedule, policy: Policy, hts: str, origin: str, value: float, on: str, **kw: Any) -> DutyResult:
    return calculate(Entry(hts=hts, origin=origin, value=value, on=date.fromisoformat(on), **kw), schedule, policy)


def layers(result: DutyResult) -> dict[str, float]:
    return {c.layer: round(c.amount, 2) for c in result.components}


# 8708.99.81 (other motor-vehicle parts): general 2.5%, special Free (S = USMCA). Not in U.S. note 33(g).


def test_mexico_fentanyl_25_percent(schedule, policy):
    # EO 14194 (90 FR 9117), heading 9903.01.01: +25% on products of Mexico from 2025-03-04
    r = duty(schedule, policy, "8708.99.81", "MX", 10000, "2025-06-01")
    assert layers(r) == {"general": 250.0, "ieepa-fentanyl-mex": 2500.0}
    assert r.total == 2750.0
    assert r.effective_rate == pytest.approx(0.275)
    assert r.revision == "2025-basic"
    assert r.policy_version == policy.version


def test_mexico_usmca_exempt_from_7_march(schedule, policy):
    # EO 14232 (90 FR 11787), heading 9903.01.04: USMCA-qualifying goods exempt from 2025-03-07
    r = duty(schedule, policy, "8708.99.81", "MX", 10000, "2025-06-01", usmca=True)
    assert r.total == 0.0
    assert next(c for c in r.components if c.layer == "ieepa-fentanyl-mex").heading == "9903.01.04"
    # before the exemption (2025-03-04..06), USMCA goods paid the 25%
    assert duty(schedule, policy, "8708.99.81", "MX", 10000, "2025-03-05", usmca=True).total == 2500.0
    # before 2025-03-04 only the HTS rate
    assert duty(schedule, policy, "8708.99.81", "MX", 10000, "2025-02-01").total == 250.0


def test_canada_25_then_35_percent(schedule, policy):
    # EO 14193 (90 FR 9113): +25% from 2025-03-04; EO 14325 (90 FR 37957): +35% from 2025-08-01
    assert duty(schedule, policy, "8708.99.81", "CA", 10000, "2025-06-01").total == 2750.0
    assert duty(schedule, policy, "8708.99.81", "CA", 10000, "2025-08-15").total == 3750.0


def test_canada_energy_and_potash_10_percent(schedule, policy):
    # heading 9903.01.13 (energy, chapter 27) and 9903.01.15 (potash): +10% instead of the general Canada rate
    # 2711.11.00 (LNG): general Free
    assert layers(duty(schedule, policy, "2711.11.00", "CA", 10000, "2025-06-01")) == {
        "general": 0.0,
        "ieepa-fentanyl-can": 1000.0,
    }
    # 3104.20.00 (potassium chloride): general Free
    r = duty(schedule, policy, "3104.20.00", "CA", 10000, "2025-09-01")
    assert r.total == 1000.0
    assert next(c for c in r.components if c.layer == "ieepa-fentanyl-can").heading == "9903.01.15"
    # Mexico potash, heading 9903.01.05
    assert duty(schedule, policy, "3104.20.00", "MX", 10000, "2025-09-01").total == 1000.0


def test_china_fentanyl_reciprocal_and_301(schedule, policy):
    # 8708.99.81 is on Section 301 list 3 (U.S. note 20(f), 9903.88.03, 25%).
    # 2025-06-01: fentanyl 20% (EO 14228), reciprocal 10% (EO 14298 suspension), 301 25%, general 2.5%
    assert duty(schedule, policy, "8708.99.81", "CN", 10000, "2025-06-01").total == 5750.0
    # 2025-04-15: reciprocal 125% (EO 14266)
    assert duty(schedule, policy, "8708.99.81", "CN", 10000, "2025-04-15").total == 17250.0
    # 2025-12-01: fentanyl cut to 10% (EO 14357). 8708.99.81 is also on the Section 232 steel inclusions of
    # 2025-08-18 (9903.81.91, duty on the steel content): declared with no steel content, that layer is nil
    assert duty(schedule, policy, "8708.99.81", "CN", 10000, "2025-12-01", metal_value=0).total == 4750.0


def test_reciprocal_country_rate_and_annex_ii(schedule, policy):
    # 6109.10.00 (cotton T-shirts) general 16.5%; Vietnam 10% baseline (EO 14257), then 20% (EO 14326 Annex I)
    assert duty(schedule, policy, "6109.10.00", "VN", 10000, "2025-06-01").total == 2650.0
    assert duty(schedule, policy, "6109.10.00", "VN", 10000, "2025-09-01").total == 3650.0
    # 8542.31.00 (processors) is in Annex II (U.S. note 2(v)(iii)(a), heading 9903.01.32): exempt
    r = duty(schedule, policy, "8542.31.00", "VN", 10000, "2025-09-01")
    assert r.total == 0.0
    assert next(c for c in r.components if c.layer == "ieepa-reciprocal").heading == "9903.01.32"


def test_eu_15_percent_floor(schedule, policy):
    # EO 14326 Annex I: EU goods pay 15% inclusive of the general rate (max(15% - general, 0))
    # (metal_value=0: no steel content, so the 2025-08-18 steel inclusion of 8708.99.81 charges nothing)
    assert duty(schedule, policy, "8708.99.81", "DE", 10000, "2025-09-01", metal_value=0).total == 1500.0
    assert duty(schedule, policy, "6109.10.00", "DE", 10000, "2025-09-01").total == 1650.0  # 16.5% + 0


def test_brazil_and_india_country_orders(schedule, policy):
    # EO 14323: Brazil +40% (9903.01.77) from 2025-08-06, on top of the 10% reciprocal baseline
    assert duty(schedule, policy, "6109.10.00", "BR", 10000, "2025-09-01").total == 1650.0 + 1000.0 + 4000.0
    # EO 14329: India +25% (9903.01.84) from 2025-08-27, on top of the 25% country rate
    assert duty(schedule, policy, "6109.10.00", "IN", 10000, "2025-09-01").total == 1650.0 + 2500.0 + 2500.0


def test_steel_232_excludes_the_canada_mexico_tariff(schedule, policy):
    # 7208.10.15 (flat-rolled steel) general Free. Proclamation 10947: 50% from 2025-06-04.
    # EO 14289 sec. 2(b): goods subject to the 232 metal duties are not subject to the CA/MX IEEPA duty.
    r = duty(schedule, policy, "7208.10.15", "CA", 10000, "2025-07-01")
    assert layers(r) == {"general": 0.0, "ieepa-fentanyl-can": 0.0, "s232-steel": 5000.0}
    # Proclamation 10896: 25% from 2025-03-12; before it Canada was exempt (Proclamation 9705 as amended)
    assert duty(schedule, policy, "7208.10.15", "MX", 10000, "2025-04-01").total == 2500.0
    assert duty(schedule, policy, "7208.10.15", "MX", 10000, "2025-02-01").total == 0.0
    # United Kingdom stays at 25% (Proclamation 10947 sec. 2)
    assert duty(schedule, policy, "7208.10.15", "GB", 10000, "2025-07-01").total == 2500.0


def test_metal_content_split_for_derivatives(schedule, policy):
    # 7326.90.86 (other articles of iron or steel) general 2.9%, on 301 list 3; China, 2025-09-01, metal $4,000.
    # 232 on the metal value (50% x 4,000); reciprocal on the non-metal remainder (EO 14257 sec. 3(b): 10% x 6,000);
    # China fentanyl 20% and 301 25% on the full value (they stack: EO 14289 leaves them).
    r = duty(schedule, policy, "7326.90.86", "CN", 10000, "2025-09-01", metal_value=4000)
    assert layers(r) == {
        "general": 290.0,
        "ieepa-fentanyl-chn": 2000.0,
        "ieepa-reciprocal": 600.0,
        "s232-steel": 2000.0,
        "s301-list3": 2500.0,
    }


def test_autos_232_and_us_content(schedule, policy):
    # 8703.23.01 general 2.5%. Proclamation 10908: 25% from 2025-04-03 (9903.94.01); reciprocal excluded.
    r = duty(schedule, policy, "8703.23.01", "DE", 30000, "2025-06-01")
    assert layers(r) == {"general": 750.0, "ieepa-reciprocal": 0.0, "s232-autos": 7500.0}
    # USMCA vehicle: special Free; 232 on the non-U.S. content only (U.S. note 33(c)-(d)); the Mexico IEEPA duty
    # does not apply to 232 autos (EO 14289 sec. 2(a); note 33(a)(3))
    r = duty(schedule, policy, "8703.23.01", "MX", 30000, "2025-06-01", usmca=True, us_content=12000)
    assert r.total == 4500.0
    assert layers(r)["ieepa-fentanyl-mex"] == 0.0


def test_auto_parts_232_and_usmca_exemption(schedule, policy):
    # 8708.99.68 is in U.S. note 33(g): 25% from 2025-05-03 (9903.94.05); general 2.5%
    assert duty(schedule, policy, "8708.99.68", "JP", 10000, "2025-06-01").total == 2750.0
    # and it displaces the Mexico IEEPA duty (EO 14289 sec. 2(a))
    assert layers(duty(schedule, policy, "8708.99.68", "MX", 10000, "2025-06-01"))["ieepa-fentanyl-mex"] == 0.0
    # USMCA-qualifying parts: heading 9903.94.06, no 232 duty
    assert duty(schedule, policy, "8708.99.68", "MX", 10000, "2025-06-01", usmca=True).total == 0.0


def test_section_122_after_ieepa(schedule, policy):
    # IEEPA duties end 2026-02-23 (Learning Resources v. Trump); section 122: 10% from 2026-02-24 (9903.03.01)
    assert duty(schedule, policy, "6109.10.00", "VN", 10000, "2026-03-01").total == 2650.0
    # USMCA goods: heading 9903.03.08 (note 2(aa)(vii)); no steel content declared for the 232 steel inclusion
    r = duty(schedule, policy, "8708.99.81", "MX", 10000, "2026-03-01", usmca=True, metal_value=0)
    assert r.total == 0.0
    assert next(c for c in r.components if c.layer == "s122-balance-of-payments").heading == "9903.03.08"


def test_column_2_countries(schedule, policy):
    # General Note 3(b) / Pub. L. 117-110: Russia pays column 2 (6109.10.00: 90%) and no reciprocal duty
    r = duty(schedule, policy, "6109.10.00", "RU", 1000 * 10, "2025-09-01")
    assert layers(r) == {"column 2": 9000.0}


def test_de_minimis(schedule, policy):
    # 19 U.S.C. 1321: $800 or less admitted free, until EO 14324 (2025-08-29) for all; China from 2025-05-02
    assert duty(schedule, policy, "6109.10.00", "VN", 500, "2025-06-01").total == 0.0
    assert duty(schedule, policy, "6109.10.00", "VN", 500, "2025-09-01").total == 182.5
    assert duty(schedule, policy, "8708.99.81", "CN", 500, "2025-06-01").total == 287.5


def test_specific_rate_needs_a_quantity(schedule, policy):
    with pytest.raises(MissingInputError) as info:
        duty(schedule, policy, "0201.10.10", "AU", 1000, "2025-06-01")
    assert str(info.value) == (
        "HTS 0201.10.10 has a specific general rate (4.4¢/kg): give the quantity in kg (--quantity N --unit kg)"
    )
    r = duty(schedule, policy, "0201.10.10", "AU", 1000, "2025-06-01", quantity=100, unit="kg")
    assert layers(r)["general"] == 4.4
    with pytest.raises(MissingInputError, match="is per kg, but the quantity is in liter"):
        duty(schedule, policy, "0201.10.10", "AU", 1000, "2025-06-01", quantity=100, unit="liter")


def test_bad_dates_origins_and_codes(schedule, policy):
    with pytest.raises(PolicyCoverageError) as info:
        duty(schedule, policy, "8708.99.81", "MX", 1000, "2024-06-01")
    assert str(info.value) == (
        "date 2024-06-01 is outside the tariff policy's coverage, which starts on 2025-01-01 "
        f"(policy version {policy.version}); give a date on or after it"
    )
    with pytest.raises(PolicyCoverageError, match="is a group, not a country"):
        duty(schedule, policy, "8708.99.81", "0003", 1000, "2025-06-01")  # Census aggregate: European Union
    with pytest.raises(UnknownCodeError):
        duty(schedule, policy, "8708.99.81", "Atlantis", 1000, "2025-06-01")
    with pytest.raises(TariffError) as refused:
        duty(schedule, policy, "8708.99.81", "CN", 1000, "2025-06-01", usmca=True)
    assert str(refused.value) == "USMCA treatment (--usmca) is only for goods of Canada or Mexico, not China"
    with pytest.raises(TariffError, match="is a Chapter 99 heading"):
        duty(schedule, policy, "9903.04.05", "MX", 1000, "2025-06-01")
    with pytest.raises(UnknownCodeError, match=r"nearest valid codes: 8708\.99\.81"):
        duty(schedule, policy, "8708.99.99", "MX", 1000, "2025-06-01")


def test_auto_agreements_15_percent_inclusive(schedule, policy):
    # U.S. note 33(m): vehicles of the EU (from 2025-08-01), Japan (2025-09-16), Korea (2025-11-01) pay 15%
    # inclusive of the general rate (8703.23.01: 2.5% + 12.5%) instead of 2.5% + 25%
    assert duty(schedule, policy, "8703.23.01", "DE", 30000, "2025-09-01").total == 4500.0
    assert duty(schedule, policy, "8703.23.01", "JP", 30000, "2025-09-01").total == 8250.0
    r = duty(schedule, policy, "8703.23.01", "JP", 30000, "2025-10-01")
    assert r.total == 4500.0
    assert next(c for c in r.components if c.layer == "s232-autos").heading == "9903.94.41"
    assert duty(schedule, policy, "8703.23.01", "KR", 30000, "2025-10-01").total == 8250.0
    assert duty(schedule, policy, "8703.23.01", "KR", 30000, "2025-12-01").total == 4500.0
    # parts (8708.99.68, general 2.5%): Japan 15% inclusive from 2025-09-16
    assert duty(schedule, policy, "8708.99.68", "JP", 10000, "2025-10-01").total == 1500.0


def test_auto_parts_end_use(schedule, policy):
    # U.S. note 33(g) lists heading 8471: computers pay the 232 auto-parts duty only when they are parts of
    # passenger vehicles or light trucks. Not said -> not applied (with a note); said -> applied.
    # 8471.30.01 (portable computers) general Free; Annex II exempts 8471 from the reciprocal duty.
    r = duty(schedule, policy, "8471.30.01", "VN", 1000, "2025-09-01")
    assert r.total == 0.0
    assert any("give --auto-part" in n for n in r.notes)
    assert duty(schedule, policy, "8471.30.01", "VN", 1000, "2025-09-01", auto_part=True).total == 250.0
    # chapter 87 lines are auto parts unless the entry says otherwise (e.g. parts of heavy trucks)
    assert duty(schedule, policy, "8708.99.68", "JP", 10000, "2025-06-01", auto_part=False).total == 250.0 + 1000.0


def test_timber_lumber_and_furniture(schedule, policy):
    # U.S. note 37(b): softwood lumber +10% from 2025-10-14 (9903.76.01); 4407.11.00 general Free.
    # U.S. notes 2(a) and 2(j): products of 9903.76.01-.03 are outside the Mexico and Canada IEEPA duties.
    r = duty(schedule, policy, "4407.11.00", "CA", 10000, "2025-11-01")
    assert layers(r) == {"general": 0.0, "ieepa-fentanyl-can": 0.0, "s232-softwood": 1000.0}
    # Vietnam: the wood 232 displaces the reciprocal 20% (EO 14257 sec. 3(b)); Brazil's +40% does not apply
    # either (note 2(x)(xii)): see test_brazil_and_india_orders_do_not_apply_to_section_232_goods
    assert duty(schedule, policy, "4407.11.00", "VN", 10000, "2025-11-01").total == 1000.0
    # U.S. note 37(d): upholstered wooden seats 9401.61.40.11, general Free: 25%; EU 15% inclusive (9903.76.22)
    assert duty(schedule, policy, "9401.61.40.11", "VN", 10000, "2025-11-01").total == 2500.0
    r = duty(schedule, policy, "9401.61.40.11", "IT", 10000, "2025-11-01")
    assert r.total == 1500.0
    assert next(c for c in r.components if c.layer == "s232-upholstered-furniture").heading == "9903.76.22"


def test_medium_heavy_vehicles_and_buses(schedule, policy):
    # Proclamation 10984, U.S. note 38(b): tractors 8701.21.00 (general 4%) +25% from 2025-11-01 (9903.74.01);
    # Mexico's IEEPA duty does not apply to them (note 38(a)(3)); USMCA vehicles on non-U.S. content (38(d))
    r = duty(schedule, policy, "8701.21.00", "MX", 100000, "2025-12-01")
    # 8701.21.00 is also a 2025-08-18 steel inclusion (9903.81.91): note 38(a)(1) excludes it for these vehicles
    assert layers(r) == {
        "general": 4000.0,
        "ieepa-fentanyl-mex": 0.0,
        "s232-steel-inclusions-2025": 0.0,
        "s232-mhd-vehicles": 25000.0,
    }
    r = duty(schedule, policy, "8701.21.00", "MX", 100000, "2025-12-01", usmca=True, us_content=60000)
    assert r.total == 10000.0  # special Free + 25% x 40,000
    # 8704.60.00 is listed in notes 33(b) and 38(b): charged once, as a medium- or heavy-duty vehicle
    r = duty(schedule, policy, "8704.60.00", "DE", 100000, "2025-12-01")
    assert layers(r)["s232-autos"] == 0.0
    assert layers(r)["s232-mhd-vehicles"] == 25000.0
    # buses, note 38(c): +10% (9903.74.02); 8702.10.31 general 2%
    assert duty(schedule, policy, "8702.10.31", "DE", 100000, "2025-12-01").total == 2000.0 + 10000.0


def test_special_programmes(schedule, policy):
    # General Note 33 (KORUS): 6109.10.00 special Free for KR; reciprocal 15% floor still applies (2025-09-01)
    r = duty(schedule, policy, "6109.10.00", "KR", 10000, "2025-09-01", program="KR")
    assert layers(r)["special (KR)"] == 0.0
    assert r.total == 1500.0
    with pytest.raises(TariffError) as info:
        duty(schedule, policy, "6109.10.00", "CN", 10000, "2025-09-01", program="KR")
    assert str(info.value) == "programme KR (KORUS) is for goods of KOR, not CHN"
    with pytest.raises(TariffError) as info:
        duty(schedule, policy, "0101.30.00", "IN", 10000, "2025-09-01", program="A+")
    assert str(info.value) == (
        "programme A+ (GSP) cannot be claimed on 2025-09-01: it lapsed after 2020-12-31 "
        "(General Note 4; GSP authorization expired 2020-12-31)"
    )


def test_section_301_four_year_review_rates(schedule, policy):
    # U.S. note 31(d), 9903.91.03: electric vehicles of China 100% (89 Fed. Reg. 76581).
    # 8703.80.00 general 2.5%; on 2025-06-01 also fentanyl 20%, reciprocal excluded by the 232 autos duty 25%.
    r = duty(schedule, policy, "8703.80.00", "CN", 10000, "2025-06-01")
    assert layers(r)["s301-2024-d"] == 10000.0
    assert r.total == 250.0 + 2000.0 + 2500.0 + 10000.0
    # 8541.42.00 (solar cells, note 31(c)): 50%
    assert layers(duty(schedule, policy, "8541.42.00", "CN", 1000, "2025-06-01"))["s301-2024-c"] == 500.0
    # 9903.91.04: disposable textile face masks (6307.90.98.70) 25% during 2025 only, then 50% (9903.91.07)
    assert layers(duty(schedule, policy, "6307.90.98.70", "CN", 1000, "2025-06-01"))["s301-2024-e"] == 250.0
    assert layers(duty(schedule, policy, "6307.90.98.70", "CN", 1000, "2026-03-01"))["s301-2024-h"] == 500.0


def test_amounts_must_be_sound(schedule, policy):
    # the metal content (232 derivatives) and the U.S. content (232 USMCA vehicles) are parts of the customs value
    with pytest.raises(TariffError) as info:
        duty(schedule, policy, "7326.90.86", "CN", 10000, "2025-06-10", metal_value=20000)
    assert str(info.value) == (
        "metal value 20000 is more than the customs value 10000; the steel, aluminium or "
        "copper content is part of the customs value: give at most 10000"
    )
    with pytest.raises(TariffError) as info:
        duty(schedule, policy, "7326.90.86", "CN", 10000, "2025-06-10", metal_value=-1)
    assert str(info.value) == (
        "metal value -1 is negative; give the value of the steel, aluminium or copper content in U.S. dollars"
    )
    with pytest.raises(TariffError) as info:
        duty(schedule, policy, "8703.23.01", "MX", 10000, "2025-06-10", usmca=True, us_content=-2)
    assert str(info.value) == "U.S. content -2 is negative; give the value of the U.S. content in U.S. dollars"
    with pytest.raises(TariffError) as info:
        duty(schedule, policy, "0201.10.10", "AU", 1000, "2025-06-10", quantity=-5, unit="kg")
    assert str(info.value) == "quantity -5 is negative; give the quantity entered (zero or more)"


# --- Cases checked by hand against the Chapter 99 text (HTSUS 2026 revision 6, U.S. notes to subchapter III, in
# ../shared/data/raw/yale_budget_lab_tariff_resources/chapter99_2026_rev_6.txt.gz); each quotes the note it follows.


def heading(result: DutyResult, layer: str) -> str:
    return next(c.heading for c in result.components if c.layer == layer)


def test_brazil_and_india_orders_do_not_apply_to_section_232_goods(schedule, policy):
    # Note 2(x)(v): "The additional duties imposed by heading 9903.01.77 shall not apply to products of iron or
    # steel provided for in headings 9903.81.87 and 9903.81.88"; note 2(z)(iii) says the same of 9903.01.84.
    # 7208.10.15 (flat-rolled steel) general Free; 232 steel 50% from 2025-06-04 (Proclamation 10947).
    r = duty(schedule, policy, "7208.10.15", "BR", 10000, "2025-09-01")
    assert layers(r)["ieepa-brazil"] == 0.0
    assert r.total == 5000.0
    r = duty(schedule, policy, "7208.10.15", "IN", 10000, "2025-09-01")
    assert layers(r)["ieepa-india"] == 0.0
    assert r.total == 5000.0
    # Note 2(z)(vii): nor to passenger vehicles of 9903.94.01. 8703.23.01 general 2.5% + 232 autos 25%.
    r = duty(schedule, policy, "8703.23.01", "IN", 10000, "2025-09-01")
    assert layers(r) == {"general": 250.0, "ieepa-reciprocal": 0.0, "ieepa-india": 0.0, "s232-autos": 2500.0}
    # Note 2(x)(xii): nor to wood products of 9903.76.01-.03 (4407.11.00 softwood lumber, general Free, +10%)
    assert duty(schedule, policy, "4407.11.00", "BR", 10000, "2025-11-01").total == 1000.0
    # goods outside Section 232 still pay the country order (6109.10.00, general 16.5%, + reciprocal 10% + 40%)
    assert duty(schedule, policy, "6109.10.00", "BR", 10000, "2025-09-01").total == 1650.0 + 1000.0 + 4000.0


def test_india_order_exempts_the_annex_ii_products(schedule, policy):
    # Note 2(z)(ii): "As provided in heading 9903.01.86, the additional duties imposed by heading 9903.01.84 shall
    # not apply to articles the product of India classified in the provisions ... listed in subdivision (v)(iii)
    # of note 2" (the reciprocal tariff's Annex II). 8542.31.00 (processors) general Free, in Annex II.
    r = duty(schedule, policy, "8542.31.00", "IN", 10000, "2025-09-01")
    assert r.total == 0.0
    assert heading(r, "ieepa-india") == "9903.01.86"
    assert heading(r, "ieepa-reciprocal") == "9903.01.32"


def test_canada_and_mexico_border_duty_does_not_apply_to_section_232_wood(schedule, policy):
    # Note 2(j): "products of Canada, other than products described in headings ..., 9903.76.01, 9903.76.02 and
    # 9903.76.03 ... shall be subject to an additional 35%"; note 2(a) the same for Mexico (9903.01.01).
    # 4407.11.00 softwood lumber, general Free: 232 timber 10% from 2025-10-14 (note 37(b), 9903.76.01).
    r = duty(schedule, policy, "4407.11.00", "CA", 10000, "2025-11-01")
    assert layers(r) == {"general": 0.0, "ieepa-fentanyl-can": 0.0, "s232-softwood": 1000.0}
    # before the wood 232 began, the Canada duty applied (35% from 2025-08-01, EO 14325)
    assert duty(schedule, policy, "4407.11.00", "CA", 10000, "2025-10-01").total == 3500.0
    # 9401.61.40.11 upholstered wooden seats, general Free: 25% (note 37(d), 9903.76.02), no Mexico 25% on top
    r = duty(schedule, policy, "9401.61.40.11", "MX", 10000, "2025-11-01")
    assert r.total == 2500.0
    assert layers(r)["ieepa-fentanyl-mex"] == 0.0


def test_country_rates_of_9_april_2025(schedule, policy):
    # Note 2(v)(xviii): EO 14257 Annex I rates, in force from 12:01 a.m. 2025-04-09 until EO 14266 suspended them
    # from 2025-04-10, one heading per rate: "(55) Vietnam, subject to an additional duty of 46%" (9903.01.72),
    # "(14) European Union, ... 20%" (9903.01.50), "(22) Japan, ... 24%" (9903.01.53).
    # 6109.10.00 (cotton T-shirts) general 16.5%; 8708.99.81 general 2.5%.
    r = duty(schedule, policy, "6109.10.00", "VN", 10000, "2025-04-09")
    assert r.total == 1650.0 + 4600.0
    assert heading(r, "ieepa-reciprocal") == "9903.01.72"
    assert duty(schedule, policy, "6109.10.00", "VN", 10000, "2025-04-10").total == 1650.0 + 1000.0
    assert duty(schedule, policy, "6109.10.00", "VN", 10000, "2025-04-08").total == 1650.0 + 1000.0
    assert duty(schedule, policy, "8708.99.81", "DE", 10000, "2025-04-09").total == 250.0 + 2000.0
    assert duty(schedule, policy, "8708.99.81", "JP", 10000, "2025-04-09").total == 250.0 + 2400.0
    # countries not in Annex I kept the 10% baseline (United Kingdom)
    assert duty(schedule, policy, "8708.99.81", "GB", 10000, "2025-04-09").total == 250.0 + 1000.0


def test_reciprocal_country_headings_of_eo_14326(schedule, policy):
    # Chapter 99 headings as printed: 9903.02.69 Vietnam "the applicable subheading + 20%"; 9903.02.56 South Korea
    # "+ 15%" from 2025-08-07, "terminated on November 14, 2025. See 90 Fed. Reg. 55964", after which note
    # 2(v)(xxiv)(a): "the sum of the column 1 duty rate and the additional ... rate pursuant to heading 9903.02.80
    # will be 15 percent" (9903.02.79 where the column 1 rate is 15% or more).
    # 8708.99.81 general 2.5% (not a note 33(g) part); 6109.10.00 general 16.5%.
    assert heading(duty(schedule, policy, "6109.10.00", "VN", 10000, "2025-09-01"), "ieepa-reciprocal") == "9903.02.69"
    # (metal_value=0: the 2025-08-18 steel inclusion of 8708.99.81 charges nothing on no steel content)
    r = duty(schedule, policy, "8708.99.81", "KR", 10000, "2025-09-01", metal_value=0)
    assert (r.total, heading(r, "ieepa-reciprocal")) == (250.0 + 1500.0, "9903.02.56")
    r = duty(schedule, policy, "8708.99.81", "KR", 10000, "2025-12-01", metal_value=0)
    assert (r.total, heading(r, "ieepa-reciprocal")) == (1500.0, "9903.02.80")
    r = duty(schedule, policy, "6109.10.00", "KR", 10000, "2025-12-01")
    assert (r.total, heading(r, "ieepa-reciprocal")) == (1650.0, "9903.02.79")
    # EU: 9903.02.20 below 15% (top-up), 9903.02.19 at or above (no additional duty)
    assert heading(duty(schedule, policy, "8708.99.81", "DE", 10000, "2025-09-01"), "ieepa-reciprocal") == "9903.02.20"
    assert heading(duty(schedule, policy, "6109.10.00", "DE", 10000, "2025-09-01"), "ieepa-reciprocal") == "9903.02.19"
    # Liechtenstein: 9903.02.36 "+ 15%" (Switzerland, 9903.02.58, "+ 39%")
    assert duty(schedule, policy, "8708.99.81", "LI", 10000, "2025-09-01", metal_value=0).total == 250.0 + 1500.0
    assert duty(schedule, policy, "8708.99.81", "CH", 10000, "2025-09-01", metal_value=0).total == 250.0 + 3900.0


def test_a_derivative_without_its_metal_value_is_flagged(schedule, policy):
    # 7326.90.86 (other articles of iron or steel) may be a derivative whose 232 duty is on the steel content
    # (U.S. note 2(v)(vii): "the declared value of the steel content of the derivative ... products"); without
    # --metal-value the full value is charged and the layer says so. Chapter 72 steel needs no such note.
    r = duty(schedule, policy, "7326.90.86", "CA", 10000, "2025-06-10")
    note = next(c.note for c in r.components if c.layer == "s232-steel")
    assert "metal value not given: charged on the full value (--metal-value)" in note
    r = duty(schedule, policy, "7208.10.15", "CA", 10000, "2025-06-10")
    assert "metal value not given" not in next(c.note for c in r.components if c.layer == "s232-steel")
