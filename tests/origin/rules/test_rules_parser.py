"""The parser on a hand-checked sample of every rule form; texts as printed in HTSUS GN 11(o)
(transcription in ../shared/data/raw/usmca_rules_of_origin_text/psr_rules.jsonl), structures read by hand."""

from __future__ import annotations

import re

import pytest

from nearshore.errors import RuleParseError
from nearshore.origin.rules.model import (
    CodeRange,
    NoChangeRequired,
    ProcessRule,
    RvcRequirement,
    TariffShift,
)
from nearshore.origin.rules.parser import parse_rule_text


def c(start: str, end: str | None = None) -> CodeRange:
    return CodeRange(start, end or start)


def only_shift(text: str, chapter: str | None = None) -> TariffShift:
    parsed = parse_rule_text(text, chapter)
    assert len(parsed.alternatives) == 1
    (shift,) = parsed.alternatives[0].tariff_shifts
    return shift


def test_change_of_chapter_for_a_range_of_headings() -> None:
    # GN 11(o) chapter 2, rule 1
    shift = only_shift("A change to headings 0201 through 0210 from any other chapter.")
    assert shift == TariffShift("chapter", (c("0201", "0210"),))


def test_heading_printed_with_a_dot() -> None:
    # the form quoted in issue 6: "A change to heading 87.08 from any other heading"
    assert only_shift("A change to heading 87.08 from any other heading.") == TariffShift("heading", (c("8708"),))


def test_except_from_list_with_ranges_chapters_and_described_goods() -> None:
    # chapter 61, rule 15 (heading 6109)
    text = (
        "A change to heading 6109 from any other chapter, except from headings 5106 through 5113, "
        "5204 through "
        "5212, 5310 through 5311, chapter 54 or headings 5508 through 5516 or 6001 through 6006, or other "
        "made-up textile articles of heading 9619, provided that the good is both cut (or knit to shape) and "
        "sewn or otherwise assembled in the territory of one or more of the USMCA countries."
    )
    (alternative,) = parse_rule_text(text).alternatives
    shift = alternative.tariff_shifts[0]
    assert shift.level == "chapter"
    assert shift.to_scope == (c("6109"),)
    assert shift.exceptions == (
        c("5106", "5113"),
        c("5204", "5212"),
        c("5310", "5311"),
        c("54"),
        c("5508", "5516"),
        c("6001", "6006"),
        CodeRange("9619", "9619", "other made-up textile articles"),
    )
    processes = [x for x in alternative.conditions if isinstance(x, ProcessRule) and x.kind == "process"]
    assert [p.text for p in processes] == [
        "the good is both cut (or knit to shape) and sewn or otherwise assembled in the territory of one or "
        "more of the USMCA countries"
    ]
    assert not alternative.mechanical


def test_alternatives_with_whether_or_not_and_rvc_by_method() -> None:
    # chapter 85, rule 100 (subheading 8540.20)
    text = (
        "(A) A change to subheading 8540.20 from any other heading; or (B) A change to subheading 8540.20 "
        "from subheadings 8540.91 through 8540.99, whether or not there is also a change from any other "
        "heading, provided there is a regional value content of not less than: (1) 60 percent where the "
        "transaction value method is used; or (2) 50 percent where the net cost method is used."
    )
    a, b = parse_rule_text(text).alternatives
    assert (a.label, b.label) == ("(A)", "(B)")
    assert a.conditions == (TariffShift("heading", (c("854020"),)),)
    assert b.conditions == (
        TariffShift("subheading", (c("854020"),), from_scope=(c("854091", "854099"),), also_from_level="heading"),
        RvcRequirement(60.0, 50.0),
    )


def test_rvc_written_in_one_sentence() -> None:
    # the form of issue 6: "not less than 60 percent where the transaction value method is used, or not
    # less than 50 percent where the net cost method is used" (chapter 84 style)
    text = (
        "A change to subheading 8413.70 from any other heading, provided there is a regional value content "
        "of not less than 60 percent where the transaction value method is used, or not less than 50 percent "
        "where the net cost method is used."
    )
    (alternative,) = parse_rule_text(text).alternatives
    assert alternative.rvc == RvcRequirement(60.0, 50.0)


def test_vehicle_use_prefix_and_no_change_required() -> None:
    # chapter 87, rule 26 (subheading 8708.29, any other use)
    text = (
        "For any other good of subheading 8708.29: (A) A change to subheading 8708.29 from any other "
        "heading; "
        "or (B) No change in tariff classification to a good of subheading 8708.29, provided there is a "
        "regional value content of not less than 50 percent under the net cost method."
    )
    parsed = parse_rule_text(text)
    assert parsed.applies_to == "For any other good of subheading 8708.29"
    a, b = parsed.alternatives
    assert a.conditions == (TariffShift("heading", (c("870829"),)),)
    assert b.conditions == (NoChangeRequired((c("870829"),)), RvcRequirement(None, 50.0))
    assert b.mechanical


def test_specific_from_heading_with_whether_or_not_chapter() -> None:
    # chapter 87, rule 18 (heading 8707, heavy truck)
    text = (
        "For a good of heading 8707 for use in a heavy truck: (A) A change to heading 8707 from any other "
        "chapter; or (B) A change to heading 8707 from heading 8708, whether or not there is also a change "
        "from any other chapter, provided there is a regional value content of not less than 70 "
        "percent under "
        "the net cost method."
    )
    parsed = parse_rule_text(text)
    assert parsed.applies_to == "For a good of heading 8707 for use in a heavy truck"
    b = parsed.alternatives[1]
    assert b.conditions == (
        TariffShift("heading", (c("8707"),), from_scope=(c("8708"),), also_from_level="chapter"),
        RvcRequirement(None, 70.0),
    )


def test_group_rule_including_another_subheading_within_that_group() -> None:
    # chapter 9, rule 2 (subheadings 0902.10 through 0902.40)
    shift = only_shift(
        "A change to subheadings 0902.10 through 0902.40 from any other subheading, including another "
        "subheading within that group."
    )
    assert shift == TariffShift("subheading", (c("090210", "090240"),))


def test_from_heading_outside_that_group() -> None:
    # chapter 37, rule 1 (as printed, without "any")
    shift = only_shift("A change to headings 3701 through 3703 from heading outside that group.")
    assert shift == TariffShift("heading", (c("3701", "3703"),), outside_group=True)


def test_except_from_any_subheading_within_that_group() -> None:
    # chapter 85, rule 91
    shift = only_shift(
        "A change to subheadings 8539.10 through 8539.49 from any other subheading, except from any "
        "subheading within that group."
    )
    assert shift == TariffShift("subheading", (c("853910", "853949"),), outside_group=True)


def test_from_any_other_good_within_that_subheading() -> None:
    # chapter 85, rule 76 (subheading 8533.90)
    shift = only_shift(
        "A change to a good of subheading 8533.90 from any other good within that subheading or any other subheading."
    )
    assert shift == TariffShift(
        "subheading",
        (c("853390"),),
        allow_within=True,
        within_level="subheading",
        also_from_level="subheading",
    )


def test_from_within_that_subheading_with_weight_proviso() -> None:
    # chapter 13, rule 4 (subheading 1302.39)
    text = (
        "(A) A change to carrageenan of subheading 1302.39 from within that subheading or any other chapter, "
        "provided the nonoriginating materials of subheading 1302.39 do not exceed 50 percent by "
        "weight of the "
        "good; or (B) A change to any other good of subheading 1302.39 from any other chapter, except from "
        "concentrates of poppy straw of subheading 2939.11."
    )
    a, b = parse_rule_text(text).alternatives
    assert a.conditions[0] == TariffShift(
        "chapter", (c("130239"),), allow_within=True, within_level="subheading", also_from_level="chapter"
    )
    kinds = {x.kind: x.text for x in a.conditions if isinstance(x, ProcessRule)}
    assert kinds["goods"] == "the good is carrageenan of 1302.39"
    assert kinds["weight"].endswith("do not exceed 50 percent by weight of the good")
    assert b.conditions[0] == TariffShift(
        "chapter", (c("130239"),), exceptions=(CodeRange("293911", "293911", "concentrates of poppy straw"),)
    )


def test_provided_that_component_rule_kept_as_text() -> None:
    # chapter 18, rule 3 (subheading 1806.10)
    text = (
        "A change to subheading 1806.10 from any other heading, provided that the nonoriginating sugar of "
        "chapter 17 constitutes no more than 35 percent by weight of the sugar and the nonoriginating cocoa "
        "powder of heading 1805 constitutes no more than 35 percent by weight of the cocoa powder."
    )
    (alternative,) = parse_rule_text(text).alternatives
    shift, condition = alternative.conditions
    assert shift == TariffShift("heading", (c("180610"),))
    assert isinstance(condition, ProcessRule)
    assert condition.kind == "weight"
    assert condition.text.startswith("the nonoriginating sugar of chapter 17")


def test_lowercase_alternatives_and_roman_rvc_items() -> None:
    # chapter 73, heading 7313, phase 2 (no printed rule number; the printed "c)" lacks its parenthesis)
    text = (
        "(a) A change to heading 7313 from any other heading, except from headings 7208 through 7229 or 7301 "
        "through 7326; (b) A change to heading 7313 from headings 7208 through 7229 or 7301 through 7326, "
        "provided that at least 70 percent by weight of the materials of headings 7208 through 7229 and 7301 "
        "through 7326 is originating; or c) No change in tariff classification to a good of heading 7313, "
        "provided there is a regional value content of not less than: (i) 75 percent where the transaction "
        "value method is used; or (ii) 65 percent where the net cost method is used."
    )
    a, b, cc = parse_rule_text(text).alternatives
    assert [x.label for x in (a, b, cc)] == ["(a)", "(b)", "(c)"]
    assert a.conditions == (TariffShift("heading", (c("7313"),), exceptions=(c("7208", "7229"), c("7301", "7326"))),)
    assert b.tariff_shifts[0].from_scope == (c("7208", "7229"), c("7301", "7326"))
    assert isinstance(b.conditions[1], ProcessRule)
    assert b.conditions[1].kind == "weight"
    assert cc.conditions == (NoChangeRequired((c("7313"),)), RvcRequirement(75.0, 65.0))


def test_textile_process_alternative() -> None:
    # chapter 27, rule 7 (heading 2710): "Production of ... as the result of ..." alternatives
    text = (
        "(A) A change to heading 2710 from any other heading, except from headings 2711 through 2715; (B) "
        "Production of any good of heading 2710 as the result of atmospheric distillation, vacuum "
        "distillation,"
        " catalytic hydroprocessing, catalytic reforming, alkylation, catalytic cracking, thermal cracking, "
        "coking or isomerization"
    )
    a, b = parse_rule_text(text).alternatives
    assert a.tariff_shifts[0].exceptions == (c("2711", "2715"),)
    assert b.conditions == (ProcessRule(b.text, "process"),)


def test_goods_codes_chosen_in_the_rules_chapter() -> None:
    # chapter 40, rule 8 (subheading 4009.12): the description names vehicle codes of chapter 87
    text = (
        "(A) A change to tubes, pipes, or hoses of subheading 4009.12, of a kind for use in a motor "
        "vehicle of "
        "tariff items 8702.10.60, 8702.90.30 or 8702.90.60, subheadings 8703.21 through 8703.90, 8704.21 or "
        "8704.31, or heading 8711, from any other heading, except from headings 4010 through 4017"
    )
    (alternative,) = parse_rule_text(text, chapter="40").alternatives
    assert alternative.tariff_shifts[0].to_scope == (c("400912"),)


def test_more_than_one_of_the_following() -> None:
    # chapter 84, rule 149 (subheading 8459.21)
    text = (
        "(A) A change to subheading 8459.21 from any other heading, except from more than one of the "
        "following: (1) subheadings 8413.50 through 8413.60, (2) tariff items 8466.93.15, 8466.93.30 or "
        "8466.93.53, (3) subheadings 8501.32 or 8501.52, (4) subheading 8537.10"
    )
    (alternative,) = parse_rule_text(text).alternatives
    shift, limit = alternative.conditions
    assert shift == TariffShift("heading", (c("845921"),))
    assert isinstance(limit, ProcessRule)
    assert limit.kind == "component"
    assert "8413.50-8413.60" in limit.text
    assert "8466.93.53" in limit.text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("subheading 8414.90", "expected 'A change to ...' or 'No change ...', found 'subheading 8414.90'"),
        (
            "No change in tariff classification to a good of heading 7313 provided there is a regional value "
            "content of not less than:",
            "regional value content without a readable threshold",
        ),
        ("A change to subheading 8708.29", "no 'from' in the change 'A change to subheading 8708.29'"),
    ],
)
def test_unreadable_text_says_which_part(text: str, message: str) -> None:
    with pytest.raises(RuleParseError, match=re.escape(message)):
        parse_rule_text(text)


def test_whether_or_not_from_outside_the_group() -> None:
    # chapter 84, rule 246 (subheadings 8482.10 through 8482.80), alternative (B)
    text = (
        "A change to subheadings 8482.10 through 8482.80 from tariff items 8482.99.05, 8482.99.15 and "
        "8482.99.25, whether or not there is also a change from any subheading outside that group, provided "
        "there is a regional value content of not less than: (1) 60 percent where the transaction value "
        "method is used; or (2) 50 percent where the net cost method is used."
    )
    (alternative,) = parse_rule_text(text).alternatives
    shift = alternative.tariff_shifts[0]
    assert shift.from_scope == (c("84829905"), c("84829915"), c("84829925"))
    assert shift.outside_group
    assert shift.also_from_level == "subheading"
    assert shift.satisfied_by("8482.99.15", "8482.10")  # a listed tariff item
    assert shift.satisfied_by("7326.90", "8482.10")  # from outside the group
    assert not shift.satisfied_by("8482.20", "8482.10")  # inside the group
    assert shift.satisfied_by("8482.99.50", "8482.10")  # subheading 8482.99 is outside the group too


def test_within_that_subheading_then_codes() -> None:
    # chapter 84, rule 142 (A) (subheading 8456.90)
    text = (
        "A change to water-jet cutting machinery of subheading 8456.90 from any other good within that "
        "subheading, subheadings 8456.10 through 8456.30 or any other heading, except from subheading "
        "8466.93 or heading 8479"
    )
    (alternative,) = parse_rule_text(text).alternatives
    shift = alternative.tariff_shifts[0]
    assert shift.satisfied_by("8456.90", "8456.90")  # another good of the same subheading
    assert shift.satisfied_by("8456.20", "8456.90")  # listed subheadings
    assert not shift.satisfied_by("8456.40", "8456.90")  # same heading, not listed
    assert shift.satisfied_by("8501.52", "8456.90")  # another heading
    assert not shift.satisfied_by("8466.93", "8456.90")  # excepted
    assert not shift.satisfied_by("8479.89", "8456.90")  # excepted


def test_bare_except_before_a_level_word() -> None:
    # chapter 58, subheading rule for 5801.36 (Canada-US trade): printed "except headings ..."
    shift = only_shift(
        "(a) A change to subheading 5801.36 from any other chapter, except headings 5106 through 5113, "
        "chapter 54 or headings 5504 through 5516."
    )
    assert shift.exceptions == (c("5106", "5113"), c("54"), c("5504", "5516"))


def test_numbers_that_are_not_codes_are_refused() -> None:
    # chapter 48, rule 11 prints widths ("15 cm") inside an except-from list; better unparsed than misread
    with pytest.raises(RuleParseError, match="a two-digit number '15' outside a list of chapters"):
        parse_rule_text(
            "A change to any other good of heading 4823 from any other heading, except from strip or rolls "
            "of a width exceeding 15 cm but not exceeding 36 cm of headings 4802, 4810 or 4811"
        )
