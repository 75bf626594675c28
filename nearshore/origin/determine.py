"""Origin determination: runs every applicable USMCA test on one bill of materials.

Order (SOR/2020-155 Part 2; USMCA Art. 4.2): wholly obtained (A, s. 3(1)); produced exclusively from
originating materials (C, s. 3(3)); the product-specific rule with de minimis (B, s. 3(2), 5); the parts
provision (D, s. 3(4)); sets (s. 6); and for vehicles the Part 6 tests (s. 13-18).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from nearshore.data.reference.hs import dotted
from nearshore.errors import InputError
from nearshore.origin import general
from nearshore.origin.automotive.other_vehicles import (
    is_vehicle_code,
    other_part_thresholds,
    other_vehicle_thresholds,
    table_notes,
    traced_vnm,
)
from nearshore.origin.automotive.phase import ENTRY_INTO_FORCE
from nearshore.origin.automotive.vehicle import (
    automotive_tests,
    part_thresholds,
    vehicle_class_of,
    vehicle_thresholds,
)
from nearshore.origin.bom import BOM, Good, Material
from nearshore.origin.intermediate import nesting_test
from nearshore.origin.psr import rules_for_good, shift_memo
from nearshore.origin.result import AlternativeResult, Criterion, Determination, Test
from nearshore.origin.rules.model import (
    Alternative,
    CodeRange,
    ProcessRule,
    ProductRule,
    RvcRequirement,
    TariffShift,
)
from nearshore.origin.textiles import chapter_rule_tests


def _hit(shift: TariffShift, memo: dict[str, bool], hs: str, good_hs: str) -> bool:
    hit = memo.get(hs)
    if hit is None:
        hit = memo[hs] = shift.satisfied_by(hs, good_hs)
    return hit


_RULE_TEXT: dict[tuple[TariffShift, ...], str] = {}  # structured reading of an alternative's shifts


_DESCRIBED: dict[Alternative, tuple[dict[str, tuple[CodeRange, ...]], frozenset[str]]] = {}


def _described_codes(alt: Alternative) -> tuple[dict[str, tuple[CodeRange, ...]], frozenset[str]]:
    """The alternative's "material description: ..." conditions: those of described sources ("from parts
    of brakes of 8708.30") with their ranges, and those of described except-from codes."""
    found = _DESCRIBED.get(alt)
    if found is None:
        sources: dict[str, tuple[CodeRange, ...]] = {}
        excepted: set[str] = set()
        for shift in alt.tariff_shifts:
            for r in shift.from_scope:
                key = f"material description: {r}"
                sources[key] = (*sources.get(key, ()), r)
            excepted.update(f"material description: {r}" for r in shift.exceptions)
        if len(_DESCRIBED) > 10_000:
            _DESCRIBED.clear()
        found = _DESCRIBED[alt] = (sources, frozenset(excepted - set(sources)))
    return found


def _unverified(alt: Alternative, candidates: Sequence[Material]) -> tuple[str, ...]:
    """The alternative's conditions that codes and values cannot check, as far as they matter here.

    A described except-from code is excepted whole (the stricter reading), so its description asks
    nothing of the producer; a described source matters only when a non-originating material lies in it.
    """
    texts = [c.text for c in alt.conditions if isinstance(c, ProcessRule)]
    if not any(t.startswith("material description: ") for t in texts):
        return tuple(texts)
    sources, excepted = _described_codes(alt)
    codes = [m.hs for m in candidates if m.hs is not None]
    return tuple(
        t
        for t in texts
        if t not in excepted and (t not in sources or any(r.contains(hs) for r in sources[t] for hs in codes))
    )


def _vehicle_rule(good: Good, thresholds: dict[str, float], citation: str) -> ProductRule:
    """s. 13: a change from any other heading plus RVC (net cost) at the phase-in level in force."""
    text = (
        f"A change to subheading {dotted(good.hs, 'subheading')} from any other heading, provided there is an RVC "
        f"of not less than {thresholds['net_cost']:g}% under the net cost method."
    )
    shift = TariffShift("heading", (CodeRange.single(good.hs[:4]),))
    alt = Alternative((shift, RvcRequirement(None, thresholds["net_cost"])), text=text)
    return ProductRule(
        id="part6-s13",
        citation=citation,
        chapter="87",
        kind="psr",
        scope=(CodeRange.single(good.hs[:6]),),
        text=text,
        alternatives=(alt,),
    )


def _heavy_truck_core(good: Good) -> bool:
    """s. 15(4): engines of 84.07/84.08, gear boxes of 8708.40 and chassis of 8708.99 for heavy trucks."""
    return (
        good.for_vehicle == "heavy_truck"
        and good.original_equipment
        and (good.hs[:4] in {"8407", "8408"} or good.hs[:6] == "870840" or (good.hs[:6] == "870899" and good.chassis))
    )


def _thresholds(req: RvcRequirement, delta: float) -> dict[str, float]:
    out = {}
    if req.transaction_value is not None:
        out["transaction_value"] = req.transaction_value + delta
    if req.net_cost is not None:
        out["net_cost"] = req.net_cost + delta
    return out


def _de_minimis(good: Good, failing: list[Material], materials: Sequence[Material]) -> tuple[bool, list[Test]]:
    """s. 5(1), 5(3), 5(6)-(10): can the materials that fail the shift be disregarded?"""
    barred = [(m, general.de_minimis_exception(m.hs, good.hs)) for m in failing]
    chapter = int(good.hs[:2])
    if 50 <= chapter <= 63 or good.hs[:4] == "9619":
        tests = general.textile_de_minimis(good, failing, materials)
        if not tests:
            return False, [
                Test(
                    "De minimis (weight)",
                    "SOR/2020-155 s. 5(6)-(7)",
                    False,
                    inputs="weights of the good/component and of each failing material are needed",
                )
            ]
        return all(t.passed for t in tests), tests
    blocked = [f"line {m.line} ({why})" for m, why in barred if why]
    if blocked:
        return False, [
            Test(
                "De minimis (value)",
                "SOR/2020-155 s. 5(3)",
                False,
                inputs="not available for " + ", ".join(blocked),
            )
        ]
    test = general.value_de_minimis(good, failing)
    if test is None:
        return False, []
    return test.passed, [test]


def _alternative(
    bom: BOM,
    rule: ProductRule,
    alt: Alternative,
    delta: float,
    part: tuple[str, dict[str, float], str] | None,
    vnm: float,
    candidates: Sequence[Material],
) -> AlternativeResult:
    good, materials = bom.good, bom.materials
    shifts = alt.tariff_shifts
    req = alt.rvc
    tests: list[Test] = []
    unverified = _unverified(alt, candidates)
    thresholds = _thresholds(req, delta) if req is not None else {}
    citation = rule.citation
    if part is not None:
        table, part_req, part_citation = part
        if req is not None:
            thresholds = {k: v + delta for k, v in part_req.items() if k in thresholds or k == "net_cost"}
            citation = f"{rule.citation}; {part_citation}"
        elif table == "A.1" or _heavy_truck_core(good):
            what = "a Table A.1 part" if table == "A.1" else "a heavy-truck engine, gear box or chassis (s. 15(4))"
            return AlternativeResult(
                rule.id,
                rule.citation,
                alt.label,
                alt.text or rule.text,
                False,
                (
                    Test(
                        "Core part rule",
                        part_citation,
                        False,
                        inputs=f"{what} originates only under an RVC alternative",
                    ),
                ),
            )
    failing: list[Material] = []
    rule_text = _RULE_TEXT.get(shifts)
    if rule_text is None:
        if len(_RULE_TEXT) > 10_000:
            _RULE_TEXT.clear()
        rule_text = _RULE_TEXT[shifts] = "; ".join(s.describe() for s in shifts) or "no shift required"
    good_hs = good.hs
    if len(shifts) == 1:
        shift, memo = shifts[0], shift_memo(shifts[0], good_hs)
        for m in candidates:
            hs = m.hs
            if hs is None:
                failing.append(m)
                continue
            hit = memo.get(hs)
            if hit is None:
                hit = memo[hs] = shift.satisfied_by(hs, good_hs)
            if not hit:
                failing.append(m)
    elif shifts:
        checks = [(s, shift_memo(s, good_hs)) for s in shifts]
        for m in candidates:
            if m.hs is None or not all(_hit(s, memo, m.hs, good_hs) for s, memo in checks):
                failing.append(m)
    shift_pass, used = True, False
    if failing and shifts:
        shift_pass, dm_tests = _de_minimis(good, failing, materials)
        tests.extend(dm_tests)
        used = shift_pass
    if shifts:
        passed = len(candidates) - len(failing)
        tests.insert(
            0,
            Test(
                "Tariff shift",
                citation,
                not failing,
                inputs=(
                    f"{passed} of {len(candidates)} non-originating materials meet: {rule_text}"
                    if candidates
                    else f"no non-originating material is subject to the change: {rule_text}"
                ),
            ),
        )
    rvc_pass = True
    if thresholds:
        exempt = general.rvc_de_minimis(good, vnm)
        if exempt is not None and exempt.passed:
            tests.append(exempt)
            used = True
        else:
            run = general.rvc_tests(good, vnm, thresholds, citation)
            if not run:
                run = [Test("RVC", citation, False, inputs=general.missing_rvc_data(good, thresholds) or "")]
            tests.extend(run)
            rvc_pass = any(t.passed for t in run)
    attested = "*" in good.conditions_met or alt.label.strip("() ").upper() in good.conditions_met
    qualifies = shift_pass and rvc_pass and (not unverified or attested)
    return AlternativeResult(
        rule.id,
        citation,
        alt.label,
        alt.text or rule.text,
        qualifies,
        tuple(tests),
        tuple(candidates) if shifts else (),
        used and qualifies,
        unverified,
        shift_pass and rvc_pass and bool(unverified) and not qualifies,
        frozenset(m.line for m in failing),
        rule_text,
    )


def _parts_provision(bom: BOM, alternatives: list[AlternativeResult], vnm: float, delta: float) -> list[Test] | None:
    """s. 3(4): RVC 60% (TV) / 50% (NC) instead of the shift, for (a) a good whose failing materials are
    parts of its own subheading, or (b) a good imported unassembled but classified as assembled (GRI 2(a)).

    Paragraph (a) covers materials "provided for as parts" (USMCA Art. 4.2(d)); the BOM does not mark parts,
    so same-subheading materials are taken as parts only outside Chapters 1-27 and 50-63 (goods without parts
    provisions, and the textile chapters). Neither paragraph applies to Chapters 61-63.
    """
    good = bom.good
    chapter = int(good.hs[:2])
    if 61 <= chapter <= 63:
        return None
    citation = "SOR/2020-155 s. 3(4)(b); USMCA Art. 4.2(d)(ii)"
    if not good.unassembled:
        if chapter <= 27 or 50 <= chapter <= 60:
            return None
        by_line = {m.line: m for m in bom.materials}
        if not any(
            a.failed_lines and all(_same_subheading(by_line[n], good) for n in a.failed_lines) for a in alternatives
        ):
            return None
        citation = "SOR/2020-155 s. 3(4)(a); USMCA Art. 4.2(d)(i)"
    exempt = general.rvc_de_minimis(good, vnm)
    if exempt is not None and exempt.passed:
        return [exempt]
    thresholds = {k: v + delta for k, v in general.STANDARD_RVC.items()}
    return general.rvc_tests(good, vnm, thresholds, citation)


def _same_subheading(material: Material, good: Good) -> bool:
    return material.hs is not None and material.hs[:6] == good.hs[:6]


def require_in_force(on: dt.date) -> dt.date:
    """`on`, or an InputError when it is before USMCA entered into force (no rule of origin applies then)."""
    if on < ENTRY_INTO_FORCE:
        raise InputError(
            f"date {on.isoformat()} is before USMCA entered into force ({ENTRY_INTO_FORCE.isoformat()}); "
            "its rules of origin apply from that day: give a later --date"
        )
    return on


def determine(
    bom: BOM,
    on: dt.date | None = None,
    *,
    rules: Sequence[ProductRule] | None = None,
    threshold_delta: float = 0.0,
) -> Determination:
    """Run every applicable test on `bom` as of `on` (default today).

    `rules` replaces the rule lookup (the BOM's `rule:` or the shipped GN 11 rules); `threshold_delta`
    raises every RVC threshold by that many points (rule-change scenarios).
    """
    on = require_in_force(on or dt.date.today())
    good, materials = bom.good, bom.materials
    notes: list[str] = []
    vnm = general.vnm_of(materials)
    traced = traced_vnm(good, materials)
    if traced is not None:
        vnm = traced[0]
        notes.append(
            "VNM of Table F/G materials taken as the VNM used in their production (SOR/2020-155 "
            "s. 20(4)(a)(ii)): " + "; ".join(traced[1])
        )
    rvc_values: dict[str, float | None] = {
        "transaction_value": general.rvc(good.tv, vnm) if good.tv else None,
        "net_cost": general.rvc(good.net_cost.value, vnm) if good.net_cost else None,
    }
    klass = vehicle_class_of(good.hs)
    if klass is None and good.hs.startswith("8706") and bom.vehicle is not None and not good.other_vehicle:
        klass = bom.vehicle.vehicle_class  # chassis fitted with an engine for use in such a vehicle (s. 12)
    other_rule = other_vehicle_thresholds(good)
    if good.other_vehicle and other_rule is None and is_vehicle_code(good.hs):
        notes.append(
            f"good.other_vehicle {good.other_vehicle} does not fit HS {dotted(good.hs)} (SOR/2020-155 s. 20); "
            "not applied"
        )
    if other_rule is not None:
        klass = None
        if bom.vehicle is not None:
            notes.append(
                "the vehicle: section was not used: a vehicle of SOR/2020-155 s. 20 has only the RVC requirement"
            )
    elif bom.vehicle is not None and klass is None:
        notes.append(
            f"the vehicle: section was not used: HS {dotted(good.hs)} is not a passenger vehicle, light truck or "
            "heavy truck (SOR/2020-155 s. 12); for a part, give good.for_vehicle instead"
        )
    if bom.vehicle is not None and klass is not None and bom.vehicle.vehicle_class != klass:
        notes.append(
            f"vehicle.class {bom.vehicle.vehicle_class} differs from the class of HS {dotted(good.hs)} "
            f"({klass}); using {bom.vehicle.vehicle_class}"
        )
        klass = bom.vehicle.vehicle_class
    vehicle_rule = vehicle_thresholds(klass, on, bom.vehicle) if klass else other_rule
    if rules is None:
        if vehicle_rule is not None and bom.rule is None:
            rules = [_vehicle_rule(good, *vehicle_rule)]
        else:
            rules = rules_for_good(bom, on)
    part = part_thresholds(good, on) or other_part_thresholds(good)
    notes.extend(table_notes(good))
    auto = automotive_tests(bom, on) if klass else []
    if klass and bom.vehicle is None:
        auto = [
            Test(
                "Vehicle data",
                "SOR/2020-155 s. 14-18",
                False,
                inputs="a vehicle needs a vehicle: section (core parts, labour value, steel/aluminum)",
            )
        ]
    auto_ok = all(t.passed for t in auto)

    tests: list[Test] = []
    criterion: Criterion | None = None
    basis = ""
    relevant = [m for m in materials if not (m.indirect or m.packing)]
    if good.wholly_obtained:
        if any(not m.originating for m in relevant):
            notes.append("wholly_obtained is claimed but the BOM lists non-originating materials; not applied")
        else:
            criterion, basis = "A", "wholly obtained or produced (SOR/2020-155 s. 3(1))"
    if criterion is None and relevant and vnm == 0 and all(m.originating for m in relevant):
        criterion, basis = "C", "produced exclusively from originating materials (SOR/2020-155 s. 3(3))"
    if good.is_set:
        set_result = general.set_test(good, materials)
        if set_result is not None:
            tests.append(set_result)
            if criterion is None and set_result.passed:
                criterion, basis = "B", "set with non-originating goods within 10% of its value (s. 6(3))"
    candidates = [m for m in materials if m.counts_for_shift]
    if 61 <= int(good.hs[:2]) <= 63:  # only the component that determines classification (s. 5(9))
        candidates = [m for m in candidates if m.component]
    alternatives = [
        _alternative(bom, rule, alt, threshold_delta, part, vnm, candidates)
        for rule in rules
        for alt in rule.alternatives
    ]
    if not rules and criterion is None:
        notes.append(
            f"no product-specific rule found for HS {dotted(good.hs)}; only criteria A and C could be "
            "tested (add a rule: section to the BOM to test a rule)"
        )
    chosen = next((a for a in alternatives if a.qualifies), None)
    if criterion is None and chosen is not None:
        label = f" {chosen.label}" if chosen.label else ""
        criterion, basis = "B", f"{chosen.citation}{label}: {chosen.text}"
    for alt in alternatives:
        if criterion is None and alt.unverified and alt.met_but_conditions:
            label = f" {alt.label}" if alt.label else ""
            notes.append(
                f"{alt.citation}{label} would qualify if the producer attests (good.conditions_met): "
                + "; ".join(alt.unverified)
            )
    if criterion is None and not good.is_set:
        provision = _parts_provision(bom, alternatives, vnm, threshold_delta)
        if provision:
            tests.extend(provision)
            if any(t.passed for t in provision):
                which = "unassembled good (s. 3(4)(b))" if good.unassembled else "parts provision (s. 3(4)(a))"
                criterion, basis = "D", f"{which}, SOR/2020-155"
    chapter_rules = chapter_rule_tests(good, materials)
    nesting = nesting_test(materials)
    if nesting is not None:
        chapter_rules.append(nesting)
    tests.extend(chapter_rules)
    chapter_ok = all(t.passed for t in chapter_rules)
    qualifies = criterion is not None and auto_ok and chapter_ok
    if criterion is not None and not auto_ok:
        notes.append("meets the rule of origin but fails an automotive requirement of Part 6")
    if criterion is not None and not chapter_ok:
        notes.append(
            "meets the product-specific rule but fails a chapter rule of GN 11(o) or the s. 8(6) proviso "
            "(see the tests)"
        )
    return Determination(
        source=bom.source,
        description=good.description,
        hs=good.hs,
        date=on,
        qualifies=qualifies,
        criterion=criterion if qualifies else None,
        basis=basis if qualifies else "",
        vnm=vnm,
        rvc=rvc_values,
        tests=tuple(tests),
        alternatives=tuple(alternatives),
        automotive=tuple(auto),
        de_minimis_used=bool(chosen and chosen.de_minimis_used and criterion == "B"),
        notes=tuple(notes),
    )
