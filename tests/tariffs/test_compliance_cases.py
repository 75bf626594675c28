"""Duties a compliance manager checked by hand against the Chapter 99 text (HTSUS 2026 revision 6, U.S. notes to
subchapter III, in ../shared/data/raw/yale_budget_lab_tariff_resources/chapter99_2026_rev_6.txt.gz).

General rates are those of the 2025 Basic Edition lines named. Each case quotes the note it follows.
"""

from __future__ import annotations

from datetime import date

import pytest

from nearshore.tariffs.duty import Entry, calculate
from nearshore.tariffs.policy import load_policy


@pytest.fixture(scope="module")
def policy():
    return load_policy()


def duty(schedule, policy, hts, origin, value, on, **kw):
    return calculate(Entry(hts=hts, origin=origin, value=value, on=date.fromisoformat(on), **kw), schedule, policy)


def layers(result):
    return {c.layer: round(c.amount, 2) for c in result.components}


def heading(result, layer):
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
