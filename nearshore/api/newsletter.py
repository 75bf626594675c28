"""/v1/newsletter: sign-up (double opt-in; the caller's address counts toward the per-IP limit), confirm and
unsubscribe with a link's token (public: the signed token is the permission), and the operator's calls
(subscribers, issues, sending, bounces, errata), which need a key, reads of personal data included."""

from __future__ import annotations

from fastapi import APIRouter

from nearshore.api.endpoints import Route, add

router = APIRouter(prefix="/v1/newsletter", tags=["newsletter"])
ROUTES = (
    Route("newsletter.subscribe", "/subscribe", "POST", key=False),
    Route("newsletter.confirm", "/confirm", "POST", key=False),
    Route("newsletter.unsubscribe", "/unsubscribe", "POST", key=False),
    Route("newsletter.list", "/subscribers", key=True),
    Route("newsletter.export", "/subscribers/export", key=True),
    Route("newsletter.subscriber", "/subscriber", key=True),
    Route("newsletter.remove", "/remove", "POST"),
    Route("newsletter.import", "/import", "POST", uploads=("file",)),
    Route("newsletter.erase", "/erase", "POST"),
    Route("newsletter.issue", "/issue", "POST", server={"preview": lambda w, ws: None}),
    Route("newsletter.issues", "/issues"),
    Route("newsletter.send", "/send", "POST"),
    Route("newsletter.bounces", "/bounces", "POST", uploads=("mbox",)),
    Route("newsletter.run", "/run", "POST"),
    Route("newsletter.errata", "/errata", "POST"),
)
for route in ROUTES:
    add(router, route)
