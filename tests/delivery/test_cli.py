"""The `nearshore newsletter` and `nearshore archive` commands, end to end against a real SMTP server and a
real SQLite file: output, formats and exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nearshore.cli.main import app
from tests.delivery.conftest import Mail
from tests.envelope import result_of

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_subscribe_confirm_list_export_erase(cli_db: Path, mail: Mail, tmp_path: Path) -> None:
    code, out = invoke(
        "newsletter", "subscribe", "Reader@Example.org", "--topic", "us-mexico", "--topic", "us-canada", "--name", "Ana"
    )
    assert code == 0
    assert out.strip() == "confirmation mailed to reader@example.org (us-canada, us-mexico, weekly)"
    (confirmation,) = mail.inbox.messages()
    assert confirmation["To"] == "reader@example.org"
    assert confirmation["Auto-Submitted"] == "auto-generated"
    link = re.search(r"https://brief\.example\.org/newsletter/confirm\?token=(\S+)", confirmation.get_content())
    assert link is not None
    code, out = invoke("newsletter", "confirm", link.group(1))
    assert code == 0
    assert "reader@example.org is subscribed (us-canada, us-mexico, weekly)" in out
    code, out = invoke("newsletter", "confirm", link.group(1))
    assert code == 2
    assert "already used" in out

    code, out = invoke("newsletter", "list", "--format", "json")
    rows = result_of(out)["rows"]
    assert [(r["email"], r["status"], r["topics"]) for r in rows] == [
        ("reader@example.org", "active", "us-canada us-mexico")
    ]
    code, out = invoke("newsletter", "list", "--format", "csv", "--status", "pending")
    assert code == 0
    assert out.splitlines() == ["email,name,status,frequency,topics,created_at,confirmed_at"]

    code, out = invoke("newsletter", "export", "--out", str(tmp_path / "all.csv"))
    assert code == 0
    assert (tmp_path / "all.csv").read_text().count("\n") == 2
    code, out = invoke("newsletter", "subscriber", "reader@example.org")
    assert code == 0
    assert json.loads(out)["subscriber"]["name"] == "Ana"
    code, out = invoke("newsletter", "erase", "reader@example.org", "--yes")
    assert code == 0
    assert out.startswith("erased reader@example.org: 1 subscribers")
    assert result_of(invoke("newsletter", "list", "--format", "json")[1])["rows"] == []


def test_bad_input_exit_codes(cli_db: Path, mail: Mail, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out = invoke("newsletter", "subscribe", "not-an-address")
    assert code == 2
    assert "error: email 'not-an-address' is not a valid e-mail address" in out
    code, out = invoke("newsletter", "subscribe", "a@example.org", "--topic", "mars")
    assert code == 2
    assert "topic 'mars' is not a newsletter topic; choose from: us-mexico, us-canada, north-america" in out
    code, out = invoke("newsletter", "bounces")
    assert code == 2
    assert "give either --mbox FILE or --imap" in out
    code, out = invoke("newsletter", "send", "us-mexico/1999-01-01")
    assert code == 2
    assert "no issue 'us-mexico/1999-01-01'" in out
    monkeypatch.setenv("NEARSHORE_NEWSLETTER_SECRET", "")
    code, out = invoke("newsletter", "subscribe", "a@example.org")
    assert code == 3
    assert "NEARSHORE_NEWSLETTER_SECRET is not set" in out


def test_smtp_failure_exit_code_hides_the_password(cli_db: Path, mail: Mail, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.delivery.servers import free_port

    monkeypatch.setenv("NEARSHORE_SMTP_PORT", str(free_port()))
    monkeypatch.setenv("NEARSHORE_SMTP_PASSWORD", "pw-never-shown-42")
    monkeypatch.setenv("NEARSHORE_SMTP_USER", "sender")
    code, out = invoke("newsletter", "subscribe", "a@example.org")
    assert code == 11
    assert "cannot send through SMTP server 127.0.0.1" in out
    assert "connection refused" in out
    assert "pw-never-shown-42" not in out


def test_issue_send_archive(cli_db: Path, mail: Mail, tmp_path: Path) -> None:
    (tmp_path / "r.csv").write_text("email\na@example.org\nb@example.org\n")
    assert invoke("newsletter", "import", str(tmp_path / "r.csv"), "--confirmed")[0] == 0
    code, out = invoke("newsletter", "run", "--dry-run")
    assert code == 0
    assert re.search(r"us-mexico: would build us-mexico/\d{4}-\d\d-\d\d \(first issue\)", out)
    preview = tmp_path / "preview.html"
    code, out = invoke("newsletter", "issue", "--topic", "us-mexico", "--preview", str(preview))
    assert code == 0, out
    assert "what changed: first issue" in out
    assert preview.read_text().count("data:image/png;base64,") == 3
    code, out = invoke("newsletter", "send", "us-mexico/latest", "--quiet")
    assert code == 0
    assert ": 2 sent, 0 failed" in out
    code, out = invoke("newsletter", "issues", "--format", "json")
    (row,) = result_of(out)["rows"]
    assert (row["sent"], row["pending"], row["errata"]) == (2, 0, 0)
    code, out = invoke("archive", "build", str(tmp_path / "site"))
    assert code == 0
    assert "1 issue(s)" in out
    assert (tmp_path / "site" / "atom.xml").is_file()
    code, out = invoke("archive", "check", "--format", "json")
    assert code == 0
    assert result_of(out)["rows"] == []
    code, out = invoke("newsletter", "errata", "us-mexico/latest")
    assert code == 2
    assert "nothing to correct" in out
