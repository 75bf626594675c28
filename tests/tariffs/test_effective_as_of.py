"""`tariff effective` honours vintages: with `as_of` it reads imports, claims, collected duties and the HTS
schedule as the store held them at that release.

One HTS10 line from Mexico in January 2025 (8708.99.81.80, general rate 2.5%, Free under USMCA 'S'), stored at
two vintages:
  2025-03: $1,000 entered, $400 claiming USMCA, Census collected $20 -> modelled (1000 - 400) x 2.5% = $15 (1.5%),
           collected 20 / 1000 = 2.0%;
  2025-06: revised to $2,000 entered, $400 claiming USMCA, collected $44 -> modelled (2000 - 400) x 2.5% = $40
           (2.0%), collected 44 / 2000 = 2.2%.
The figures are worked by hand from the rate texts below, not by the project's code.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nearshore.cli.main import app
from nearshore.data.batch import Batch
from nearshore.data.sources import hts
from nearshore.data.store import Store
from nearshore.errors import DataNotFound
from nearshore.tariffs.effective import effective_rate
from nearshore.tariffs.policy import load_policy
from nearshore.tariffs.schedule import load_schedule
from tests.envelope import payload_of

runner = CliRunner()

LINES = [
    {"htsno": "8708", "indent": "0", "description": "Parts and accessories of motor vehicles"},
    {
        "htsno": "8708.99.81",
        "indent": "1",
        "description": "Other",
        "general": "2.5%",
        "special": "Free (A+,AU,B,BH,C,CA,CL,CO,D,E,IL,JO,KR,MA,OM,P,PA,PE,S,SG)",
        "other": "25%",
    },
    {"htsno": "8708.99.81.80", "indent": "2", "description": "Other", "units": "X"},
]


def _rows(total: float, usmca: float, duty: float) -> dict[str, list[object]]:
    common = {
        "reporter": "USA",
        "partner": "MEX",
        "partner_code": "2010",
        "partner_name": "Mexico",
        "partner_kind": "country",
        "flow": "imports",
        "basis": "consumption",
        "year": 2025,
        "month": 1,
        "quantity": None,
        "unit": None,
    }
    hs = {**common, "classification": "HS", "commodity": "8708998180", "level": 10, "duty_usd": None}
    rows = [
        {**hs, "value_usd": total, "program": "ALL"},
        {**hs, "value_usd": usmca, "program": "USMCA"},
        {
            **common,
            "classification": "TOTAL",
            "commodity": "",
            "level": 0,
            "value_usd": total,
            "duty_usd": duty,
            "program": "ALL",
        },
    ]
    return {name: [r[name] for r in rows] for name in rows[0]}


def _fill(store: Store, folder: Path) -> None:
    path = folder / "hts_2025_basic_edition.json"
    path.write_text(json.dumps([{"general": "", "special": "", "other": "", **line} for line in LINES]))
    hts.load(store, path, vintage="2025-01")
    for vintage, values in (("2025-03", (1000.0, 400.0, 20.0)), ("2025-06", (2000.0, 400.0, 44.0))):
        store.load(
            Batch.from_columns(
                source="test",
                target="trade_flows",
                origin=f"hand {vintage}",
                checksum="-",
                vintage=vintage,
                columns=_rows(*values),
            )
        )


@pytest.fixture
def two_vintages(tmp_path: Path) -> Iterator[Store]:
    with Store() as store:
        _fill(store, tmp_path)
        yield store


@pytest.mark.parametrize(
    ("as_of", "imports", "modelled", "collected"),
    [(None, 2000.0, 40.0, 44.0), ("2025-06", 2000.0, 40.0, 44.0), ("2025-03", 1000.0, 15.0, 20.0)],
)
def test_effective_rate_reads_the_vintage_asked_for(
    two_vintages: Store, as_of: str | None, imports: float, modelled: float, collected: float
) -> None:
    schedule = load_schedule(two_vintages, as_of=as_of)
    result = effective_rate(
        two_vintages, schedule, load_policy(), partner="MEX", year=2025, claims="monthly", as_of=as_of
    )
    assert result.total.imports == imports
    assert result.total.modelled_duty == pytest.approx(modelled, rel=1e-6)
    assert result.total.collected_duty == collected
    assert result.total.collected_rate == pytest.approx(collected / imports)
    assert any(f"as of vintage {as_of}" in note for note in result.notes) == (as_of is not None)


def test_effective_rate_before_the_first_vintage_is_data_not_found(two_vintages: Store) -> None:
    schedule = load_schedule(two_vintages)
    with pytest.raises(DataNotFound) as caught:
        effective_rate(two_vintages, schedule, load_policy(), partner="MEX", year=2025, as_of="2025-02")
    assert str(caught.value).startswith(
        "the store holds no HTS10 imports for consumption from MEX in 2025 as of vintage 2025-02; "
    )


def test_schedule_as_of_a_vintage_before_its_release_is_data_not_found(two_vintages: Store) -> None:
    assert load_schedule(two_vintages, as_of="2025-01").revision == "2025-basic"
    with pytest.raises(DataNotFound, match=r"^the store holds no HTS schedule as of vintage 2024-12; load one"):
        load_schedule(two_vintages, as_of="2024-12")


def test_cli_tariff_effective_as_of(isolated_env: Path) -> None:
    with Store(isolated_env / "store.duckdb") as store:
        _fill(store, isolated_env)
    args = ["tariff", "effective", "--partner", "MEX", "--year", "2025", "--claims", "monthly", "--format", "json"]
    now = payload_of(runner.invoke(app, args).output)
    then = runner.invoke(app, [*args, "--as-of", "2025-03"])
    assert then.exit_code == 0, then.output
    then_payload = payload_of(then.output)
    assert (now["modelled_rate"], now["collected_rate"]) == (pytest.approx(0.02), pytest.approx(0.022))
    assert (then_payload["modelled_rate"], then_payload["collected_rate"]) == (
        pytest.approx(0.015),
        pytest.approx(0.02),
    )
    bad = runner.invoke(app, [*args, "--as-of", "March 2025"])
    assert bad.exit_code == 2
    assert "vintage 'March 2025' is not a date" in bad.output
