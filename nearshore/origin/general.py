"""General provisions of SOR/2020-155 as plain functions: RVC, de minimis (value and weight) and sets.

Each function cites the section it implements. Percentages are compared unrounded; "not less than" passes
exactly at the threshold and "not more than" passes exactly at the limit.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

from nearshore.origin import thresholds as limits
from nearshore.origin.bom import Good, Material
from nearshore.origin.result import EPSILON, Test

DE_MINIMIS_SHARE = 10.0  # s. 5(1), 5(4): 10% of transaction value or total cost
TEXTILE_WEIGHT_SHARE = 10.0  # s. 5(6), 5(7)
ELASTOMERIC_SHARE = 7.0  # s. 5(6)(a), 5(7)(a)
SET_SHARE = 10.0  # s. 6(3)
STANDARD_RVC = {"transaction_value": 60.0, "net_cost": 50.0}  # s. 3(4)(a)(ii), (b)(ii)


def rvc(value: float, vnm: float) -> float:
    """RVC = (V - VNM) / V x 100 with V the adjusted transaction value (s. 7(2)) or the net cost (s. 7(3))."""
    return (value - vnm) / value * 100.0


def vnm_of(materials: Sequence[Material]) -> float:
    """Value of non-originating materials (s. 7(4)-(5), 8(1)-(2), 8(13), 8(15), 8(17), 8(25), 9(2)-(3))."""
    return sum([m.vnm for m in materials])  # a list: quicker to sum than a generator, in the same order


def rvc_tests(good: Good, vnm: float, thresholds: dict[str, float], citation: str) -> list[Test]:
    """Run every allowed RVC method that the BOM has data for (s. 7(1), 7(6))."""
    bases = (
        ("transaction_value", "RVC (transaction value)", "s. 7(2)", "TV", good.tv),
        ("net_cost", "RVC (net cost)", "s. 7(3)", "NC", good.net_cost.value if good.net_cost else None),
    )
    tests = []
    for method, name, section, short, base in bases:
        if method not in thresholds or base is None:
            continue
        value, req = rvc(base, vnm), thresholds[method]
        tests.append(
            Test(
                name,
                f"{citation}; SOR/2020-155 {section}",
                value >= req - EPSILON,
                value,
                req,
                inputs=f"{short} {base:,.2f}, VNM {vnm:,.2f}",
                base=base,
            )
        )
    return tests


def missing_rvc_data(good: Good, thresholds: dict[str, float]) -> str | None:
    """Why no RVC method could be run, or None."""
    if "transaction_value" in thresholds and good.tv is not None:
        return None
    if "net_cost" in thresholds and good.net_cost is not None:
        return None
    allowed = " or ".join(m.replace("_", " ") for m in thresholds)
    return f"the rule allows only the {allowed} method and the BOM does not give that value"


def de_minimis_base(good: Good) -> tuple[float, str] | None:
    """The value de minimis is measured against: the adjusted TV or the total cost, at the producer's choice
    (s. 5(1)(a)(i)-(ii), 5(4)(a)); with both known, the larger (the more favourable) is used."""
    bases = []
    if good.tv is not None:
        bases.append((good.tv, "transaction value"))
    if good.net_cost is not None:
        bases.append((good.net_cost.total_cost, "total cost"))
    return max(bases, default=None)


def _between(code: str, low: str, high: str) -> bool:
    return low <= code[: len(low)] <= high


def _dairy(m: str) -> bool:
    return _between(m, "0401", "0406") or m[:6] in {"190190", "210690"}


_EXCEPTIONS: tuple[tuple[str, Callable[[str, str], bool]], ...] = (
    ("s. 5(3)(a)", lambda m, g: _dairy(m) and _between(g, "0401", "0406")),
    (
        "s. 5(3)(b)",
        lambda m, g: (
            _dairy(m) and (g[:6] in {"190110", "190120", "190190", "210690", "220299", "230990"} or g[:4] == "2105")
        ),
    ),
    (
        "s. 5(3)(c)",
        lambda m, g: (
            (m[:4] == "0805" or _between(m, "200911", "200939"))
            and (_between(g, "200911", "200939") or g[:6] in {"210690", "220299"})
        ),
    ),
    ("s. 5(3)(d)", lambda m, g: m[:2] == "09" and g[:6] == "210111"),
    (
        "s. 5(3)(e)",
        lambda m, g: m[:2] == "15" and (_between(g, "1501", "1508") or g[:4] in {"1512", "1514", "1515"}),
    ),
    ("s. 5(3)(f)", lambda m, g: m[:4] == "1701" and _between(g, "1701", "1703")),
    ("s. 5(3)(g)", lambda m, g: (m[:2] == "17" or m[:4] == "1805") and g[:6] == "180610"),
    ("s. 5(3)(h)", lambda m, g: m[:2] in {"08", "20"} and g[:4] == "2008"),
    ("s. 5(3)(i)", lambda m, g: m[:4] == "2009" and (g[:6] == "200990" or g[:8] in {"21069092", "22029922"})),
    ("s. 5(3)(j)", lambda m, g: _between(m, "2203", "2208") and g[:4] in {"2207", "2208"}),
    ("s. 5(3)(k)", lambda m, g: 1 <= int(g[:2]) <= 27 and m[:6] == g[:6]),
    ("s. 5(3)(l)", lambda m, g: 50 <= int(g[:2]) <= 63),
)


@functools.lru_cache(maxsize=65536)
def de_minimis_exception(material_hs: str | None, good_hs: str) -> str | None:
    """The paragraph of s. 5(3) that bars de minimis for this material in this good, or None.

    Paragraph (h) is limited to pears, peaches and apricots; the BOM cannot tell fruit species apart, so
    every Chapter 8/20 material in a good of heading 20.08 is treated as excluded (the cautious reading).
    """
    for citation, applies in _EXCEPTIONS:
        if applies(material_hs or "00", good_hs):
            return citation
    return None


def _share_of_base(good: Good, amount: float, name: str, citation: str, what: str) -> Test | None:
    """`amount` as a share of the de minimis base, at most 10% (s. 5(1), 5(4)); None without a base."""
    base = de_minimis_base(good)
    if base is None:
        return None
    share = amount / base[0] * 100.0
    limit = limits.de_minimis_share()
    limit = DE_MINIMIS_SHARE if limit is None else limit
    return Test(
        name,
        citation,
        share <= limit + EPSILON,
        share,
        limit,
        "<=",
        inputs=f"{what} {amount:,.2f} of {base[1]} {base[0]:,.2f}",
        base=base[0],
    )


def value_de_minimis(good: Good, failing: Sequence[Material]) -> Test | None:
    """s. 5(1): non-originating materials failing the shift are at most 10% of TV or total cost."""
    amount = sum(m.own_vnm for m in failing)
    return _share_of_base(
        good, amount, "De minimis (value)", "SOR/2020-155 s. 5(1); USMCA Art. 4.12.1", "failing materials"
    )


def rvc_de_minimis(good: Good, vnm: float) -> Test | None:
    """s. 5(4): all non-originating materials at most 10% of TV or total cost -> no RVC required."""
    return _share_of_base(good, vnm, "De minimis (RVC not required)", "SOR/2020-155 s. 5(4)", "VNM")


def textile_de_minimis(good: Good, failing: Sequence[Material], materials: Sequence[Material]) -> list[Test]:
    """s. 5(6) (Chapters 50-60, heading 96.19) and s. 5(7)-(9) (Chapters 61-63, component only), by weight.

    Returns no test when weights are missing (the rule cannot be applied without them).
    """
    chapter = int(good.hs[:2])
    if 61 <= chapter <= 63:
        pool = [m for m in materials if m.component and not (m.indirect or m.packing or m.packaging)]
        total = sum(m.weight or 0.0 for m in pool)
        failing = [m for m in failing if m.component]
        citation, base_name = "SOR/2020-155 s. 5(7)-(9)", "component"
    elif 50 <= chapter <= 60 or good.hs[:4] == "9619":
        total = good.weight or 0.0
        citation, base_name = "SOR/2020-155 s. 5(6)", "good"
    else:
        return []
    if total <= 0 or any(m.weight is None for m in failing):
        return []
    weight = sum(m.weight or 0.0 for m in failing)
    elastic = sum(m.weight or 0.0 for m in failing if m.elastomeric)
    share, elastic_share = weight / total * 100.0, elastic / total * 100.0
    return [
        Test(
            "De minimis (weight)",
            citation,
            share <= TEXTILE_WEIGHT_SHARE + EPSILON,
            share,
            TEXTILE_WEIGHT_SHARE,
            "<=",
            inputs=f"failing materials {weight:g} of {base_name} weight {total:g}",
        ),
        Test(
            "De minimis (elastomeric weight)",
            citation,
            elastic_share <= ELASTOMERIC_SHARE + EPSILON,
            elastic_share,
            ELASTOMERIC_SHARE,
            "<=",
            inputs=f"elastomeric {elastic:g} of {base_name} weight {total:g}",
        ),
    ]


SET_CITATION = "SOR/2020-155 s. 6(2)-(4); 19 U.S.C. 4531(m); USMCA Art. 4.17"


def set_test(good: Good, materials: Sequence[Material]) -> Test:
    """s. 6(2)-(3), 19 U.S.C. 4531(m): a set originates only if each good in it originates or its non-originating
    goods are at most 10% of the set's value, notwithstanding the product-specific rule of its heading."""
    items = [m for m in materials if not (m.indirect or m.packing or m.within)]
    non_originating = sum(m.value for m in items if not m.originating)
    base = good.tv if good.tv is not None else (good.net_cost.value if good.net_cost else None)
    if not base:
        if non_originating == 0:
            return Test("Set (non-originating goods)", SET_CITATION, True, inputs="every good in the set originates")
        inputs = "the set's value is needed (good.transaction_value or net_cost) to weigh its non-originating goods"
        return Test("Set (non-originating goods)", SET_CITATION, False, inputs=inputs)
    share = non_originating / base * 100.0
    return Test(
        "Set (non-originating goods)",
        SET_CITATION,
        share <= SET_SHARE + EPSILON,
        share,
        SET_SHARE,
        "<=",
        inputs=f"non-originating goods {non_originating:,.2f} of set value {base:,.2f}",
    )
