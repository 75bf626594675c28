"""The newsletter: subscribers, double opt-in, the issue mail built from the verified brief, SMTP sending with
an idempotent send log, bounces and complaints, the scheduled run, the static archive with feeds, and errata.

Needs the `newsletter` extra (`pip install 'nearshore[newsletter]'`): SQLAlchemy, alembic, itsdangerous,
email-validator, feedgen, css-inline and psycopg. The CLI (`nearshore newsletter`, `nearshore archive`) and the
REST API call the same functions:

    subscribe / sign_up, confirm, unsubscribe     nearshore.delivery.optin, .service
    build_issue, send_issue, run_newsletter       .issues, .service, .schedule
    apply_events (bounces), add_erratum, check_archive, build_archive, archive_page, feed
"""

from __future__ import annotations

from nearshore.delivery.archive import ArchiveReport, archive_entries, archive_page, build_archive
from nearshore.delivery.bounces import BounceSummary, apply_events, parse_report, read_imap, read_mbox
from nearshore.delivery.changes import Change, capture_state, what_changed
from nearshore.delivery.config import IMAPConfig, NewsletterConfig, SMTPConfig, database_url
from nearshore.delivery.db import Database, open_database
from nearshore.delivery.errata import ErratumResult, FactChange, add_erratum, check_archive
from nearshore.delivery.feeds import feed
from nearshore.delivery.issues import IssueInfo, build_issue, get_issue, list_issues, preview_html
from nearshore.delivery.optin import Signup, confirm, purge_unconfirmed, subscribe, unsubscribe, unsubscribe_url
from nearshore.delivery.schedule import RunReport, run_newsletter
from nearshore.delivery.send import SendReport, plan, send_mailing
from nearshore.delivery.service import due_subscribers, send_issue, sign_up
from nearshore.delivery.subscriber import SubscriberView
from nearshore.delivery.subscribers import (
    erase,
    export_csv,
    import_csv,
    list_subscribers,
    remove,
    subscriber_data,
)

__all__ = [
    "ArchiveReport",
    "BounceSummary",
    "Change",
    "Database",
    "ErratumResult",
    "FactChange",
    "IMAPConfig",
    "IssueInfo",
    "NewsletterConfig",
    "RunReport",
    "SMTPConfig",
    "SendReport",
    "Signup",
    "SubscriberView",
    "add_erratum",
    "apply_events",
    "archive_entries",
    "archive_page",
    "build_archive",
    "build_issue",
    "capture_state",
    "check_archive",
    "confirm",
    "database_url",
    "due_subscribers",
    "erase",
    "export_csv",
    "feed",
    "get_issue",
    "import_csv",
    "list_issues",
    "list_subscribers",
    "open_database",
    "parse_report",
    "plan",
    "preview_html",
    "purge_unconfirmed",
    "read_imap",
    "read_mbox",
    "remove",
    "run_newsletter",
    "send_issue",
    "send_mailing",
    "sign_up",
    "subscribe",
    "subscriber_data",
    "unsubscribe",
    "unsubscribe_url",
    "what_changed",
]
