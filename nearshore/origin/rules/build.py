"""Build the shipped rule file from the transcribed legal text in ../shared/data/raw.

`build_rules(raw_dir)` reads `usmca_rules_of_origin_text/psr_rules.jsonl` (1,159 rules of HTSUS
General Note 11(o)) and `section_rules.jsonl` (GN 11(n)(iv)-(v)), parses each rule with
`parser.parse_rule_text` and returns a `RuleSet` with provenance (file names, SHA-256, build date).
`write_rules` writes it as JSON with one rule per line; `python -m nearshore.origin.rules build RAW_DIR`
rebuilds `nearshore/origin/rules/data/gn11_rules.json`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nearshore.errors import CodeListError, RuleParseError
from nearshore.origin.rules.codes import parse_code_list
from nearshore.origin.rules.model import CodeRange, ProductRule, RuleKind
from nearshore.origin.rules.parser import parse_rule_text
from nearshore.origin.rules.serial import rule_to_json

SOURCE_FOLDER = "usmca_rules_of_origin_text"
PSR_FILE = "psr_rules.jsonl"
SECTION_FILE = "section_rules.jsonl"
FORMAT = "nearshore-origin-rules/1"
SHIPPED = Path(__file__).with_name("data") / "gn11_rules.json"
PLACEHOLDER = re.compile(r"subheadings? \[(\d{4})\.xx\]")
FRAGMENT_REASON = "the transcribed text is only a fragment ({text!r}); take the rule from the official GN 11(o)"


@dataclass(frozen=True)
class RuleSet:
    """Rules with where they came from (`provenance`: files, checksums, build date, builder)."""

    rules: tuple[ProductRule, ...]
    provenance: dict[str, Any] = field(default_factory=dict)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def scope_from_label(label: str, chapter: str | None) -> tuple[CodeRange, ...]:
    """The codes of the transcriber's range label ('Subheadings 9401.10 through 9401.80 (x)')."""
    text = re.sub(r"\((?![^)]*\d{4})[^)]*\)", " ", label)  # drop "(heavy truck)", keep "(6207.11, ...)"
    text = re.sub(r"[(),]|short list", " ", text)
    text = expand_shorthand(text)
    text = text.replace("–", " through ").replace("-", " through ")
    text = re.sub(r"\b(Chapter|Chapters)\s+(\d{1,2})\b(?!\.)", lambda m: f"chapter {int(m[2]):02d}", text)
    text = re.sub(r"(?i)\b(subheadings?|headings?|tariff items?|chapter rules?|chapter)\b", " ", text)
    codes = re.findall(r"\d{2}(?:\.?\d{2})*(?:\s+through\s+\d{2}(?:\.?\d{2})*)?", text)
    if not codes and chapter:
        return (CodeRange(chapter, chapter),)
    try:
        return parse_code_list(", ".join(codes), allow_descriptions=False)
    except CodeListError:
        return (CodeRange(chapter, chapter),) if chapter else ()


def expand_shorthand(text: str) -> str:
    """'2106.90.03, .06 and .09' -> '2106.90.03, 2106.90.06 and 2106.90.09'."""
    previous = ""

    def expand(match: re.Match[str]) -> str:
        nonlocal previous
        code = match.group(0)
        if code.startswith(".") and previous:
            code = previous[: len(previous) - len(code)] + code
        previous = code
        return code

    return re.sub(r"(?<![\d.])\.\d{2}\b|\b\d{4}(?:\.\d{2})+", expand, text)


MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
LEGAL_DATE = rf"(?:{'|'.join(MONTHS)}) \d{{1,2}}, \d{{4}}"


def _iso(text: str) -> dt.date:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return dt.date.fromisoformat(text)
    month, day, year = re.sub(",", "", text).split()
    return dt.date(int(year), MONTHS.index(month) + 1, int(day))


def validity(qualifier: str | None, text: str) -> tuple[str | None, str | None]:
    """The phase window of a time-based rule: (valid_from, valid_until exclusive), ISO dates.

    Read from the qualifier ('phase 1 (2020-07-01 until 2023-07-01)') or the rule's own lead-in
    ('Beginning on July 1, 2020 until July 1, 2025, ...'). An end date not on the 1st of a month
    ('until 2023-06-30') is read as the last day in force.
    """
    lead = re.match(rf"Beginning on ({LEGAL_DATE})(?:,? until ({LEGAL_DATE}))?", text)
    found = re.search(r"(\d{4}-\d{2}-\d{2})(?: until (\d{4}-\d{2}-\d{2}))?", qualifier or "")
    match = lead or found
    if not match:
        return None, None
    start = _iso(match.group(1))
    end = _iso(match.group(2)) if match.group(2) else None
    if end is not None and end.day != 1:
        end += dt.timedelta(days=1)
    return start.isoformat(), end.isoformat() if end else None


def citation_for(row: dict[str, Any]) -> str:
    chapter = int(row["chapter"])
    if row["rule_kind"] != "psr":
        return str(row["source_reference"])
    text = f"HTSUS GN 11(o), chapter {chapter}"
    number, basis = row.get("rule_number"), row.get("rule_number_basis") or ""
    if number is not None:
        text += f", rule {number}" + (" (number inferred by position)" if basis.startswith("inferred") else "")
    else:
        text += " (rule number not printed in the source)"
    return text


def repair(text: str, scope: tuple[CodeRange, ...]) -> tuple[str, list[str]]:
    """Replace the transcriber's '[7308.xx]' placeholder by the subheadings of the record's range."""
    if not PLACEHOLDER.search(text) or not scope:
        return text, []
    codes = ", ".join(str(r) for r in scope)
    fixed = PLACEHOLDER.sub(f"subheadings {codes}", text)
    return fixed, [f"placeholder '[NNNN.xx]' read as the record's subheadings {codes}"]


def rule_from_row(row: dict[str, Any], rule_id: str) -> ProductRule:
    kind: RuleKind = row["rule_kind"]
    label_scope = scope_from_label(row.get("hs_range") or "", row.get("chapter"))
    text, notes = repair(row["rule_text"], label_scope)
    flags = [*row.get("flags", []), *notes]
    common: dict[str, Any] = {
        "id": rule_id,
        "citation": citation_for(row),
        "chapter": row["chapter"],
        "kind": kind,
        "text": row["rule_text"],
        "rule_number": row.get("rule_number"),
        "qualifier": row.get("qualifier"),
        "trade_scope": row.get("trade_scope"),
    }
    common["valid_from"], common["valid_until"] = validity(row.get("qualifier"), row["rule_text"])
    try:
        parsed = parse_rule_text(text, row["chapter"])
    except RuleParseError as exc:
        if kind != "psr":
            return ProductRule(scope=label_scope, flags=tuple(flags), **common)
        reason = str(exc)
        if not re.search(r"\b(change|production)\b", text, re.IGNORECASE):
            reason = FRAGMENT_REASON.format(text=text[:60])
        elif text.rstrip().endswith(":"):
            reason = f"the transcribed text stops at {text[-40:]!r}; take the rest from the official GN 11(o)"
        return ProductRule(scope=label_scope, flags=tuple(flags), unparsed_reason=reason, **common)
    text_scope = parsed.scope
    outside = [r for r in text_scope if not any(wide.contains(r.start) for wide in label_scope)]
    if label_scope and outside:
        shown = ", ".join(map(str, outside))
        flags.append(f"codes in the rule text ({shown}) lie outside the record's range; indexed by the range")
    return ProductRule(
        scope=label_scope or text_scope,
        alternatives=parsed.alternatives,
        applies_to=parsed.applies_to,
        flags=tuple(flags),
        **common,
    )


def section_rule(row: dict[str, Any], number: int) -> ProductRule:
    chapters = tuple(CodeRange(c, c) for c in row["chapters"])
    section = "VI" if "(iv)" in row["source_reference"] else "VII"
    return ProductRule(
        id=f"GN11-S{section}-{number:02d}",
        citation=f"HTSUS {row['source_reference']}",
        chapter=row["chapters"][0],
        kind="section_rule",
        scope=chapters,
        text=row["rule_text"],
        qualifier=row.get("hs_range"),
        flags=tuple(row.get("flags", [])),
    )


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def build_rules(raw_dir: Path) -> RuleSet:
    """Parse every rule of the transcribed GN 11 text under `raw_dir` (the shared data/raw folder)."""
    folder = Path(raw_dir) / SOURCE_FOLDER
    psr_path, section_path = folder / PSR_FILE, folder / SECTION_FILE
    rules: list[ProductRule] = []
    per_chapter: dict[str, int] = {}
    for row in read_jsonl(psr_path):
        per_chapter[row["chapter"]] = per_chapter.get(row["chapter"], 0) + 1
        rules.append(rule_from_row(row, f"GN11-{row['chapter']}-{per_chapter[row['chapter']]:03d}"))
    sections: dict[str, int] = {}
    for row in read_jsonl(section_path):
        key = "VI" if "(iv)" in row["source_reference"] else "VII"
        sections[key] = sections.get(key, 0) + 1
        rules.append(section_rule(row, sections[key]))
    first = read_jsonl(psr_path)[0]
    provenance = {
        "source": "HTSUS General Note 11 (2026 Rev. 15), third-party transcription; see SOURCE.md",
        "files": {
            f"{SOURCE_FOLDER}/{PSR_FILE}": sha256(psr_path),
            f"{SOURCE_FOLDER}/{SECTION_FILE}": sha256(section_path),
        },
        "transcription": f"{first['source_repo']}@{first['source_commit']}",
        "builder": "nearshore.origin.rules.build.build_rules",
        "built": dt.date.today().isoformat(),
    }
    return RuleSet(tuple(rules), provenance)


def dumps(rule_set: RuleSet) -> str:
    """JSON with one rule per line (diffs stay readable; line numbers locate problems)."""
    head = json.dumps({"format": FORMAT, "provenance": rule_set.provenance}, ensure_ascii=False)
    lines = [json.dumps(rule_to_json(r), ensure_ascii=False, sort_keys=False) for r in rule_set.rules]
    return head[:-1] + ', "rules": [\n' + ",\n".join(lines) + "\n]}\n"


def write_rules(rule_set: RuleSet, path: Path = SHIPPED) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(dumps(rule_set), encoding="utf-8")
    tmp.replace(path)
    return path
