"""The what-if search on long BOMs (issue 10: 1,000 lines took 3.6 s, 5,000 over 60 s): beyond `EXACT`
materials it bisects over groups in which qualifying is monotone. On random BOMs it must give exactly what
trying every material gives (the same flips, designations, combination and criteria)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nearshore.origin import whatif
from nearshore.origin.bom_io import bom_from_mapping
from nearshore.origin.whatif import what_if
from tests.origin.helpers import bom_dict

ON = dt.date(2024, 1, 15)
CODES = ("7318.15", "7318.16", "8479.90", "8479.89", "3926.90", "8501.10")
RULES = (
    None,  # the shipped rule for 8479.89
    {"shift": "heading", "rvc": {"net_cost": 50}},
    {"shift": "subheading", "except": ["7318"]},
    {"rvc": {"transaction_value": 60, "net_cost": 50}},
)

material = st.fixed_dictionaries(
    {
        "description": st.sampled_from(["bolt", "frame", "motor", "panel"]),
        "hs": st.sampled_from(CODES),
        "origin": st.sampled_from(["CN", "CN", "DE", "MX", "US"]),
        "value": st.integers(1, 40),
    },
    optional={"self_produced": st.just(True), "non_originating_content": st.integers(0, 30)},
)


def exact_and_bisected(doc):
    bom = bom_from_mapping(doc, "random")
    exact = what_if(bom, ON)
    saved = whatif.EXACT
    whatif.EXACT = 0  # every list is searched by bisection
    try:
        bisected = what_if(bom, ON)
    finally:
        whatif.EXACT = saved
    return exact, bisected


@st.composite
def boms(draw):
    """A BOM near its thresholds: net cost a little above the materials' value, so that some single changes
    and some combinations make it qualify, and some do not."""
    materials = draw(st.lists(material, min_size=2, max_size=30))
    total = sum(m["value"] for m in materials)
    net_cost = round(total * draw(st.floats(1.05, 2.6)))
    return bom_dict(materials, rule=draw(st.sampled_from(RULES)), net_cost=net_cost, transaction_value=net_cost + 20)


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(doc=boms())
def test_bisection_finds_what_trying_every_material_finds(doc):
    exact, bisected = exact_and_bisected(doc)
    assert bisected.flips == exact.flips
    assert bisected.designations == exact.designations
    assert bisected.combination == exact.combination
    assert bisected.as_dict() == exact.as_dict()


@pytest.mark.timeout(120)
def test_a_bom_of_5000_lines_is_checked_in_seconds(tmp_path):
    """Not a benchmark (benchmarks/origin_bench.py times BOMs): a bound that the quadratic search broke."""
    import time

    import yaml

    from nearshore.origin.report import check_bom

    lines = [
        {"description": f"part {i}", "hs": "8708.30", "origin": "MX" if i % 3 == 0 else "CN", "value": 1 + i % 7}
        for i in range(5000)
    ]
    path = tmp_path / "long.yaml"
    path.write_text(yaml.safe_dump(bom_dict(lines, hs="8708.30.50", net_cost=16_000, transaction_value=17_000)))
    start = time.perf_counter()
    report = check_bom(path, ON)
    assert time.perf_counter() - start < 60
    assert not report.result.qualifies
    assert len(report.what_if.combination) > 0
    assert len(report.what_if.lines()) <= 2 * whatif.MAX_LISTED + 5  # long lists are summed up in one line
