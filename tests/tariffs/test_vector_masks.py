"""The product masks of the vector path agree with `Products.covers` on every line, and a derived policy's
arrays (`line_arrays(..., like=base)`) equal the ones built from scratch."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from nearshore.data.store import Store
from nearshore.tariffs.policy import Products, load_policy
from nearshore.tariffs.schedule import Schedule, load_schedule
from nearshore.tariffs.vector import _Codes, arrays_key, line_arrays, metal_shares


def _expected(products: Products, codes: list[str]) -> list[bool]:
    return [products.covers(code) for code in codes]


@pytest.mark.parametrize(
    "products",
    [
        Products("all", None),
        Products("chapters:87", ("87",)),
        Products("codes", ("8708", "870830", "7208101500", "01")),
        Products("not:87", ("87", "8544"), negate=True),
        Products("none", ()),
    ],
)
def test_masks_equal_covers_on_codes_of_every_length(products: Products) -> None:
    codes = ["8708305020", "87083050", "870830", "8708", "87", "7208101500", "0101210000", "8544429010", "1"]
    assert _Codes(codes).mask(products).tolist() == _expected(products, codes)


def test_masks_of_the_shipped_policy_equal_covers(schedule: Schedule) -> None:
    policy = load_policy()
    lines = [line for line in schedule.statistical_lines() if line.general is not None]
    codes = [line.code for line in lines]
    arrays = line_arrays(schedule, policy)
    for measure in policy.measures:
        assert arrays.masks[measure.id].tolist() == _expected(measure.products, codes), measure.id  # type: ignore[union-attr]
        for ex in measure.exemptions:
            if ex.products is not None:
                got = arrays.masks[f"{measure.id}/{ex.id}"]
                assert got is not None
                assert got.tolist() == _expected(ex.products, codes), (measure.id, ex.id)


def test_metal_shares_equal_the_policys_estimate_on_every_line(schedule: Schedule) -> None:
    policy = load_policy()
    lines = [line for line in schedule.statistical_lines() if line.general is not None]
    expected = [estimate[0] if (estimate := policy.metal_estimate(x.code)) else 1.0 for x in lines]
    got = metal_shares(policy, _Codes([x.code for x in lines]))
    assert got.tolist() == expected
    assert sum(share < 1.0 for share in expected) > 100  # the derivative lists are in the sample


def test_derived_arrays_equal_fresh_ones(schedule: Schedule) -> None:
    """A policy with one measure's scope narrowed: the derived arrays equal those built from nothing."""
    base = load_policy()
    target = next(m for m in base.measures if m.basis != "metal" and m.products.prefixes is None)
    narrowed = replace(target, products=Products("chapters:87", ("87",)))
    measures = tuple(narrowed if m is target else m for m in base.measures)
    policy = replace(base, measures=measures, path=f"{base.path}#test")
    fresh_schedule = Schedule(schedule.revision, [])
    fresh_schedule.lines = schedule.lines
    fresh = line_arrays(fresh_schedule, policy)
    derived = line_arrays(schedule, policy, like=base)
    assert arrays_key(policy) in schedule.cache
    assert derived.masks.keys() >= fresh.masks.keys()
    for key, mask in fresh.masks.items():
        other = derived.masks[key]
        assert (mask is None and other is None) or np.array_equal(mask, other), key  # type: ignore[arg-type]
    assert not np.array_equal(derived.masks[target.id], line_arrays(schedule, base).masks[target.id])  # type: ignore[arg-type]
    assert np.array_equal(derived.metal_share, fresh.metal_share)
    assert [x.code for x in derived.lines] == [x.code for x in fresh.lines]


def test_schedule_of_some_headings_equals_the_full_one(hts_store: Store, schedule: Schedule) -> None:
    """Lines inherit rates only from lines of their own heading: loading a few headings gives the same lines."""
    partial = load_schedule(hts_store, headings=["8708", "0101", "7208"])
    assert {code[:4] for code in partial.lines} == {"8708", "0101", "7208"}
    for code, line in partial.lines.items():
        assert line == schedule.lines[code], code
    assert len(partial.lines) == sum(1 for code in schedule.lines if code[:4] in {"8708", "0101", "7208"})
