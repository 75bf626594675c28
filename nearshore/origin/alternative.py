"""One alternative of a product-specific rule, tested on a bill of materials: the tariff shift of every
non-originating material (with de minimis, s. 5), the regional value content (s. 7), and the conditions codes
and values cannot check (which the producer may attest).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import NamedTuple

from nearshore.origin import general
from nearshore.origin.bom import BOM, Good, Material
from nearshore.origin.psr import shift_memo
from nearshore.origin.result import AlternativeResult, Test
from nearshore.origin.rules.model import Alternative, CodeRange, ProcessRule, ProductRule, RvcRequirement, TariffShift

PartRule = tuple[str, dict[str, float], str]  # (Part 6 table, RVC thresholds, citation) of an automotive part
# the ranges of an alternative's described sources by condition text, and its described except-from texts
DescribedCodes = tuple[dict[str, tuple[CodeRange, ...]], frozenset[str]]


def evaluate(
    bom: BOM,
    rule: ProductRule,
    alt: Alternative,
    delta: float,
    part: PartRule | None,
    vnm: float,
    candidates: Sequence[Material],
) -> AlternativeResult:
    """The alternative's outcome. `delta` raises every RVC threshold; `part` replaces them for automotive parts."""
    good = bom.good
    facts = _facts_of(alt)
    req = facts.rvc
    thresholds = _thresholds(req, delta) if req is not None else {}
    citation = rule.citation
    if part is not None:
        table, part_req, part_citation = part
        if req is not None:
            thresholds = {k: v + delta for k, v in part_req.items() if k in thresholds or k == "net_cost"}
            citation = f"{rule.citation}; {part_citation}"
        elif table == "A.1" or _heavy_truck_core(good):
            return _core_part_needs_rvc(rule, alt, table, part_citation)
    shifts, text = facts.shifts, facts.text
    failing = _failing(facts, good.hs, candidates)
    tests, shift_pass, used = _shift_tests(bom, bool(shifts), failing, candidates, citation, text)
    rvc_pass = True
    if thresholds:
        rvc_pass, rvc_used = _rvc_tests(good, vnm, thresholds, citation, tests)
        used = used or rvc_used
    unverified = _unverified(facts, candidates)
    attested = "*" in good.conditions_met or facts.label in good.conditions_met
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
        text,
    )


def _core_part_needs_rvc(rule: ProductRule, alt: Alternative, table: str, citation: str) -> AlternativeResult:
    """s. 14(2), 15(4): a core part (Table A.1, or a heavy-truck engine, gear box or chassis) originates only
    under an RVC alternative, so an alternative without one fails."""
    what = "a Table A.1 part" if table == "A.1" else "a heavy-truck engine, gear box or chassis (s. 15(4))"
    test = Test("Core part rule", citation, False, inputs=f"{what} originates only under an RVC alternative")
    return AlternativeResult(rule.id, rule.citation, alt.label, alt.text or rule.text, False, (test,))


@functools.lru_cache(maxsize=10_000)
def rule_text(shifts: tuple[TariffShift, ...]) -> str:
    """The structured reading of an alternative's shifts ('CTH to 8708 except 7208-7216')."""
    return "; ".join(s.describe() for s in shifts) or "no shift required"


class _Facts(NamedTuple):
    """What an alternative's evaluation reads from it every time, worked out once: its shifts, their text, its
    RVC requirement, and per good's code each shift with its memo (`psr.shift_memo`)."""

    alt: Alternative
    shifts: tuple[TariffShift, ...]
    text: str
    rvc: RvcRequirement | None
    label: str  # as good.conditions_met gives it: 'C' for '(C)'
    texts: tuple[str, ...]  # of its conditions codes and values cannot check (ProcessRule)
    described: DescribedCodes | None  # when a text is a "material description: ..."
    checks: dict[str, list[tuple[TariffShift, dict[str, bool]]]]


# id(alt) -> its facts, looked up by identity: hashing an alternative (or its shifts) walks every range of every
# condition. The alternative is kept in its facts so that its id is never reused while they live.
_facts: dict[int, _Facts] = {}
_FACTS_LIMIT = 10_000


def _facts_of(alt: Alternative) -> _Facts:
    found = _facts.get(id(alt))
    if found is not None and found.alt is alt:
        return found
    shifts = alt.tariff_shifts
    texts = tuple(c.text for c in alt.conditions if isinstance(c, ProcessRule))
    described = _described_codes(alt) if any(t.startswith("material description: ") for t in texts) else None
    facts = _Facts(alt, shifts, rule_text(shifts), alt.rvc, alt.label.strip("() ").upper(), texts, described, {})
    if len(_facts) < _FACTS_LIMIT:
        _facts[id(alt)] = facts
    return facts


def _failing(facts: _Facts, good_hs: str, candidates: Sequence[Material]) -> list[Material]:
    """The candidate materials that do not make every required change (a material without a code never does)."""
    if not facts.shifts:
        return []
    checks = facts.checks.get(good_hs)
    if checks is None:
        checks = [(shift, shift_memo(shift, good_hs)) for shift in facts.shifts]
        if len(facts.checks) < _FACTS_LIMIT:
            facts.checks[good_hs] = checks
    failing = []
    for m in candidates:
        hs = m.hs
        if hs is None:
            failing.append(m)
            continue
        for shift, memo in checks:
            hit = memo.get(hs)
            if hit is None:
                hit = memo[hs] = shift.satisfied_by(hs, good_hs)
            if not hit:
                failing.append(m)
                break
    return failing


def _shift_tests(
    bom: BOM,
    shifts: bool,
    failing: list[Material],
    candidates: Sequence[Material],
    citation: str,
    text: str,
) -> tuple[list[Test], bool, bool]:
    """(tests, passed, de minimis used) of the tariff shift: the shift itself, then de minimis for its failures."""
    if not shifts:
        return [], True, False
    passed, tests = _de_minimis(bom.good, failing, bom.materials) if failing else (True, [])
    met = len(candidates) - len(failing)
    inputs = (
        f"{met} of {len(candidates)} non-originating materials meet: {text}"
        if candidates
        else f"no non-originating material is subject to the change: {text}"
    )
    return [Test("Tariff shift", citation, not failing, inputs=inputs), *tests], passed, bool(failing) and passed


def _rvc_tests(
    good: Good, vnm: float, thresholds: dict[str, float], citation: str, tests: list[Test]
) -> tuple[bool, bool]:
    """(passed, de minimis used) of the RVC requirement; its tests are appended to `tests`."""
    exempt = general.rvc_de_minimis(good, vnm)
    if exempt is not None and exempt.passed:
        tests.append(exempt)
        return True, True
    run = general.rvc_tests(good, vnm, thresholds, citation)
    if not run:
        run = [Test("RVC", citation, False, inputs=general.missing_rvc_data(good, thresholds) or "")]
    tests.extend(run)
    return any(t.passed for t in run), False


def _thresholds(req: RvcRequirement, delta: float) -> dict[str, float]:
    out = {}
    if req.transaction_value is not None:
        out["transaction_value"] = req.transaction_value + delta
    if req.net_cost is not None:
        out["net_cost"] = req.net_cost + delta
    return out


def _heavy_truck_core(good: Good) -> bool:
    """s. 15(4): engines of 84.07/84.08, gear boxes of 8708.40 and chassis of 8708.99 for heavy trucks."""
    return (
        good.for_vehicle == "heavy_truck"
        and good.original_equipment
        and (good.hs[:4] in {"8407", "8408"} or good.hs[:6] == "870840" or (good.hs[:6] == "870899" and good.chassis))
    )


def _de_minimis(good: Good, failing: list[Material], materials: Sequence[Material]) -> tuple[bool, list[Test]]:
    """s. 5(1), 5(3), 5(6)-(10): can the materials that fail the shift be disregarded?"""
    chapter = int(good.hs[:2])
    if 50 <= chapter <= 63 or good.hs[:4] == "9619":
        tests = general.textile_de_minimis(good, failing, materials)
        if not tests:
            inputs = "weights of the good/component and of each failing material are needed"
            return False, [Test("De minimis (weight)", "SOR/2020-155 s. 5(6)-(7)", False, inputs=inputs)]
        return all(t.passed for t in tests), tests
    barred = [(m, general.de_minimis_exception(m.hs, good.hs)) for m in failing]
    blocked = [f"line {m.line} ({why})" for m, why in barred if why]
    if blocked:
        inputs = "not available for " + ", ".join(blocked)
        return False, [Test("De minimis (value)", "SOR/2020-155 s. 5(3)", False, inputs=inputs)]
    test = general.value_de_minimis(good, failing)
    if test is None:
        return False, []
    return test.passed, [test]


def _described_codes(alt: Alternative) -> DescribedCodes:
    """The alternative's "material description: ..." conditions: those of described sources ("from parts
    of brakes of 8708.30") with their ranges, and those of described except-from codes."""
    sources: dict[str, tuple[CodeRange, ...]] = {}
    excepted: set[str] = set()
    for shift in alt.tariff_shifts:
        for r in shift.from_scope:
            key = f"material description: {r}"
            sources[key] = (*sources.get(key, ()), r)
        excepted.update(f"material description: {r}" for r in shift.exceptions)
    return sources, frozenset(excepted - set(sources))


def _unverified(facts: _Facts, candidates: Sequence[Material]) -> tuple[str, ...]:
    """The alternative's conditions that codes and values cannot check, as far as they matter here.

    A described except-from code is excepted whole (the stricter reading), so its description asks
    nothing of the producer; a described source matters only when a non-originating material lies in it.
    """
    texts = facts.texts
    if facts.described is None:
        return texts
    sources, excepted = facts.described
    codes = [m.hs for m in candidates if m.hs is not None]
    return tuple(
        t
        for t in texts
        if t not in excepted and (t not in sources or any(r.contains(hs) for r in sources[t] for hs in codes))
    )
