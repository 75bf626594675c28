"""The vectorised panel agrees with the one-entry engine; the Parquet file has every line x partner."""

from __future__ import annotations

import random
from datetime import date

import pytest

from nearshore.errors import PolicyCoverageError
from nearshore.tariffs.duty import Entry, calculate
from nearshore.tariffs.panel import build_panel, write_panel
from nearshore.tariffs.policy import load_policy

PARTNERS = ["MEX", "CAN", "CHN", "VNM", "DEU", "JPN", "GBR", "BRA", "IND", "RUS", "CHE", "KOR"]


# lines of the 2025-2026 metal, copper, semiconductor, solar and exemption-list measures, checked on every date
TARGETED = [
    "7208101500",
    "7321111030",
    "8544429010",
    "8504230041",
    "8471804000",
    "8541420010",
    "8708998180",
    "8483105000",
]


@pytest.mark.parametrize(
    "on",
    ["2025-02-01", "2025-04-15", "2025-06-01", "2025-09-01", "2025-11-20", "2026-03-01", "2026-05-01", "2026-12-03"],
)
def test_panel_equals_engine_on_a_sample(schedule, on):
    policy = load_policy()
    day = date.fromisoformat(on)
    panel = build_panel(schedule, policy, day, partners=PARTNERS)
    ad_valorem = [
        i
        for i, code in enumerate(panel.codes)
        if not panel.base_specific[i] and schedule.lines[code].general.kind in ("ad_valorem", "free")
    ]
    index = {code: i for i, code in enumerate(panel.codes)}
    sample = random.Random(5).sample(ad_valorem, 60) + [index[c] for c in TARGETED if c in index]
    checked = 0
    for i in sample:
        code = panel.codes[i]
        for partner in PARTNERS:
            line = schedule.lines[code]
            if partner == "RUS" and (line.column2 is None or line.column2.specific):
                continue
            for usmca in (False, True) if partner in ("MEX", "CAN") else (False,):
                result = calculate(Entry(code, partner, 100000.0, day, usmca=usmca), schedule, policy)
                column = "total_usmca" if usmca else "total"
                assert panel.rate(code, partner, column) == pytest.approx(result.effective_rate, abs=1e-6), (
                    code,
                    partner,
                    usmca,
                    on,
                )
                checked += 1
    assert checked > 600


def test_panel_parquet(schedule, tmp_path):
    import pyarrow.parquet as pq

    panel = build_panel(schedule, load_policy(), date(2025, 9, 1), partners=["MEX", "CHN"])
    rows = write_panel(panel, str(tmp_path / "p.parquet"))
    table = pq.read_table(tmp_path / "p.parquet")
    assert rows == table.num_rows == 2 * len(panel.codes)
    assert table.schema.metadata[b"hts_revision"] == b"2025-basic"
    import pyarrow.compute as pc

    china = table.filter(pc.equal(table.column("partner").cast("string"), "CHN"))
    t_shirts = china.filter(pc.equal(china.column("hts10").cast("string"), "6109100012")).to_pylist()[0]
    # 16.5% general + 20% fentanyl + 10% reciprocal + 7.5% list 4A (6109.10.00 is on list 4A)
    assert t_shirts["total"] == pytest.approx(0.165 + 0.20 + 0.10 + 0.075, abs=1e-6)


def test_panel_before_the_policy_is_refused_and_after_its_last_action_says_so(schedule):
    with pytest.raises(PolicyCoverageError):
        build_panel(schedule, load_policy(), date(2024, 12, 31), partners=["MEX"])
    panel = build_panel(schedule, load_policy(), date(2026, 12, 3), partners=["MEX"])
    assert panel.notes == ("policy current to 2026-04-29, HTS 2026 rev 7; later actions are not recorded",)
    assert panel.to_arrow().schema.metadata[b"notes"] == panel.notes[0].encode()
    # Section 122 ended after 2026-07-23 (150 days): 7208.10.15 (general Free) pays only Annex I-A's 50%
    assert panel.rate("7208101500", "MEX") == pytest.approx(0.50)
    assert panel.rate("7208101500", "MEX", "s122") == 0.0
