"""Who may call, how often, and with how much: API keys, rate limits per key and per IP address, and the body
size limit.

- A key travels as `Authorization: Bearer KEY` or `X-API-Key: KEY`; it is checked against the hashed key
  file (nearshore.auth.keys) in constant time and never logged or echoed. Writes need one; reads too when
  the setting api_read_key is on.
- Rate limits are token buckets kept by each worker: a call with a valid key draws from that key's bucket
  (api_rate_key per minute), any other from its IP address's (api_rate_ip per minute); a bucket holds a
  minute's worth, so bursts up to the limit pass. An empty bucket answers 429 with Retry-After.
- A body over api_max_body bytes answers 413, whether Content-Length says so or the bytes keep coming.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from nearshore.api.errors import error_response
from nearshore.auth.keys import KeyRecord, KeyStore
from nearshore.errors import AccessError, BodyTooLarge, RateLimited

MAX_BUCKETS = 10_000  # addresses and keys remembered per worker; the least recently seen are forgotten


def presented_key(request: Request) -> str | None:
    """The key the caller sent (Authorization: Bearer, or X-API-Key), or None."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.headers.get("x-api-key") or None


def authenticate(request: Request, keys: KeyStore) -> KeyRecord | None:
    """The active key the request carries; AccessError when it carries one that is wrong or revoked."""
    sent = presented_key(request)
    if sent is None:
        return None
    record = keys.verify(sent)
    if record is None:
        raise AccessError(
            "the API key sent is not valid (wrong, malformed or revoked)",
            hint="send a key made with `nearshore api-key create NAME` as 'Authorization: Bearer KEY'",
        )
    return record


def require_key(request: Request, keys: KeyStore, what: str) -> KeyRecord:
    """The request's valid key, or AccessError saying that `what` needs one."""
    record = authenticate(request, keys)
    if record is None:
        raise AccessError(
            f"{what} needs an API key",
            hint="send a key made with `nearshore api-key create NAME` as 'Authorization: Bearer KEY'",
        )
    return record


@dataclass
class Bucket:
    tokens: float
    at: float


@dataclass
class Limiter:
    """Token buckets by name ('ip:127.0.0.1', 'key:ab12cd34'), `per_minute` calls each, thread-safe."""

    per_minute: int
    buckets: OrderedDict[str, Bucket] = field(default_factory=OrderedDict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, name: str, now: float | None = None) -> float:
        """Draw one call from `name`'s bucket: 0 when allowed, else the seconds until the next call is."""
        now = time.monotonic() if now is None else now
        rate = self.per_minute / 60.0
        with self.lock:
            bucket = self.buckets.pop(name, None) or Bucket(float(self.per_minute), now)
            bucket.tokens = min(float(self.per_minute), bucket.tokens + (now - bucket.at) * rate)
            bucket.at = now
            self.buckets[name] = bucket
            while len(self.buckets) > MAX_BUCKETS:
                self.buckets.popitem(last=False)
            if bucket.tokens >= 1:
                bucket.tokens -= 1
                return 0.0
            return (1 - bucket.tokens) / rate


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def check_rate(request: Request, keys: KeyStore, by_ip: Limiter, by_key: Limiter) -> None:
    """RateLimited when the caller's bucket (its key's if valid, else its address's) is empty."""
    try:
        record = authenticate(request, keys)
    except AccessError:
        record = None  # a wrong key is refused by the endpoint; its tries count against the address
    name, limiter = (f"key:{record.id}", by_key) if record else (f"ip:{client_address(request)}", by_ip)
    wait = limiter.take(name)
    if wait:
        who = f"API key {record.name}" if record else f"address {client_address(request)}"
        raise RateLimited(
            f"too many calls from {who}: the limit is {limiter.per_minute} per minute; retry in {wait:.1f} s",
            retry_after=wait,
            hint="slow down, or ask the server's operator for a key with its own limit",
        )


class BodyLimit:
    """ASGI middleware: 413 for a body over `limit` bytes. A declared Content-Length is checked before anything
    is read; a body sent without one (chunked) is read here up to the limit, then handed on whole."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None:
            if not declared.isdigit() or int(declared) > self.limit:
                await self._refuse(scope, receive, send)
            else:
                await self.app(scope, receive, send)
            return
        chunks, seen, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            seen += len(chunks[-1])
            more = bool(message.get("more_body", False))
            if seen > self.limit:
                await self._refuse(scope, receive, send)
                return
        replay: list[Message] = [{"type": "http.request", "body": b"".join(chunks), "more_body": False}]

        async def replayed() -> Message:
            return replay.pop() if replay else await receive()

        await self.app(scope, replayed, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        error = BodyTooLarge(
            f"the request body is larger than this server accepts ({self.limit:,} bytes)",
            hint="send a smaller file, or split a batch into parts",
        )
        await error_response(error)(scope, receive, send)


__all__ = [
    "BodyLimit",
    "Limiter",
    "authenticate",
    "check_rate",
    "client_address",
    "presented_key",
    "require_key",
]
