"""Origin determination: runs every applicable USMCA test on one bill of materials.

Order (SOR/2020-155 Part 2; 19 U.S.C. 4531(c)(1)): a Table 2.10.1 good when claimed (E, s. 3(7)); wholly
obtained (A, s. 3(1)); produced exclusively from originating materials (C, s. 3(3)); sets (s. 6, which no rule
overrides); the product-specific rule with de minimis (B, s. 3(2), 5); the parts provision (D, s. 3(4),
`parts.py`); and for vehicles the Part 6 tests (s. 13-20). Designated intermediate materials take the origin
their listed inputs give them, and the tariff shift looks at the inputs listed under self-produced and
accumulated materials (`nested.py`). Each alternative of a rule is tested by `alternative.evaluate`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from nearshore.data.reference.hs import dotted
from nearshore.errors import InputError
from nearshore.origin import general
from nearshore.origin.alternative import PartRule, evaluate
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
from nearshore.origin.bom import BOM, Good, Material, VehicleClass
from nearshore.origin.intermediate import nesting_test
from nearshore.origin.nested import resolve_intermediates, shift_materials
from nearshore.origin.parts import parts_provision
from nearshore.origin.psr import rules_for_good
from nearshore.origin.result import AlternativeResult, Criterion, Determination, Test
from nearshore.origin.rules.model import Alternative, CodeRange, ProductRule, RvcRequirement, TariffShift
from nearshore.origin.schedule2 import table_test
from nearshore.origin.textiles import chapter_rule_tests

VehicleRule = tuple[dict[str, float], str]  # (RVC thresholds, citation) of a vehicle (s. 13) or s. 20 vehicle


@dataclass
class _Findings:
    """What the determination has established so far: the criterion met and why, the tests run, the notes."""

    notes: list[str] = field(default_factory=list)
    tests: list[Test] = field(default_factory=list)
    blocking: list[Test] = field(default_factory=list)  # tests a rule cannot override (sets, s. 6)
    criterion: Criterion | None = None
    basis: str = ""

    def meet(self, criterion: Criterion, basis: str) -> None:
        """Record a criterion, unless one was met already (E before A before C before B before D)."""
        if self.criterion is None:
            self.criterion, self.basis = criterion, basis


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


def require_in_force(on: dt.date) -> dt.date:
    """`on`, or an InputError when it is before USMCA entered into force (no rule of origin applies then)."""
    if on < ENTRY_INTO_FORCE:
        raise InputError(
            f"date {on.isoformat()} is before USMCA entered into force ({ENTRY_INTO_FORCE.isoformat()}); "
            "its rules of origin apply from that day: give a later --date",
            field="date",
            value=on.isoformat(),
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
    bom, derived = resolve_intermediates(bom, on, determine)
    good, materials = bom.good, bom.materials
    found = _Findings(notes=derived)
    vnm = _vnm(good, materials, found.notes)
    klass, vehicle_rule = _vehicle_regime(bom, on, found.notes)
    if rules is None:
        rules = _default_rules(bom, on, vehicle_rule)
    part: PartRule | None = part_thresholds(good, on) or other_part_thresholds(good)
    found.notes.extend(table_notes(good))
    auto = _automotive(bom, on, klass)
    listed = table_test(good)
    if listed is not None:
        found.tests.append(listed)
        if listed.passed:
            found.meet("E", f"a good of Table 2.10.1 imported from {good.country} (SOR/2020-155 s. 3(7))")
    shifting = shift_materials(materials)  # the lines the shift looks at, inputs in place of what they make up
    _whole_good(bom, shifting, vnm, found)
    candidates = _shift_candidates(good, shifting)
    alternatives = [
        evaluate(bom, rule, alt, threshold_delta, part, vnm, candidates) for rule in rules for alt in rule.alternatives
    ]
    chosen = _by_rule(good, rules, alternatives, found)
    if found.criterion is None and not good.is_set:
        _parts(bom, alternatives, vnm, threshold_delta, found)
    chapter_rules = chapter_rule_tests(good, materials)
    nesting = nesting_test(materials)
    if nesting is not None:
        chapter_rules.append(nesting)
    found.tests.extend(chapter_rules)
    qualifies = _qualifies(found, auto, chapter_rules)
    return Determination(
        source=bom.source,
        description=good.description,
        hs=good.hs,
        date=on,
        qualifies=qualifies,
        criterion=found.criterion if qualifies else None,
        basis=found.basis if qualifies else "",
        vnm=vnm,
        rvc={
            "transaction_value": general.rvc(good.tv, vnm) if good.tv else None,
            "net_cost": general.rvc(good.net_cost.value, vnm) if good.net_cost else None,
        },
        tests=tuple(found.tests),
        alternatives=tuple(alternatives),
        automotive=tuple(auto),
        de_minimis_used=bool(chosen and chosen.de_minimis_used and found.criterion == "B"),
        notes=tuple(found.notes),
    )


def rules_applied(bom: BOM, on: dt.date) -> list[ProductRule]:
    """The rules `determine` tests when given none: a vehicle's own rule (s. 13, s. 20) unless the BOM gives a
    `rule:`, else the BOM's rule or the good's shipped GN 11 rules (e.g. to change them for a scenario)."""
    return _default_rules(bom, on, _vehicle_regime(bom, on, [])[1])


def _default_rules(bom: BOM, on: dt.date, vehicle_rule: VehicleRule | None) -> list[ProductRule]:
    if vehicle_rule and bom.rule is None:
        return [_vehicle_rule(bom.good, *vehicle_rule)]
    return rules_for_good(bom, on)


def _vnm(good: Good, materials: Sequence[Material], notes: list[str]) -> float:
    """The value of non-originating materials; s. 20(4)(a)(ii) tracing for Table F/G materials, noted."""
    traced = traced_vnm(good, materials)
    if traced is None:
        return general.vnm_of(materials)
    notes.append(
        "VNM of Table F/G materials taken as the VNM used in their production (SOR/2020-155 "
        "s. 20(4)(a)(ii)): " + "; ".join(traced[1])
    )
    return traced[0]


def _vehicle_regime(bom: BOM, on: dt.date, notes: list[str]) -> tuple[VehicleClass | None, VehicleRule | None]:
    """The Part 6 vehicle class (s. 12) of the good, if any, and the vehicle's own RVC rule (s. 13 or s. 20)."""
    good = bom.good
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
    return klass, vehicle_thresholds(klass, on, bom.vehicle) if klass else other_rule


def _automotive(bom: BOM, on: dt.date, klass: VehicleClass | None) -> list[Test]:
    """The Part 6 tests of a vehicle (s. 14-18): core parts, labour value, steel and aluminum."""
    if not klass:
        return []
    if bom.vehicle is None:
        inputs = "a vehicle needs a vehicle: section (core parts, labour value, steel/aluminum)"
        return [Test("Vehicle data", "SOR/2020-155 s. 14-18", False, inputs=inputs)]
    return automotive_tests(bom, on)


def _whole_good(bom: BOM, shifting: Sequence[Material], vnm: float, found: _Findings) -> None:
    """Criteria that look at the good as a whole: wholly obtained (A), all materials originating (C), sets."""
    good = bom.good
    # only a good claimed wholly obtained, or without non-originating value, needs its materials looked at
    relevant = [m for m in shifting if not (m.indirect or m.packing)] if good.wholly_obtained or vnm == 0 else []
    if good.wholly_obtained:
        if any(not m.originating for m in relevant):
            found.notes.append("wholly_obtained is claimed but the BOM lists non-originating materials; not applied")
        else:
            found.meet("A", "wholly obtained or produced (SOR/2020-155 s. 3(1))")
    if relevant and vnm == 0 and all(m.originating for m in relevant):
        found.meet("C", "produced exclusively from originating materials (SOR/2020-155 s. 3(3))")
    if good.is_set:
        set_result = general.set_test(good, bom.materials)
        found.tests.append(set_result)
        if set_result.passed:
            found.meet("B", "set with non-originating goods within 10% of its value (s. 6(3))")
        else:
            found.blocking.append(set_result)


def _shift_candidates(good: Good, shifting: Sequence[Material]) -> list[Material]:
    """The materials the tariff shift looks at (the inputs listed under self-produced and accumulated materials
    in their place, `nested.shift_materials`); in Chapters 61-63 only the component that determines
    classification (s. 5(9))."""
    candidates = [m for m in shifting if m.counts_for_shift]
    if 61 <= int(good.hs[:2]) <= 63:
        candidates = [m for m in candidates if m.component]
    return candidates


def _by_rule(
    good: Good, rules: Sequence[ProductRule], alternatives: list[AlternativeResult], found: _Findings
) -> AlternativeResult | None:
    """Criterion B from the first qualifying alternative (returned), with notes on what else could qualify."""
    if not rules and found.criterion is None:
        found.notes.append(
            f"no product-specific rule found for HS {dotted(good.hs)}; only criteria A and C could be "
            "tested (add a rule: section to the BOM to test a rule)"
        )
    chosen = next((a for a in alternatives if a.qualifies), None)
    if chosen is not None:
        label = f" {chosen.label}" if chosen.label else ""
        found.meet("B", f"{chosen.citation}{label}: {chosen.text}")
    for alt in alternatives:
        if found.criterion is None and alt.unverified and alt.met_but_conditions:
            label = f" {alt.label}" if alt.label else ""
            found.notes.append(
                f"{alt.citation}{label} would qualify if the producer attests (good.conditions_met): "
                + "; ".join(alt.unverified)
            )
    return chosen


def _parts(bom: BOM, alternatives: list[AlternativeResult], vnm: float, delta: float, found: _Findings) -> None:
    """Criterion D from the parts provision or the unassembled-goods provision (s. 3(4))."""
    provision = parts_provision(bom, alternatives, vnm, delta)
    if provision:
        found.tests.extend(provision)
        if any(t.passed and t.name != "Parts provision" for t in provision):  # a failing decision comes alone
            which = "unassembled good (s. 3(4)(b))" if bom.good.unassembled else "parts provision (s. 3(4)(a))"
            found.meet("D", f"{which}, SOR/2020-155")


def _qualifies(found: _Findings, auto: list[Test], chapter_rules: list[Test]) -> bool:
    """A criterion is met and the Part 6, chapter-rule and set tests pass; notes say which of them failed. A Table
    2.10.1 good originates whatever the rule (s. 3(7))."""
    if found.criterion == "E":
        return True
    if found.blocking:
        found.notes.append(
            "a set whose non-originating goods exceed 10% of its value is not originating, whatever the "
            'product-specific rule of its heading (SOR/2020-155 s. 6(2)-(3); 19 U.S.C. 4531(m), "notwithstanding '
            'the rules set forth in Annex 4-B")'
        )
        return False
    auto_ok = all(t.passed for t in auto)
    chapter_ok = all(t.passed for t in chapter_rules)
    if found.criterion is not None and not auto_ok:
        found.notes.append("meets the rule of origin but fails an automotive requirement of Part 6")
    if found.criterion is not None and not chapter_ok:
        found.notes.append(
            "meets the product-specific rule but fails a chapter rule of GN 11(o) or the s. 8(6) proviso "
            "(see the tests)"
        )
    return found.criterion is not None and auto_ok and chapter_ok
