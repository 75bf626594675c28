"""Regression tests for the HTTP-client defects of issue 10: deadlines, cut-short and malformed answers, long
Retry-After, bad gzip bodies, key masking and settings that would make a run hang."""

from __future__ import annotations

import gzip
import json
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from nearshore.data.fetch import census
from nearshore.data.fetch.census import CensusQuery, parse_response
from nearshore.data.fetch.http import MAX_RETRIES, MAX_TIMEOUT, Http, make_client
from nearshore.errors import ConfigError, FetchClientError, FetchServerError, RemoteDataError
from nearshore.settings import Settings
from tests.data.fetch.fakes import FakeCensus, Quiet, running, transport

URL = "https://api.example.test/data"
KEY = "CENSUSKEY0123456789"


@contextmanager
def trickling(head_too: bool) -> Iterator[str]:
    """A real server on 127.0.0.1 that sends one byte every 0.2 s: the body only, or the headers too."""

    class Handler(Quiet):
        def do_GET(self) -> None:
            body = b"[" + b" " * 40 + b"]"
            head = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body)
            if not head_too:
                self.wfile.write(head)
            for byte in (head if head_too else b"") + body:
                try:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(0.2)

    with running(Handler) as base:
        yield base + "/"


@pytest.mark.parametrize("head_too", [False, True], ids=["body", "headers"])
def test_a_trickling_server_is_cut_at_the_overall_deadline(head_too: bool) -> None:
    client = make_client(Settings.load(env={}, http_timeout="0.5"))  # each read would wait 0.5 s: never reached
    http = Http(client, retries=0)
    assert http.overall == 2.0
    start = time.monotonic()
    with trickling(head_too) as url, pytest.raises(FetchServerError) as caught:
        http.get(url)
    elapsed = time.monotonic() - start
    assert "last answer: took more than 2 s in all (the server sends too slowly)" in str(caught.value)
    assert elapsed < 4.0  # the whole answer would take 9 s or more


def scripted(*answers: httpx.Response) -> tuple[httpx.Client, list[httpx.Request]]:
    seen: list[httpx.Request] = []
    queue = list(answers)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return queue.pop(0)

    return httpx.Client(transport=httpx.MockTransport(handler)), seen


def test_a_cut_short_json_answer_is_retried() -> None:
    full = json.dumps([["CTY_CODE", "GEN_VAL_MO"], ["2010", "5"]]).encode()
    client, seen = scripted(httpx.Response(200, content=full[:-9]), httpx.Response(200, content=full))
    sleeps: list[float] = []
    answer = Http(client, retries=2, sleep=sleeps.append, jitter=lambda: 0.0).get_json(URL)
    assert answer.data == [["CTY_CODE", "GEN_VAL_MO"], ["2010", "5"]]
    assert (len(seen), sleeps) == (2, [0.5])
    client, _ = scripted(*(httpx.Response(200, content=full[:-9]) for _ in range(3)))
    with pytest.raises(
        FetchServerError, match=rf"last answer: a JSON answer cut short after {len(full) - 9} characters"
    ):
        Http(client, retries=2, sleep=lambda s: None).get_json(URL)


def test_malformed_json_is_a_remote_data_error_not_bad_input() -> None:
    client, seen = scripted(httpx.Response(200, content=b'[["CTY_CODE"], ["2010"] "x"]'))
    with pytest.raises(RemoteDataError, match=r"the API answered malformed JSON \(Expecting ',' delimiter") as caught:
        Http(client, retries=3, sleep=lambda s: None).get_json(URL)
    assert caught.value.exit_code == 6
    assert len(seen) == 1  # not a transient failure: not retried
    client, _ = scripted(httpx.Response(200, content=b"[" * 100_000 + b"]" * 100_000))
    with pytest.raises(RemoteDataError, match="nested too deeply"):
        Http(client, retries=0).get_json(URL)


def _consumption_query() -> CensusQuery:
    return CensusQuery.build(
        flow="imports", basis="consumption", duty=True, first="2025-01", last="2025-02", partners=["MX"]
    )


def test_malformed_api_data_fails_its_month_and_the_run_goes_on(store) -> None:  # type: ignore[no-untyped-def]
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


def test_a_cut_short_census_answer_is_fetched_again(store) -> None:  # type: ignore[no-untyped-def]
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


def test_a_long_retry_after_ends_the_request_at_once_and_says_when() -> None:
    client, seen = scripted(httpx.Response(429, headers={"Retry-After": "86400"}, text="quota"))
    sleeps: list[float] = []
    with pytest.raises(FetchServerError) as caught:
        Http(client, retries=5, sleep=sleeps.append).get(URL + "?key=SECRETKEY")
    assert (len(seen), sleeps) == (1, [])
    message = str(caught.value)
    assert "the API asks to wait 86,400 s before the next call (Retry-After), more than the 120 s" in message
    assert "Fix: try again after " in message
    assert "SECRETKEY" not in message


def test_a_shorter_wait_is_announced() -> None:
    client, _ = scripted(httpx.Response(503, headers={"Retry-After": "30"}), httpx.Response(200, json=[]))
    notes: list[str] = []
    sleeps: list[float] = []
    Http(client, retries=1, sleep=sleeps.append, notify=notes.append).get(URL)
    assert sleeps == [30.0]
    assert notes == [f"{URL}: waiting 30 s before retry 1 of 1"]


def test_the_default_announcement_reaches_the_log(caplog: pytest.LogCaptureFixture) -> None:
    client, _ = scripted(httpx.Response(503, headers={"Retry-After": "6"}), httpx.Response(200, json=[]))
    with caplog.at_level(logging.WARNING, logger="nearshore.fetch"):
        Http(client, retries=1, sleep=lambda s: None).get(URL)
    assert caplog.messages == [f"{URL}: waiting 6 s before retry 1 of 1"]


def test_a_bad_gzip_body_is_named_and_retried() -> None:
    def gzipped(body: bytes) -> httpx.Response:  # a stream, so that httpx decodes it only when it is read
        return httpx.Response(200, headers={"Content-Encoding": "gzip"}, stream=httpx.ByteStream(body))

    broken = b"\x1f\x8bnot gzip at all"
    client, _ = scripted(gzipped(broken), gzipped(gzip.compress(b"[]")))
    assert Http(client, retries=1, sleep=lambda s: None).get_json(URL).data == []
    client, _ = scripted(gzipped(broken), gzipped(broken))
    with pytest.raises(FetchServerError) as caught:
        Http(client, retries=1, sleep=lambda s: None).get(URL)
    assert "the body could not be decoded (Content-Encoding gzip)" in str(caught.value)
    assert "could not be sent" not in str(caught.value)


def test_a_one_letter_key_does_not_mask_that_letter_everywhere() -> None:
    client, _ = scripted(httpx.Response(400, text="error: a variable is not available"))
    with pytest.raises(FetchClientError) as caught:
        Http(client, secrets=("a",)).get(URL, params=[("get", "A"), ("key", "a")])
    assert str(caught.value) == (
        "https://api.example.test/data?get=A&key=***: the API refused the request with HTTP 400: "
        "error: a variable is not available. Fix: check the request's parameters"
    )
    client, _ = scripted(httpx.Response(400, text="bad key KEY123abc; keys like KEY123abcd differ"))
    with pytest.raises(FetchClientError) as caught:
        Http(client, secrets=("KEY123abc",)).get(URL)
    assert "bad key ***; keys like KEY123abcd differ" in str(caught.value)


def test_large_settings_are_lowered_and_absurd_or_non_finite_ones_refused() -> None:
    # inside the settings' range but above what one request may take: lowered, with a warning
    client = make_client(Settings.load(env={}, http_timeout="1000"))
    assert client.timeout.read == MAX_TIMEOUT
    http = Http.from_settings(client, Settings.load(env={}, http_retries=str(MAX_RETRIES + 5)))
    assert http.retries == MAX_RETRIES
    # outside it (1e9 retries or seconds), or not a finite number: a configuration error, exit 3
    for name in ("http_timeout", "http_retries"):
        for value in ("nan", "inf", "1e9"):
            with pytest.raises(ConfigError) as caught:
                Settings.load(env={}, **{name: value})
            assert caught.value.exit_code == 3


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
