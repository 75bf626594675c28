"""The verifier reads the words bound to each cited figure (wording.py) and the facts' word fields (facts.py):
direction, from/to paths, balances, superlatives, partners and currency; on the writer's fixture facts."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from nearshore.errors import InputError
from nearshore.writer.facts import (
    Fact,
    FactTable,
    currency_of,
    direction_of,
    extreme_of,
    subject_of,
)
from nearshore.writer.verifier import verify_text


def kinds(text: str, facts: FactTable) -> list[str]:
    return [f.kind for f in verify_text(text, facts).findings]


def one(text: str, facts: FactTable):
    report = verify_text(text, facts)
    assert len(report.findings) == 1, report.summary()
    return report.findings[0]


# --- the facts' word fields ---------------------------------------------------------------------------------


def test_word_fields_are_derived_from_sign_label_and_unit(facts):
    by_id = facts.by_id
    assert direction_of(by_id["mex.balance.2024"]) == "deficit"
    assert direction_of(by_id["mex.imports.growth.2024"]) == "up"
    assert direction_of(by_id["mex.exports.growth.2024"]) == "down"
    assert direction_of(by_id["mex.imports.share.change.2019_2024"]) == "up"
    assert direction_of(by_id["mex.imports.share.2024"]) == ""  # a level, not a change
    assert extreme_of(by_id["mex.share.peak.year"]) == "largest"  # 'year of Mexico's highest import share'
    assert extreme_of(by_id["mex.imports.share.2024"]) == ""
    assert subject_of(by_id["mex.imports.share.2024"]) == ("Mexico",)
    assert subject_of(by_id["chn.imports.share.2024"]) == ("China",)
    assert subject_of(by_id["mex.usmca.share.2025-06"]) == ()  # the label names no partner
    assert currency_of(by_id["mex.imports.value.2024"]) == "USD"
    assert currency_of(by_id["mex.imports.share.2024"]) == ""
    pair = Fact("canmex.trade.change", -2.0, "percent", "2025", "Change in trade with Canada and Mexico", "s", "v")
    assert subject_of(pair) == ("Canada", "Mexico")
    assert direction_of(pair) == "down"


def test_given_word_fields_win_and_must_agree_with_the_sign():
    fact = Fact("x.y", 12.0, "percent", "2025", "a share", "s", "v", extreme="largest", subject=("Mexico",))
    assert extreme_of(fact) == "largest"
    assert subject_of(fact) == ("Mexico",)
    with pytest.raises(InputError, match=r"direction 'down' disagrees with its value 12"):
        Fact("x.y", 12.0, "pp", "2025", "a change", "s", "v", direction="down")
    with pytest.raises(InputError, match=r"direction 'sideways' is not one of up, down, unchanged, surplus"):
        Fact("x.y", 12.0, "pp", "2025", "a change", "s", "v", direction="sideways")  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"subject 'Mexico' is not a list of partner names"):
        Fact("x.y", 12.0, "pp", "2025", "a change", "s", "v", subject="Mexico")  # type: ignore[arg-type]


def test_facts_file_holds_the_words_and_an_old_file_reads_the_same(facts, tmp_path):
    path = tmp_path / "b.facts.json"
    facts.save(path)
    saved = {f["id"]: f for f in json.loads(path.read_text())["facts"]}
    assert saved["mex.balance.2024"]["direction"] == "deficit"
    assert saved["mex.imports.share.2024"]["subject"] == ["Mexico"]
    assert saved["mex.imports.value.2024"]["currency"] == "USD"
    assert FactTable.load(path) == facts
    old = json.loads(path.read_text())
    for item in old["facts"]:
        for key in ("direction", "extreme", "subject", "currency"):
            del item[key]
    path.write_text(json.dumps(old))
    again = FactTable.load(path)
    assert again == facts
    assert direction_of(again.by_id["mex.balance.2024"]) == "deficit"


# --- direction words bound to a figure ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("The share rose, a gain of 1.2 percentage points[[fact:mex.imports.share.change.2019_2024]].", True),
        ("The share fell, a loss of 1.2 percentage points[[fact:mex.imports.share.change.2019_2024]].", False),
        ("Claims rose: a jump of 35.6 percentage points[[fact:mex.usmca.change.2024_2025]].", True),
        ("Claims fell: a drop of 35.6 percentage points[[fact:mex.usmca.change.2024_2025]].", False),
        ("Imports were up 6.5%[[fact:mex.imports.growth.2024]] on the year.", True),
        ("Imports were down 6.5%[[fact:mex.imports.growth.2024]] on the year.", False),
        ("Exports inched up 0.8%[[fact:mex.exports.growth.2024]].", False),
        ("Exports edged down by nearly 0.8%[[fact:mex.exports.growth.2024]].", True),
    ],
)
def test_direction_words_before_a_figure(facts, text, ok):
    report = verify_text(text, facts)
    assert report.ok is ok, report.summary()
    assert ok or {f.kind for f in report.findings} == {"direction"}


def test_citation_ids_are_not_read_as_words(facts):
    # 'growth' and 'change' in a cited id are not direction words of the figure after it
    text = "Imports rose 6.5%[[fact:mex.imports.growth.2024]] to $505.9 billion[[fact:mex.imports.value.2024]]."
    assert verify_text(text, facts).ok


# --- paths: from X to Y ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        (
            "Its share reached 15.5%[[fact:mex.imports.share.2024]], up from 14.3%[[fact:mex.imports.share.2019]].",
            True,
        ),
        (
            "Its share reached 15.5%[[fact:mex.imports.share.2024]], down from 14.3%[[fact:mex.imports.share.2019]].",
            False,
        ),
        (
            "The share slipped from 14.3%[[fact:mex.imports.share.2019]] in 2019 to "
            "15.5%[[fact:mex.imports.share.2024]] in 2024.",
            False,
        ),
        (
            "The share climbed from 14.3%[[fact:mex.imports.share.2019]] in 2019 to "
            "15.5%[[fact:mex.imports.share.2024]] in 2024.",
            True,
        ),
        (
            "The share eased to 15.5%[[fact:mex.imports.share.2024]], from 14.3%[[fact:mex.imports.share.2019]] "
            "in 2019.",
            False,
        ),
        (
            "Mexico slipped from second-largest[[fact:mex.imports.rank.2019]] in 2019 to "
            "largest[[fact:mex.imports.rank.2024]] in 2024.",
            False,
        ),
        (
            "Mexico moved up to largest[[fact:mex.imports.rank.2024]] in 2024, from "
            "second-largest[[fact:mex.imports.rank.2019]] in 2019.",
            True,
        ),
        (
            "Mexico has climbed: the largest[[fact:mex.imports.rank.2024]] in 2024, against the "
            "second-largest[[fact:mex.imports.rank.2019]] in 2019.",
            True,
        ),
        (
            "Mexico has slipped: the largest[[fact:mex.imports.rank.2024]] in 2024, against the "
            "second-largest[[fact:mex.imports.rank.2019]] in 2019.",
            False,
        ),
    ],
)
def test_the_direction_of_a_change_between_two_cited_values(facts, text, ok):
    report = verify_text(text, facts)
    assert report.ok is ok, report.summary()
    assert ok or [f.kind for f in report.findings] == ["path"]


def test_path_finding_names_both_facts(facts):
    finding = one(
        "Its share reached 15.5%[[fact:mex.imports.share.2024]], down from 14.3%[[fact:mex.imports.share.2019]].",
        facts,
    )
    assert finding.message == (
        "says a fall ('down from') from 14.3% (mex.imports.share.2019) to 15.5% (mex.imports.share.2024), but it "
        "rose; say it rose, or cite the facts the other way round"
    )
    assert finding.fact_ids == ("mex.imports.share.2019", "mex.imports.share.2024")


# --- balances ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("The United States ran a deficit of $171.8 billion[[fact:mex.balance.2024]] with Mexico.", True),
        ("The United States ran a surplus of $171.8 billion[[fact:mex.balance.2024]] with Mexico.", False),
        ("A goods deficit of $171.8 billion[[fact:mex.balance.2024]], as imports outran exports.", True),
        ("A goods deficit of $171.8 billion[[fact:mex.balance.2024]], as exports outran imports.", False),
        ("| U.S. goods surplus with Mexico, 2024 | $171.8 billion[^mex.balance.2024] |", False),
        ("Mexico ran a surplus of $505.9 billion[[fact:mex.imports.value.2024]].", False),
    ],
)
def test_deficit_and_surplus_agree_with_the_cited_balance(facts, text, ok):
    report = verify_text(text, facts)
    assert report.ok is ok, report.summary()
    assert ok or {f.kind for f in report.findings} == {"balance"}


def test_balance_finding_says_which_it_is(facts):
    finding = one("The United States ran a surplus of $171.8 billion[[fact:mex.balance.2024]].", facts)
    assert finding.message == (
        "says surplus ('surplus') but the cited balance mex.balance.2024 is a deficit of $171.8 billion (exports "
        "minus imports: -171,809,000,000); say deficit"
    )


# --- superlatives ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("Mexico was the largest[[fact:mex.imports.rank.2024]] supplier.", True),
        ("Mexico was the smallest[[fact:mex.imports.rank.2024]] supplier.", False),
        ("Mexico was the second-smallest[[fact:mex.imports.rank.2019]] supplier in 2019.", False),
        ("China was the highest[[fact:chn.imports.rank.2024]] source.", False),  # it was second
        ("China was the second-highest[[fact:chn.imports.rank.2024]] source.", True),
        ("That is the highest share in the series, set in 2024[[fact:mex.share.peak.year]].", True),
        ("That is the lowest share in the series, set in 2024[[fact:mex.share.peak.year]].", False),
        ("It peaked in 2024[[fact:mex.share.peak.year]].", True),
        ("Its share hit a record: the highest of 15.5%[[fact:mex.imports.share.2024]].", False),
        ("At least 15.5%[[fact:mex.imports.share.2024]] came from Mexico.", True),
    ],
)
def test_superlatives_agree_with_ranks_and_extremes(facts, text, ok):
    report = verify_text(text, facts)
    assert report.ok is ok, report.summary()
    assert ok or {f.kind for f in report.findings} == {"superlative"}


def test_a_fact_given_as_the_largest_supports_the_word(facts):
    table = FactTable(
        tuple(replace(f, extreme="largest") if f.id == "mex.auto.share.2024" else f for f in facts), (2026,)
    )
    text = "Automotive, the largest sector, took 31.4%[[fact:mex.auto.share.2024]] of imports from Mexico."
    assert verify_text(text, table).ok
    assert kinds(text.replace("largest", "smallest"), table) == ["superlative"]
    assert kinds(text, facts) == ["wrong-unit"]  # "largest" reads as a rank, and no rank is cited


# --- partners ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("Mexico supplied 15.5%[[fact:mex.imports.share.2024]] of U.S. goods imports.", True),
        ("Canada supplied 15.5%[[fact:mex.imports.share.2024]] of U.S. goods imports.", False),
        ("China was the largest[[fact:mex.imports.rank.2024]] supplier of U.S. goods imports.", False),
        ("Mexican goods made up 15.5%[[fact:mex.imports.share.2024]] of U.S. imports.", True),
        ("Its share was 15.5%[[fact:mex.imports.share.2024]].", True),  # the partner of the sentence before
        ("What Canada sells is 15.5%[[fact:mex.imports.share.2024]] of imports from Mexico.", False),
        (
            "Mexico held 15.5%[[fact:mex.imports.share.2024]] and China 13.4%[[fact:chn.imports.share.2024]].",
            True,
        ),
        ("USMCA claims reached 85.0%[[fact:mex.usmca.share.2025-06]] for Canada.", True),  # no partner in its label
    ],
)
def test_the_partner_named_is_the_cited_facts(facts, text, ok):
    report = verify_text(text, facts)
    assert report.ok is ok, report.summary()
    assert ok or {f.kind for f in report.findings} == {"partner"}


def test_partner_finding_names_the_facts_partner(facts):
    finding = one("Canada supplied 15.5%[[fact:mex.imports.share.2024]] of U.S. goods imports.", facts)
    assert finding.figure == "Canada"
    assert finding.message == (
        "names Canada, but no fact the sentence cites is about Canada: mex.imports.share.2024 (Mexico)"
    )


# --- currency ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "currency"),
    [
        ("EUR 171.8 billion", "EUR"),
        ("EUR/MXN 171.8 billion", "EUR/MXN"),
        ("MXN 171.8 billion", "MXN"),
        ("€171.8 billion", "EUR"),
        ("C$171.8 billion", "CAD"),
        ("171.8 billion pesos", "MXN"),
        ("171.8 billion Canadian dollars", "CAD"),
    ],
)
def test_an_amount_in_another_currency_is_refused(facts, written, currency):
    finding = one(f"The deficit was {written}[[fact:mex.balance.2024]].", facts)
    assert finding.kind == "currency"
    assert finding.message == (
        f"written in {currency}, but the cited fact mex.balance.2024 is in USD ($171.8 billion); write it in USD"
    )


def test_dollar_spellings_stay_dollars(facts):
    for written in ("$171.8 billion", "US$171.8 billion", "USD 171.8 billion", "171.8 billion U.S. dollars"):
        assert verify_text(f"The deficit was {written}[[fact:mex.balance.2024]].", facts).ok, written
