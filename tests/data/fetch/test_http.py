from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from nearshore.data.fetch.http import MAX_RETRIES, MAX_TIMEOUT, Http, make_client, redact, retry_after
from nearshore.errors import ConfigError, FetchClientError, FetchError, FetchServerError
from nearshore.settings import Settings
from tests.data.fetch.fakes import scripted

URL = "https://api.example.test/data"


def make_http(client: httpx.Client, sleeps: list[float], retries: int = 3, **kw) -> Http:
    return Http(client, retries=retries, sleep=sleeps.append, jitter=lambda: 0.0, **kw)


def test_redact_masks_key_parameters_only():
    url = "https://api.census.gov/x?get=A,B&key=abc123&time=2025-01&subscription-key=zz&token=t"
    assert redact(url) == "https://api.census.gov/x?get=A,B&key=***&time=2025-01&subscription-key=***&token=***"
    assert redact("https://x.test/?monkey=1") == "https://x.test/?monkey=1"


def test_retries_429_then_succeeds_honouring_retry_after():
    client, seen = scripted(
        httpx.Response(429, headers={"Retry-After": "7"}, text="slow down"),
        httpx.Response(200, json=[["A"], ["1"]]),
    )
    sleeps: list[float] = []
    response = make_http(client, sleeps).get(URL, params=[("get", "A")])
    assert response.json() == [["A"], ["1"]]
    assert sleeps == [7.0]
    assert len(seen) == 2


def test_retry_after_as_http_date():
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    response = httpx.Response(503, headers={"Retry-After": format_datetime(now + timedelta(seconds=30), usegmt=True)})
    assert retry_after(response, now=lambda: now) == 30.0
    assert retry_after(httpx.Response(503)) is None


def test_backoff_doubles_with_jitter_between_half_and_full():
    client, _ = scripted(*(httpx.Response(503) for _ in range(3)), httpx.Response(200, json=[]))
    sleeps: list[float] = []
    make_http(client, sleeps, backoff=1.0).get(URL)
    assert sleeps == [0.5, 1.0, 2.0]  # jitter 0 -> half of 1, 2, 4
    http = Http(client, backoff=1.0, max_backoff=3.0, jitter=lambda: 1.0)
    assert [http.delay(a, None) for a in range(4)] == [1.0, 2.0, 3.0, 3.0]


def test_gives_up_after_retries_with_server_error():
    client, seen = scripted(*(httpx.Response(500, text="error: internal") for _ in range(4)))
    sleeps: list[float] = []
    with pytest.raises(FetchServerError) as caught:
        make_http(client, sleeps, secrets=("SECRET",)).get(URL, params=[("get", "A"), ("key", "SECRET")])
    assert len(seen) == 4
    assert len(sleeps) == 3
    assert str(caught.value) == (
        "https://api.example.test/data?get=A&key=***: the API still failed after 3 retries; last answer: "
        "HTTP 500: error: internal. Fix: try again later (runs resume where they stopped), or raise "
        "NEARSHORE_HTTP_RETRIES"
    )
    assert caught.value.exit_code == 6


def test_client_error_fails_at_once_with_the_api_message_and_no_key():
    body = "error: unknown variable 'GEN_VAL_MOX' (request had key=SECRET)"
    client, seen = scripted(httpx.Response(400, text=body))
    with pytest.raises(FetchClientError) as caught:
        make_http(client, [], secrets=("SECRET",)).get(URL, params=[("get", "GEN_VAL_MOX"), ("key", "SECRET")])
    assert len(seen) == 1
    message = str(caught.value)
    assert "SECRET" not in message
    assert message == (
        "https://api.example.test/data?get=GEN_VAL_MOX&key=***: the API refused the request with HTTP 400: "
        "error: unknown variable 'GEN_VAL_MOX' (request had key=***). Fix: check the request's parameters"
    )
    assert caught.value.status == 400
    assert caught.value.url == "https://api.example.test/data?get=GEN_VAL_MOX&key=***"


def test_json_error_message_is_extracted():
    client, _ = scripted(httpx.Response(401, json={"statusCode": 401, "message": "Access denied."}))
    with pytest.raises(FetchClientError, match=r"HTTP 401: Access denied\.\. Fix: check the API key setting"):
        make_http(client, []).get(URL)


def test_timeouts_and_dropped_connections_are_retried():
    client, seen = scripted(httpx.ReadTimeout("slow"), httpx.ConnectError("refused"), httpx.Response(200, json=[]))
    sleeps: list[float] = []
    assert make_http(client, sleeps).get(URL).status_code == 200
    assert len(seen) == 3
    assert sleeps == [0.5, 1.0]


def test_only_timeouts_end_in_server_error_naming_the_timeout():
    client, _ = scripted(*(httpx.ConnectTimeout("slow") for _ in range(3)))
    with pytest.raises(FetchServerError, match=r"last answer: timed out \(ConnectTimeout\)"):
        make_http(client, [], retries=2).get(URL)


def test_unsendable_request_is_not_retried():
    client, seen = scripted(httpx.UnsupportedProtocol("no scheme"))
    with pytest.raises(FetchError, match=r"the request could not be sent: no scheme\. Check the base URL setting"):
        make_http(client, []).get(URL)
    assert len(seen) == 1


def test_settings_drive_timeout_and_retries():
    settings = Settings.load(env={}, http_timeout="2.5", http_retries="1")
    client = make_client(settings)
    assert client.timeout.read == 2.5
    assert Http.from_settings(client, settings).retries == 1
    with pytest.raises(ConfigError, match=r"http_retries .* must be a whole number 0 or more, got 1\.5"):
        Http.from_settings(client, Settings.load(env={}, http_retries="1.5"))
    with pytest.raises(ConfigError, match="must be above 0 seconds, got 0"):
        make_client(Settings.load(env={}, http_timeout="0"))


def test_session_closes_only_the_client_it_made():
    settings = Settings.load(env={}, http_retries="2")
    given, _ = scripted()
    with Http.session(given, settings, secrets=("s",)) as http:
        assert http.client is given
        assert (http.retries, http.secrets) == (2, ("s",))
    assert not given.is_closed
    with Http.session(None, settings) as http:
        made = http.client
        assert made is not given
        assert not made.is_closed
    assert made.is_closed


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
