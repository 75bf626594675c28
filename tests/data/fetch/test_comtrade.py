from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from nearshore.data.fetch import comtrade
from nearshore.data.fetch.comtrade import ComtradeQuery, area, parse_periods, parse_records
from nearshore.data.fetch.runs import PeriodResult
from nearshore.errors import FetchClientError, InputError, RemoteDataError, RowCapReached
from nearshore.settings import Settings
from tests.data.fetch.fakes import FakeComtrade, comtrade_records, transport

KEY = "comtrade-subscription-0123"
URL = "https://comtrade.test/x"


def settings(key: str = KEY) -> Settings:
    return Settings.load(env={}, comtrade_base_url="https://comtrade.test", comtrade_api_key=key, http_retries="1")


def run(store, query, fake, *, key: str = KEY):
    client = httpx.Client(transport=transport(fake))
    sleeps: list[float] = []
    report = comtrade.fetch(store, query, vintage="2026-03", settings=settings(key), client=client, sleep=sleeps.append)
    return report, sleeps


def mex_query(**kw: Any) -> ComtradeQuery:
    args: dict[str, Any] = {"reporter": "MEX", "partners": "USA", "flow": "M,X", "period": "2021", "level": 4}
    args.update(kw)
    return ComtradeQuery.build(**args)


def test_areas_use_comtrade_codes():
    assert area("MEX") == comtrade.Area("484", "MEX", "Mexico", "country")
    assert area("USA").code == "842"
    assert area("842").id == "USA"
    assert area("us").id == "USA"
    assert area("0").id == "WLD"
    assert area("World").code == "0"
    with pytest.raises(InputError, match=r"unknown country 'Atlantis' for Comtrade"):
        area("Atlantis")


def test_periods_are_years_or_months_never_both():
    assert parse_periods("2019-2021") == ("A", ("2019", "2020", "2021"))
    assert parse_periods("2021-01,202102") == ("M", ("202101", "202102"))
    with pytest.raises(InputError) as caught:
        parse_periods("2021,2021-01")
    assert str(caught.value) == "--period mixes years and months; fetch annual and monthly data in separate runs"
    with pytest.raises(InputError, match=r"--period '2021-13' is not a period"):
        parse_periods("2021-13")


def test_query_validation_lists_allowed_values():
    with pytest.raises(InputError) as caught:
        mex_query(level=3)
    assert str(caught.value) == "--level 3 is not allowed; use one of: 0, 2, 4, 6 (0 = all commodities)"
    with pytest.raises(InputError, match=r"--flow RX is not allowed; use M \(imports\), X \(exports\) or M,X"):
        mex_query(flow="RX")


def rows(records: list[dict[str, Any]], period: str = "2021") -> list[dict[str, Any]]:
    batch = parse_records(records, URL, period, vintage="2026-03", checksum="sha256:0")
    parsed: list[dict[str, Any]] = batch.data.to_pylist()
    return parsed


def test_record_to_row_mapping():
    records = comtrade_records([842], ["X"])  # 8471 without a quantity (N/A), 8703 exports with one
    got = rows(records[:2])
    assert got[1] == {
        "reporter": "MEX",
        "partner": "USA",
        "partner_code": "842",
        "partner_name": "United States of America",
        "partner_kind": "country",
        "flow": "exports",
        "basis": "total",
        "district": None,
        "year": 2021,
        "month": None,
        "classification": "HS",
        "commodity": "8703",
        "level": 4,
        "value_usd": float(records[1]["primaryValue"]),
        "duty_usd": None,
        "quantity": float(records[1]["qty"]),
        "unit": records[1]["qtyUnitAbbr"],
        "program": "ALL",
    }
    assert records[0]["qtyUnitAbbr"] == "N/A"
    assert (got[0]["commodity"], got[0]["quantity"], got[0]["unit"]) == ("8471", None, None)
    world = dict(
        records[1],
        partnerCode=0,
        partnerISO="W00",
        partnerDesc="World",
        cmdCode="TOTAL",
        refMonth=3,
        qtyUnitAbbr="N/A",
    )
    row = rows([world], "202103")[0]
    assert (row["partner"], row["partner_kind"], row["classification"], row["commodity"], row["level"]) == (
        "WLD",
        "world",
        "TOTAL",
        "",
        0,
    )
    assert (row["month"], row["quantity"], row["unit"]) == (3, None, None)
    eu = rows([dict(records[1], partnerCode=97, partnerISO="EUR", partnerDesc="EU")])[0]
    assert (eu["partner"], eu["partner_code"], eu["partner_name"], eu["partner_kind"]) == (
        "X97",
        "97",
        "European Union",
        "aggregate",
    )


def test_no_records_is_an_empty_batch():
    assert rows([]) == []


def test_parse_records_reports_malformed_records():
    good = comtrade_records([842], ["M"])
    bad = [dict(good[0], primaryValue="abc"), dict(good[1], refYear=2020), good[0], "oops"]
    with pytest.raises(RemoteDataError) as caught:
        parse_records([*good, *bad], URL, "2021", vintage="2026-03", checksum="sha256:0")
    lines = str(caught.value).splitlines()
    assert lines[0] == "4 problem(s) in the API's answer for 2021; nothing of 2021 was stored:"
    assert lines[1] == (
        "  - https://comtrade.test/x, row 6: not a JSON object (value 'oops'). the API answered malformed data"
    )
    assert lines[2] == (
        "  - https://comtrade.test/x, row 3, column 'primaryValue': not a number (value 'abc'). "
        "fix the cell or re-export the file"
    )
    assert lines[3] == (
        "  - https://comtrade.test/x, row 4, column 'period': asked for 2021 (value '2020'). "
        "the API answered another period"
    )
    assert lines[4] == (
        "  - https://comtrade.test/x, row 5, column 'partnerCode': duplicate record for "
        f"('MEX', '842', 'imports', 2021, None, '{good[0]['cmdCode']}') (first at row 1) (value '842'). "
        "remove the duplicate"
    )


def test_fetch_with_key_uses_the_data_endpoint_and_header(store):
    fake = FakeComtrade(key=KEY)
    report, _ = run(store, mex_query(), fake)
    assert [(p.period, p.status, p.rows, p.calls) for p in report.periods] == [("2021", "loaded", 6, 1)]
    path, query, headers = fake.seen[0]
    assert path == "/data/v1/get/C/A/HS"
    assert headers["ocp-apim-subscription-key"] == KEY
    assert query["reporterCode"] == "484"
    assert query["partnerCode"] == "842"
    assert query["cmdCode"] == "AG4"
    assert query["maxRecords"] == "100000"
    got = store.query(
        "SELECT flow, commodity, value_usd FROM trade_flows WHERE source = 'comtrade-api' ORDER BY flow, commodity"
    ).rows
    expected = sorted(
        ("exports" if r["flowCode"] == "X" else "imports", r["cmdCode"], float(r["primaryValue"]))
        for r in comtrade_records()
    )
    assert got == expected
    origin = store.query("SELECT origin FROM loads WHERE source = 'comtrade-api'").scalar()
    assert KEY not in origin


def test_without_key_uses_the_preview_and_sends_no_key(store):
    fake = FakeComtrade()
    report, _ = run(store, mex_query(), fake, key="")
    assert report.periods[0].status == "loaded"
    path, query, headers = fake.seen[0]
    assert path == "/public/v1/preview/C/A/HS"
    assert "ocp-apim-subscription-key" not in headers
    assert query["maxRecords"] == "500"


def test_second_run_skips_the_stored_period(store):
    fake = FakeComtrade(key=KEY)
    run(store, mex_query(), fake)
    report, _ = run(store, mex_query(), fake)
    assert [p.status for p in report.periods] == ["skipped"]
    assert len(fake.seen) == 1


def test_bad_key_is_a_client_error_without_the_key(store):
    with pytest.raises(FetchClientError) as caught:
        run(store, mex_query(), FakeComtrade(key="the-right-one"))
    message = str(caught.value)
    assert KEY not in message
    assert "HTTP 401: Access denied due to invalid subscription key." in message
    assert "Fix: check COMTRADE_API_KEY" in message


def _capped(cap: int):
    """Records that fill the cap for any request naming more than one partner or flow."""

    def records(query: dict[str, str]) -> list[dict[str, Any]]:
        partners = query.get("partnerCode", "").split(",")
        flows = query["flowCode"].split(",")
        base = comtrade_records([842], ["X"])[0]
        if len(partners) > 1 or len(flows) > 1:
            return [dict(base, cmdCode=f"{i:04d}") for i in range(cap)]
        return [dict(base, partnerCode=int(partners[0]), partnerISO=None, flowCode=flows[0])]

    return records


def test_row_cap_splits_partners_then_flows(store):
    fake = FakeComtrade(records=_capped(comtrade.CAP_PREVIEW))
    report, sleeps = run(store, mex_query(partners="USA,CAN", flow="M,X"), fake, key="")
    # 1 capped call, then partners split: USA (M,X capped -> M, X) and CAN (M,X capped -> M, X)
    assert [q["partnerCode"] + "/" + q["flowCode"] for _, q, _ in fake.seen] == [
        "842,124/M,X",
        "842/M,X",
        "842/M",
        "842/X",
        "124/M,X",
        "124/M",
        "124/X",
    ]
    assert report.periods[0].rows == 4
    assert sleeps == [comtrade.PACE] * 6
    rows = store.query("SELECT partner, flow FROM trade_flows ORDER BY partner, flow").rows
    assert rows == [("CAN", "exports"), ("CAN", "imports"), ("USA", "exports"), ("USA", "imports")]


def test_row_cap_that_cannot_be_split_raises_and_stores_nothing(store):
    def full(query: dict[str, str]) -> list[dict[str, Any]]:
        base = comtrade_records([842], ["X"])[0]
        return [dict(base, cmdCode=f"{i:04d}") for i in range(comtrade.CAP_PREVIEW)]

    with pytest.raises(RowCapReached) as caught:
        run(store, mex_query(flow="X"), FakeComtrade(records=full), key="")
    assert str(caught.value).endswith(
        "the response holds 500 records, the cap of this endpoint, so rows may be missing; "
        "nothing was stored for 2021. Fix: set COMTRADE_API_KEY for up to 100,000 a call, "
        "or name partners with --partner, or use a coarser --level"
    )
    assert store.query("SELECT count(*) FROM trade_flows").scalar() == 0


def test_below_the_cap_is_accepted(store):
    def almost(query: dict[str, str]) -> list[dict[str, Any]]:
        base = comtrade_records([842], ["X"])[0]
        return [dict(base, cmdCode=f"{i:04d}") for i in range(comtrade.CAP_PREVIEW - 1)]

    report, _ = run(store, mex_query(flow="X"), FakeComtrade(records=almost), key="")
    assert report.periods[0].rows == comtrade.CAP_PREVIEW - 1


def test_a_count_above_the_records_sent_is_treated_as_capped(store):
    fake = FakeComtrade(key=KEY)
    answer = fake.respond

    def respond(path, params, headers):
        status, head, body = answer(path, params, headers)
        envelope = json.loads(body)
        envelope["count"] = len(envelope["data"]) + 10
        return status, head, json.dumps(envelope).encode()

    fake.respond = respond  # type: ignore[method-assign]  # this fake alone answers with a larger count
    with pytest.raises(RowCapReached, match="nothing was stored for 2021"):
        run(store, mex_query(flow="X"), fake)


def test_progress_is_reported_once_per_period(store):
    seen: list[PeriodResult] = []
    client = httpx.Client(transport=transport(FakeComtrade(key=KEY)))
    comtrade.fetch(
        store,
        mex_query(period="2020,2021"),
        vintage="2026-03",
        settings=settings(),
        client=client,
        sleep=lambda s: None,
        progress=seen.append,
    )
    assert [(p.period, p.status) for p in seen] == [("2020", "empty"), ("2021", "loaded")]
