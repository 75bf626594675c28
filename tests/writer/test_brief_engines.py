"""The brief's use of the scenario engine (review section) and the tariff series (timeline): the figures are cited,
verify, carry their provenance and assumptions, reproduce from the command their query names, a tampered figure or
word is caught, and a year without HTS10 imports leaves both parts out with a note. (Every value is recomputed by
calling the engines directly in test_figures.py, through engine_facts.py.)"""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from nearshore.cli.main import app
from nearshore.data.snapshot import seed_from_snapshot
from nearshore.data.store import Store
from nearshore.writer.compose import compose_brief
from nearshore.writer.facts import FactTable, subject_of
from nearshore.writer.template import write_brief
from nearshore.writer.verifier import check_file, verify_text

from .snapshot_briefs import Written, isolated

SCENARIO = ("tariff.before", "tariff.after", "imports.change", "imports.change.usd")


def _ids(prefix: str) -> list[str]:
    return [f"{prefix}.scenario.usmca-ch87.{k}.2025" for k in SCENARIO] + [
        f"{prefix}.tariff.series.2025-01-01",
        f"{prefix}.tariff.series.2025-12-31",
    ]


@pytest.mark.parametrize(
    ("fixture", "prefix", "name"),
    [("mexico", "mex", "Mexico"), ("canada", "can", "Canada"), ("north_america", "na", "Canada and Mexico")],
)
def test_each_topic_cites_the_engines_and_verifies(request, fixture: str, prefix: str, name: str) -> None:
    written: Written = request.getfixturevalue(fixture)
    text = written.path(".md").read_text(encoding="utf-8")
    assert check_file(written.path(".md")).ok
    for fact_id in _ids(prefix):
        assert f"[^{fact_id}]" in text, fact_id
    review = text.split("## What the review could change")[1].split("\n## ")[0]
    assert f"imports from {name} would rise from" in review
    assert re.search(r"has those imports fall [\d.]+%\[\^", review)
    timeline = text.split("## The tariff timeline")[1].split("\n## ")[0]
    assert f"the average tariff on goods from {name} rose from" in timeline
    assert "from Section 232 duties" in timeline
    facts = written.facts()
    before = facts[f"{prefix}.scenario.usmca-ch87.tariff.before.2025"]
    assert "pe-smart" in before["comparison"]
    assert "nearshore/writer/scenarios/usmca_ch87.yaml" in before["comparison"]
    assert "Hauk (2012)" in before["comparison"]
    assert "2026-05" in before["vintage"]
    assert before["query"].startswith("nearshore scenario tariff nearshore/writer/scenarios/usmca_ch87.yaml")
    assert facts[f"{prefix}.scenario.usmca-ch87.imports.change.2025"]["direction"] == "down"
    series = facts[f"{prefix}.tariff.series.2025-12-31"]
    assert series["query"].startswith("nearshore tariff series")
    assert "HTS10" in series["comparison"]
    # the assumptions are printed in the methodology, with the file named relative to the package
    assert "baseline_date = 2026-04-29" in text
    assert "Elasticities used: import demand" in text
    assert "/work/" not in text.split("## Reproduce")[0]


def test_the_scenario_fact_reproduces_from_its_query(mexico: Written, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command a scenario fact names, run as a user would on the same store, gives Mexico's figures."""
    facts = mexico.facts()
    before = facts["mex.scenario.usmca-ch87.tariff.before.2025"]
    isolated(monkeypatch, mexico.db.parent)
    args = [*before["query"].split()[1:], "--format", "json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["result"]["rows"]
    mex = next(r for r in rows if r["partner"] == "MEX")
    assert mex["tariff_old (%)"] == pytest.approx(before["value"], rel=1e-9)
    assert mex["tariff_new (%)"] == pytest.approx(facts["mex.scenario.usmca-ch87.tariff.after.2025"]["value"], rel=1e-9)
    assert mex["total_effect_pct (%)"] == pytest.approx(
        facts["mex.scenario.usmca-ch87.imports.change.2025"]["value"], rel=1e-9
    )


def _tampered(text: str, edit: tuple[str, str]) -> str:
    changed = re.sub(edit[0], edit[1], text, count=1)
    assert changed != text, edit
    return changed


@pytest.mark.parametrize(
    "edit",
    [
        (r"has those imports fall", "has those imports rise"),  # direction word of the PE change
        (r"a loss of \$", "a gain of $"),  # direction word of the dollar change
        (r"(would )rise( from [\d.]+%\[\^mex\.scenario)", r"\1fall\2"),  # the tariff path's direction
        (r"[\d.]+(%\[\^mex\.scenario\.usmca-ch87\.tariff\.after)", r"35.3\1"),  # the figure itself
        (r"[\d.]+(%\[\^mex\.scenario\.usmca-ch87\.imports\.change\.2025)", r"1.1\1"),
        (r"(goods from Mexico )rose( from)", r"\1fell\2"),  # the tariff series' direction
        (r"[\d.]+(%\[\^mex\.tariff\.series\.2025-12-31\.s232)", r"9.0\1"),
        (r"(goods from )Mexico( rose)", r"\1Canada\2"),  # a partner the facts are not about
    ],
)
def test_a_tampered_engine_figure_or_word_is_caught(mexico: Written, tmp_path, edit: tuple[str, str]) -> None:
    text = mexico.path(".md").read_text(encoding="utf-8")
    target = tmp_path / "tampered.md"
    target.write_text(_tampered(text, edit), encoding="utf-8")
    report = check_file(target, mexico.path(".facts.json"))
    assert not report.ok, edit


@pytest.fixture(scope="module")
def store():
    with Store() as opened:
        assert seed_from_snapshot(opened)
        yield opened


def test_a_year_without_hts10_imports_leaves_both_parts_out_with_a_note(store) -> None:
    year_2024 = compose_brief(store, "us-mexico", year=2024)
    missing = "\n".join(year_2024.missing)
    assert "scenario left out: the review's tariff scenario runs on HTS10 imports" in missing
    assert "tariff_series left out: the average tariff by day is weighted by HTS10 imports" in missing
    assert not any(r.startswith(("scenario_", "tariff_series")) for r in year_2024.roles)
    assert any(line.startswith("Not in this brief: scenario left out") for line in year_2024.methodology)
    draft = write_brief(year_2024.outline, year_2024.facts)
    text = draft.markdown()
    assert "If the preference went" not in text
    assert "Weighted by the year's imports" not in text
    assert verify_text(text, year_2024.facts).ok


def test_an_engine_without_the_data_leaves_its_part_out(store) -> None:
    """Inside the engines' part, missing data is a DataNotFound that `guarded` turns into a note: a partner the
    scenario's market lacks, a vintage the tariff series cannot read."""
    from nearshore.analytics import share
    from nearshore.tariffs.policy import load_policy
    from nearshore.tariffs.schedule import load_schedule
    from nearshore.writer import engines
    from nearshore.writer.brief_facts import Collector, Context, guarded

    history = {"CHN": share(store, "CHN")}
    china = Context(store, ("CHN",), "China", "chn", 2025, None, history)
    c = Collector()
    guarded(c, "scenario", lambda: engines.scenario(c, china))
    assert c.missing == ["scenario left out: the scenario's market holds no chapter 87 imports from CHN"]
    vintage = Context(store, ("MEX",), "Mexico", "mex", 2025, "2026-07", history)
    schedule, policy = load_schedule(store), load_policy()
    guarded(c, "tariff_series", lambda: engines.tariff_path(c, vintage, schedule, policy))
    assert c.missing[-1].startswith("tariff_series left out: the tariff series weights with the store's latest")
    assert not c.facts


def test_facts_file_round_trips_the_engine_facts(mexico: Written) -> None:
    table = FactTable.load(mexico.path(".facts.json"))
    fact = table.get("mex.scenario.usmca-ch87.imports.change.usd.2025")
    assert fact.unit == "USD"
    assert fact.value < 0
    assert fact.direction == "down"
    assert subject_of(fact) == ("Mexico",)
