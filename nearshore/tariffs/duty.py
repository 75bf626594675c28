"""The stacked duty on one entry: the HTS rate, then every policy measure, then the stacking rules.

Every component is `rate x basis`, where the basis is one of a few named quantities of the entry (customs value,
metal value, value less metal, non-U.S. content, quantity). That keeps the calculation linear per line, origin
and date, which `batch.py` uses to vectorise many entries. The entry, component and result types are in
duty_types.py and the checks of an entry's fields in duty_inputs.py; both are re-exported here.
"""

from __future__ import annotations

from dataclasses import replace

from nearshore.data.reference.countries import Partner
from nearshore.errors import MissingInputError, TariffError, UnknownCodeError
from nearshore.tariffs.duty_inputs import (
    AMOUNT_LABELS,
    AMOUNT_LIMIT,
    HTS_FIX,
    ORIGIN_FIX,
    amount_problems,
    amount_text,
    hts_problem,
    import_origin,
    origin_problem,
    resolve_origin,
    unit_key,
)
from nearshore.tariffs.duty_types import (
    BASIS_LABELS,
    BasisKind,
    Component,
    DutyResult,
    Entry,
    basis_amount,
    percent,
)
from nearshore.tariffs.policy import Measure, Policy
from nearshore.tariffs.rates import Rate, Term
from nearshore.tariffs.schedule import Line, Schedule
from nearshore.tariffs.special import USMCA_PROGRAMS, program_rate

_REMAINDER: dict[str, BasisKind] = {"value": "none", "metal": "value-metal", "non-us": "us"}


def _base_rate(line: Line, origin: str, entry: Entry, policy: Policy) -> tuple[str, Rate | None, str, list[str]]:
    """(layer, rate, citation, notes) of the ordinary customs duty for this origin and programme."""
    notes: list[str] = []
    if origin in policy.column2:
        return "column 2", line.column2, policy.column2_citation, notes
    program = entry.program or ("S" if entry.usmca else None)
    if program:
        known = policy.programs.get(program)
        if known is not None and known.end is not None and entry.on > known.end:
            raise TariffError(
                f"programme {program} ({known.name}) cannot be claimed on {entry.on.isoformat()}: it "
                f"lapsed after {known.end.isoformat()} ({known.citation})",
                field="program",
                value=program,
            )
        if known is not None and known.countries is not None and origin not in known.countries:
            raise TariffError(
                f"programme {program} ({known.name}) is for goods of "
                f"{', '.join(sorted(known.countries))}, not {origin}",
                field="program",
                value=program,
            )
        programs = USMCA_PROGRAMS if program in USMCA_PROGRAMS else (program,)
        for code in programs:
            rate = program_rate(line.special, code)
            if rate is not None:
                return f"special ({code})", rate, f"General Note 3(c)(i); HTS {line.display} special column", notes
        notes.append(f"HTS {line.display} lists no special rate for programme {program}; the general rate applies")
    return "general", line.general, "General Note 3(a); HTS column 1 general", notes


def _base_components(line: Line, rate: Rate | None, layer: str, citation: str, entry: Entry) -> list[Component]:
    """The ordinary customs duty: one component per term of the rate (ad valorem, specific, a reference)."""
    if rate is None:
        raise TariffError(
            f"HTS {line.display} has no {layer} rate in this revision; choose a tariff line with a rate",
            field="hts",
            value=entry.hts,
        )
    out = [_base_term(line, rate, term, layer, citation, entry) for term in rate.terms]
    if not out:  # free
        out.append(Component(layer, "HTS", line.display, "value", entry.value, 0.0, "Free", 0.0, citation))
    return out


def _base_term(line: Line, rate: Rate, term: Term, layer: str, citation: str, entry: Entry) -> Component:
    if term.kind == "ad_valorem":
        shown = percent(term.value) + (f" {term.qualifier}" if term.qualifier else "")
        note = (
            f"rate {term.qualifier}: applied to the whole value (give the component values to refine)"
            if term.qualifier
            else ""
        )
        amount = term.value * entry.value
        return Component(layer, "HTS", line.display, "value", entry.value, term.value, shown, amount, citation, note)
    if term.kind != "specific":
        note = "the rate refers to another provision; not calculated"
        return Component(layer, "HTS", line.display, "none", 0.0, 0.0, term.qualifier, 0.0, citation, note)
    if entry.quantity is None:
        raise MissingInputError(
            f"HTS {line.display} has a specific {layer} rate ({rate.text}): give the quantity in "
            f"{term.unit} (--quantity N --unit {term.unit})",
            field="quantity",
        )
    if entry.unit and unit_key(entry.unit) != unit_key(term.unit):
        raise MissingInputError(
            f"HTS {line.display}: the {layer} rate {rate.text!r} is per {term.unit}, but the quantity is "
            f"in {entry.unit}; give the quantity in {term.unit}",
            field="unit",
            value=entry.unit,
        )
    note = f"per {term.unit} {term.qualifier}: the quantity must be measured that way" if term.qualifier else ""
    shown, amount = f"${term.value:g}/{term.unit}", term.value * entry.quantity
    return Component(layer, "HTS", line.display, "quantity", entry.quantity, term.value, shown, amount, citation, note)


def end_use_applies(measure: Measure, entry: Entry, code: str) -> bool:
    """Whether an end-use measure (auto parts) applies: as the entry says, else by the default lines."""
    if not measure.end_use:
        return True
    if entry.auto_part is not None:
        return entry.auto_part
    return measure.end_use_default is not None and measure.end_use_default.covers(code)


def _floor_heading(heading: str, rate: float) -> str:
    """'BELOW/AT_OR_ABOVE' floor headings: the one for a top-up, the one for a rate already at the floor."""
    if "/" not in heading:
        return heading
    below, at_or_above = heading.split("/", 1)
    return below if rate > 0 else at_or_above


def requirement_met(measure: Measure, entry: Entry) -> bool:
    """A measure that applies only to goods the importer declares (U.S. note 39(b) chips) needs one of its claims."""
    return not measure.requires or any(h in entry.claims for h in measure.requires)


def _measure_component(measure: Measure, origin: str, entry: Entry, line: Line, base_av: float) -> Component | None:
    if not measure.covers_country(origin) or not measure.products.covers(line.code):
        return None
    if not end_use_applies(measure, entry, line.code) or not requirement_met(measure, entry):
        return None
    period = measure.period(origin, entry.on)
    if period is None:
        return None
    rate, heading, citation, note = period.rate, period.heading or measure.heading, period.citation, ""
    basis: BasisKind = "value" if measure.basis == "value" else ("metal" if measure.basis == "metal" else "non-us")
    if period.floor:
        rate = max(rate - base_av, 0.0)
        note = f"{period.rate:.0%} inclusive of the general rate ({base_av:.2%})"
        heading = _floor_heading(heading, rate)
    claims, zero = frozenset(entry.claims), entry.metal_value == 0
    for ex in measure.exemptions:
        if not ex.matches(line.code, origin, entry.on, entry.usmca, claims, zero):
            continue
        if ex.us_content:
            if entry.us_content is None:
                note = "USMCA vehicle: give --us-content to pay on the non-U.S. content only; charged on full value"
            else:
                note = f"{ex.id}: charged on the non-U.S. content only ({ex.heading})"
                heading = ex.heading or heading  # the heading shown is the one the legal basis cites
            citation = f"{citation}; {ex.citation}"
            continue
        rate, heading, citation, note = float(ex.rate or 0.0), ex.heading or heading, ex.citation, ex.id
        if ex.floor:
            rate = max(rate - base_av, 0.0)
            note = f"{ex.id}: {float(ex.rate or 0):.0%} inclusive of the general rate ({base_av:.2%})"
            heading = _floor_heading(heading, rate)
        break
    if measure.basis == "metal" and entry.metal_value is None and not line.code.startswith("72"):
        # chapter 72 steel is metal through and through; articles of chapters 73, 74 and 76 may be derivatives
        # whose duty is on their metal content
        note = (note + "; " if note else "") + "metal value not given: charged on the full value (--metal-value)"
    if measure.basis == "non_us_content" and not entry.usmca:
        basis = "value"
    amount = rate * basis_amount(basis, entry)
    return Component(
        measure.id,
        measure.authority,
        heading,
        basis,
        basis_amount(basis, entry),
        rate,
        percent(rate),
        amount,
        citation,
        note,
    )


def _stack(components: list[Component], policy: Policy, entry: Entry) -> list[Component]:
    """Apply the stacking rules in order (see the policy file's `stacking` section)."""
    by_id = {c.layer: i for i, c in enumerate(components)}
    for rule in policy.stacking:
        if entry.on < rule.start:
            continue
        triggers = [components[by_id[m]] for m in rule.when if m in by_id and components[by_id[m]].rate > 0]
        if not triggers:
            continue
        for excluded in rule.excludes:
            if excluded not in by_id:
                continue
            i = by_id[excluded]
            current = components[i]
            rate = current.rate
            if rule.mode == "full":
                kind: BasisKind = "none"
                rate = 0.0  # a measure excluded in full no longer displaces others
            else:
                kinds = {_REMAINDER[t.basis] for t in triggers if t.basis in _REMAINDER}
                kind = kinds.pop() if len(kinds) == 1 else "none"
                if current.basis != "value":
                    kind = "none"
            amount = basis_amount(kind, entry)
            components[i] = replace(
                current,
                basis=kind,
                basis_amount=amount,
                rate=rate,
                amount=rate * amount,
                note=f"stacking: {rule.id} ({rule.citation})",
            )
    return components


def de_minimis_applies(policy: Policy, origin: str, entry: Entry) -> bool:
    if entry.value > policy.de_minimis_threshold:
        return False
    return not any(
        (countries is None or origin in countries) and entry.on >= start
        for countries, start, _ in policy.de_minimis_suspended
    )


def calculate(entry: Entry, schedule: Schedule, policy: Policy) -> DutyResult:
    """The stacked duty on one entry, each layer with its heading, basis, rate, amount and legal citation."""
    policy.check_date(entry.on)
    for name, amount, what, fix in amount_problems(entry.value, entry.quantity, entry.metal_value, entry.us_content)[
        :1
    ]:
        raise TariffError(
            f"{AMOUNT_LABELS[name]} {amount_text(amount)} {what}; {fix}", field=name, value=amount_text(amount)
        )
    problem = hts_problem(entry.hts)
    if problem:
        raise UnknownCodeError(f"HTS {entry.hts[:40]!r} {problem}: {HTS_FIX}", field="hts", value=entry.hts)
    partner = import_origin(entry.origin, policy)
    origin = partner.id
    if entry.usmca and origin not in policy.groups.get("USMCA", frozenset()):
        raise TariffError(
            f"USMCA treatment (--usmca) is only for goods of Canada or Mexico, not {partner.name}", field="usmca"
        )
    line = schedule.line(entry.hts)
    if line.code.startswith("99"):
        raise TariffError(
            f"HTS {line.display} is a Chapter 99 heading (a temporary or additional duty), not a "
            "product line; give the product's HTS code and the engine adds the Chapter 99 duties",
            field="hts",
            value=entry.hts,
        )
    layer, rate, citation, notes = _base_rate(line, origin, entry, policy)
    components = _base_components(line, rate, layer, citation, entry)
    base_total = sum(c.amount for c in components)
    base_av = base_total / entry.value if entry.value else 0.0
    entry = _estimate_metal(entry, line, origin, policy, notes)
    for measure in policy.measures:
        component = _measure_component(measure, origin, entry, line, base_av)
        if component is not None:
            components.append(component)
        else:
            notes.extend(_not_applied(measure, origin, entry, line))
    _check_claims(components, policy, entry, line, partner)
    components = _stack(components, policy, entry)
    if de_minimis_applies(policy, origin, entry):
        components = [replace(c, amount=0.0, note="de minimis") for c in components]
        notes.append(
            f"value at or under ${policy.de_minimis_threshold:,.0f}: admitted free under de minimis "
            f"({policy.de_minimis_citation})"
        )
    total = round(sum(c.amount for c in components), 2)
    if policy.currency_note(entry.on):
        notes.append(policy.currency_note(entry.on))
    return DutyResult(entry, partner, line, tuple(components), total, schedule.revision, policy.version, tuple(notes))


def _applies_on(measure: Measure, origin: str, entry: Entry, code: str) -> bool:
    return (
        measure.covers_country(origin)
        and measure.products.covers(code)
        and measure.period(origin, entry.on) is not None
    )


def _not_applied(measure: Measure, origin: str, entry: Entry, line: Line) -> list[str]:
    """Why a measure that covers the line, origin and date was not applied: the entry did not declare the fact."""
    if not _applies_on(measure, origin, entry, line.code):
        return []
    if measure.end_use and entry.auto_part is None and requirement_met(measure, entry):
        return [
            f"{measure.id} ({measure.heading}) covers HTS {line.display} only for goods that are "
            f"{measure.end_use.replace('-', ' ')}s of passenger vehicles or light trucks: not applied; "
            "give --auto-part if they are"
        ]
    if not requirement_met(measure, entry):
        return [
            f"{measure.id} ({measure.heading}) covers HTS {line.display} only for {measure.requires_note}: not "
            f"applied; give --claim {measure.requires[0]} if they are"
        ]
    return []


def _estimate_metal(entry: Entry, line: Line, origin: str, policy: Policy, notes: list[str]) -> Entry:
    """With no --metal-value, a derivative's metal content estimated from the BEA shares (said in the notes)."""
    if entry.metal_value is not None:
        return entry
    metal_measures = [m for m in policy.measures if m.basis == "metal" and _applies_on(m, origin, entry, line.code)]
    estimate = policy.metal_estimate(line.code) if metal_measures else None
    if estimate is None:
        return entry
    share, metals = estimate
    from nearshore.tariffs.policy.metal import SOURCE

    notes.append(
        f"metal content not given: estimated at {share:.2%} of the value ({metals}) from the {SOURCE}; an "
        "estimate, give --metal-value for the actual content"
    )
    return replace(entry, metal_value=entry.value * share)


def claims_used(components: list[Component], policy: Policy, entry: Entry, code: str, origin: str) -> set[str]:
    """The claimed headings that changed a layer: a measure's required claim, or the exemption that applied."""
    used: set[str] = set()
    claims, zero = frozenset(entry.claims), entry.metal_value == 0
    layers = {c.layer for c in components}
    for measure in policy.measures:
        if measure.id not in layers:
            continue
        used.update(h for h in measure.requires if h in claims)
        for ex in measure.exemptions:
            if ex.us_content or not ex.matches(code, origin, entry.on, entry.usmca, claims, zero):
                continue
            used.update([ex.claim] if ex.claim else [])
            break
    return used


def _check_claims(components: list[Component], policy: Policy, entry: Entry, line: Line, partner: Partner) -> None:
    if not entry.claims:
        return
    known = policy.known_claims()
    used = claims_used(components, policy, entry, line.code, partner.id)
    for claim in entry.claims:
        if claim not in known:
            raise TariffError(
                f"--claim {claim}: not a Chapter 99 heading the tariff policy {policy.version} models as a claim; "
                f"the claims are {', '.join(sorted(known))}"
            )
        if claim not in used:
            raise TariffError(
                f"--claim {claim} ({known[claim]}) does not apply to HTS {line.display} from {partner.id} on "
                f"{entry.on.isoformat()}; leave it out or check the line, origin and date"
            )


__all__ = [
    "AMOUNT_LABELS",
    "AMOUNT_LIMIT",
    "BASIS_LABELS",
    "HTS_FIX",
    "ORIGIN_FIX",
    "BasisKind",
    "Component",
    "DutyResult",
    "Entry",
    "amount_problems",
    "amount_text",
    "basis_amount",
    "calculate",
    "de_minimis_applies",
    "hts_problem",
    "import_origin",
    "origin_problem",
    "percent",
    "resolve_origin",
    "unit_key",
]
