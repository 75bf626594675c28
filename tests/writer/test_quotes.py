"""Quoted facts: a quotes file is read and checked row by row, each quote becomes a fact the verifier checks the
printed figure against, and the brief prints the file's text word for word or not at all."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nearshore.errors import InputError, ValidationFailed
from nearshore.writer.facts import FactTable
from nearshore.writer.quotes import check_quoted, load_quotes, quote_fact
from nearshore.writer.verifier import verify_text

HEADER = "text,figure,source,url,date\n"
FDI = (
    '"Mexico aims to attract $48 billion of foreign direct investment by 2026.",$48 billion,'
    "Example Ministry,https://example.org/fdi,2025-11-20\n"
)


def quotes_file(tmp_path: Path, body: str, name: str = "quotes.csv") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def test_a_quote_becomes_a_fact_and_a_verified_line(tmp_path):
    (quote,) = load_quotes(quotes_file(tmp_path, HEADER + FDI), (2026,))
    fact = quote_fact(quote)
    assert (fact.id, fact.value, fact.unit, fact.decimals) == ("quote.1", 48e9, "USD", 0)
    assert fact.period == "2025-11-20 (the quote names 2026)"
    assert fact.source == "Example Ministry, https://example.org/fdi"
    assert quote.line() == (
        "On 20 November 2025, Example Ministry wrote: “Mexico aims to attract $48 billion[[fact:quote.1]] of "
        "foreign direct investment by 2026.” ([source](https://example.org/fdi))"
    )
    assert verify_text(quote.line(), FactTable((fact,))).ok


def test_yaml_and_json_files_are_read_too(tmp_path):
    rows = [
        {
            "text": "Plants employ 31.4% of workers.",
            "figure": "31.4%",
            "source": "X",
            "url": "https://x.org",
            "date": "2025-12-01",
            "topic": "us-mexico",
        }
    ]
    for name, text in (("q.json", json.dumps(rows)), ("q.yaml", json.dumps(rows))):
        (quote,) = load_quotes(quotes_file(tmp_path, text, name))
        assert (quote.figure, quote.topic, quote_fact(quote).unit) == ("31.4%", "us-mexico", "percent")


def test_every_problem_of_the_file_is_listed_with_its_row(tmp_path):
    body = HEADER + (
        '"Plants employ 31.4% of workers.",31.4%,X,https://x.org,2025-13-01\n'
        '"Plants employ 31.4% of workers.",31.5%,X,ftp://x.org,2025-12-01\n'
        '"A market growing from $53.2 billion to $97.4 billion.",$53.2 billion,X,https://x.org,2025-12-01\n'
        ",,X,https://x.org,2025-12-01\n"
    )
    with pytest.raises(ValidationFailed) as err:
        load_quotes(quotes_file(tmp_path, body))
    found = [(p.row, p.field, p.message) for p in err.value.problems]
    assert found == [
        (1, "date", "is not a date"),
        (2, "url", "is not a web address"),
        (2, "figure", "does not appear in the text"),
        (
            3,
            "text",
            "a dollar amount with no fact citation after it in its sentence; follow it with [[fact:ID]] or remove it",
        ),
        (4, "text", "is empty"),
        (4, "figure", "is empty"),
    ]
    assert str(err.value).startswith("6 problem(s) found; the brief was not written:")


def test_a_file_without_the_columns_or_not_there(tmp_path):
    with pytest.raises(InputError, match="the header lacks url, date"):
        load_quotes(quotes_file(tmp_path, "text,figure,source\nx,1%,y\n"))
    with pytest.raises(InputError, match="no such quotes file"):
        load_quotes(tmp_path / "missing.csv")


def test_the_printed_quotation_must_be_the_files_text(tmp_path):
    (quote,) = load_quotes(quotes_file(tmp_path, HEADER + FDI), (2026,))
    assert check_quoted(quote.line(), [quote]) == []
    edited = quote.line().replace("foreign direct investment", "investment")
    assert check_quoted(edited, [quote]) == [
        "quote 1 (Example Ministry) is cited but its text differs from the quotes file"
    ]
