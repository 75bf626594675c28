"""Quoted facts: figures official trade data cannot give (investment pledges, plant announcements, FDI targets),
which a brief states only as quotations from a named, dated source the user supplies with `--quotes FILE`.

The file is CSV (header `text,figure,source,url,date`, optional `topic`) or YAML/JSON (a list of mappings with
those keys). `figure` is the figure as the text writes it ("$48 billion", "31.4%"); each row becomes a fact
(`quote.<n>`) whose value is that figure, and the brief prints the text with the fact's citation right after the
figure, so the verifier checks the printed figure against the file. `check_quoted` makes sure every quotation the
brief prints is the file's text, word for word. Without a quotes file the brief makes no such claims.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Final

from nearshore.errors import InputError, Problem, ValidationFailed
from nearshore.writer.citations import cite
from nearshore.writer.facts import Fact, FactTable
from nearshore.writer.figures import ProseFigure, tokens

FIELDS: Final = ("text", "figure", "source", "url", "date")
UNITS: Final = {"money": "USD", "percent": "percent", "pp": "pp", "scaled": "count", "number": "count"}
_URL = re.compile(r"^https?://\S+$")


@dataclass(frozen=True)
class Quote:
    """One quoted fact: the sentence, the figure in it, who said it, where and when."""

    number: int
    text: str
    figure: str
    source: str
    url: str
    on: date
    topic: str = ""

    @property
    def fact_id(self) -> str:
        return f"quote.{self.number}"

    def cited_text(self) -> str:
        """The sentence with the fact's citation right after its figure."""
        at = self.text.index(self.figure) + len(self.figure)
        return self.text[:at] + cite(self.fact_id) + self.text[at:]

    def line(self) -> str:
        """How the brief prints it: the date, the source, the quotation and a link."""
        return f"On {self.on.day} {self.on:%B %Y}, {self.source} wrote: “{self.cited_text()}” ([source]({self.url}))"


def _rows(path: Path) -> list[dict[str, Any]]:
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() in (".yaml", ".yml", ".json"):
        import yaml

        try:
            data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
        except (json.JSONDecodeError, yaml.YAMLError) as exc:
            raise InputError(
                f"{path}: not valid {path.suffix[1:].upper()} ({exc}); give a list of quotes with {', '.join(FIELDS)}",
                file=str(path),
            ) from None
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise InputError(
                f"{path}: expected a list of mappings, one per quote, with keys {', '.join(FIELDS)}", file=str(path)
            )
        return data
    reader = csv.DictReader(io.StringIO(text))
    missing = [f for f in FIELDS if f not in (reader.fieldnames or [])]
    if missing:
        raise InputError(
            f"{path}: the header lacks {', '.join(missing)}; the columns are {', '.join(FIELDS)} (and optional topic)",
            file=str(path),
            field=missing[0],
            hint="write a header row: text,figure,source,url,date",
        )
    return list(reader)


def _figure(text: str) -> ProseFigure | None:
    found = [t for t in tokens(text) if isinstance(t, ProseFigure)]
    return found[0] if len(found) == 1 else None


def _check(row: dict[str, Any], number: int, where: str) -> tuple[Quote | None, list[Problem]]:
    problems = []

    def bad(field: str, value: object, message: str, fix: str) -> None:
        problems.append(Problem(where, number, field, str(value), message, fix))

    values = {f: " ".join(str(row.get(f) or "").split()) for f in FIELDS}
    for field in FIELDS:
        if not values[field]:
            bad(field, "", "is empty", f"give the quote's {field}")
    if problems:
        return None, problems
    try:
        on = date.fromisoformat(values["date"])
    except ValueError:
        bad("date", values["date"], "is not a date", "write it as YYYY-MM-DD, e.g. 2025-11-20")
        on = date.min
    if not _URL.match(values["url"]):
        bad("url", values["url"], "is not a web address", "give the http(s) address where the quote was published")
    figure = _figure(values["figure"])
    if figure is None or figure.kind not in UNITS:
        bad("figure", values["figure"], "is not one figure", "give the figure as the text writes it, e.g. $48 billion")
    elif values["figure"] not in values["text"]:
        bad("figure", values["figure"], "does not appear in the text", "copy the figure exactly as the text writes it")
    quote = Quote(
        number,
        values["text"],
        values["figure"],
        values["source"],
        values["url"],
        on,
        str(row.get("topic") or "").strip(),
    )
    return (None if problems else quote), problems


def quote_fact(quote: Quote) -> Fact:
    figure = _figure(quote.figure)
    assert figure is not None  # checked when the file was read
    value = float(figure.shown) * (figure.scale if figure.kind in ("money", "scaled") else 1.0)
    # the years the quotation itself names are its own: the sentence quoting it may print them
    named = sorted({int(t.shown) for t in tokens(quote.text) if isinstance(t, ProseFigure) and t.kind == "year"})
    period = quote.on.isoformat() + (f" (the quote names {', '.join(map(str, named))})" if named else "")
    return Fact(
        quote.fact_id,
        value,
        UNITS[figure.kind],  # type: ignore[arg-type]  # values of UNITS are fact units
        period,
        f"figure quoted from {quote.source}: “{quote.text}”",
        f"{quote.source}, {quote.url}",
        quote.on.isoformat(),
        decimals=figure.decimals,
    )


def load_quotes(path: Path, allowed_years: Sequence[int] = ()) -> list[Quote]:
    """The quotes of `path`, each checked: every field given, a real date and web address, the figure written
    once in the text, and the printed line verifying against its fact (ValidationFailed lists every problem)."""
    from nearshore.writer.verifier import verify_text

    if not path.is_file():
        raise InputError(f"{path}: no such quotes file; give a CSV, YAML or JSON file of quotes", file=str(path))
    quotes: list[Quote] = []
    problems: list[Problem] = []
    for number, row in enumerate(_rows(path), start=1):
        quote, found = _check(row, number, str(path))
        problems += found
        if quote is None:
            continue
        table = FactTable((quote_fact(quote),), tuple(allowed_years))
        report = verify_text(quote.line(), table, f"{path}, quote {number}")
        for finding in report.findings:
            problems.append(
                Problem(
                    str(path),
                    number,
                    "text",
                    finding.figure,
                    finding.message,
                    "quote one sentence whose only figure is the one given (a year only as the quote's own)",
                )
            )
        if report.ok:
            quotes.append(quote)
    if problems:
        raise ValidationFailed(problems, outcome="the brief was not written")
    return quotes


def check_quoted(markdown: str, quotes: Sequence[Quote]) -> list[str]:
    """Problems with the quotations a brief prints: a cited quote whose text is not the file's, word for word."""
    out = []
    for quote in quotes:
        if cite(quote.fact_id) in markdown and quote.cited_text() not in markdown:
            out.append(f"quote {quote.number} ({quote.source}) is cited but its text differs from the quotes file")
    return out


__all__ = ["FIELDS", "Quote", "check_quoted", "load_quotes", "quote_fact"]
