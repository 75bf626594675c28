"""Writing checks: what makes a verified brief still read badly or mislead, found in the draft's Markdown.

- `zero-change`: a change shown as zero ("0.0 percentage points", "0.0%"): say "unchanged".
- `repeated`: a fact cited more than twice in the body (headline, standfirst and sections; the key-numbers box
  aside).
- `causal`: a causal word ("drove", "due to", "reduced"...) in a sentence that cites a change over time
  (growth, a change in points, a change against the same months a year earlier): a comparison is not a cause.
- `month`: a monthly figure (its fact's period is a month or a span of months) in a sentence that does not name
  that month ("December 2025"), so that one month is never read as the year.
- `uncited-section`: a section that cites no fact.
- `opener`: two sentences in a row that open with the same word.

Both writers' drafts can be checked; the tests run every check over every topic and year the snapshot holds.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Final, Literal

from nearshore.writer.citations import CITATION, ids_of
from nearshore.writer.extract import markdown_blocks
from nearshore.writer.facts import Fact, FactTable, display
from nearshore.writer.figures import SentenceEnd, tokens
from nearshore.writer.outline import MONTH_NAMES
from nearshore.writer.plan import Draft

CheckName = Literal["zero-change", "repeated", "causal", "month", "uncited-section", "opener"]
MAX_USES: Final = 2
CAUSAL: Final = re.compile(
    r"\b(because|due to|caus(?:e|ed|es|ing)|dr(?:ove|iven|ives|iving)|led to|lead(?:s)? to|result(?:ed|s)? in|"
    r"as a result|thanks to|owing to|reduc(?:ed|es|ing)|boost(?:ed|s|ing)?|hurt|dragg(?:ed|ing)|"
    r"push(?:ed|es|ing)|lift(?:ed|s|ing)|spurr(?:ed|ing)|trigger(?:ed|s|ing)|fuel(?:l)?ed|sparked|"
    r"in response to|on the back of)\b",
    re.IGNORECASE,
)
_ZERO: Final = re.compile(r"0(?:\.0+)?\s?(?:percentage points?|%)")
_ZERO_POINTS: Final = re.compile(r"(?<![\d.,])0\.0+ percentage point")
_MONTH_PERIOD: Final = re.compile(r"^(\d{4})-(\d{2})(?:\.\.(\d{4})-(\d{2}))?$")
_MONTHS: Final = MONTH_NAMES
_WORD: Final = re.compile(r"[A-Za-z0-9$%][\w.$%'-]*")


@dataclass(frozen=True)
class Problem:
    """One writing problem: which check, where (section id), the text at fault and what to do."""

    check: CheckName
    where: str
    text: str
    message: str

    def __str__(self) -> str:
        return f"{self.check} in {self.where}: {self.message}: {self.text!r}"


def _sentences(text: str) -> list[tuple[str, bool]]:
    """(sentence, is a table row) for the prose of `text`, in order; citations kept."""
    out: list[tuple[str, bool]] = []
    for block in markdown_blocks(text):
        body = block.text.strip()
        if body.startswith("|"):
            out.append((body, True))
            continue
        start = 0
        for token in tokens(body):
            if isinstance(token, SentenceEnd):
                out.append((body[start : token.offset + 1].strip(), False))
                start = token.offset + 1
        if body[start:].strip():
            out.append((body[start:].strip(), False))
    return [(s, table) for s, table in out if s]


def _cited(sentence: str) -> list[str]:
    return [i for m in CITATION.finditer(sentence) for i in ids_of(m)]


def _is_change(fact: Fact) -> bool:
    label = fact.label.lower()
    return fact.unit == "pp" or ".growth." in fact.id or ".change." in fact.id or label.startswith(("change", "growth"))


def _month_names(fact: Fact) -> list[str]:
    m = _MONTH_PERIOD.match(fact.period)
    if not m:
        return []
    first = f"{_MONTHS[int(m.group(2)) - 1]}"
    if m.group(3):
        return [first, f"{_MONTHS[int(m.group(4)) - 1]} {m.group(3)}"]
    return [f"{first} {m.group(1)}"]


def _opener(sentence: str) -> str:
    words = _WORD.findall(CITATION.sub("", sentence.replace("*", "")))
    return words[0].lower() if words else ""


def _parts(draft: Draft) -> list[tuple[str, str]]:
    return [("headline", draft.headline), ("standfirst", draft.standfirst)] + [
        (s.id, s.markdown) for s in draft.sections
    ]


def writing_problems(draft: Draft, facts: FactTable) -> list[Problem]:
    """Every writing problem of the draft (see the module docstring)."""
    by_id = facts.by_id
    problems: list[Problem] = []
    uses: Counter[str] = Counter()
    for where, text in _parts(draft):
        if where not in ("headline", "standfirst") and not CITATION.search(text):
            problems.append(Problem("uncited-section", where, text[:80], "the section cites no fact"))
        previous = ""
        for sentence, table in _sentences(text):
            ids = _cited(sentence)
            uses.update(ids)
            cited = [by_id[i] for i in ids if i in by_id]
            zeros = [f.id for f in cited if _is_change(f) and _ZERO.fullmatch(display(f))]
            if zeros or _ZERO_POINTS.search(sentence):
                problems.append(Problem("zero-change", where, sentence, "a change shown as zero: say 'unchanged'"))
            if any(_is_change(f) for f in cited) and (cause := CAUSAL.search(CITATION.sub("", sentence))):
                problems.append(
                    Problem(
                        "causal",
                        where,
                        sentence,
                        f"'{cause.group(0)}' beside a change over time: a comparison is not a cause",
                    )
                )
            for fact in cited:
                missing = [m for m in _month_names(fact) if m not in sentence]
                if missing:
                    problems.append(
                        Problem(
                            "month", where, sentence, f"{fact.id} is a monthly figure: name {' and '.join(missing)}"
                        )
                    )
            opener = "" if table else _opener(sentence)
            if opener and opener == previous:
                problems.append(Problem("opener", where, sentence, f"two sentences in a row open with '{opener}'"))
            previous = opener
    for fact_id, count in sorted(uses.items()):
        if count > MAX_USES:
            problems.append(Problem("repeated", "body", fact_id, f"cited {count} times (at most {MAX_USES})"))
    return problems


__all__ = ["CAUSAL", "MAX_USES", "CheckName", "Problem", "writing_problems"]
