"""The answers a worker keeps (nearshore.api.answers): the same call answers the same bytes without running
the service again, until the store file changes (a load, through the server's own writer path or another
process) or the day does. A real store file and a real writing process."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from nearshore.api import answers
from nearshore.api.answers import AnswerCache
from nearshore.api.worker import Worker
from tests.api.conftest import Server

SHARE = {"partner": "MEX", "flow": "imports", "year": "2024"}
DOUBLE_MEXICO = (
    "import sys; from nearshore.data.store import Store; "
    "Store(sys.argv[1], lock_timeout=0).con.execute("
    "\"UPDATE trade_flows SET value_usd = value_usd * 2 WHERE partner = 'MEX' AND flow = 'imports'\")"
)


def worker_of(server: Server) -> Worker:
    worker: Worker = server.client.app.state.worker  # type: ignore[attr-defined]
    return worker


def share(server: Server, **extra: str) -> Any:
    response = server.client.get("/v1/stats/share", params={**SHARE, **extra})
    assert response.status_code == 200, response.text
    return response


def test_the_same_call_is_answered_from_what_the_worker_kept(writer: Server) -> None:
    worker = worker_of(writer)
    first = share(writer)
    hits = worker.answers.hits
    again = share(writer)
    assert worker.answers.hits == hits + 1
    assert again.content == first.content
    assert again.headers["etag"] == first.headers["etag"]
    share(writer, partner="CAN")  # another call: computed, not the kept one
    assert worker.answers.hits == hits + 1


def test_a_load_into_the_store_makes_the_next_answer_new(writer: Server) -> None:
    worker = worker_of(writer)
    before = share(writer)
    share(writer)
    with worker.reader.paused():  # as the writer path does: the worker lets go, another process writes
        done = subprocess.run(
            [sys.executable, "-c", DOUBLE_MEXICO, writer.env["NEARSHORE_DB"]], capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
    hits = worker.answers.hits
    after = share(writer)
    assert worker.answers.hits == hits  # not the kept answer
    assert after.headers["etag"] != before.headers["etag"]
    old, new = before.json()["result"]["rows"], after.json()["result"]["rows"]
    assert new != old  # Mexico's imports doubled: its share is another figure
    assert share(writer).content == after.content
    assert worker.answers.hits == hits + 1


def test_csv_answers_and_routes_not_marked_are_not_kept(writer: Server) -> None:
    worker = worker_of(writer)
    for _ in range(2):
        assert writer.client.get("/v1/stats/share", params={**SHARE, "format": "csv"}).status_code == 200
        assert writer.client.get("/v1/data/info").status_code == 200
    assert worker.answers.hits == 0


def test_the_cache_drops_everything_when_the_store_version_or_the_day_changes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(answers, "today", lambda: "2026-12-03")
    cache = AnswerCache()
    cache.put("v1", '"a"', b"one")
    assert cache.get("v1", '"a"') == b"one"
    assert cache.get("v2", '"a"') is None
    assert len(cache) == 0
    cache.put("v2", '"a"', b"two")
    monkeypatch.setattr(answers, "today", lambda: "2026-12-04")
    assert cache.get("v2", '"a"') is None


def test_the_cache_is_bounded() -> None:
    cache = AnswerCache(size=2, largest=4)
    cache.put("v", "a", b"1")
    cache.put("v", "b", b"2")
    assert cache.get("v", "a") == b"1"  # a is now the most recently used
    cache.put("v", "c", b"3")
    assert cache.get("v", "b") is None
    assert cache.get("v", "a") == b"1"
    cache.put("v", "big", b"12345")
    assert cache.get("v", "big") is None
