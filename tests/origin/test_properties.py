"""Invariants of the determination (hypothesis): originating material never hurts; scale does not matter."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from nearshore.origin.bom import BOM, Good, Material, NetCost, RuleOverride
from nearshore.origin.determine import determine

ON = dt.date(2024, 1, 15)
CODES = ["7318.15", "8479.89", "8479.90", "3926.90", "8544.42", "8708.99"]

material = st.builds(
    lambda i, hs, originating, value: (hs, originating, value),
    st.integers(),
    st.sampled_from(CODES),
    st.booleans(),
    st.floats(min_value=0.01, max_value=1000, allow_nan=False),
)
rules = st.sampled_from(
    [
        RuleOverride("heading", (), {"transaction_value": 60.0, "net_cost": 50.0}),
        RuleOverride("subheading", (), {}),
        RuleOverride("none", (), {"net_cost": 50.0}),
        RuleOverride("chapter", (), {"transaction_value": 60.0}),
    ]
)


def make_bom(rows: list[tuple[str, bool, float]], rule: RuleOverride, margin: float, scale: float = 1.0) -> BOM:
    materials = tuple(
        Material(
            line=i + 1,
            description=f"m{i}",
            hs=hs.replace(".", ""),
            origin="US" if orig else "CN",
            originating=orig,
            value=value * scale,
        )
        for i, (hs, orig, value) in enumerate(rows)
    )
    total = sum(v for _, _, v in rows) * margin * scale
    good = Good("good", "847989", "MX", "USD", transaction_value=total * 1.1, net_cost=NetCost(total, 0.0))
    return BOM("generated", good, materials, rule=rule)


@settings(max_examples=150, deadline=None)
@given(st.lists(material, min_size=1, max_size=8), rules, st.floats(min_value=1.0, max_value=4.0), st.data())
def test_making_a_material_originating_never_hurts(rows, rule, margin, data):
    bom = make_bom(rows, rule, margin)
    before = determine(bom, ON)
    index = data.draw(st.integers(min_value=0, max_value=len(rows) - 1))
    flipped = tuple(m.as_originating() if i == index else m for i, m in enumerate(bom.materials))
    after = determine(bom.with_materials(flipped), ON)
    for method in ("transaction_value", "net_cost"):
        was, now = before.rvc[method], after.rvc[method]
        assert was is not None  # the BOM gives both bases
        assert now is not None
        assert now >= was - 1e-9
    assert not (before.qualifies and not after.qualifies)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(material, min_size=1, max_size=8),
    rules,
    st.floats(min_value=1.0, max_value=4.0),
    st.sampled_from([0.001, 0.37, 3.0, 1000.0]),
)
def test_scaling_every_value_leaves_the_answer_unchanged(rows, rule, margin, scale):
    base = determine(make_bom(rows, rule, margin), ON)
    scaled = determine(make_bom(rows, rule, margin, scale), ON)
    assert (scaled.qualifies, scaled.criterion) == (base.qualifies, base.criterion)
    for method in ("transaction_value", "net_cost"):
        was, now = base.rvc[method], scaled.rvc[method]
        assert was is not None  # the BOM gives both bases
        assert now is not None
        assert abs(now - was) < 1e-6
