"""Parser from the legal wording of a GN 11(o) rule to `Alternative`s of conditions.

The grammar it reads (case as printed; '[...]' optional):

    rule        := [prefix ':'] alternative { sep marker alternative }
    prefix      := 'For a good of ... for use in a heavy truck' | 'Beginning on July 1, 2020 ...'
    marker      := '(A)' '(B)' ... | '(a)' '(b)' ...        (sep: ';' or '; or' or '.')
    alternative := (shift | nochange) [', provided [that] ' proviso {' and ' proviso}]
    shift       := 'A change to ' scope ' from ' source [', except from ' codes]
                   [', including another <level> within that group']
                   [', whether or not there is also a change from any other <level>']
    nochange    := 'No [required] change in tariff classification [required] [to ' scope ']'
    source      := 'any other <level>' | 'any <level> outside that group'
                 | [goods] 'within that|those <level>' ['or any other <level>']
                 | [goods 'of'] codes ['or any other <level>']
    proviso     := 'there is a regional value content of not less than ' thresholds | text

A proviso that is not an RVC stays as a `ProcessRule` with its text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nearshore.errors import CodeListError, RuleParseError
from nearshore.origin.rules.codes import parse_code_list, split_described_codes
from nearshore.origin.rules.model import (
    Alternative,
    CodeRange,
    Condition,
    Level,
    NoChangeRequired,
    ProcessKind,
    ProcessRule,
    RvcRequirement,
    TariffShift,
)


@dataclass(frozen=True)
class ParsedText:
    """The structure read from one rule sentence."""

    applies_to: str | None
    alternatives: tuple[Alternative, ...]

    @property
    def scope(self) -> tuple[CodeRange, ...]:
        """The goods' codes the alternatives lead to, in order, without duplicates or descriptions."""
        seen: dict[tuple[str, str], CodeRange] = {}
        for alternative in self.alternatives:
            for condition in alternative.conditions:
                if isinstance(condition, TariffShift | NoChangeRequired):
                    for r in condition.to_scope:
                        seen.setdefault((r.start, r.end), CodeRange(r.start, r.end))
        return tuple(seen.values())


LEVEL_NAMES: dict[str, Level] = {
    "chapter": "chapter",
    "heading": "heading",
    "subheading": "subheading",
    "tariff item": "tariff_item",
    "item": "tariff_item",
}
LEVEL_RE = r"(chapter|heading|subheading|tariff item|item)s?"
PREFIX = re.compile(r"^(?:\([A-Z]\)\s*)?(?P<prefix>(?:For|Beginning|The following rule)\b[^:]*):\s*", re.IGNORECASE)
FIRST_MARKER = re.compile(r"^\(?(?P<letter>[A-Ga-g])\)\s+")
RVC_PHRASE = re.compile(r"regional value content\b", re.IGNORECASE)
THRESHOLD = re.compile(
    r"(?P<pct>\d+(?:\.\d+)?)\s*(?:percent|%)\s+(?:where|when|under|if)\s+the\s+"
    r"(?P<method>transaction[ -]value|net[ -]cost)",
    re.IGNORECASE,
)
NO_CHANGE = re.compile(
    r"^No (?:required )?(?:change in tariff classification|tariff change)(?: is)?(?: required)?"
    r"(?: (?:(?:to|for) )?(?P<to>.+?))?"
    r"(?:,? provided (?:that )?(?P<proviso>.*))?$",
    re.IGNORECASE,
)
CHANGE = re.compile(r"^A change (?:(?:to|in|of) (?P<rest>.+)|(?P<bare>from .+))$", re.IGNORECASE)
PRODUCTION = re.compile(r"^Production of .+ as the result of", re.IGNORECASE)
MORE_THAN_ONE = re.compile(r"^more than one of the following:?\s*", re.IGNORECASE)
# the first four say nothing of a good; the last two, said of a material, mean "a different good"
WHETHER_FROM = re.compile(r",?\s*whether or not there is also a change from ", re.IGNORECASE)
EXCEPT_AT = re.compile(rf",?\s+(?:except from|except for|excluding|except(?= {LEVEL_RE} \d)) ", re.IGNORECASE)
TRIVIAL_GOODS = ("a good", "any good", "goods", "a product", "another good", "any other good")
OUTSIDE_GROUP = ProcessRule("(marker: except from within the group)")
ENUMERATOR = re.compile(r"\(\d+\)\s*")
WHETHER = re.compile(
    rf",?\s*whether or not there is also a change from (?:any other |any |another ){LEVEL_RE}"
    rf"(?: outside that group)?(?: or {LEVEL_RE})?",
    re.IGNORECASE,
)
INCLUDING = re.compile(
    rf"(?:,?\s*including (?:another|any other)|,\s*any other) {LEVEL_RE} within (?:that|the) group", re.I
)
OR_ANY_OTHER = re.compile(rf"(?:,\s*|\s+)or (?:from )?any other {LEVEL_RE}$", re.IGNORECASE)
WITHIN = re.compile(
    rf"^(?:(?P<goods>.*?)\s+)?within (?:that|those|these|the same|this) {LEVEL_RE}(?: (?P<codes>of .+))?$",
    re.IGNORECASE,
)
WITHIN_THEN_CODES = re.compile(
    rf"^(?P<goods>.*?)\s*within (?:that|the same) {LEVEL_RE},\s+(?P<rest>(?:{LEVEL_RE}) \d.*)$", re.I
)
WITHIN_CODES = re.compile(rf"^(?P<goods>.*?)\s+within {LEVEL_RE} (?P<codes>\d.*)$", re.IGNORECASE)


def level_of(word: str) -> Level:
    return LEVEL_NAMES[re.sub(r"s$", "", word.lower().strip()).replace("tariff items", "tariff item")]


def split_alternatives(text: str) -> list[tuple[str, str]]:
    """[(label, text)] in printed order; a text without markers is one unlabelled alternative."""
    first = FIRST_MARKER.match(text)
    if not first:
        return [("", text)]
    letter = first.group("letter")
    parts: list[tuple[str, str]] = []
    start, label = first.end(), f"({letter})"
    while True:
        letter = chr(ord(letter) + 1)
        marker = re.compile(
            rf"(?:;\s*(?:or|and)?\s*|\.\s+|,?\s+or\s+|,\s+)\(?{re.escape(letter)}\)\s+(?=[A-Z])(?!Whether)"
        )
        found = marker.search(text, start)
        if not found:
            parts.append((label, text[start:]))
            return parts
        parts.append((label, text[start : found.start()]))
        start, label = found.end(), f"({letter})"


def parse_rvc(text: str) -> RvcRequirement:
    values: dict[str, float] = {}
    for match in THRESHOLD.finditer(text):
        method = "transaction_value" if match.group("method").lower().startswith("t") else "net_cost"
        if method in values:
            raise RuleParseError(f"two thresholds for the {method.replace('_', ' ')} method")
        values[method] = float(match.group("pct"))
    if not values:
        raise RuleParseError(f"regional value content without a readable threshold: {text.strip()!r}")
    return RvcRequirement(values.get("transaction_value"), values.get("net_cost"))


def process_kind(text: str) -> ProcessKind:
    lowered = text.lower()
    if "by weight" in lowered or "percent by" in lowered:
        return "weight"
    if re.search(r"\b(cut|sewn|assembled|spun|knit|dyed|printed|woven|formed|extruded)\b", lowered):
        return "process"
    if "component" in lowered or "nonoriginating" in lowered or "non-originating" in lowered:
        return "component"
    return "other"


def parse_proviso(text: str) -> list[Condition]:
    """Conditions after 'provided [that]': RVC thresholds, and any other requirement as text."""
    conditions: list[Condition] = []
    parts = re.split(r",?\s+and provided (?:that )?|;\s+and\s+(?=there is a regional)", text)
    for part in parts:
        part = part.strip().rstrip(".;,").strip()
        if not part:
            continue
        if RVC_PHRASE.search(part):
            before = part[: RVC_PHRASE.search(part).start()]  # type: ignore[union-attr]
            if re.sub(r"(?i)\b(there is|there must be|the good has|also|the|a|and)\b|[\s,:]", "", before):
                conditions.append(ProcessRule(before.strip(" ,"), process_kind(before)))
            conditions.append(parse_rvc(part))
        else:
            conditions.append(ProcessRule(part, process_kind(part)))
    return conditions


def split_proviso(text: str) -> tuple[str, str | None]:
    match = re.search(r",\s*provided(?: that)?\b,?\s*|\s+provided (?:that|there)\b\s*", text)
    if not match:
        return text, None
    return text[: match.start()], text[match.end() :]


LEFTOVER = re.compile(r"whether or not there is also|(?:\bfrom|\bexcept|,\s*or)\s*$|^\s*(?:from|except)\b", re.I)


def check_description(description: str | None) -> None:
    """A goods description holding grammar words means the sentence was split in the wrong place."""
    if description and LEFTOVER.search(description):
        raise RuleParseError(f"unreadable goods description {description!r}")


def goods_condition(description: str | None, codes: tuple[CodeRange, ...], role: str) -> list[Condition]:
    check_description(description)
    if not description or description.lower() in TRIVIAL_GOODS[:4]:
        return []
    where = ", ".join(str(CodeRange(r.start, r.end)) for r in codes)
    return [ProcessRule(f"{role} is {description} of {where}", "goods")]


@dataclass
class _Shift:
    """The parts of a tariff shift while its sentence is being read."""

    to_scope: tuple[CodeRange, ...] = ()
    level: Level | None = None
    from_scope: tuple[CodeRange, ...] = ()
    allow_within: bool = False
    within_level: Level | None = None
    outside_group: bool = False
    also_from_level: Level | None = None
    from_goods: str | None = None
    extra: list[Condition] = field(default_factory=list)


ANY_WITHIN_GROUP = rf"any (?:other )?{LEVEL_RE} within (?:that|the) group"


def parse_source(text: str, parts: _Shift) -> None:
    """Fill the 'from' fields of a shift (level, from_scope, allow_within...) from its source text."""
    text = text.strip().rstrip(".;,")
    also = OR_ANY_OTHER.search(text)
    if also:
        parts.also_from_level = level_of(also.group(1))
        text = text[: also.start()].strip()
    then_codes = WITHIN_THEN_CODES.fullmatch(text)
    if then_codes:
        parts.allow_within = True
        parts.within_level = level_of(then_codes.group(2))
        text = then_codes.group("rest")
    outside = re.fullmatch(rf"(?:any )?(?:other )?{LEVEL_RE} outside (?:that|the|this) group", text, re.I)
    plain = re.fullmatch(rf"any (?:other )?{LEVEL_RE}", text, re.IGNORECASE)
    group = re.fullmatch(ANY_WITHIN_GROUP, text, re.IGNORECASE)
    within = WITHIN.fullmatch(text) or WITHIN_CODES.fullmatch(text)
    more = MORE_THAN_ONE.match(text)
    if more:
        parts.from_scope = parse_code_list(ENUMERATOR.sub("", text[more.end() :]))
        parts.extra.append(ProcessRule("from more than one of the listed materials", "component"))
    elif group:
        parts.level = level_of(group.group(1))
        parts.from_scope = parts.to_scope
    elif plain or outside:
        parts.level = level_of((plain or outside).group(1))  # type: ignore[union-attr]
        parts.outside_group = parts.outside_group or bool(outside)
    elif within:
        parts.allow_within = True
        parts.within_level = level_of(within.group(2))
        parts.level = parts.also_from_level or parts.within_level
        goods = within.group("goods")
        if goods and goods.lower() not in ("any other good", "another good"):
            parts.from_goods = goods
    else:
        try:
            parts.from_scope = parse_code_list(text)
        except CodeListError:
            try:
                description, codes = split_described_codes(text)
            except CodeListError as exc:
                raise RuleParseError(f"unreadable 'from' clause {text!r}") from exc
            parts.from_scope = tuple(CodeRange(r.start, r.end, description) for r in codes)
    if parts.level is None:
        parts.level = parts.from_scope[0].level if parts.from_scope else parts.also_from_level


FINER: dict[Level | None, int] = {None: 0, "chapter": 1, "heading": 2, "subheading": 3, "tariff_item": 4}


def merge_also(parts: _Shift, clause: str) -> None:
    """Fold 'whether or not there is also a change from <clause>' into the shift's allowed sources."""
    also = _Shift(to_scope=parts.to_scope)
    parse_source(INCLUDING.sub("", clause), also)
    levels: list[Level | None] = [parts.also_from_level, also.also_from_level]
    if also.from_scope:
        if not parts.from_scope:
            levels.append(parts.level)  # "any other X" stays allowed beside the listed codes
            parts.level = also.level
        parts.from_scope += also.from_scope
    elif not also.allow_within:
        levels.append(also.level)
    parts.outside_group = parts.outside_group or also.outside_group
    if also.allow_within:
        parts.allow_within, parts.within_level = True, also.within_level
    parts.extra += also.extra
    parts.from_goods = parts.from_goods or also.from_goods
    # a material differing at a finer level is allowed more often: keep the finest level named
    parts.also_from_level = max(levels, key=lambda level: FINER[level])


def parse_exceptions(text: str) -> tuple[tuple[CodeRange, ...], list[Condition]]:
    """The codes of an 'except from' list, and what cannot be codes kept as conditions."""
    text = text.rstrip(".;, ")
    if re.fullmatch(ANY_WITHIN_GROUP, text, re.IGNORECASE):
        return (), [OUTSIDE_GROUP]
    if text.lower().startswith("changes resulting from"):
        return (), [ProcessRule(f"except for {text}", "process")]
    more = MORE_THAN_ONE.match(text)
    if more:
        codes = parse_code_list(ENUMERATOR.sub("", text[more.end() :]))
        listed = ", ".join(map(str, codes))
        return (), [ProcessRule(f"not from more than one of the following: {listed}", "component")]
    try:
        return parse_code_list(text), []
    except CodeListError:
        if not re.search(r"\d{4}", text):
            return (), [ProcessRule(f"except from {text}", "goods")]
        for cut in reversed(list(re.finditer(r",?\s+or\s+(?!any other)(?=\D)", text))):
            try:
                codes = parse_code_list(text[: cut.start()])
            except CodeListError:
                continue
            return codes, [ProcessRule(f"except from {text[cut.end() :]}", "component")]
        raise


def parse_shift(text: str, previous_to: tuple[CodeRange, ...] = (), chapter: str | None = None) -> list[Condition]:
    """'A change to X from Y[, except from Z][, whether or not ...]' -> TariffShift (+ goods notes).

    'A change from Y ...' without a 'to' part (a printing slip) takes the previous alternative's goods.
    """
    match = CHANGE.match(text.strip())
    if not match or (match.group("bare") and not previous_to):
        raise RuleParseError(f"expected 'A change to ...' or 'No change ...', found {text.strip()[:60]!r}")
    rest = match.group("rest") or match.group("bare")
    rest = re.sub(r"\(\w\)\s+(?=whether or not)", "", rest, flags=re.IGNORECASE)
    parts = _Shift()
    rest, also_clause = _split_whether(rest)
    rest, exceptions = _take_exceptions(INCLUDING.sub("", rest), parts)
    to_text, sep, source = ("", " from ", rest[5:]) if match.group("bare") else rest.partition(" from ")
    if not sep:
        raise RuleParseError(f"no 'from' in the change {text.strip()[:80]!r}")
    to_goods: str | None = None
    if match.group("bare"):
        parts.to_scope = previous_to
    else:
        try:
            to_goods, parts.to_scope = split_described_codes(to_text, chapter)
        except CodeListError as exc:
            raise RuleParseError(f"unreadable 'to' clause: {exc}") from exc
    parse_source(source, parts)
    if also_clause is not None:
        merge_also(parts, also_clause)
    if parts.level is None:
        raise RuleParseError(f"no level of change in {text.strip()[:80]!r}")
    shift = TariffShift(
        level=parts.level,
        to_scope=tuple(CodeRange(r.start, r.end) for r in parts.to_scope),
        exceptions=exceptions,
        allow_within=parts.allow_within,
        from_scope=parts.from_scope,
        outside_group=parts.outside_group,
        also_from_level=parts.also_from_level,
        within_level=parts.within_level,
    )
    return [shift, *_described_goods(shift, parts, to_goods), *parts.extra]


def _split_whether(rest: str) -> tuple[str, str | None]:
    """The change without its 'whether or not there is also a change from ...' clause, and that clause."""
    whether = WHETHER_FROM.search(rest)
    if not whether:
        return rest, None
    stop = EXCEPT_AT.search(rest, whether.end())
    end = stop.start() if stop else len(rest)
    return rest[: whether.start()] + rest[end:], rest[whether.end() : end]


def _take_exceptions(rest: str, parts: _Shift) -> tuple[str, tuple[CodeRange, ...]]:
    """The change without its ', except from ...' list, and the codes of that list (other parts of the list
    become conditions in `parts`)."""
    except_at = EXCEPT_AT.search(rest)
    if not except_at:
        return rest, ()
    try:
        exceptions, extra = parse_exceptions(rest[except_at.end() :])
    except CodeListError as exc:
        raise RuleParseError(f"unreadable 'except from' list: {exc}") from exc
    if OUTSIDE_GROUP in extra:
        extra.remove(OUTSIDE_GROUP)
        parts.outside_group = True
    parts.extra += extra
    return rest[: except_at.start()], exceptions


def _described_goods(shift: TariffShift, parts: _Shift, to_goods: str | None) -> list[Condition]:
    """Conditions on the goods and materials the change names by description, not by code alone."""
    conditions = goods_condition(to_goods, parts.to_scope, "the good")
    if parts.from_goods:
        conditions.append(ProcessRule(f"the material is {parts.from_goods}", "goods"))
    check_description(parts.from_goods)
    for r in (*shift.from_scope, *shift.exceptions):
        check_description(r.description)
        if r.description and r.description.lower() not in TRIVIAL_GOODS:
            conditions.append(ProcessRule(f"material description: {r}", "goods"))
    return conditions


def parse_alternative(
    text: str, previous_to: tuple[CodeRange, ...] = (), chapter: str | None = None
) -> list[Condition]:
    body = text.strip().rstrip(".;").strip()
    body = re.sub(r"\s*;?\s*(?:or|and)$", "", body).strip()
    if PRODUCTION.match(body):
        return [ProcessRule(body, "process")]
    no_change = NO_CHANGE.match(body)
    if no_change:
        conditions: list[Condition] = []
        codes: tuple[CodeRange, ...] = ()
        if no_change.group("to"):
            scope_text = WHETHER.sub("", no_change.group("to"))
            scope_text = re.sub(r"\s+is required$", "", scope_text)
            scope_text, _, excluded = scope_text.partition(", except for ")
            try:
                goods, codes = split_described_codes(scope_text, chapter)
            except CodeListError as exc:
                raise RuleParseError(f"unreadable 'no change' scope: {exc}") from exc
            conditions += goods_condition(goods, codes, "the good")
            codes = tuple(CodeRange(r.start, r.end) for r in codes)
            if excluded:
                conditions.append(ProcessRule(f"the good is not {excluded}", "goods"))
        if no_change.group("proviso"):
            conditions += parse_proviso(no_change.group("proviso"))
        return [NoChangeRequired(codes), *conditions]
    shift_text, proviso = split_proviso(body)
    conditions = parse_shift(shift_text, previous_to, chapter)
    if proviso:
        conditions += parse_proviso(proviso)
    return conditions


def parse_rule_text(text: str, chapter: str | None = None) -> ParsedText:
    """Parse one rule sentence; raises RuleParseError naming the part it could not read.

    `chapter` (two digits) helps pick the goods' codes when a description names other codes.
    """
    body = " ".join(text.split())
    applies_to = None
    prefix = PREFIX.match(body)
    if prefix:
        applies_to = prefix.group("prefix").strip()
        body = body[prefix.end() :]
    body = body.replace("thatgroup", "that group")
    alternatives: list[Alternative] = []
    previous_to: tuple[CodeRange, ...] = ()
    for label, part in split_alternatives(body):
        conditions = parse_alternative(part, previous_to, chapter)
        shifts = [c for c in conditions if isinstance(c, TariffShift)]
        previous_to = shifts[0].to_scope if shifts else previous_to
        alternatives.append(Alternative(tuple(conditions), label, part.strip().rstrip(";").strip()))
    return ParsedText(applies_to, tuple(alternatives))
