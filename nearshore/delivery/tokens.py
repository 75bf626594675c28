"""Signed links: confirmation (expiring, single-use) and unsubscribe (lasting), HMAC-signed with itsdangerous.

A token carries only the subscriber's random key (and, for confirmation, a random nonce kept in the database
until used), signed with NEARSHORE_NEWSLETTER_SECRET under a salt per purpose: it cannot be forged, read as
another kind, or enumerated (keys are random, not row numbers), and it works without logging in.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Final

from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer

from nearshore.errors import TokenError

CONFIRM_SALT: Final = "nearshore.newsletter.confirm"
UNSUBSCRIBE_SALT: Final = "nearshore.newsletter.unsubscribe"
SIGNER: Final[dict[str, Any]] = {"digest_method": hashlib.sha256}  # HMAC-SHA256 rather than the default SHA-1


@dataclass(frozen=True)
class ConfirmClaim:
    key: str
    nonce: str


@dataclass(frozen=True)
class Signer:
    secret: str = field(repr=False)

    def confirm_token(self, key: str, nonce: str) -> str:
        return str(URLSafeTimedSerializer(self.secret, salt=CONFIRM_SALT, signer_kwargs=SIGNER).dumps([key, nonce]))

    def unsubscribe_token(self, key: str) -> str:
        return str(URLSafeSerializer(self.secret, salt=UNSUBSCRIBE_SALT, signer_kwargs=SIGNER).dumps(key))

    def read_confirm(self, token: str, max_age_days: int) -> ConfirmClaim:
        serializer = URLSafeTimedSerializer(self.secret, salt=CONFIRM_SALT, signer_kwargs=SIGNER)
        try:
            payload = serializer.loads(_text(token), max_age=max_age_days * 86400)
        except SignatureExpired as exc:
            when = exc.date_signed.date().isoformat() if exc.date_signed else "long ago"
            raise TokenError(
                f"this confirmation link expired (sent {when}; links last {max_age_days} days); subscribe again "
                "to get a new one"
            ) from None
        except BadSignature:
            raise TokenError(_FORGED.format(what="confirmation")) from None
        if not (isinstance(payload, list) and len(payload) == 2 and all(isinstance(p, str) for p in payload)):
            raise TokenError(_FORGED.format(what="confirmation"))
        return ConfirmClaim(payload[0], payload[1])

    def read_unsubscribe(self, token: str) -> str:
        try:
            payload = URLSafeSerializer(self.secret, salt=UNSUBSCRIBE_SALT, signer_kwargs=SIGNER).loads(_text(token))
        except BadSignature:
            raise TokenError(_FORGED.format(what="unsubscribe")) from None
        if not isinstance(payload, str):
            raise TokenError(_FORGED.format(what="unsubscribe"))
        return payload


_FORGED = (
    "this {what} link is not valid (its signature does not match: it was altered, truncated or not made by this "
    "newsletter); use the link exactly as it came in the mail"
)


def _text(token: str) -> str:
    text = (token or "").strip()
    if not text or len(text) > 500 or not text.isascii():
        raise TokenError(_FORGED.format(what="newsletter"))
    return text


__all__ = ["ConfirmClaim", "Signer"]
