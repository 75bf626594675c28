"""Secure by default: writes need a valid key (401 without, with a wrong one, with a revoked one), keys are never
echoed or logged, markup in inputs comes back escaped, oversized bodies are refused (413), callers are rate
limited (429), CORS is closed unless configured, and X-Forwarded-For counts only from a configured proxy."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from nearshore.api.app import create_app
from nearshore.api.endpoints import KEYED
from nearshore.api.guard import Limiter
from nearshore.auth.keys import KeyStore
from nearshore.charts import spec_json
from nearshore.settings import Settings
from tests.api.conftest import Server, api_env

WRITES = sorted(KEYED)


def client_with(seeded_store: Path, home: Path, monkeypatch: pytest.MonkeyPatch, **extra: str) -> TestClient:
    for key, value in api_env(home, seeded_store, **extra).items():
        monkeypatch.setenv(key, value)
    return TestClient(create_app(Settings.load(), warm=False), raise_server_exceptions=False)


def test_every_write_is_keyed() -> None:
    paths = {path for _, path in WRITES}
    assert {"/v1/data/load", "/v1/briefs", "/v1/tariff/schedule/load", "/v1/tariff/panel"} <= paths
    assert {"/v1/newsletter/send", "/v1/newsletter/subscribers", "/v1/newsletter/erase"} <= paths
    assert "/v1/newsletter/subscribe" not in paths


@pytest.mark.parametrize(("method", "path"), WRITES, ids=[f"{m} {p}" for m, p in WRITES])
def test_a_write_without_a_valid_key_is_401(reader: Server, method: str, path: str) -> None:
    made = KeyStore(reader.home / "api-keys.json").create(f"revoked-{abs(hash(path))}")
    KeyStore(reader.home / "api-keys.json").revoke(made.id)
    wrong = made.key[:-4] + "AAAA"
    for headers in ({}, {"Authorization": f"Bearer {wrong}"}, {"X-API-Key": made.key}, {"Authorization": "Basic x"}):
        response = reader.client.request(method, path, headers=headers)
        assert response.status_code == 401, (headers, response.text)
        document = response.json()
        assert document["error"]["code"] == "access"
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert made.key not in response.text
        assert wrong not in response.text


def test_a_valid_key_opens_a_write(writer: Server) -> None:
    key = writer.key()
    response = writer.client.post(
        "/v1/newsletter/erase", json={"email": "nobody@example.org"}, headers=writer.auth(key)
    )
    assert response.status_code != 401
    assert key not in response.text


def test_reads_can_require_a_key(seeded_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with client_with(seeded_store, tmp_path, monkeypatch, NEARSHORE_API_READ_KEY="true") as client:
        assert client.get("/v1/data/info").status_code == 401
        assert client.get("/").status_code == 401
        key = KeyStore(tmp_path / "api-keys.json").create("reader").key
        assert client.get("/v1/data/info", headers={"X-API-Key": key}).status_code == 200
        assert client.post("/v1/newsletter/confirm", json={"token": "x"}).status_code != 401  # public by design


def test_the_key_file_holds_no_key_and_reprs_hide_it(tmp_path: Path) -> None:
    store = KeyStore(tmp_path / "keys.json")
    made = store.create("erp")
    assert made.key not in (tmp_path / "keys.json").read_text()
    assert made.key.removeprefix(f"nsk_{made.id}_") not in (tmp_path / "keys.json").read_text()
    assert made.key not in repr(made)
    assert (tmp_path / "keys.json").stat().st_mode & 0o777 == 0o600
    assert store.verify(made.key) is not None
    assert store.verify(made.key + "x") is None
    assert store.verify("nsk_00000000_" + "A" * 43) is None


def test_the_access_log_has_neither_query_strings_nor_keys(
    writer: Server, mail: object, caplog: pytest.LogCaptureFixture
) -> None:
    key = writer.key()
    with caplog.at_level(logging.INFO, logger="nearshore.api"):
        writer.client.get("/v1/stats/share", params={"partner": "MEX", "year": 2024})
        writer.client.post("/v1/newsletter/confirm", json={"token": "secret-token-value"})
        writer.client.get("/newsletter/unsubscribe", params={"token": "another-secret-token"})
        writer.client.post("/v1/newsletter/erase", json={"email": "x@example.org"}, headers=writer.auth(key))
    lines = [r.getMessage() for r in caplog.records]
    assert any(line.startswith("GET /v1/stats/share 200") for line in lines)
    text = "\n".join(lines)
    for secret in ("partner=MEX", "secret-token-value", "another-secret-token", key):
        assert secret not in text


def test_markup_in_inputs_comes_back_escaped(reader: Server) -> None:
    attack = "<script>alert(1)</script>"
    page = reader.client.get("/duty", params={"hts": attack, "origin": "MX", "value": "1", "date": "2025-06-01"})
    assert attack not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    api = reader.client.get("/v1/tariff/duty", params={"hts": attack, "origin": "MX", "value": 1, "date": "2025-06-01"})
    assert api.headers["content-type"] == "application/json"
    assert api.headers["x-content-type-options"] == "nosniff"
    chart = spec_json({"description": "</script><script>alert(1)</script>"})
    assert "</script>" not in chart
    assert "<" not in chart


def test_oversized_bodies_are_413(seeded_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with client_with(seeded_store, tmp_path, monkeypatch, NEARSHORE_API_MAX_BODY="2048") as client:
        big = b"x" * 5000
        declared = client.post("/v1/origin/check", files={"bom": ("bom.yaml", big)})
        assert declared.status_code == 413
        assert declared.json()["error"]["code"] == "body_too_large"

        def chunks() -> Iterator[bytes]:  # no Content-Length: the limit counts what arrives
            for _ in range(5):
                yield b"y" * 1000

        streamed = client.post("/v1/newsletter/confirm", content=chunks(), headers={"Content-Type": "application/json"})
        assert streamed.status_code == 413
        small = client.post("/v1/origin/check", files={"bom": ("bom.yaml", b"good: {}")})
        assert small.status_code == 422


def test_callers_are_rate_limited_per_address_and_per_key(
    seeded_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with client_with(
        seeded_store, tmp_path, monkeypatch, NEARSHORE_API_RATE_IP="3", NEARSHORE_API_RATE_KEY="5"
    ) as client:
        codes = [client.get("/v1/origin/rules").status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        limited = client.get("/v1/origin/rules")
        assert limited.json()["error"]["code"] == "rate_limited"
        assert int(limited.headers["retry-after"]) >= 1
        spoofed = client.get("/v1/origin/rules", headers={"X-Forwarded-For": "203.0.113.9"})
        assert spoofed.status_code == 429  # no proxy is trusted: the header does not make a new caller
        key = KeyStore(tmp_path / "api-keys.json").create("busy").key
        keyed = [client.get("/v1/origin/rules", headers={"X-API-Key": key}).status_code for _ in range(6)]
        assert keyed == [200] * 5 + [429]


def test_a_trusted_proxy_names_the_caller(seeded_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with client_with(
        seeded_store, tmp_path, monkeypatch, NEARSHORE_API_RATE_IP="1", NEARSHORE_API_PROXIES="testclient"
    ) as client:
        first = client.get("/v1/origin/rules", headers={"X-Forwarded-For": "203.0.113.1"})
        second = client.get("/v1/origin/rules", headers={"X-Forwarded-For": "203.0.113.2"})
        again = client.get("/v1/origin/rules", headers={"X-Forwarded-For": "203.0.113.1"})
        assert (first.status_code, second.status_code, again.status_code) == (200, 200, 429)


def test_the_token_bucket_refills_at_the_limit() -> None:
    limiter = Limiter(60)
    assert all(limiter.take("ip:a", now=0.0) == 0 for _ in range(60))
    assert limiter.take("ip:a", now=0.0) == pytest.approx(1.0)
    assert limiter.take("ip:a", now=1.0) == 0
    assert limiter.take("ip:b", now=1.0) == 0


def test_cors_is_closed_unless_configured(seeded_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    preflight = {"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"}
    with client_with(seeded_store, tmp_path, monkeypatch) as client:
        response = client.options("/v1/origin/rules", headers=preflight)
        assert "access-control-allow-origin" not in response.headers
        assert "access-control-allow-origin" not in client.get("/v1/origin/rules", headers=preflight).headers
    with client_with(seeded_store, tmp_path, monkeypatch, NEARSHORE_API_CORS_ORIGINS="https://ok.example") as client:
        allowed = client.get("/v1/origin/rules", headers={"Origin": "https://ok.example"})
        assert allowed.headers["access-control-allow-origin"] == "https://ok.example"
        refused = client.get("/v1/origin/rules", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in refused.headers
