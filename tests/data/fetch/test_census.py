from __future__ import annotations

import json
from datetime import date
from typing import Any

import httpx
import pytest

from nearshore.data.fetch import census
from nearshore.data.fetch.census import CensusQuery, parse_response
from nearshore.data.store import Store
from nearshore.errors import ConfigError, FetchClientError, InputError, RemoteDataError
from nearshore.settings import Settings
from tests.data.fetch.fakes import DATA, FakeCensus, census_rows, transport

KEY = "CENSUSKEY0123456789"


def settings(key: str = KEY) -> Settings:
    return Settings.load(env={}, census_base_url="https://census.test/intltrade", census_api_key=key, http_retries="2")


def run(store, query, fake, *, key: str = KEY, vintage: str = "2026-03"):
    client = httpx.Client(transport=transport(fake))
    sleeps: list[float] = []
    report = census.fetch(store, query, vintage=vintage, settings=settings(key), client=client, sleep=sleeps.append)
    return report, sleeps


def consumption_query(**kw: Any) -> CensusQuery:
    args: dict[str, Any] = {
        "flow": "imports",
        "basis": "consumption",
        "duty": True,
        "first": "2025-01",
        "last": "2025-02",
        "partners": ["CAN", "MX"],
    }
    args.update(kw)
    return CensusQuery.build(**args)


def stored(store: Store, source: str = "census-api") -> list[dict[str, Any]]:
    return store.query(
        "SELECT partner, partner_code, partner_kind, flow, basis, year, month, classification, commodity, "
        "level, value_usd, duty_usd, vintage FROM trade_flows WHERE source = ? "
        "ORDER BY year, month, partner_code, commodity",
        [source],
    ).records()


# -- queries -------------------------------------------------------------------------------------------


def test_query_lists_allowed_values():
    with pytest.raises(InputError) as caught:
        CensusQuery.build(flow="imports", level="HS3", first="2025-01")
    assert str(caught.value) == "--level 'HS3' is not allowed; use one of: HS2, HS4, HS6, HS10, TOTAL"
    with pytest.raises(InputError, match=r"--flow 'imp' is not allowed; use one of: imports, exports"):
        CensusQuery.build(flow="imp", first="2025-01")
    with pytest.raises(InputError, match=r"--basis \(for exports\) 'general' is not allowed; use one of: total"):
        CensusQuery.build(flow="exports", basis="general", first="2025-01")
    with pytest.raises(InputError, match="--duty needs --basis consumption"):
        CensusQuery.build(flow="imports", duty=True, first="2025-01")
    with pytest.raises(InputError, match=r"--to 2024-12 is before --from 2025-01"):
        CensusQuery.build(flow="imports", first="2025-01", last="2024-12")
    with pytest.raises(InputError, match=r"--from '2025-13' is not a month: write it as YYYY-MM"):
        CensusQuery.build(flow="imports", first="2025-13")


def test_query_params_and_origin_never_hold_the_key():
    query = CensusQuery.build(
        flow="imports",
        level="hs4",
        commodity="8703",
        first="2024-11",
        last="2025-02",
        partners=["MEX", "Canada", "2010"],
    )
    assert [p.census_code for p in query.partners] == ["2010", "1220"]
    assert query.months == ((2024, 11), (2024, 12), (2025, 1), (2025, 2))
    assert query.params((2025, 1), query.partners[0]) == [
        ("get", "CTY_CODE,CTY_NAME,I_COMMODITY,GEN_VAL_MO"),
        ("time", "2025-01"),
        ("COMM_LVL", "HS4"),
        ("I_COMMODITY", "8703"),
        ("CTY_CODE", "2010"),
    ]
    assert query.origin("https://c.test/intltrade", (2025, 1)) == (
        "https://c.test/intltrade/imports/hs?get=CTY_CODE%2CCTY_NAME%2CI_COMMODITY%2CGEN_VAL_MO&time=2025-01"
        "&COMM_LVL=HS4&I_COMMODITY=8703&CTY_CODE=2010%2C1220"
    )


# -- parsing -------------------------------------------------------------------------------------------


def test_parse_hs2_sample_with_echoed_predicates():
    body = (DATA / "census_imports_hs2_mex_2025-01.json").read_bytes()
    query = CensusQuery.build(flow="imports", level="HS2", first="2025-01", partners=["MEX"])
    rows, warnings = parse_response(body, query, (2025, 1), "sample")
    expected = census_rows("census_imports_hs2_mex_2025-01.json")
    assert warnings == []
    assert rows.columns["commodity"] == [r["I_COMMODITY"] for r in expected]
    assert rows.columns["value_usd"] == [float(r["GEN_VAL_MO"]) for r in expected]
    assert set(rows.columns["partner"]) == {"MEX"}
    assert set(rows.columns["level"]) == {2}
    assert set(rows.columns["classification"]) == {"HS"}
    assert set(rows.columns["basis"]) == {"general"}
    assert set(rows.columns["duty_usd"]) == {None}


def test_parse_all_partners_maps_world_and_groupings():
    body = (DATA / "census_exports_total_all_2025-01.json").read_bytes()
    query = CensusQuery.build(flow="exports", first="2025-01")
    rows, warnings = parse_response(body, query, (2025, 1), "sample")
    assert list(zip(rows.columns["partner"], rows.columns["partner_kind"], strict=True)) == [
        ("WLD", "world"),
        ("AGG_0003", "aggregate"),
        ("CAN", "country"),
        ("MEX", "country"),
    ]
    assert warnings == [
        "sample, row 4, column 'CTY_CODE': partner code '1XXX' is an API grouping the store does not hold "
        "(see census_api); row not loaded"
    ]
    expected = {r["CTY_CODE"]: float(r["ALL_VAL_MO"]) for r in census_rows("census_exports_total_all_2025-01.json")}
    assert dict(zip(rows.columns["partner_code"], rows.columns["value_usd"], strict=True)) == {
        "-": expected["-"],
        "0003": expected["0003"],
        "1220": expected["1220"],
        "2010": expected["2010"],
    }
    assert set(rows.columns["basis"]) == {"total"}
    assert set(rows.columns["classification"]) == {"TOTAL"}


def test_parse_reports_every_bad_cell_and_loads_nothing():
    body = json.dumps(
        [
            ["CTY_CODE", "CTY_NAME", "GEN_VAL_MO", "time"],
            ["2010", "MEXICO", "12x", "2025-01"],
            ["1220", "CANADA", "-5", "2025-01"],
            ["5700", "CHINA", "7", "2025-02"],
        ]
    ).encode()
    query = CensusQuery.build(flow="imports", first="2025-01")
    with pytest.raises(RemoteDataError) as caught:
        parse_response(body, query, (2025, 1), "https://c.test/imports/hs?key=***")
    assert caught.value.exit_code == 6  # the API's fault, not the user's input
    assert str(caught.value) == (
        "3 problem(s) in the API's answer for 2025-01; nothing of 2025-01 was stored:\n"
        "  - https://c.test/imports/hs?key=***, row 2, column 'GEN_VAL_MO': not a number (value '12x'). "
        "the API answered malformed data; try again later\n"
        "  - https://c.test/imports/hs?key=***, row 3, column 'GEN_VAL_MO': negative value where trade values "
        "cannot be negative (value '-5'). the API answered malformed data; try again later\n"
        "  - https://c.test/imports/hs?key=***, row 4, column 'time': asked for 2025-01 (value '2025-02'). "
        "the API answered another month; try again later"
    )


def test_invalid_key_page_is_a_client_error_naming_the_setting():
    page = b"<html><head><title>Invalid Key</title></head><body>A valid key must be included</body></html>"
    query = CensusQuery.build(flow="imports", first="2025-01")
    with pytest.raises(FetchClientError, match=r"the Census API rejected the key .* Fix: check CENSUS_API_KEY"):
        parse_response(page, query, (2025, 1), "u")


# -- fetching into the store ---------------------------------------------------------------------------


def test_fetch_stores_values_in_dollars_with_duty(store):
    fake = FakeCensus()
    report, _ = run(store, consumption_query(), fake)
    assert [(p.period, p.status, p.rows, p.calls) for p in report.periods] == [
        ("2025-01", "loaded", 2, 2),
        ("2025-02", "loaded", 2, 2),
    ]
    expected = [r for r in census_rows("census_imports_consumption_2025.json") if r["CTY_CODE"] in ("1220", "2010")]
    got = stored(store)
    assert [(r["partner_code"], r["month"], r["value_usd"], r["duty_usd"]) for r in got] == [
        (r["CTY_CODE"], int(r["time"][5:]), float(r["CON_VAL_MO"]), float(r["CAL_DUT_MO"])) for r in expected
    ]
    assert {(r["partner"], r["flow"], r["basis"], r["classification"], r["level"], r["vintage"]) for r in got} == {
        ("CAN", "imports", "consumption", "TOTAL", 0, "2026-03"),
        ("MEX", "imports", "consumption", "TOTAL", 0, "2026-03"),
    }
    # the key goes to the API, never into the store's provenance
    assert all(("key", KEY) in params for params in fake.seen)
    origins = store.query("SELECT origin FROM loads WHERE source = 'census-api'").rows
    assert len(origins) == 2
    assert all(KEY not in o[0] and "key=" not in o[0] for o in origins)


def test_second_run_skips_stored_months_without_calls(store):
    fake = FakeCensus()
    run(store, consumption_query(), fake)
    calls = len(fake.seen)
    report, _ = run(store, consumption_query(), fake)
    assert [p.status for p in report.periods] == ["skipped", "skipped"]
    assert len(fake.seen) == calls
    assert store.query("SELECT count(*) FROM trade_flows WHERE source = 'census-api'").scalar() == 4
    # another vintage is another release: fetched again, the older rows kept as superseded
    report, _ = run(store, consumption_query(), fake, vintage="2026-04")
    assert [p.status for p in report.periods] == ["loaded", "loaded"]
    assert store.query("SELECT count(*) FROM trade_flows WHERE superseded_by IS NOT NULL").scalar() == 4


def test_failed_month_is_reported_and_fetched_by_the_next_run(store):
    fake = FakeCensus(fail={"2025-02": 3})  # 1 try + 2 retries, all 500
    report, sleeps = run(store, consumption_query(), fake)
    assert [p.status for p in report.periods] == ["loaded", "failed"]
    assert report.periods[1].calls == 3
    assert len(sleeps) == 2
    assert "the API still failed after 2 retries" in report.periods[1].message
    assert KEY not in report.periods[1].message
    assert stored(store)
    assert {r["month"] for r in stored(store)} == {1}
    again, _ = run(store, consumption_query(), fake)
    assert [p.status for p in again.periods] == ["skipped", "loaded"]
    assert {r["month"] for r in stored(store)} == {1, 2}


def test_no_data_month_is_empty_and_not_recorded(store):
    report, _ = run(store, consumption_query(first="2025-03", last="2025-03"), FakeCensus())
    assert [(p.status, p.rows) for p in report.periods] == [("empty", 0)]
    assert store.query("SELECT count(*) FROM loads").scalar() == 0


def test_refused_request_stops_with_the_api_message_and_no_key(store):
    query = CensusQuery.build(flow="imports", first="2025-01", partners=["MEX"])  # GEN_VAL_MO not in the sample
    with pytest.raises(FetchClientError) as caught:
        run(store, query, FakeCensus())
    message = str(caught.value)
    assert KEY not in message
    assert message == (
        "https://census.test/intltrade/imports/hs?get=CTY_CODE%2CCTY_NAME%2CGEN_VAL_MO&time=2025-01&CTY_CODE=2010"
        "&key=***: the API refused the request with HTTP 400: error: unknown variable 'GEN_VAL_MO'. "
        "Fix: check --flow, --basis, --level, --partner and --commodity; "
        "the API's message names what it rejected"
    )
    assert store.query("SELECT count(*) FROM trade_flows").scalar() == 0


def test_without_a_key_nothing_is_called(store):
    fake = FakeCensus()
    with pytest.raises(ConfigError) as caught:
        run(store, consumption_query(), fake, key="")
    assert str(caught.value) == (
        "the Census API needs a key on every request (since 12 May 2026) and CENSUS_API_KEY is not set. "
        "Get a free key at https://api.census.gov/data/key_signup.html, activate it from the e-mail, "
        "then set CENSUS_API_KEY"
    )
    assert fake.seen == []


def test_redirect_to_the_missing_key_page_is_a_key_error(store):
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": "https://api.census.gov/data/missing_key.html"})

    client = httpx.Client(transport=httpx.MockTransport(handler))
    with pytest.raises(FetchClientError) as caught:
        census.fetch(store, consumption_query(), vintage="2026-03", settings=settings(), client=client)
    message = str(caught.value)
    assert KEY not in message
    assert message.endswith(
        "the API answered HTTP 302, a redirect to https://api.census.gov/data/missing_key.html, "
        "instead of data. Fix: check CENSUS_API_KEY "
        "(get a key at https://api.census.gov/data/key_signup.html and activate it from the e-mail)"
    )


def test_invalid_key_header_is_a_key_error(store):
    def handler(request: httpx.Request) -> httpx.Response:
        page = "<h1>Invalid Key</h1><p>A valid key must be included with each data API request.</p>"
        return httpx.Response(200, headers={"X-DataWebAPI-KeyError": "invalid"}, text=page)

    client = httpx.Client(transport=httpx.MockTransport(handler))
    with pytest.raises(FetchClientError, match=r"rejected the key \(X-DataWebAPI-KeyError: invalid\)") as caught:
        census.fetch(store, consumption_query(), vintage="2026-03", settings=settings(), client=client)
    assert KEY not in str(caught.value)
    assert store.query("SELECT count(*) FROM loads").scalar() == 0


def test_default_vintage_is_the_current_month(store):
    client = httpx.Client(transport=transport(FakeCensus()))
    report = census.fetch(
        store, consumption_query(last="2025-01"), settings=settings(), client=client, today=date(2026, 7, 15)
    )
    assert report.vintage == "2026-07"


def _consumption_query() -> CensusQuery:
    return CensusQuery.build(
        flow="imports", basis="consumption", duty=True, first="2025-01", last="2025-02", partners=["MX"]
    )


def test_malformed_api_data_fails_its_month_and_the_run_goes_on(store: Store) -> None:
    bad = '[["CTY_CODE","CTY_NAME","CON_VAL_MO","CAL_DUT_MO","time"],["2010","MEXICO","12x","5","2025-01"]]'
    fake = FakeCensus(status_for={"2025-01": (200, bad)})
    settings = Settings.load(env={}, census_base_url="https://c.test/intltrade", census_api_key=KEY, http_retries="1")
    client = httpx.Client(transport=transport(fake))
    report = census.fetch(store, _consumption_query(), vintage="2026-03", settings=settings, client=client)
    assert [p.status for p in report.periods] == ["failed", "loaded"]
    assert report.periods[0].message.startswith("1 problem(s) in the API's answer for 2025-01; nothing of 2025-01")
    assert "column 'CON_VAL_MO': not a number (value '12x')" in report.periods[0].message
    assert KEY not in report.periods[0].message
    assert store.query("SELECT DISTINCT month FROM trade_flows").rows == [(2,)]


def test_a_cut_short_census_answer_is_fetched_again(store: Store) -> None:
    fake = FakeCensus()
    answers: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        status, headers, body = fake.respond(request.url.path, request.url.params.multi_items())
        answers.append(body)
        return httpx.Response(status, headers=headers, content=body[:-5] if len(answers) == 1 else body)

    settings = Settings.load(env={}, census_base_url="https://c.test/intltrade", census_api_key=KEY, http_retries="1")
    client = httpx.Client(transport=httpx.MockTransport(handler))
    report = census.fetch(
        store, _consumption_query(), vintage="2026-03", settings=settings, client=client, sleep=lambda s: None
    )
    assert [(p.status, p.calls) for p in report.periods] == [("loaded", 2), ("loaded", 1)]


def test_census_groupings_that_mean_other_things_are_not_stored_as_country_file_aggregates() -> None:
    body = json.dumps(
        [
            ["CTY_CODE", "CTY_NAME", "ALL_VAL_MO", "time"],
            ["0003", "EUROPEAN UNION", "30", "2025-01"],
            ["0021", "TWENTY LATIN AMERICAN REPUBLICS", "20", "2025-01"],
            ["0022", "OECD", "10", "2025-01"],
        ]
    ).encode()
    query = CensusQuery.build(flow="exports", first="2025-01")
    rows, warnings = parse_response(body, query, (2025, 1), "u")
    assert rows.columns["partner"] == ["AGG_0003"]
    assert [w.split(": ", 1)[1] for w in warnings] == [
        f"partner code '{code}' is an API grouping the store does not hold (see census_api); row not loaded"
        for code in ("0021", "0022")
    ]
