"""The newsletter through its services (what the CLI calls and the REST API will expose): a sign-up's result
holds no link or token, the confirmation goes to the mailbox only; erasing asks first on the command line."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from nearshore.cli.main import app
from nearshore.services import REGISTRY, SubscribeRequest, envelope, open_context
from tests.delivery.conftest import Mail

runner = CliRunner()


def test_a_sign_up_answers_without_its_confirmation_link(cli_db: Path, mail: Mail) -> None:
    subscribe = REGISTRY["newsletter.subscribe"]
    request = SubscribeRequest(email="reader@example.org", topics=("us-canada",))
    with open_context(subscribe.access(request)) as ctx:
        assert ctx.store is None  # the trade store is not opened for a sign-up
        result = subscribe(ctx, request)
    (confirmation,) = mail.inbox.messages()
    body = confirmation.get_content()
    token = body.split("confirm?token=", 1)[1].split()[0]
    document = json.dumps(envelope(result))
    assert token not in document
    assert "confirm?token" not in document
    assert result.payload["confirmation_mailed"] is True
    assert result.title == "confirmation mailed to reader@example.org (us-canada, weekly)"


def test_erase_asks_first_and_a_no_changes_nothing(cli_db: Path, mail: Mail) -> None:
    assert runner.invoke(app, ["newsletter", "subscribe", "a@example.org"]).exit_code == 0
    refused = runner.invoke(app, ["newsletter", "erase", "a@example.org"], input="n\n")
    assert refused.exit_code == 1
    assert "erase every record of a@example.org?" in refused.output
    listed = runner.invoke(app, ["newsletter", "list", "--format", "csv"])
    assert "a@example.org" in listed.output
    agreed = runner.invoke(app, ["newsletter", "erase", "a@example.org"], input="y\n")
    assert agreed.exit_code == 0
    assert "erased a@example.org: 1 subscribers" in agreed.output
