"""SQL lives in one folder: the query layer (nearshore/data/query/) and the store's schema and load code
(nearshore/data/store.py, schema.py, and the loaders in nearshore/data/sources/). Any SQL text elsewhere in the
package fails this test: readers go through the query layer instead.

The scan reads every string literal of the package's code (f-strings with their holes filled, docstrings and
comments left out, since they may quote SQL to explain it) and looks for SQL statements, clauses and
conditions on the store's columns.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from nearshore.data import schema

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "nearshore"
ALLOWED = ("nearshore/data/query/", "nearshore/data/store.py", "nearshore/data/schema.py", "nearshore/data/sources/")

_COLUMNS = sorted({c for cols, _ in schema.TABLES.values() for c, _ in cols} | {"target", "origin", "checksum"})
SQL = re.compile(
    "|".join(
        [
            r"\bSELECT\b[\s\S]*\bFROM\b",
            r"\bINSERT\s+INTO\b",
            r"\bDELETE\s+FROM\b",
            r"\bUPDATE\s+\w+(\s+\w+)?\s+SET\b",
            r"\b(CREATE|ALTER|DROP)\s+(OR\s+REPLACE\s+)?(TEMP\s+|TEMPORARY\s+)?(TABLE|VIEW|INDEX)\b",
            r"\b(GROUP|ORDER|PARTITION)\s+BY\b",
            r"\bQUALIFY\b[^.]*\bOVER\b",
            r"\bIS\s+(NOT\s+)?(NULL|DISTINCT\s+FROM)\b",
            r"\bFILTER\s*\(\s*WHERE\b",
            r"\b(read_parquet|read_csv|starts_with|list_sort|COPY)\s*\(",
            r"\bLIKE\s+'",
            r"\b(" + "|".join(_COLUMNS) + r")\s*(=|<>|!=|<=|>=|\bIN\s*\(|\bBETWEEN\b)\s*[\w'(]",
        ]
    )
)


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the docstring nodes of a module, its classes and functions."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def strings(source: str) -> Iterator[tuple[int, str]]:
    """(line, text) of each string literal in `source`, docstrings excepted; an f-string's holes read 'x'."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            parts = []
            for value in node.values:
                inside.add(id(value))
                text = value.value if isinstance(value, ast.Constant) and isinstance(value.value, str) else "x"
                parts.append(text)
            yield node.lineno, "".join(parts)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip | inside:
            yield node.lineno, node.value


def sql_in(source: str) -> list[tuple[int, str]]:
    return [(line, text) for line, text in strings(source) if SQL.search(text)]


def test_sql_appears_only_in_the_query_layer_and_the_store() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        if name.startswith(ALLOWED):
            continue
        found += [f"{name}:{line}: {text.strip()[:100]!r}" for line, text in sql_in(path.read_text())]
    assert not found, "SQL outside the query layer (read through nearshore.data.query instead):\n" + "\n".join(found)


def test_the_scan_finds_the_layers_own_sql() -> None:
    """The detector is not blind: it finds SQL in each module of the query layer that writes some."""
    layer = PACKAGE / "data" / "query"
    for module in ("trade.py", "catalog.py", "hts.py", "provenance.py", "duckdb.py", "sql.py"):
        assert sql_in((layer / module).read_text()), module


@pytest.mark.parametrize(
    "text",
    [
        'rows = store.query(f"SELECT max(month) FROM {rel} WHERE {cond}")',
        'where = "duty_usd IS NOT NULL"',
        'extra = f"year = {int(year)}"',
        "cond = f\"commodity LIKE '{p}%'\"",
        'sql = "UPDATE trade_flows t SET superseded_by = 3"',
        'group = "GROUP BY ALL"',
        'part = f"month IS NOT NULL AND year IN ({years})"',
    ],
)
def test_the_scan_flags_sql_fragments(text: str) -> None:
    assert sql_in(text)


@pytest.mark.parametrize(
    "text",
    [
        'verdict = "DOES NOT QUALIFY as originating"',
        'note = "world total = sum over countries and unallocated partners"',
        'help = "--year 2025 --month 3: the year and month of imports"',
        'def f():\n    """SELECT year FROM trade_flows, quoted in a docstring."""',
        'label = "the partner selected from the list"',
    ],
)
def test_the_scan_leaves_prose_alone(text: str) -> None:
    assert not sql_in(text)
