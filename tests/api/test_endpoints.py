"""Every endpoint through the TestClient: its success, the error statuses it can give, and the envelope around
each answer. Reads compared with the command line are in test_same_answer.py; keys, limits and escaping in
test_security.py."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from nearshore.api import errors
from nearshore.api.schema import Envelope
from nearshore.errors import (
    AccessError,
    BodyTooLarge,
    ConfigError,
    DataNotFound,
    InputError,
    InvalidBOM,
    NotOriginating,
    Problem,
    RateLimited,
    SignupLimited,
    StoreError,
    VerificationFailed,
)
from tests.api.conftest import EXAMPLES, Server, mailed_link
from tests.delivery.helpers import token_of
from tests.scenarios.conftest import synthetic_panel, write_panel

ERROR_KEYS = {"code", "message", "file", "row", "field", "value", "hint", "exit_code"}
RESULT_KEYS = {"title", "columns", "rows", "notes", "provenance", "messages", "payload"}


def ok(response: Any, status: int = 200) -> dict[str, Any]:
    """The result of a success envelope (checked against the schema's model)."""
    assert response.status_code == status, response.text
    document = response.json()
    Envelope.model_validate(document)
    assert document["ok"] is True
    assert set(document["result"]) == RESULT_KEYS
    result: dict[str, Any] = document["result"]
    return result


def failed(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The error of an error envelope with `status` (and `code`)."""
    assert response.status_code == status, response.text
    document = response.json()
    Envelope.model_validate(document)
    assert document["ok"] is False
    assert set(document["error"]) == ERROR_KEYS
    if code is not None:
        assert document["error"]["code"] == code, document["error"]
    error: dict[str, Any] = document["error"]
    return error


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (InputError("x"), 400),
        (AccessError("x"), 401),
        (DataNotFound("x"), 404),
        (NotOriginating("x"), 409),
        (VerificationFailed("x"), 409),
        (BodyTooLarge("x"), 413),
        (InvalidBOM([Problem("bom.yaml", 1, "good.hs", "12", "not an HS code")]), 422),
        (RateLimited("x", retry_after=2.5), 429),
        (SignupLimited("x"), 429),
        (ConfigError("x"), 503),
        (StoreError("x"), 503),
    ],
)
def test_each_error_class_has_its_status(error: Exception, status: int) -> None:
    assert errors.status_of(error) == status  # type: ignore[arg-type]


def test_data_info_and_loads(reader: Server) -> None:
    info = ok(reader.client.get("/v1/data/info"))
    assert {s["source"] for s in info["payload"]["sources"]} >= {"census-country", "hts"}
    loads = ok(reader.client.get("/v1/data/loads"))
    assert loads["rows"]
    assert "vintage" in loads["rows"][0]


def test_duty_success_and_errors(reader: Server) -> None:
    params: dict[str, str | int] = {"hts": "8708.99.81", "origin": "MX", "value": 10000, "date": "2025-06-01"}
    result = ok(reader.client.get("/v1/tariff/duty", params=params))
    assert result["payload"]["total"] == pytest.approx(2750.0)
    assert any("9903" in str(row["heading"]) for row in result["rows"])
    failed(reader.client.get("/v1/tariff/duty", params={**params, "hts": "87O8"}), 400, "unknown_code")
    failed(reader.client.get("/v1/tariff/duty", params={**params, "revision": "1999-basic"}), 404, "data_not_found")
    error = failed(reader.client.get("/v1/tariff/duty", params={**params, "value": "ten"}), 422, "input")
    assert error["field"] == "value"
    failed(reader.client.get("/v1/tariff/duty", params={**params, "colour": "red"}), 422, "input")
    failed(reader.client.get("/v1/tariff/duty", params={"hts": "8708.99.81"}), 422, "input")


def test_unknown_paths_and_methods_are_enveloped(reader: Server) -> None:
    assert failed(reader.client.get("/v1/nothing"), 404, "not_found")["message"].startswith("no such endpoint")
    failed(reader.client.post("/v1/tariff/duty"), 405, "method_not_allowed")


def test_etag_and_cache_control(reader: Server) -> None:
    params: dict[str, str | int] = {"partner": "MEX", "year": 2024}
    first = reader.client.get("/v1/stats/share", params=params)
    assert first.headers["cache-control"].startswith("public, max-age=300")
    assert (
        reader.client.get(
            "/v1/stats/share", params=params, headers={"If-None-Match": first.headers["etag"]}
        ).status_code
        == 304
    )
    other = reader.client.get("/v1/stats/share", params={"partner": "CAN", "year": 2024})
    assert other.headers["etag"] != first.headers["etag"]
    pinned = reader.client.get("/v1/stats/share", params={**params, "as_of": "2026-07"})
    assert pinned.headers["cache-control"] == "public, max-age=86400"
    rule = reader.client.get("/v1/origin/rule", params={"code": "8708.29"})
    assert ok(rule)["rows"]
    assert rule.headers["cache-control"] == "public, max-age=86400"


def test_origin_check_what_if_and_rules(reader: Server) -> None:
    with (EXAMPLES / "bom.yaml").open("rb") as handle:
        report = ok(reader.client.post("/v1/origin/check", files={"bom": ("disc.yaml", handle)}))
    assert report["payload"]["qualifies"] in (True, False)
    with (EXAMPLES / "bom.yaml").open("rb") as handle:
        ok(reader.client.post("/v1/origin/what-if", files={"bom": ("disc.yaml", handle)}))
    error = failed(reader.client.post("/v1/origin/check", files={"bom": ("x.yaml", b"good: {hs: 12}")}), 422)
    assert error["code"] == "invalid_bom"
    assert error["file"] == "x.yaml"
    assert "nearshore-api-" not in json.dumps(error)  # the server's temporary folder is never named
    failed(reader.client.post("/v1/origin/check"), 422, "input")  # no file
    assert ok(reader.client.get("/v1/origin/rules"))["notes"]
    failed(reader.client.get("/v1/origin/rule", params={"code": "nonsense"}), 400)


def test_origin_certify_json_pdf_and_refusal(reader: Server) -> None:
    certifier = "Acme Brakes, Quality Manager, 1 Industrial Way, Monterrey NL, +52 81 0000 0000, qa@example.com"
    bom = (EXAMPLES / "bom.yaml").read_bytes()
    checked = ok(reader.client.post("/v1/origin/check", files={"bom": ("bom.yaml", bom)}))
    response = reader.client.post("/v1/origin/certify", params={"certifier": certifier}, files={"bom": ("b.yaml", bom)})
    if checked["payload"]["qualifies"]:
        assert ok(response)["rows"]
        pdf = reader.client.post(
            "/v1/origin/certify.pdf", params={"certifier": certifier}, files={"bom": ("b.yaml", bom)}
        )
        assert pdf.headers["content-type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF")
    else:
        failed(response, 409, "not_originating")


def test_a_good_that_does_not_qualify_is_not_certified(reader: Server) -> None:
    certifier = "Acme, QA, 1 Way, Toronto, +1 416 000 0000, qa@example.com"
    for path in sorted(EXAMPLES.glob("*.yaml")):
        checked = ok(reader.client.post("/v1/origin/check", files={"bom": (path.name, path.read_bytes())}))
        if checked["payload"]["qualifies"] is False:
            refused = reader.client.post(
                "/v1/origin/certify", params={"certifier": certifier}, files={"bom": (path.name, path.read_bytes())}
            )
            failed(refused, 409, "not_originating")
            return
    pytest.fail("docs/examples has no BOM that does not qualify; add one to test the refusal")


def test_origin_batch_of_uploaded_boms(reader: Server) -> None:
    files = [("directory", (p.name, p.read_bytes())) for p in sorted(EXAMPLES.glob("*.yaml"))[:3]]
    files.append(("directory", ("broken.yaml", b"good: {}")))
    result = ok(reader.client.post("/v1/origin/batch", files=files))
    assert result["payload"]["invalid"] == 1
    assert len(result["rows"]) == 4
    assert "nearshore-api-" not in json.dumps(result)


def test_tariff_panel_is_a_parquet_download(writer: Server) -> None:
    key = writer.key()
    failed(writer.client.get("/v1/tariff/panel", params={"date": "2025-06-01", "partners": "MX"}), 401, "access")
    response = writer.client.get(
        "/v1/tariff/panel", params={"date": "2025-06-01", "partners": "MX,CN"}, headers=writer.auth(key)
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/vnd.apache.parquet"
    table = pq.read_table(io.BytesIO(response.content))
    assert set(table.column("partner").to_pylist()) == {"MEX", "CHN"}
    assert {"hts10", "total", "total_usmca"} <= set(table.column_names)


def test_policy_and_schedule(reader: Server) -> None:
    assert ok(reader.client.get("/v1/tariff/policy", params={"coverage": True}))["rows"]
    assert ok(reader.client.get("/v1/tariff/policy/measures"))["rows"]
    line = ok(reader.client.get("/v1/tariff/schedule", params={"hts": "8708.99.81"}))
    assert line["rows"]
    failed(reader.client.get("/v1/tariff/schedule", params={"load": "/etc/passwd"}), 422, "input")


def test_loading_a_file_goes_through_the_writer_and_changes_the_store(writer: Server, tmp_path: Path) -> None:
    csv = "\n".join(
        [
            "year,month,cty_code,cty_name,i_general,i_consumption,e_total",
            "2099,1,2010,Mexico,100,90,80",
        ]
    )
    before = writer.client.get("/v1/data/loads")
    failed(
        writer.client.post("/v1/data/load", params={"source": "census-country"}, files={"path": ("c.csv", csv)}), 401
    )
    key = writer.key()
    response = writer.client.post(
        "/v1/data/load",
        params={"source": "census-country", "vintage": "2099-02"},
        files={"path": ("c.csv", csv)},
        headers=writer.auth(key),
    )
    document = response.json()
    Envelope.model_validate(document)
    assert "nearshore-api-" not in response.text
    if response.status_code == 200:
        after = writer.client.get("/v1/data/loads")
        assert len(after.json()["result"]["rows"]) == len(before.json()["result"]["rows"]) + 1
        assert after.headers["etag"] != before.headers["etag"]  # a new version of the store
    else:  # the official layout refused the file: a located input error from the child command
        assert response.status_code in (400, 422)
        assert document["error"]["file"] == "c.csv"


def test_a_bad_load_is_refused_with_the_commands_error(writer: Server) -> None:
    key = writer.key()
    response = writer.client.post(
        "/v1/data/load",
        params={"source": "census-country"},
        files={"path": ("bad.csv", b"not,a,census,file\n1,2,3,4\n")},
        headers=writer.auth(key),
    )
    error = failed(response, response.status_code)
    assert response.status_code in (400, 422)
    assert error["exit_code"] == 2
    assert error["file"] is None or not error["file"].startswith("/")


def test_scenario_estimate_from_an_uploaded_panel(reader: Server, tmp_path: Path) -> None:
    pytest.importorskip("pyfixest", reason="gravity estimates need the scenarios extra")
    path = write_panel(synthetic_panel(countries=6, years=(2000, 2004)), tmp_path / "panel.csv")
    result = ok(
        reader.client.post(
            "/v1/scenario/gravity/estimate",
            params={"log_x": ["dist"], "x": ["rta"]},
            files={"data": ("panel.csv", path.read_bytes())},
        )
    )
    names = [row[result["columns"][0]["label"]] for row in result["rows"]]
    assert "ln_dist" in names
    assert "rta" in names
    failed(reader.client.post("/v1/scenario/gravity/estimate", files={"data": ("p.csv", b"a,b\n1,2\n")}), 400)


def test_brief_generate_list_and_get(writer: Server) -> None:
    failed(writer.client.post("/v1/briefs", json={"topic": "us-mexico"}), 401, "access")
    key = writer.key()
    made = ok(
        writer.client.post(
            "/v1/briefs", json={"topic": "us-mexico", "formats": ["html", "md"]}, headers=writer.auth(key)
        )
    )
    assert all(path.startswith("/v1/briefs/") for path in made["payload"]["files"].values())
    assert str(writer.home) not in json.dumps(made)
    listed = ok(writer.client.get("/v1/briefs"))
    brief = listed["payload"][0]
    assert {"html", "md", "facts.json"} <= set(brief["files"])
    html = writer.client.get(brief["files"]["html"])
    assert html.status_code == 200
    assert html.headers["content-type"].startswith("text/html")
    markdown = writer.client.get(brief["files"]["md"])
    assert markdown.headers["content-type"].startswith("text/markdown")
    facts = writer.client.get(brief["files"]["facts.json"]).json()
    assert facts
    failed(writer.client.get("/v1/briefs/..%2Fapi-keys.json"), 404)  # never a file outside the brief folder
    failed(writer.client.get("/v1/briefs/api-keys.json"), 404, "data_not_found")
    failed(writer.client.get("/v1/briefs/us-mexico-1999.html"), 404, "data_not_found")
    checked = writer.client.post(
        "/v1/briefs/check",
        files={"file": ("b.md", markdown.content), "facts": ("b.facts.json", json.dumps(facts).encode())},
    )
    assert ok(checked)["payload"]["ok"] is True
    tampered = markdown.text.replace(made["payload"]["facts"] and "%", "0%", 1)
    bad = writer.client.post(
        "/v1/briefs/check",
        files={"file": ("b.md", tampered.encode()), "facts": ("b.facts.json", json.dumps(facts).encode())},
    )
    if bad.status_code != 200:  # a changed figure is caught: the rows are the failures, status 409
        document = bad.json()
        assert bad.status_code == 409
        assert document["result"]["rows"]
        assert document["error"]["code"] == "verification_failed"


def test_newsletter_without_settings_is_unavailable(reader: Server) -> None:
    failed(reader.client.post("/v1/newsletter/subscribe", json={"email": "a@example.org"}), 503, "config")


def test_newsletter_signup_confirm_and_unsubscribe(mail: Any, writer: Server) -> None:
    signed = ok(
        writer.client.post("/v1/newsletter/subscribe", json={"email": "Reader@Example.org", "topics": ["us-mexico"]})
    )
    assert signed["payload"]["confirmation_mailed"] is True
    assert "token" not in json.dumps(signed)  # the link goes to the mailbox only
    [(_, raw)] = mail.inbox.received
    token = token_of(mailed_link(raw))
    failed(writer.client.post("/v1/newsletter/confirm", json={"token": token + "x"}), 400, "token")
    confirmed = ok(writer.client.post("/v1/newsletter/confirm", json={"token": token}))
    assert confirmed["payload"]["status"] == "active"
    failed(writer.client.get("/v1/newsletter/subscribers"), 401, "access")
    key = writer.key()
    listed = ok(writer.client.get("/v1/newsletter/subscribers", headers=writer.auth(key)))
    assert [r["email"] for r in listed["rows"]] == ["reader@example.org"]
    exported = writer.client.get(
        "/v1/newsletter/subscribers/export", params={"format": "csv"}, headers=writer.auth(key)
    )
    assert exported.text.startswith("email,")
    held = ok(
        writer.client.get("/v1/newsletter/subscriber", params={"email": "reader@example.org"}, headers=writer.auth(key))
    )
    assert held["payload"]["subscriber"]["email"] == "reader@example.org"
    removed = ok(
        writer.client.post("/v1/newsletter/remove", json={"email": "reader@example.org"}, headers=writer.auth(key))
    )
    assert removed["payload"]["status"] == "unsubscribed"
    imported = ok(
        writer.client.post(
            "/v1/newsletter/import", files={"file": ("s.csv", b"email\nnew@example.org\n")}, headers=writer.auth(key)
        )
    )
    assert imported["payload"]["added"] == 1
    erased = ok(writer.client.post("/v1/newsletter/erase", json={"email": "new@example.org"}, headers=writer.auth(key)))
    assert erased["payload"]
    assert ok(writer.client.get("/v1/newsletter/issues"))["rows"] == []


def test_archive_lists_without_issues(writer: Server) -> None:
    assert ok(writer.client.get("/v1/archive"))["rows"] == []
    assert writer.client.get("/archive/").status_code == 200
    assert writer.client.get("/archive/us-mexico/2026-01-01/").status_code == 404


def test_a_bug_is_a_500_envelope_without_details(reader: Server) -> None:
    from nearshore.api.app import create_app

    app: FastAPI = create_app(warm=False)

    @app.get("/v1/boom")
    def boom() -> None:
        raise RuntimeError("secret detail /srv/nearshore/private")

    with TestClient(app, raise_server_exceptions=False) as client:
        error = failed(client.get("/v1/boom"), 500, "error")
    assert "secret" not in error["message"]
    assert "reference" in error["message"]


def test_csv_rows_go_out_in_chunks() -> None:
    from nearshore.api.endpoints import _csv_chunks
    from nearshore.services.base import Result, columns

    rows = tuple((i, ("a", "b") if i % 2 else None) for i in range(5001))
    chunks = list(_csv_chunks(Result("t", columns("n", "tags"), rows, None)))
    assert len(chunks) == 3
    lines = "".join(chunks).splitlines()
    assert lines[:3] == ["n,tags", "0,", "1,a b"]
    assert len(lines) == 5002
