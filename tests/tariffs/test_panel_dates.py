"""The tariff panel at every effective date: the dates, and Spark equal to the numpy engine row for row."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from nearshore.data.export import open_dataset
from nearshore.data.snapshot import seed_from_snapshot
from nearshore.data.store import Store
from nearshore.tariffs.panel import build_panel
from nearshore.tariffs.panel_dates import effective_dates, write_panels
from nearshore.tariffs.policy import Policy, load_policy
from nearshore.tariffs.schedule import Schedule, load_schedule

DATES = [date(2025, 3, 4), date(2025, 8, 7), date(2026, 4, 6)]
PARTNERS = ["CAN", "CHN", "MEX"]
KEY = [("date", "ascending"), ("partner", "ascending"), ("hts10", "ascending")]


@pytest.fixture(scope="module")
def schedule() -> Iterator[Schedule]:
    """The HTS schedule of the package's snapshot (no raw files needed)."""
    with Store(":memory:") as store:
        seed_from_snapshot(store)
        yield load_schedule(store)


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy()


def test_effective_dates_are_the_days_the_policy_changes(policy: Policy) -> None:
    dates = effective_dates(policy)
    assert dates[0] == date(2025, 1, 1)  # the policy's start
    for day, why in [
        (date(2025, 2, 4), "IEEPA China +10% (EO 14195)"),
        (date(2025, 3, 4), "IEEPA Canada and Mexico +25%"),
        (date(2025, 3, 7), "USMCA exemption of the IEEPA duties"),
        (date(2025, 4, 5), "10% reciprocal baseline"),
        (date(2025, 4, 10), "the day after the one-day Annex I rates"),
        (date(2025, 6, 4), "Section 232 metals to 50%"),
        (date(2026, 2, 24), "Section 122 starts"),
        (date(2026, 4, 6), "the 2026 metals annexes"),
        (date(2026, 7, 24), "the day after Section 122's statutory end"),
        (date(2028, 1, 1), "Annex III floors replaced by 25%"),
    ]:
        assert day in dates, why
    assert date(2025, 5, 1) not in dates
    assert dates == sorted(set(dates))
    assert effective_dates(policy, since=date(2026, 1, 1), until=date(2026, 12, 31))[0] == date(2026, 1, 1)


def _panel(uri: Path) -> Any:
    return open_dataset(uri).arrow("tariff_panel").to_table().sort_by(KEY)


def test_spark_builds_the_same_panel_as_numpy_row_for_row(
    spark: Any, schedule: Schedule, policy: Policy, tmp_path: Path
) -> None:
    local = write_panels(schedule, policy, tmp_path / "numpy", dates=DATES, partners=PARTNERS)
    distributed = write_panels(
        schedule, policy, tmp_path / "spark", dates=DATES, partners=PARTNERS, engine="spark", spark=spark
    )
    lines = len(build_panel(schedule, policy, DATES[0], partners=PARTNERS).codes)
    assert local.manifest.tables["tariff_panel"].rows == lines * len(PARTNERS) * len(DATES)
    assert distributed.manifest.tables["tariff_panel"].rows == local.manifest.tables["tariff_panel"].rows
    assert sorted(p.name for p in (tmp_path / "spark" / "tariff_panel").iterdir() if p.is_dir()) == [
        f"date={d.isoformat()}" for d in DATES
    ]
    numpy_rows, spark_rows = _panel(tmp_path / "numpy"), _panel(tmp_path / "spark")
    assert spark_rows.schema == numpy_rows.schema
    assert spark_rows.equals(numpy_rows)
    # and both are the tariff engine's own rates on those dates (a few lines whose rates differ by date)
    by_key = {(r["date"], r["partner"], r["hts10"]): r for r in spark_rows.to_pylist()}
    for on in DATES:
        panel = build_panel(schedule, policy, on, partners=PARTNERS)
        for partner in PARTNERS:
            for code in ("7208101500", "8703230190", "0901110025"):
                assert by_key[(on, partner, code)]["total"] == panel.rate(code, partner)
    # figures from the law: coffee (MFN free) from Mexico +25% from 2025-03-04 (EO 14194), from Canada +35%
    # from 2025-08-01 (EO 14325); no IEEPA duty after 2026-02-20, and Section 122 exempts coffee (note 2(aa)(ii))
    coffee = "0901110025"
    assert by_key[(date(2025, 3, 4), "MEX", coffee)]["total"] == pytest.approx(0.25)
    assert by_key[(date(2025, 8, 7), "CAN", coffee)]["total"] == pytest.approx(0.35)
    assert by_key[(date(2026, 4, 6), "MEX", coffee)]["total"] == 0.0
    provenance = distributed.manifest.provenance
    assert provenance["engine"] == "spark"
    assert provenance["policy_version"] == policy.version
    assert provenance["dates"] == [d.isoformat() for d in DATES]
