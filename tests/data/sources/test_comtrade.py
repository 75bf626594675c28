"""The comtrade source: Mexico's world_trade.csv extract, the API JSON and CSV layouts, bad input, reload."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

from nearshore.data.batch import Batch
from nearshore.data.sources import comtrade
from nearshore.data.store import LoadReport, Store
from nearshore.errors import SourceFormatError, ValidationFailed
from tests.data.sources.conftest import DATA, count, shared, write

LEGACY = "year,section,SA_4,imp_exp,partner_code,tradevalue\n"


@pytest.fixture(scope="module")
def world_trade() -> Iterator[tuple[Path, Store, LoadReport]]:
    path = shared("un_comtrade_mexico_hs4") / "world_trade.csv"
    with Store(":memory:") as store:
        yield path, store, comtrade.load(store, path)


@pytest.mark.shared
@pytest.mark.parametrize(("year", "usd_bn"), [(2015, 304.3), (2019, 351.5), (2021, 376.2)])
def test_mexico_exports_to_usa_match_source_md(
    world_trade: tuple[Path, Store, LoadReport], year: int, usd_bn: float
) -> None:
    _, store, _ = world_trade
    got = store.query(
        "SELECT sum(value_usd) / 1e9 FROM trade_flows WHERE reporter = 'MEX' AND partner = 'USA' "
        "AND flow = 'exports' AND year = ?",
        [year],
    ).scalar()
    assert got == pytest.approx(usd_bn, abs=0.05)


@pytest.mark.shared
def test_every_partner_year_flow_matches_independent_sums(
    world_trade: tuple[Path, Store, LoadReport],
) -> None:
    path, store, report = world_trade
    sums: dict[tuple[str, int, str], float] = defaultdict(float)
    rows = 0
    with path.open(newline="") as handle:
        for row in csv.DictReader(handle):
            flow = {"1": "imports", "2": "exports"}[row["imp_exp"]]
            sums[(row["partner_code"], int(row["year"]), flow)] += float(row["tradevalue"])
            rows += 1
    assert report.rows == rows
    got = {
        (code, year, flow): value
        for code, year, flow, value in store.query(
            "SELECT partner_code, year, flow, sum(value_usd) FROM trade_flows GROUP BY ALL"
        ).rows
    }
    assert got.keys() == sums.keys()
    for key, value in sums.items():
        assert got[key] == pytest.approx(value, rel=1e-12), key


@pytest.mark.shared
def test_world_rows_are_kept_apart_with_a_warning(world_trade: tuple[Path, Store, LoadReport]) -> None:
    _, store, report = world_trade
    kinds = dict(store.query("SELECT partner_kind, count(DISTINCT partner_code) FROM trade_flows GROUP BY ALL").rows)
    assert kinds["world"] == 1
    world = store.query("SELECT DISTINCT partner, partner_code FROM trade_flows WHERE partner_kind = 'world'").rows
    assert world == [("WLD", "0")]
    assert any("World (partner 0) rows stored with partner_kind 'world'" in w for w in report.warnings)
    special = dict(
        store.query(
            "SELECT partner_code, partner FROM trade_flows WHERE partner_code IN "
            "('842', '251', '699', '757', '490') GROUP BY ALL"
        ).rows
    )
    assert special == {"842": "USA", "251": "FRA", "699": "IND", "757": "CHE", "490": "X490"}
    row = store.query(
        "SELECT classification, level, basis, month FROM trade_flows WHERE flow = 'imports' LIMIT 1"
    ).rows[0]
    assert row == ("HS", 4, "general", None)


@pytest.mark.shared
def test_reload_same_vintage_replaces(world_trade: tuple[Path, Store, LoadReport]) -> None:
    path, _, report = world_trade
    with Store(":memory:") as store:
        comtrade.load(store, path, vintage="2023-05")
        again = comtrade.load(store, path, vintage="2023-05")
        assert again.replaced == report.rows
        assert count(store) == report.rows


def test_api_json(empty_store: Store) -> None:
    report = comtrade.load(empty_store, DATA / "comtrade_api.json")
    assert report.rows == 4
    assert report.vintage == "2021-12"
    assert any("1 records not stored: flow RX" in w for w in report.warnings)
    assert any("1 records not stored: motCode other than 0" in w for w in report.warnings)
    assert not any("World (partner 0)" in w for w in report.warnings)
    got = empty_store.query(
        "SELECT reporter, partner, partner_kind, flow, basis, year, month, commodity, level, "
        "value_usd, quantity, unit FROM trade_flows ORDER BY value_usd DESC"
    ).rows
    assert got == [
        ("MEX", "WLD", "world", "exports", "total", 2021, None, "8703", 4, 33e9, None, None),
        ("MEX", "USA", "country", "exports", "total", 2021, None, "8703", 4, 28319000000.0, 1000.0, "u"),
        ("MEX", "USA", "country", "imports", "general", 2021, None, "8703", 4, 2650310000.0, None, None),
        ("MEX", "CAN", "country", "exports", "total", 2021, None, "8703", 4, 2469500000.0, None, None),
    ]


def test_api_csv_monthly_and_total(tmp_path: Path) -> None:
    path = write(
        tmp_path / "api.csv",
        "reporterCode,partnerCode,flowCode,period,refYear,refMonth,classificationCode,cmdCode,"
        "aggrLevel,primaryValue\n"
        "484,842,X,202103,2021,3,H5,TOTAL,0,41000000000\n"
        "484,124,M,202103,2021,3,H5,87,2,12.5\n",
    )
    batch: Batch = comtrade.parse(path, vintage="2021-06")
    assert batch.data.select(["classification", "commodity", "level", "month", "partner"]).to_pylist() == [
        {"classification": "TOTAL", "commodity": "", "level": 0, "month": 3, "partner": "USA"},
        {"classification": "HS", "commodity": "87", "level": 2, "month": 3, "partner": "CAN"},
    ]


def _api(tmp_path: Path, **fields: object) -> Path:
    record = {
        "reporterCode": 484,
        "partnerCode": 842,
        "flowCode": "X",
        "refYear": 2021,
        "refMonth": 52,
        "classificationCode": "H5",
        "cmdCode": "8703",
        "aggrLevel": 4,
        "primaryValue": 10,
    }
    record.update(fields)
    return write(tmp_path / "api.json", json.dumps({"data": [record]}))


BAD = [
    (
        "unknown partner",
        {"partnerCode": 999},
        "row 1, column 'partnerCode': unknown M49 area code 999 (value '999'). "
        "use a UN M49 numeric code, e.g. 842 for the USA",
    ),
    (
        "non-numeric",
        {"primaryValue": "lots"},
        "row 1, column 'primaryValue': not a number (value 'lots'). fix the cell or re-export the file",
    ),
    (
        "negative",
        {"primaryValue": -3},
        "row 1, column 'primaryValue': negative value where trade values cannot be negative (value '-3'). "
        "fix the cell; a negative here means a corrupted or mis-aligned file",
    ),
    (
        "bad flow",
        {"flowCode": "Q"},
        "row 1, column 'flowCode': not a trade flow code (value 'Q'). "
        "use M (imports) or X (exports); imp_exp 1 or 2 in world_trade.csv",
    ),
    (
        "level disagrees",
        {"aggrLevel": 6},
        "row 1, column 'aggrLevel': does not match the 4-digit cmdCode 8703 (value '6'). "
        "the record is inconsistent; download it again",
    ),
]


@pytest.mark.parametrize(("case", "fields", "problem"), BAD, ids=[b[0] for b in BAD])
def test_bad_api_records(
    tmp_path: Path, empty_store: Store, case: str, fields: dict[str, object], problem: str
) -> None:
    path = _api(tmp_path, **fields)
    with pytest.raises(ValidationFailed) as err:
        comtrade.load(empty_store, path)
    assert str(err.value) == f"1 problem(s) found; nothing was loaded:\n  - {path}, {problem}"
    assert count(empty_store) == 0


def test_bad_legacy_rows(tmp_path: Path, empty_store: Store) -> None:
    path = write(
        tmp_path / "world_trade.csv",
        LEGACY + "2015,1,0101,1,842,100\n2015,2,0101,1,124,5\n2015,1,0102,3,842,7\n2015,1,0102,1,842\n",
    )
    with pytest.raises(ValidationFailed) as err:
        comtrade.load(empty_store, path)
    assert str(err.value).splitlines()[1:] == [
        f"  - {path}, row 3, column 'section': HS code 0101 is in section 1 (value '2'). "
        "the row is mis-aligned; download the file again",
        f"  - {path}, row 4, column 'flowCode': not a trade flow code (value 'imp_exp=3'). "
        "use M (imports) or X (exports); imp_exp 1 or 2 in world_trade.csv",
        f"  - {path}, row 5: row has 5 cells, the header has 6: truncated or mis-aligned (value '5'). "
        "download or export the file again",
    ]
    assert count(empty_store) == 0


def test_wrong_json_layout(tmp_path: Path) -> None:
    path = write(tmp_path / "list.json", "[]")
    with pytest.raises(SourceFormatError) as err:
        comtrade.parse(path)
    assert str(err.value) == (
        f"{path}, column 'data': wrong layout: a Comtrade API response is an object with "
        'a "data" array of records. save the API response body unchanged'
    )


def test_api_json_reload_same_vintage_replaces(empty_store: Store) -> None:
    comtrade.load(empty_store, DATA / "comtrade_api.json", vintage="2026-01")
    again = comtrade.load(empty_store, DATA / "comtrade_api.json", vintage="2026-01")
    assert (again.rows, again.replaced, count(empty_store)) == (4, 4, 4)


def test_from_records_builds_a_batch_for_an_api_client() -> None:
    records = json.loads((DATA / "comtrade_api.json").read_text())["data"]
    batch = comtrade.from_records(
        enumerate(records, start=1),
        origin="comtradeapi.un.org data/v1/get/C/A/HS",
        checksum="sha256:x",
        vintage="2026-01",
        source="comtrade-api",
    )
    assert (batch.source, batch.rows, batch.vintage) == ("comtrade-api", 4, "2026-01")
    with pytest.raises(ValidationFailed) as err:
        comtrade.from_records([(7, {**records[0], "partnerCode": 999})], origin="api", checksum="", vintage=None)
    assert str(err.value).splitlines()[1] == (
        "  - api, row 7, column 'partnerCode': unknown M49 area code 999 (value '999'). "
        "use a UN M49 numeric code, e.g. 842 for the USA"
    )
