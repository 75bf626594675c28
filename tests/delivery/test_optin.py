"""Double opt-in and one-click unsubscribe on a real SQLite file and on PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from nearshore.delivery.config import NewsletterConfig
from nearshore.delivery.db import Database
from nearshore.delivery.optin import confirm, purge_unconfirmed, subscribe, unsubscribe, unsubscribe_url
from nearshore.delivery.subscribers import list_subscribers
from nearshore.errors import AddressError, SignupLimited, TokenError
from tests.delivery.conftest import BASE_URL, NOW, SECRET
from tests.delivery.helpers import token_of

CONFIG = NewsletterConfig("nearshore brief <brief@example.org>", BASE_URL, SECRET, confirm_days=7, signups_per_hour=3)


def test_subscribe_confirm_unsubscribe(any_db: Database) -> None:
    signup = subscribe(any_db, CONFIG, " Reader@EXAMPLE.org ", ["us-mexico", "us-canada"], "daily", "Ana", now=NOW)
    assert signup.created
    assert signup.subscriber.status == "pending"
    assert signup.subscriber.email == "reader@example.org"
    assert signup.confirm_url is not None
    assert signup.confirm_url.startswith(f"{BASE_URL}/newsletter/confirm?token=")
    view = confirm(any_db, CONFIG, token_of(signup.confirm_url), now=NOW)
    assert (view.status, view.topics, view.frequency) == ("active", ("us-canada", "us-mexico"), "daily")
    with any_db.session() as session:
        from sqlalchemy import select

        from nearshore.delivery.models import Subscriber

        key = session.scalar(select(Subscriber.key).where(Subscriber.email == view.email))
    assert key is not None
    url = unsubscribe_url(CONFIG, key)
    assert unsubscribe(any_db, CONFIG, token_of(url)).status == "unsubscribed"
    assert unsubscribe(any_db, CONFIG, token_of(url)).status == "unsubscribed"  # a repeated one-click POST is fine
    assert [v.status for v in list_subscribers(any_db)] == ["unsubscribed"]


def test_active_subscriber_merges_topics_without_a_new_link(db: Database) -> None:
    first = subscribe(db, CONFIG, "a@example.org", ["us-mexico"], now=NOW)
    assert first.confirm_url is not None
    confirm(db, CONFIG, token_of(first.confirm_url))
    again = subscribe(db, CONFIG, "A@example.org", ["north-america"], "monthly", now=NOW)
    assert again.confirm_url is None
    assert not again.created
    assert again.subscriber.topics == ("north-america", "us-mexico")
    assert again.subscriber.frequency == "monthly"


def test_replayed_confirmation_link_is_refused(any_db: Database) -> None:
    signup = subscribe(any_db, CONFIG, "b@example.org", now=NOW)
    assert signup.confirm_url
    token = token_of(signup.confirm_url)
    confirm(any_db, CONFIG, token)
    with pytest.raises(TokenError, match=r"already used or replaced by a newer one \(the subscription is active\)"):
        confirm(any_db, CONFIG, token)


def test_older_link_is_replaced_by_a_newer_one(db: Database) -> None:
    old = subscribe(db, CONFIG, "c@example.org", now=NOW).confirm_url
    new = subscribe(db, CONFIG, "c@example.org", now=NOW).confirm_url
    assert old
    assert new
    assert old != new
    with pytest.raises(TokenError, match=r"already used or replaced"):
        confirm(db, CONFIG, token_of(old))
    assert confirm(db, CONFIG, token_of(new)).status == "active"


def test_expired_confirmation_link_is_refused(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from sqlalchemy import select

    from nearshore.delivery.models import Subscriber
    from nearshore.delivery.tokens import Signer

    subscribe(db, CONFIG, "d@example.org", now=NOW)
    with db.session() as session:
        row = session.scalar(select(Subscriber).where(Subscriber.email == "d@example.org"))
        assert row is not None
        assert row.confirm_nonce
        key, nonce = row.key, row.confirm_nonce
    real = time.time
    with monkeypatch.context() as patch:  # the link as it was signed eight days ago
        patch.setattr(time, "time", lambda: real() - 8 * 86400)
        old_token = Signer(SECRET).confirm_token(key, nonce)
    with pytest.raises(TokenError, match=r"this confirmation link expired .*links last 7 days.*subscribe again"):
        confirm(db, CONFIG, old_token)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # signature altered
        lambda t: t.split(".")[0] + ".x." + t.split(".")[-1],  # payload swapped
        lambda t: "",
        lambda t: "not-a-token",
        lambda t: t + "\r\nX-Injected: 1",
    ],
    ids=["signature", "payload", "empty", "garbage", "crlf"],
)
def test_forged_tokens_are_refused(db: Database, tamper) -> None:
    signup = subscribe(db, CONFIG, "e@example.org", now=NOW)
    assert signup.confirm_url
    with pytest.raises(TokenError, match=r"not valid"):
        confirm(db, CONFIG, tamper(token_of(signup.confirm_url)))
    with pytest.raises(TokenError, match=r"not valid"):
        unsubscribe(db, CONFIG, tamper(token_of(signup.confirm_url)))


def test_token_of_one_kind_or_secret_does_not_work_as_another(db: Database) -> None:
    signup = subscribe(db, CONFIG, "f@example.org", now=NOW)
    assert signup.confirm_url
    with pytest.raises(TokenError, match=r"unsubscribe link is not valid"):
        unsubscribe(db, CONFIG, token_of(signup.confirm_url))  # a confirmation token is not an unsubscribe token
    other = NewsletterConfig(CONFIG.sender, BASE_URL, "another-secret-" + "z" * 30)
    with pytest.raises(TokenError, match=r"not valid"):
        confirm(db, other, token_of(signup.confirm_url))


def test_unsubscribe_tokens_cannot_be_enumerated(db: Database) -> None:
    """Tokens name a random key, not a row number: two readers' tokens share nothing guessable."""
    from sqlalchemy import select

    from nearshore.delivery.models import Subscriber

    for address in ("g1@example.org", "g2@example.org"):
        subscribe(db, CONFIG, address, now=NOW)
    with db.session() as session:
        keys = list(session.scalars(select(Subscriber.key)))
    assert all(len(k) >= 20 and not k.isdigit() for k in keys)
    assert len(set(keys)) == 2


def test_signup_flood_is_limited_per_address_and_per_ip(db: Database) -> None:
    for _ in range(3):
        subscribe(db, CONFIG, "flood@example.org", now=NOW)
    with pytest.raises(
        SignupLimited, match=r"too many sign-ups from this address in the last hour \(3, the limit is 3\)"
    ):
        subscribe(db, CONFIG, "flood@example.org", now=NOW)
    assert subscribe(db, CONFIG, "flood@example.org", now=NOW + timedelta(hours=1, minutes=1)).confirm_url
    for i in range(12):
        subscribe(db, CONFIG, f"bot{i}@example.org", ip="203.0.113.9", now=NOW)
    with pytest.raises(SignupLimited, match=r"IP address 203.0.113.9"):
        subscribe(db, CONFIG, "bot99@example.org", ip="203.0.113.9", now=NOW)


def test_unconfirmed_signups_are_purged(db: Database) -> None:
    subscribe(db, CONFIG, "old@example.org", now=NOW - timedelta(days=8))
    kept = subscribe(db, CONFIG, "new@example.org", now=NOW - timedelta(days=2))
    assert purge_unconfirmed(db, 7, now=NOW) == 1
    assert [v.email for v in list_subscribers(db)] == [kept.subscriber.email]


def test_suppressed_address_cannot_sign_up_again(db: Database) -> None:
    from sqlalchemy import update

    from nearshore.delivery.models import Subscriber

    subscribe(db, CONFIG, "bounced@example.org", now=NOW)
    with db.session() as session:
        session.execute(update(Subscriber).values(status="suppressed", reason="hard bounce 5.1.1"))
    with pytest.raises(AddressError, match=r"is suppressed \(hard bounce 5.1.1\)"):
        subscribe(db, CONFIG, "bounced@example.org", now=NOW)
