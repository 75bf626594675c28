"""The words bound to cited figures, checked against the facts' word fields (facts.py: direction, extreme,
subject). The verifier calls `check_sentence` once per sentence, after each figure has met its fact.

- **Paths.** 'from X to Y', 'to Y, from X', 'Y, up from X', 'Y, against X': the change from the older value X
  to the newer Y must go the way the sentence's direction word says ('slipped', 'climbed', 'up', 'down'; a
  word bound to a figure, as in 'rose 3%', is that figure's own and does not govern the path). A rank goes up
  when its number falls (second-largest -> largest).
- **Balances.** 'deficit', 'surplus', 'shortfall', 'imports outran exports' (a deficit) and 'exports outran
  imports' (a surplus) must agree with the nearest cited balance in the sentence.
- **Superlatives.** 'largest', 'highest', 'peaked', 'smallest', 'lowest'... bind to the next citation in the
  sentence (else the previous one): a rank must be first for 'the largest' and can never be 'the smallest'
  (ranks count from the largest); any other fact must be the largest or smallest of its kind (its `extreme`).
- **Partners.** When a sentence names partners, each cited fact's subject must be among them: 'Canada supplied
  15.6%' citing Mexico's share is refused.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from nearshore.writer.facts import Fact, direction_of, display, extreme_of, is_balance, subject_of
from nearshore.writer.figures import ORDINAL_WORDS, ProseFigure, direction_words
from nearshore.writer.findings import FindingKind
from nearshore.writer.names import partners_in

_VERBS = r"(?:outran|outpaced|exceeded|outstripped|topped|outweighed|surpassed|overtook)"
_BALANCE = re.compile(
    rf"""\b(?:(?P<deficit>deficits?|shortfalls?)|(?P<surplus>surplus(?:es)?)
    |(?P<imports>imports?|purchases)\s+{_VERBS}\s+(?:U\.S\.\s+)?(?:exports?|sales)
    |(?P<exports>exports?|sales)\s+{_VERBS}\s+(?:imports?|purchases))\b""",
    re.IGNORECASE | re.VERBOSE,
)
_SIDES = ("surplus", "deficit")
_ORDINAL = r"second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th)"
_SUPERLATIVE = re.compile(
    rf"""\b(?:(?P<ord>{_ORDINAL})[\s-])?(?P<word>(?P<max>largest|biggest|highest|greatest|peak(?:ed|s)?)
    |(?P<min>smallest|lowest|least|trough))\b""",
    re.IGNORECASE | re.VERBOSE,
)


@dataclass(frozen=True)
class Bound:
    """A figure of the sentence, the citation group it binds to, and the fact it matched (None if none)."""

    figure: ProseFigure
    group: tuple[Fact, ...]
    fact: Fact | None


@dataclass(frozen=True)
class Cited:
    """A citation group of the sentence and where it is."""

    offset: int
    group: tuple[Fact, ...]


@dataclass(frozen=True)
class WordProblem:
    """A word the cited facts do not support, at an offset of the block's text."""

    kind: FindingKind
    words: str
    offset: int
    message: str
    fact_ids: tuple[str, ...]


def check_sentence(
    text: str, start: int, end: int, bound: Sequence[Bound], cited: Sequence[Cited]
) -> list[WordProblem]:
    """Every word problem of the sentence `text[start:end]` (`text` has its citations blanked)."""
    return [
        *_paths(text, start, end, bound),
        *_balances(text, start, end, bound, cited),
        *_superlatives(text, start, end, bound, cited),
        *_partners(text, start, end, cited),
    ]


# --- paths: from X to Y -----------------------------------------------------------------------------------


def _free_words(text: str, start: int, end: int, bound: Sequence[Bound]) -> list[tuple[int, str]]:
    """Direction words of the sentence that no figure took as its own and that are not part of a lead."""
    taken = {b.figure.direction_at for b in bound}
    leads = [(b.figure.lead_at, b.figure.offset) for b in bound if b.figure.lead]
    return [
        (start + at, word)
        for at, word in direction_words(text[start:end])
        if start + at not in taken and not any(a <= start + at < z for a, z in leads)
    ]


def _paths(text: str, start: int, end: int, bound: Sequence[Bound]) -> list[WordProblem]:
    matched = [b for b in bound if b.fact is not None]
    free = _free_words(text, start, end, bound)
    problems = []
    for i, old in enumerate(matched):
        pair = _pair(text, matched, i, free)
        if pair is not None:
            new, claim, word = pair
            problem = _path_problem(word, claim, old, new)
            if problem:
                problems.append(problem)
    return problems


def _pair(
    text: str, matched: Sequence[Bound], i: int, free: Sequence[tuple[int, str]]
) -> tuple[Bound, str, str] | None:
    """(the newer figure, 'rise' or 'fall', the word that says so) when figure `i` is the older end of a change."""
    old, lead = matched[i], matched[i].figure.lead
    if lead in ("up from", "down from"):
        new = _same_unit(matched, i, "to", after=True) or _same_unit(matched, i, None, after=False)
        return (new, "rise" if lead == "up from" else "fall", lead) if new else None
    if lead == "from":
        new = _same_unit(matched, i, "to", after=True) or _same_unit(matched, i, "to", after=False)
    elif lead == "against":
        new = _same_unit(matched, i, None, after=False)
    else:
        return None
    if new is None:
        return None
    verb = _governing(free, min(old.figure.offset, new.figure.offset))
    if verb is None:
        return None
    return new, verb[1], text[verb[0] :].split(None, 1)[0].strip(",.;:")


def _same_unit(matched: Sequence[Bound], i: int, lead: str | None, *, after: bool) -> Bound | None:
    """The nearest figure after (or before) `i` with the same unit and, when `lead` is given, that lead:
    'from 14.3% to 15.5%' (the 'to' figure), 'reached 15.6%, up from 15.4%' (the figure before)."""
    fact = matched[i].fact
    unit = fact.unit if fact is not None else ""
    others = matched[i + 1 :] if after else list(reversed(matched[:i]))
    for b in others:
        if b.fact is not None and b.fact.unit == unit and (lead is None or b.figure.lead == lead):
            return b
    return None


def _governing(free: Sequence[tuple[int, str]], first: int) -> tuple[int, str] | None:
    """The direction word that governs a pair of figures: the nearest before it, else the first after it."""
    before = [w for w in free if w[0] < first]
    if before:
        return before[-1]
    return free[0] if free else None


def _path_problem(word: str, claim: str, old: Bound, new: Bound) -> WordProblem | None:
    if old.fact is None or new.fact is None:
        return None
    moved = new.fact.value - old.fact.value
    if new.fact.unit == "rank":
        moved = -moved  # rank 1 is the top: a smaller number is a rise
    if (claim == "rise" and moved >= 0) or (claim == "fall" and moved <= 0):
        return None
    went = "rose" if moved > 0 else "fell"
    said = "a rise" if claim == "rise" else "a fall"
    message = (
        f"says {said} ({word!r}) from {display(old.fact)} ({old.fact.id}) to {display(new.fact)} "
        f"({new.fact.id}), but it {went}; say it {went}, or cite the facts the other way round"
    )
    return WordProblem("path", word, old.figure.offset, message, (old.fact.id, new.fact.id))


# --- balances: deficit or surplus -------------------------------------------------------------------------


def _balances(text: str, start: int, end: int, bound: Sequence[Bound], cited: Sequence[Cited]) -> list[WordProblem]:
    balances = [(c.offset, f) for c in cited for f in c.group if is_balance(f) or direction_of(f) in _SIDES]
    problems = []
    for m in _BALANCE.finditer(text, start, end):
        said: Literal["surplus", "deficit"] = "deficit" if m.group("deficit") or m.group("imports") else "surplus"
        if not balances:
            problems.extend(_not_a_balance(m, said, bound))
            continue
        _, fact = min(balances, key=lambda item: abs(item[0] - m.start()))
        if direction_of(fact) in _SIDES and direction_of(fact) != said:  # a balance of zero takes either word
            message = (
                f"says {said} ({m.group(0)!r}) but the cited balance {fact.id} is a {direction_of(fact)} of "
                f"{display(fact)} (exports minus imports: {fact.value:,.0f}); say {direction_of(fact)}"
            )
            problems.append(WordProblem("balance", m.group(0), m.start(), message, (fact.id,)))
    return problems


def _not_a_balance(m: re.Match[str], said: str, bound: Sequence[Bound]) -> list[WordProblem]:
    """'a deficit of $X' where X's fact is an amount but not a balance."""
    following = next((b for b in bound if b.figure.offset > m.end()), None)
    if following is None or following.figure.offset - m.end() > 6 or following.figure.kind != "money":
        return []
    ids = tuple(f.id for f in following.group)
    message = (
        f"calls {following.figure.text} a {said}, but the cited fact(s) {', '.join(ids)} are not a balance; "
        "cite the balance (exports minus imports)"
    )
    return [WordProblem("balance", m.group(0), m.start(), message, ids)]


# --- superlatives: largest, highest, lowest ----------------------------------------------------------------


def _superlatives(text: str, start: int, end: int, bound: Sequence[Bound], cited: Sequence[Cited]) -> list[WordProblem]:
    figures = [(b.figure.offset, b.figure.offset + len(b.figure.text)) for b in bound if b.figure.kind == "rank"]
    problems = []
    for m in _SUPERLATIVE.finditer(text, start, end):
        if any(a <= m.start() < z for a, z in figures) or text[max(0, m.start() - 3) : m.start()].lower() == "at ":
            continue  # a rank figure checks its own word; 'at least' is no superlative
        group = _group_for(m.start(), cited)
        if group is None:
            continue  # no citation in the sentence: nothing the word could claim of a fact
        problem = _superlative_problem(m, group)
        if problem:
            problems.append(problem)
    return problems


def _group_for(offset: int, cited: Sequence[Cited]) -> Cited | None:
    after = [c for c in cited if c.offset > offset]
    if after:
        return after[0]
    return cited[-1] if cited else None


def _superlative_problem(m: re.Match[str], cited: Cited) -> WordProblem | None:
    polarity = "largest" if m.group("max") else "smallest"
    ordinal = (m.group("ord") or "").lower()
    place = ORDINAL_WORDS.get(ordinal) or (int(ordinal[:-2]) if ordinal else 1)
    word, ids = m.group(0), tuple(f.id for f in cited.group)
    ranks = [f for f in cited.group if f.unit == "rank"]
    if ranks:
        rank = ranks[0]
        if polarity == "smallest":
            why = f"ranks count from the largest: {rank.id} is the {display(rank)}"
        elif int(rank.value) != place:
            why = f"the cited rank {rank.id} is the {display(rank)}"
        else:
            return None
        return WordProblem("superlative", word, m.start(), f"says {word!r}, but {why}", ids)
    extremes = [f for f in cited.group if extreme_of(f)]
    if extremes and all(extreme_of(f) != polarity or place != 1 for f in extremes):
        fact = extremes[0]
        why = f"the cited fact {fact.id} is the {extreme_of(fact)} of its kind ({fact.label})"
        return WordProblem("superlative", word, m.start(), f"says {word!r}, but {why}", ids)
    if not extremes:
        message = (
            f"says {word!r}, but no cited fact ({', '.join(ids)}) is the largest or smallest of its kind; cite "
            "the fact that is (a rank, a peak year) or drop the word"
        )
        return WordProblem("superlative", word, m.start(), message, ids)
    return None


# --- partners ---------------------------------------------------------------------------------------------


def _partners(text: str, start: int, end: int, cited: Sequence[Cited]) -> list[WordProblem]:
    """Each partner a sentence names must be the subject of a fact it cites, and each cited fact's subject must
    be named, when the sentence names any partner ('Its share...' names none: its partner is the one before).
    One finding per sentence."""
    named = partners_in(text[start:end])
    facts = list(dict.fromkeys(f for c in cited for f in c.group))
    if not named or not facts:
        return []
    names = {name for _, name in named}
    subjects = {s for f in facts for s in subject_of(f)}
    ids = tuple(f.id for f in facts)
    stray = [(offset, name) for offset, name in named if subjects and name not in subjects]
    if stray:
        offset, name = stray[0]
        about = ", ".join(f"{f.id} ({' and '.join(subject_of(f)) or 'no partner'})" for f in facts)
        message = f"names {name}, but no fact the sentence cites is about {name}: {about}"
        return [WordProblem("partner", name, start + offset, message, ids)]
    for fact in facts:
        missing = [s for s in subject_of(fact) if s not in names]
        if missing:
            message = (
                f"the cited fact {fact.id} is about {' and '.join(subject_of(fact))}, but the sentence names "
                f"{', '.join(sorted(names))}; name {' and '.join(missing)} or cite the right fact"
            )
            return [WordProblem("partner", named[0][1], start + named[0][0], message, (fact.id,))]
    return []


__all__ = ["Bound", "Cited", "WordProblem", "check_sentence"]
