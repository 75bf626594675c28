"""Tampered briefs, built from whatever the template wrote: find the cited figures of a rendered brief (or of a
draft) and change what is bound to them, one edit per tampered brief. The edits are found with their own
patterns, not with the verifier's code, so the verifier is tested by an independent reading.

Kinds (each edit makes the brief say something its facts do not):
    direction    a rise/fall word just before a cited figure flipped ('up 6.2%' -> 'down 6.2%', 'a gain of' ->
                 'a loss of', 'a jump of' -> 'a drop of')
    path         'up from' <-> 'down from', or the verb of 'from X to Y' / 'X, against Y' flipped
    balance      'deficit' <-> 'surplus' (body and key numbers)
    outran       'imports outran exports' reversed
    superlative  'largest' -> 'smallest', 'highest' -> 'lowest'
    partner      a partner named in a sentence with a citation replaced by another
    currency     '$197.0 billion' -> 'EUR 197.0 billion', '€...', 'C$...', 'MXN ...', 'EUR/MXN ...'
    note-value   a note's shown or exact value changed (15.6 -> 95.6)
    note-swap    two notes' texts swapped (Markdown), or a mark leading to another fact's note (HTML)
    alt-value    a percent in a chart's alt text changed (15.5% -> 95.5%)
    alt-period   a year or month in a chart's alt text changed
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from nearshore.writer.extract import NOTES_MARKER
from nearshore.writer.plan import Draft

_ORD = r"second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th)"
FIGURE = rf"(?:US)?\$?\d[\d,]*(?:\.\d+)?|(?:(?:{_ORD})-)?largest"
_FILLER = r"(?:\s+(?:by|of|nearly|about))?"
VERBS = {
    "rose": "fell",
    "fell": "rose",
    "grew": "shrank",
    "climbed": "fell",
    "jumped": "dropped",
    "dropped": "jumped",
    "declined": "rose",
    "increased": "decreased",
    "slipped": "climbed",
    "eased": "rose",
    "gained": "lost",
    "lost": "gained",
    "up": "down",
    "down": "up",
}
NOUNS = {"gain": "loss", "loss": "gain", "jump": "drop", "drop": "jump", "rise": "fall", "fall": "rise"}
PARTNERS = ("Mexico", "Canada", "China", "Germany", "Japan")
CURRENCIES = ("EUR ", "MXN ", "€", "C$", "EUR/MXN ")
# a sentence ends at a full stop, or where a block ends: a blank line, a new Markdown line of a heading, list
# item or table row, or the end tag of an HTML block
_SENTENCE_END = re.compile(r"(?<!U\.S)(?<!\bNo)[.!?](?=\s|<|$)|\n\n|\n(?=[#|-])|</(?:h\d|p|li|tr)>")
_CITED = re.compile(r"\[\^|\[\[fact:|data-fact=")


@dataclass(frozen=True)
class Tamper:
    """One tampered text: its kind, what was changed, and the text."""

    kind: str
    what: str
    text: str


def _regions(text: str, fmt: str) -> list[tuple[int, int]]:
    """The prose of a rendered brief (or a draft): the spans an edit of the words may touch."""
    if fmt == "draft":
        return [(0, len(text))]
    if fmt == "md":
        end = text.find(NOTES_MARKER)
        spans, at = [], 0
        for line in text[:end].splitlines(keepends=True):
            if not line.startswith(("![", "*Machine-written")):
                spans.append((at, at + len(line)))
            at += len(line)
        return spans
    start, end = text.find("<header>"), text.find('<section class="footnotes"')
    spans, at = [], start
    for figure in re.finditer(r"<figure.*?</figure>", text[start:end], re.DOTALL):
        spans.append((at, start + figure.start()))
        at = start + figure.end()
    return [*spans, (at, end)]


def _sentence(text: str, offset: int) -> str:
    starts = [m.end() for m in _SENTENCE_END.finditer(text, 0, offset)]
    begin = starts[-1] if starts else 0
    end = _SENTENCE_END.search(text, offset)
    return text[begin : end.end() if end else len(text)]


def _inside(offset: int, regions: list[tuple[int, int]]) -> bool:
    return any(a <= offset < z for a, z in regions)


def _edit(text: str, start: int, end: int, new: str) -> str:
    return text[:start] + new + text[end:]


def _swap_case(old: str, new: str) -> str:
    return new[:1].upper() + new[1:] if old[:1].isupper() else new


def prose_tampers(text: str, fmt: str) -> Iterator[Tamper]:
    """Every edit of the words bound to a cited figure, in the prose of `text` ('md', 'html' or 'draft')."""
    regions = _regions(text, fmt)

    def candidates(pattern: str, flags: int = 0) -> Iterator[re.Match[str]]:
        for m in re.finditer(pattern, text, flags):
            if _inside(m.start(), regions) and _CITED.search(_sentence(text, m.start())):
                yield m

    words = "|".join(VERBS)
    for m in candidates(rf"\b(?P<w>{words})\b(?={_FILLER}\s+(?:{FIGURE}))", re.IGNORECASE):
        new = _swap_case(m.group("w"), VERBS[m.group("w").lower()])
        yield Tamper("direction", f"{m.group('w')!r} -> {new!r}", _edit(text, m.start(), m.end(), new))
    for m in candidates(rf"\ban? (?P<w>{'|'.join(NOUNS)}) of(?=\s+(?:{FIGURE}))"):
        new = NOUNS[m.group("w")]
        yield Tamper("direction", f"'a {m.group('w')} of' -> 'a {new} of'", _edit(text, *m.span("w"), new))
    for m in candidates(rf"\b(?P<w>up|down) from(?=\s+(?:the\s+)?(?:{FIGURE}))"):
        new = VERBS[m.group("w")]
        yield Tamper("path", f"'{m.group('w')} from' -> '{new} from'", _edit(text, *m.span("w"), new))
    yield from _path_verbs(text, regions)
    for m in candidates(r"\b(?P<w>deficit|surplus)\b"):
        new = "surplus" if m.group("w") == "deficit" else "deficit"
        yield Tamper("balance", f"{m.group('w')!r} -> {new!r}", _edit(text, m.start(), m.end(), new))
    for m in candidates(r"\bimports outran exports\b"):
        yield Tamper("outran", "'imports outran exports' reversed", _edit(text, *m.span(), "exports outran imports"))
    for m in candidates(r"\b(?P<w>largest|highest|biggest)\b"):
        new = {"largest": "smallest", "highest": "lowest", "biggest": "smallest"}[m.group("w")]
        yield Tamper("superlative", f"{m.group('w')!r} -> {new!r}", _edit(text, m.start(), m.end(), new))
    for m in candidates(rf"\b(?P<w>{'|'.join(PARTNERS)})\b"):
        sentence = _sentence(text, m.start())
        new = next(p for p in PARTNERS if p not in sentence)
        yield Tamper("partner", f"{m.group('w')!r} -> {new!r}", _edit(text, m.start(), m.end(), new))
    for i, m in enumerate(candidates(r"(?<![\w$])\$(?=\d[\d,.]*\s(?:trillion|billion|million))")):
        new = CURRENCIES[i % len(CURRENCIES)]
        yield Tamper("currency", f"'$' -> {new.strip()!r}", _edit(text, m.start(), m.end(), new))


def _path_verbs(text: str, regions: list[tuple[int, int]]) -> Iterator[Tamper]:
    """The verb of a change told as 'from X to Y', 'to Y, from X' or 'Y, against X' (not bound to a figure)."""
    ends = re.compile(rf"\b(?P<lead>from|to|against)\s+(?:the\s+)?(?:{FIGURE})")
    words = "|".join(w for w in VERBS if w not in ("up", "down")) + "|up|down"
    for sentence in _SENTENCE_END.split(text):
        begin = text.find(sentence)
        if not sentence.strip() or not _inside(begin, regions) or not _CITED.search(sentence):
            continue
        leads = [m for m in ends.finditer(sentence) if m.group("lead") != "to" or "from" in sentence]
        kinds = {m.group("lead") for m in leads}
        if not ({"from", "to"} <= kinds or "against" in kinds):
            continue
        first = min(m.start() for m in leads)
        for verb in re.finditer(rf"\b(?P<w>{words})\b", sentence[:first], re.IGNORECASE):
            rest = sentence[verb.end() : verb.end() + 25]
            if re.match(rf"{_FILLER}\s+(?:{FIGURE})", rest) or re.match(r"\s+from", rest):
                continue  # bound to a figure, or 'up from' (other kinds)
            new = _swap_case(verb.group("w"), VERBS[verb.group("w").lower()])
            at = begin + verb.start()
            yield Tamper(
                "path", f"{verb.group('w')!r} -> {new!r} (from/to)", _edit(text, at, at + len(verb.group(0)), new)
            )


def _bump(number: str) -> str:
    """15.6 -> 95.6: the leading digit moved by eight (the number changes, its form does not)."""
    return str((int(number[0]) + 8) % 10) + number[1:]


def apparatus_tampers(text: str, fmt: str) -> Iterator[Tamper]:
    """Edits of the notes and of the charts' alt texts of a rendered brief ('md' or 'html')."""
    notes = (
        list(re.finditer(r"^\[\^[^\]]+\]: (?P<body>.*)$", text, re.MULTILINE))
        if fmt == "md"
        else list(re.finditer(r'<li id="fact-\d+" data-fact-id="[^"]+">(?P<body>.*?)</li>', text, re.DOTALL))
    )
    for note in notes:
        body = note.group("body")
        label_end = body.find(":") + 1
        value = re.search(r"\d[\d,]*(?:\.\d+)?", body[label_end:])
        exact = re.search(r"\((?:rank |year )?-?(?P<n>\d[\d,]*(?:\.\d+)?)", body[label_end:])
        for what, m, group in (("shown value", value, 0), ("exact value", exact, "n")):
            if m is not None:
                at = note.start("body") + label_end + m.start(group)
                number = m.group(group)
                yield Tamper(
                    "note-value",
                    f"note {what} {number} -> {_bump(number)}",
                    _edit(text, at, at + len(number), _bump(number)),
                )
    if fmt == "md":
        for a, b in itertools.pairwise(notes):
            if a.group("body") != b.group("body"):
                swapped = _edit(text, b.start("body"), b.end("body"), a.group("body"))
                swapped = _edit(swapped, a.start("body"), a.end("body"), b.group("body"))
                yield Tamper("note-swap", "two notes' texts swapped", swapped)
    else:
        count = len(notes)
        for m in re.finditer(r'<a href="#fact-(?P<n>\d+)" data-fact="[^"]+"(?P<rest>[^>]*)>(?P=n)</a>', text):
            n = int(m.group("n"))
            other = n % count + 1
            new = f'<a href="#fact-{other}" data-fact="{m.group(0).split(chr(34))[3]}"{m.group("rest")}>{other}</a>'
            yield Tamper("note-swap", f"mark {n} leads to note {other}", _edit(text, m.start(), m.end(), new))
    alts = re.finditer(r"!\[(?P<alt>[^\]]*)\]" if fmt == "md" else r'aria-label="(?P<alt>[^"]*)"', text)
    for alt in alts:
        for m in re.finditer(r"\d[\d,]*(?:\.\d+)?(?=%)", alt.group("alt")):
            at = alt.start("alt") + m.start()
            yield Tamper(
                "alt-value",
                f"alt {m.group(0)}% -> {_bump(m.group(0))}%",
                _edit(text, at, at + len(m.group(0)), _bump(m.group(0))),
            )
        for m in re.finditer(r"(?<![\d.-])(?P<y>(?:19|20)\d\d)(?:-(?P<m>0[1-9]|1[0-2]))?(?![\d])", alt.group("alt")):
            if m.group("m"):
                month = int(m.group("m"))
                new = f"{m.group('y')}-{month % 12 + 1:02d}" if month < 12 else f"{int(m.group('y')) + 1}-01"
            else:
                new = str(int(m.group("y")) - 1)
            at = alt.start("alt") + m.start()
            yield Tamper("alt-period", f"alt {m.group(0)} -> {new}", _edit(text, at, at + len(m.group(0)), new))


def draft_tampers(draft: Draft) -> Iterator[tuple[str, str, Draft]]:
    """The prose edits made to a draft's headline, standfirst and sections (for the PDF)."""
    for tamper in prose_tampers(draft.standfirst, "draft"):
        yield tamper.kind, f"standfirst: {tamper.what}", replace(draft, standfirst=tamper.text)
    for i, section in enumerate(draft.sections):
        for tamper in prose_tampers(section.markdown, "draft"):
            sections = (*draft.sections[:i], replace(section, markdown=tamper.text), *draft.sections[i + 1 :])
            yield tamper.kind, f"{section.id}: {tamper.what}", replace(draft, sections=sections)
