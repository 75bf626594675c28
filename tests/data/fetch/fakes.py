"""Fake Census and Comtrade servers that answer in the documented wire formats, from tests/data/fetch samples.

The same `respond` functions back an httpx.MockTransport handler and a real http.server on 127.0.0.1.
`scripted` is a client whose transport plays a list of answers in order, for the HTTP client's own tests.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx

DATA = Path(__file__).resolve().parent

CENSUS_TABLES = {
    ("imports", "TOTAL"): "census_imports_consumption_2025.json",
    ("imports", "HS2"): "census_imports_hs2_mex_2025-01.json",
    ("exports", "TOTAL"): "census_exports_total_all_2025-01.json",
}


def sample(name: str) -> object:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def census_rows(name: str) -> list[dict[str, str]]:
    """A Census sample as dicts (the first copy of a repeated column wins), read with plain json."""
    data = sample(name)
    assert isinstance(data, list)
    header = data[0]
    out = []
    for cells in data[1:]:
        row: dict[str, str] = {}
        for key, value in zip(header, cells, strict=True):
            row.setdefault(key, value)
        out.append(row)
    return out


Answer = tuple[int, dict[str, str], bytes]


@dataclass
class FakeCensus:
    """Answers `{flow}/hs?get=...&time=...[&COMM_LVL=..][&CTY_CODE=..]` from the samples; 204 when no rows.

    `fail` maps a month to how many more times to answer 500 for it; `seen` records every query.
    """

    fail: dict[str, int] = field(default_factory=dict)
    status_for: dict[str, tuple[int, str]] = field(default_factory=dict)
    seen: list[list[tuple[str, str]]] = field(default_factory=list)

    def respond(self, path: str, params: list[tuple[str, str]]) -> Answer:
        self.seen.append(params)
        query = dict(params)
        month = query.get("time", "")
        if month in self.status_for:
            status, text = self.status_for[month]
            return status, {"Content-Type": "text/plain"}, text.encode()
        if self.fail.get(month, 0) > 0:
            self.fail[month] -= 1
            return 500, {"Content-Type": "text/plain"}, b"error: internal server error"
        flow = path.rstrip("/").split("/")[-2]
        level = query.get("COMM_LVL", "TOTAL")
        table = CENSUS_TABLES.get((flow, level))
        if table is None:
            return 204, {}, b""
        rows = census_rows(table)
        wanted = query["get"].split(",")
        for name in wanted:
            if name not in rows[0]:
                return 400, {"Content-Type": "text/plain"}, f"error: unknown variable '{name}'".encode()
        rows = [r for r in rows if r["time"] == month]
        if "CTY_CODE" in query:
            rows = [r for r in rows if r["CTY_CODE"] == query["CTY_CODE"]]
        if not rows:
            return 204, {}, b""
        echoed = ["time"] + [p for p in ("COMM_LVL", "CTY_CODE") if p in query]
        header = wanted + echoed
        body = [header] + [[r[c] if c in r else query[c] for c in header] for r in rows]
        return 200, {"Content-Type": "application/json;charset=utf-8"}, json.dumps(body).encode()


def comtrade_records(partner_codes: list[int] | None = None, flows: list[str] | None = None) -> list[dict[str, Any]]:
    data = sample("comtrade_get_mex_usa_2021_hs4.json")
    assert isinstance(data, dict)
    return [
        r
        for r in data["data"]
        if (partner_codes is None or r["partnerCode"] in partner_codes) and (flows is None or r["flowCode"] in flows)
    ]


@dataclass
class FakeComtrade:
    """Answers `data/v1/get/...` and `public/v1/preview/...` from the sample; `key` is the valid key."""

    key: str = ""
    records: Callable[[dict[str, str]], list[dict[str, Any]]] | None = None
    seen: list[tuple[str, dict[str, str], dict[str, str]]] = field(default_factory=list)

    def respond(self, path: str, params: list[tuple[str, str]], headers: dict[str, str]) -> Answer:
        query = dict(params)
        self.seen.append((path, query, headers))
        if path.startswith("/data/") and headers.get("ocp-apim-subscription-key") != self.key:
            return 401, {"Content-Type": "application/json"}, (DATA / "comtrade_error_401.json").read_bytes()
        if self.records is not None:
            data = self.records(query)
        else:
            partners = [int(p) for p in query["partnerCode"].split(",")] if "partnerCode" in query else None
            data = comtrade_records(partners, query["flowCode"].split(","))
            data = [r for r in data if r["period"] == query["period"]]
        body = {"elapsedTime": "0.01 secs", "count": len(data), "data": data, "error": ""}
        return 200, {"Content-Type": "application/json"}, json.dumps(body).encode()


def transport(fake: FakeCensus | FakeComtrade) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        params = request.url.params.multi_items()
        if isinstance(fake, FakeCensus):
            status, headers, body = fake.respond(request.url.path, params)
        else:
            status, headers, body = fake.respond(request.url.path, params, dict(request.headers))
        return httpx.Response(status, headers=headers, content=body)

    return httpx.MockTransport(handler)


@contextmanager
def serve(fake: FakeCensus | FakeComtrade) -> Iterator[str]:
    """A real HTTP server on a free 127.0.0.1 port answering like `fake`; yields its base URL."""

    class Handler(Quiet):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            params = parse_qsl(parts.query, keep_blank_values=True)
            if isinstance(fake, FakeCensus):
                status, headers, body = fake.respond(parts.path, params)
            else:
                lowered = {k.lower(): v for k, v in self.headers.items()}
                status, headers, body = fake.respond(parts.path, params, lowered)
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    with running(Handler) as base:
        yield base


class Quiet(BaseHTTPRequestHandler):
    """A request handler that does not log every request to stderr."""

    def log_message(self, format: str, *args: object) -> None:
        return


@contextmanager
def running(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """A real HTTP server with `handler` on a free 127.0.0.1 port; yields its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def scripted(*answers: httpx.Response | Exception) -> tuple[httpx.Client, list[httpx.Request]]:
    """A client whose transport plays `answers` in order (an exception is raised for that call)."""
    seen: list[httpx.Request] = []
    queue = list(answers)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        answer = queue.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    return httpx.Client(transport=httpx.MockTransport(handler)), seen
