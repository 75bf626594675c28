"""The newsletter's configuration, read from the settings table when a command runs.

Secrets (SMTP and IMAP passwords, the signing key, a database URL with a password) never appear in a repr,
a log line or an error message: their fields are excluded from the repr and errors name the setting instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from email.utils import parseaddr
from pathlib import Path
from typing import Final, Literal, get_args
from urllib.parse import urlsplit

from nearshore.errors import ConfigError
from nearshore.settings import Settings

Security = Literal["starttls", "tls", "none"]
SECURITIES: Final[tuple[str, ...]] = get_args(Security)
DEFAULT_PORTS: Final = {"starttls": 587, "tls": 465, "none": 25}
MIN_SECRET = 32


def _security(settings: Settings, name: str) -> Security:
    value = settings.get(name).strip().lower()
    if value not in SECURITIES:
        raise ConfigError(f"setting {name} must be one of {', '.join(SECURITIES)}, got {value!r}")
    return value  # type: ignore[return-value]  # checked against SECURITIES above


def _port(settings: Settings, name: str, default: int) -> int:
    raw = settings.get(name).strip()
    if not raw:
        return default
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise ConfigError(f"setting {name} must be a port number (1-65535), got {raw!r}")
    return int(raw)


@dataclass(frozen=True)
class SMTPConfig:
    host: str
    port: int
    security: Security
    user: str
    password: str = field(repr=False)
    cafile: str
    timeout: float
    rate: float  # messages per second; 0: no limit
    retries: int

    @classmethod
    def from_settings(cls, settings: Settings) -> SMTPConfig:
        security = _security(settings, "smtp_security")
        return cls(
            host=settings.get("smtp_host").strip() or "localhost",
            port=_port(settings, "smtp_port", DEFAULT_PORTS[security]),
            security=security,
            user=settings.get("smtp_user"),
            password=settings.get("smtp_password"),
            cafile=settings.get("smtp_cafile"),
            timeout=settings.number("smtp_timeout"),
            rate=settings.number("smtp_rate"),
            retries=settings.integer("smtp_retries"),
        )


@dataclass(frozen=True)
class IMAPConfig:
    host: str
    port: int
    security: Security
    user: str
    password: str = field(repr=False)
    folder: str
    cafile: str
    timeout: float

    @classmethod
    def from_settings(cls, settings: Settings) -> IMAPConfig:
        host = settings.get("imap_host").strip()
        if not host:
            raise ConfigError("reading bounces from IMAP needs NEARSHORE_IMAP_HOST (and _USER, _PASSWORD) set")
        security = _security(settings, "imap_security")
        return cls(
            host=host,
            port=_port(settings, "imap_port", 993 if security == "tls" else 143),
            security=security,
            user=settings.get("imap_user"),
            password=settings.get("imap_password"),
            folder=settings.get("imap_folder") or "INBOX",
            cafile=settings.get("smtp_cafile"),
            timeout=settings.number("smtp_timeout"),
        )


@dataclass(frozen=True)
class NewsletterConfig:
    """Who sends, where links point, how links are signed, and the limits of sign-up and bounces."""

    sender: str
    base_url: str
    secret: str = field(repr=False)
    confirm_days: int = 7
    signups_per_hour: int = 5
    soft_bounces: int = 3

    @classmethod
    def from_settings(cls, settings: Settings) -> NewsletterConfig:
        return cls(
            sender=settings.get("newsletter_from").strip(),
            base_url=settings.get("newsletter_url").strip().rstrip("/"),
            secret=settings.get("newsletter_secret"),
            confirm_days=settings.integer("newsletter_confirm_days"),
            signups_per_hour=settings.integer("newsletter_signups_per_hour"),
            soft_bounces=settings.integer("newsletter_soft_bounces"),
        )

    def require_secret(self) -> str:
        if len(self.secret) < MIN_SECRET:
            state = "is not set" if not self.secret else f"is shorter than {MIN_SECRET} characters"
            raise ConfigError(
                f"NEARSHORE_NEWSLETTER_SECRET {state}; it signs confirmation and unsubscribe links. Set it to a "
                "long random string, e.g. the output of: python -c 'import secrets; print(secrets.token_urlsafe(32))'"
            )
        return self.secret

    def require_sender(self) -> tuple[str, str]:
        """(display name, address) of NEARSHORE_NEWSLETTER_FROM, checked."""
        name, address = parseaddr(self.sender)
        if not self.sender or "@" not in address or any(c in self.sender for c in "\r\n"):
            raise ConfigError(
                f"NEARSHORE_NEWSLETTER_FROM must be a sender address such as 'nearshore brief <brief@example.org>', "
                f"got {self.sender!r}"
            )
        return name, address

    def require_url(self) -> str:
        parts = urlsplit(self.base_url)
        if parts.scheme not in ("https", "http") or not parts.netloc or parts.query or parts.fragment:
            raise ConfigError(
                "NEARSHORE_NEWSLETTER_URL must be the public https URL of the archive and the confirm/unsubscribe "
                f"endpoints, e.g. https://brief.example.org, got {self.base_url!r}"
            )
        return self.base_url


def database_url(settings: Settings) -> str:
    """NEARSHORE_DATABASE_URL, or an SQLite file in the user's data directory."""
    configured = settings.get("database_url").strip()
    if configured:
        return configured
    return f"sqlite:///{Path(settings.data_dir()) / 'newsletter.sqlite3'}"


__all__ = ["SECURITIES", "IMAPConfig", "NewsletterConfig", "SMTPConfig", "Security", "database_url"]
