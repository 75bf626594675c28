"""HTTP API benchmark: a bounded open-loop load against `nearshore serve --workers 2` on loopback.

Run from the repository root: python benchmarks/api_bench.py [--rate 200] [--seconds 60] [--workers 2]

Starts `nearshore serve` (its own temporary store, seeded from the embedded snapshot; per-IP rate limit raised
so the limiter does not answer 429 to the load) and waits until it answers: outside the timing. Then sends
--rate requests per second for --seconds (an asyncio loop that schedules each request at its own instant and
stops by itself; it writes HTTP/1.1 by hand over 100 keep-alive connections, because httpx's client spent more
CPU per request than the server does), cycling through three calls a user makes:
    stats   GET  /v1/stats/share?partner=MEX&flow=imports&year=2024
    duty    GET  /v1/tariff/duty?hts=8708.99.81&origin=MX&value=10000&date=2025-06-01
    origin  POST /v1/origin/check (docs/examples/bom.yaml uploaded)
Inside the timing: each request from send to the whole answer read. Printed: achieved rate, errors (target 0),
p50 and p99 latency per call (target p99 < 100 ms for stats and duty), the server's CPU time per request (its
worker processes' user+system time over the load, from /proc, divided by the requests answered: the figure
that does not depend on what else the machine runs), the load generator's own CPU time per request (on a busy
machine it, not the server, can be what limits the rate) and the load average before and after.
Workers keep the answers of stats and duty calls per store version (nearshore.api.answers), so repeating
the same three calls measures mostly kept answers; --distinct makes every duty call differ (its value) and
cycles the stats call over 20 partners x 10 years x 2 flows (400 calls before one repeats), which measures
the services themselves.
Baseline, in the same run: the same three calls through the command line (`python -m nearshore ...
--format json`), one process each (--cli-calls of each), wall time per call including interpreter start; the
ratio is the CLI's median time over the API's p50.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

ROOT = Path(__file__).resolve().parent.parent
BOM = ROOT / "docs" / "examples" / "bom.yaml"
STATS = {"partner": "MEX", "flow": "imports", "year": "2024"}
DUTY = {"hts": "8708.99.81", "origin": "MX", "value": "10000", "date": "2025-06-01"}
CLI = {
    "stats": ["stats", "share", "--partner", "MEX", "--flow", "imports", "--year", "2024"],
    "duty": ["tariff", "duty", "--hts", "8708.99.81", "--origin", "MX", "--value", "10000", "--date", "2025-06-01"],
    "origin": ["origin", "check", str(BOM)],
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


PARTNERS: tuple[str, ...] = ("MEX", "CAN", "CHN", "DEU", "JPN", "KOR", "VNM", "TWN", "IND", "GBR")
PARTNERS += ("ITA", "FRA", "IRL", "CHE", "THA", "MYS", "BRA", "NLD", "SGP", "ISR")


def params(kind: str, i: int, distinct: bool) -> dict[str, str]:
    """The query of the i-th call of `kind`: always the same, or (distinct) another one each time."""
    if not distinct:
        return STATS if kind == "stats" else DUTY
    if kind == "duty":
        return {**DUTY, "value": str(10000 + i)}
    n = i % (len(PARTNERS) * 20)
    flow = "imports" if n % 2 == 0 else "exports"
    return {"partner": PARTNERS[n // 20], "flow": flow, "year": str(2015 + (n // 2) % 10)}


def server_cpu(pid: int) -> float:
    """User+system CPU seconds of the server process and its children (uvicorn's workers), from /proc."""
    try:
        children = (Path(f"/proc/{pid}/task/{pid}/children").read_text()).split()
    except OSError:
        children = []
    total = 0.0
    for each in [pid, *map(int, children)]:
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def start_server(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "nearshore", "serve", "--port", str(port), "--workers", str(workers)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/v1/data/info", timeout=5).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.5)
        if server.poll() is not None:
            raise SystemExit(f"the server stopped: {server.stderr.read().decode() if server.stderr else ''}")
    server.terminate()
    raise SystemExit("the server did not answer within 120 s")


CONNECTIONS = 100  # keep-alive connections the load is spread over
TIMEOUT = 30.0  # seconds an answer may take before it counts as an error (status 0)


def request_bytes(port: int, kind: str, bom: bytes, query: dict[str, str]) -> bytes:
    """One HTTP/1.1 request as bytes (GET with its query, or the BOM as a multipart upload)."""
    host = f"Host: 127.0.0.1:{port}\r\n"
    if kind != "origin":
        path = "/v1/stats/share" if kind == "stats" else "/v1/tariff/duty"
        return f"GET {path}?{urlencode(query)} HTTP/1.1\r\n{host}\r\n".encode()
    fence = "nearshore-bench-boundary"
    part = f'--{fence}\r\nContent-Disposition: form-data; name="bom"; filename="bom.yaml"\r\n\r\n'
    body = part.encode() + bom + f"\r\n--{fence}--\r\n".encode()
    head = (
        f"POST /v1/origin/check HTTP/1.1\r\n{host}Content-Type: multipart/form-data; boundary={fence}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def read_answer(reader: asyncio.StreamReader) -> int:
    """Read one whole answer (Content-Length or chunked); its status."""
    lines = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    headers = {name.strip().lower(): value.strip() for name, _, value in (x.partition(":") for x in lines[1:] if x)}
    if "chunked" in headers.get("transfer-encoding", ""):
        while size := int((await reader.readuntil(b"\r\n")).strip(), 16):
            await reader.readexactly(size + 2)
        await reader.readuntil(b"\r\n")
    else:
        await reader.readexactly(int(headers.get("content-length", "0")))
    return int(lines[0].split()[1])


async def connection(port: int, queue: asyncio.Queue[Any], done: list[tuple[str, float, int]]) -> None:
    """One keep-alive connection sending the queued requests one after another (reconnecting after a failure)."""
    streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
    while (item := await queue.get()) is not None:
        kind, due, data = item
        try:
            if streams is None:
                streams = await asyncio.open_connection("127.0.0.1", port)
            streams[1].write(data)
            status = await asyncio.wait_for(read_answer(streams[0]), TIMEOUT)
        except (TimeoutError, OSError, ValueError, asyncio.IncompleteReadError):
            status = 0
            if streams is not None:
                streams[1].close()
            streams = None
        done.append((kind, time.perf_counter() - due, status))
    if streams is not None:
        streams[1].close()


async def load(
    port: int, rate: float, seconds: float, distinct: bool = False
) -> tuple[list[tuple[str, float, int]], float]:
    """Send the load; each request's latency runs from its scheduled instant (a request waiting for a free
    connection counts that wait) to its whole answer read."""
    bom = BOM.read_bytes()
    kinds = ("stats", "duty", "origin")
    queue: asyncio.Queue[Any] = asyncio.Queue()
    done: list[tuple[str, float, int]] = []
    senders = [asyncio.create_task(connection(port, queue, done)) for _ in range(CONNECTIONS)]
    started = time.perf_counter()
    for i in range(int(rate * seconds)):
        due = started + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        kind = kinds[i % 3]
        queue.put_nowait((kind, due, request_bytes(port, kind, bom, params(kind, i // 3, distinct))))
    for _ in senders:
        queue.put_nowait(None)
    await asyncio.gather(*senders)
    return done, time.perf_counter() - started


def cli_times(env: dict[str, str], calls: int) -> dict[str, float]:
    """Median wall time of one CLI process per call kind."""
    found = {}
    for kind, args in CLI.items():
        times = []
        for _ in range(calls):
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "nearshore", *args, "--format", "json"], env=env, capture_output=True, check=True
            )
            times.append(time.perf_counter() - started)
        found[kind] = statistics.median(times)
    return found


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=float, default=200, help="requests per second (default 200)")
    parser.add_argument("--seconds", type=float, default=60, help="length of the load (default 60)")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes (default 2)")
    parser.add_argument("--cli-calls", type=int, default=3, help="CLI processes per call kind (default 3)")
    parser.add_argument("--distinct", action="store_true", help="vary the stats and duty calls (see above)")
    parser.add_argument(
        "--warmup",
        type=float,
        default=5,
        help="seconds of the same load first, not counted: a serving process is warm (default 5; 0 times a cold start)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="api-bench-") as home:
        env = {
            **os.environ,
            "NEARSHORE_DATA_DIR": home,
            "NEARSHORE_DB": str(Path(home) / "nearshore.duckdb"),
            "NEARSHORE_API_KEYS_FILE": str(Path(home) / "api-keys.json"),
            "NEARSHORE_API_RATE_IP": "1000000",
        }
        port = free_port()
        server = start_server(env, port, args.workers)
        try:
            if args.warmup > 0:  # outside the timing: the workers' first store open and schedule read
                asyncio.run(load(port, args.rate, args.warmup, args.distinct))
            load_before, cpu_before, own_before = os.getloadavg()[0], server_cpu(server.pid), time.process_time()
            results, elapsed = asyncio.run(load(port, args.rate, args.seconds, args.distinct))
            cpu, own = server_cpu(server.pid) - cpu_before, time.process_time() - own_before
            load_after = os.getloadavg()[0]
        finally:
            server.terminate()
            server.wait(30)
        baseline = cli_times(env, args.cli_calls)
    errors = sum(1 for _, _, status in results if status != 200)
    statuses = sorted({status for _, _, status in results if status != 200})
    print(f"load: {len(results)} requests in {elapsed:.1f} s = {len(results) / elapsed:.1f} req/s achieved")
    print(
        f"(asked {args.rate:g} req/s for {args.seconds:g} s after {args.warmup:g} s of warm-up not counted, "
        f"{args.workers} workers); "
        f"errors (not 200): {errors} {statuses or ''}"
    )
    print("(status 0: no answer within 30 s or the connection failed)")
    print(
        f"server CPU: {cpu:.1f} s = {cpu * 1000 / max(len(results), 1):.1f} ms per request "
        f"({'distinct' if args.distinct else 'the same'} calls); load average {load_before:.1f} before, "
        f"{load_after:.1f} after ({os.cpu_count()} CPUs)"
    )
    print(
        f"load generator (this process) CPU: {own:.1f} s = {own * 1000 / max(len(results), 1):.1f} ms per request "
        "(when it cannot get that much CPU, requests wait in it and their latency counts the wait)"
    )
    for kind in CLI:
        times = [t for k, t, status in results if k == kind and status == 200]
        if not times:
            print(f"{kind:7s} no successful answers")
            continue
        p50, p99 = percentile(times, 0.5), percentile(times, 0.99)
        print(
            f"{kind:7s} p50 {p50 * 1000:7.1f} ms  p99 {p99 * 1000:7.1f} ms  | CLI one process "
            f"{baseline[kind] * 1000:7.0f} ms  = {baseline[kind] / p50:6.1f}x the API's p50"
        )


if __name__ == "__main__":
    main()
