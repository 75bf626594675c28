from __future__ import annotations

import json

import pytest

from nearshore.errors import InputError
from nearshore.writer.facts import Fact, FactTable, describe, display, ordinal_rank


def test_json_round_trip(facts, tmp_path):
    path = tmp_path / "brief.facts.json"
    facts.save(path)
    again = FactTable.load(path)
    assert again == facts
    payload = json.loads(path.read_text())
    assert payload["format"] == "nearshore-facts/1"
    assert payload["facts"][0]["id"] == "mex.imports.value.2024"


@pytest.mark.parametrize(
    ("fact_id", "shown"),
    [
        ("mex.imports.value.2024", "$505.9 billion"),
        ("mex.balance.2024", "$171.8 billion"),
        ("mex.imports.share.2024", "15.5%"),
        ("mex.imports.share.change.2019_2024", "1.2 percentage points"),
        ("mex.imports.rank.2024", "largest"),
        ("mex.imports.rank.2019", "second-largest"),
        ("mex.partners.count.2024", "12,345"),
        ("mex.ratio.imports_exports.2024", "1.51"),
        ("mex.share.peak.year", "2024"),
    ],
)
def test_display(facts, fact_id, shown):
    assert display(facts.get(fact_id)) == shown


def test_display_singular_point_and_large_ranks():
    assert display(Fact("a.b", 1.04, "pp", "2024", "x", "s", "v")) == "1.0 percentage point"
    assert ordinal_rank(11) == "11th-largest"
    assert ordinal_rank(22) == "22nd-largest"


def test_describe_names_the_provenance(facts):
    assert describe(facts.get("mex.balance.2024")) == (
        "U.S. goods trade balance with Mexico: $171.8 billion (negative), 2024. "
        "Source: Test fixture (made-up values), vintage 2026-01. Query: fixture:mex.balance.2024"
    )


def test_bad_id_unit_and_duplicates_are_refused():
    with pytest.raises(InputError, match=r"fact id 'Mexico Share' is not valid"):
        Fact("Mexico Share", 1, "percent", "2024", "x", "s", "v")
    with pytest.raises(InputError, match=r"unit 'pct' is not one of USD, percent, pp"):
        Fact("a.b", 1, "pct", "2024", "x", "s", "v")  # type: ignore[arg-type]  # a unit that does not exist, on purpose
    f = Fact("a.b", 1, "percent", "2024", "x", "s", "v")
    with pytest.raises(InputError, match="appears twice"):
        FactTable((f, f))


def test_lookup_of_a_missing_id_names_known_ids(facts):
    with pytest.raises(
        InputError,
        match=r"no fact with id 'nope' in the fact table \(known ids include: "
        r"can.imports.rank.2024",
    ):
        facts.get("nope")


def test_malformed_facts_file(tmp_path):
    path = tmp_path / "f.json"
    path.write_text('{"format": "other"}')
    with pytest.raises(InputError) as err:
        FactTable.load(path)
    assert str(err.value) == (
        f"{path}: format is 'other', expected 'nearshore-facts/1'; give the facts file written beside the brief"
    )
    path.write_text('{"format": "nearshore-facts/1", "facts": [{"id": "a.b", "value": 1}]}')
    with pytest.raises(InputError, match=r"fact #1 is malformed"):
        FactTable.load(path)


def test_public_names_are_exported():
    import nearshore.writer as writer

    assert sorted(writer.__all__) == writer.__all__
    for name in writer.__all__:
        assert getattr(writer, name) is not None


def test_fact_from_an_analytics_figure():
    from dataclasses import dataclass

    from nearshore.writer.facts import fact_from_figure

    # Mirrors the analytics Figure's shape (nearshore/analytics/result.py), not imported across branches.
    @dataclass(frozen=True)
    class Period:
        label: str

    @dataclass(frozen=True)
    class Provenance:
        sources: tuple[str, ...] = ("census-country",)
        vintages: tuple[str, ...] = ("2026-07",)
        query: str = "SELECT share ..."

    @dataclass(frozen=True)
    class Figure:
        value: float
        unit: str
        label: str
        period: Period
        provenance: Provenance
        comparison: str = ""
        decimals: int = 2

    figure = Figure(
        15.4923,
        "percent",
        "Mexico's share of U.S. general imports",
        Period("2024"),
        Provenance(),
        "imports from MEX / imports from all countries",
    )
    fact = fact_from_figure("mex.imports.share.2024", figure)
    assert fact == Fact(
        "mex.imports.share.2024",
        15.4923,
        "percent",
        "2024",
        "Mexico's share of U.S. general imports",
        "census-country",
        "2026-07",
        "SELECT share ...",
        "imports from MEX / imports from all countries",
        2,
    )
    assert display(fact) == "15.49%"
    assert display(fact, 1) == "15.5%"
    with pytest.raises(InputError, match=r"unit 'furlongs' is not one of"):
        fact_from_figure("x.y", Figure(1, "furlongs", "x", Period("2024"), Provenance()))
