"""The HTTP client when the server misbehaves: an overall deadline for slow servers, cut-short and malformed
answers, long and short Retry-After waits, bad gzip bodies."""

from __future__ import annotations

import gzip
import json
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from nearshore.data.fetch.http import Http, make_client
from nearshore.errors import FetchServerError, RemoteDataError
from nearshore.settings import Settings
from tests.data.fetch.fakes import Quiet, running, scripted

URL = "https://api.example.test/data"


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
