"""The dashboard: server-rendered pages (Jinja2, autoescaped) over the same services as the API, working without
JavaScript (every selector is a form) and redrawing charts in place with it.

    /                       partner shares, USMCA utilisation by month, duty collected by partner
    /charts/<id>.json       one chart for the chosen selectors (spec, text alternative, table)
    /duty                   the duty calculator: every layer with its legal basis
    /origin                 upload a bill of materials: the origin report and the what-if
    /briefs                 the newsletter archive (with its feeds) and the briefs generated here
    /subscribe              sign up (double opt-in)
    /newsletter/confirm     a confirmation link's page (a button that POSTs; scanners only GET)
    /newsletter/unsubscribe an unsubscribe link's page; a POST is the RFC 8058 one-click unsubscribe
    /static/...             the stylesheet, the script, and the vega-embed bundle from vl-convert (no CDN)
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from nearshore import format as fmt
from nearshore._version import __version__
from nearshore.api.guard import client_address
from nearshore.api.uploads import Workspace
from nearshore.api.worker import Worker
from nearshore.errors import AccessError, NearshoreError
from nearshore.services import REGISTRY, DutyRequest, OriginCheckRequest, SubscribeRequest, WhatIfRequest
from nearshore.services.base import Result
from nearshore.services.envelope import error_body
from nearshore.web import charts

STATIC = Path(__file__).parent / "static"
CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
TOPICS = ("us-mexico", "us-canada", "north-america")
FREQUENCIES = ("weekly", "daily", "monthly")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return fmt.cell(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    return str(value)


@functools.cache
def _templates() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("nearshore.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["cell"] = _cell
    return env


def page(template: str, status: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("charts", False)
    html = _templates().get_template(template).render(version=__version__, **context)
    return HTMLResponse(html, status_code=status, headers={"Content-Security-Policy": CSP})


def _worker(request: Request) -> Worker:
    worker: Worker = request.app.state.worker
    if worker.settings.flag("api_read_key"):
        raise AccessError("this server needs an API key for reads, so the dashboard (a browser sends none) is off")
    return worker


def _attempt(work: Any) -> tuple[Any, dict[str, Any] | None]:
    try:
        return work(), None
    except NearshoreError as exc:
        return None, error_body(exc)


def _int(text: str | None, allowed: list[int], default: int) -> int:
    return int(text) if text and text.isdigit() and int(text) in allowed else default


def _selection(worker: Worker, query: Any) -> dict[str, Any]:
    """The dashboard's selectors from the query string; anything unknown falls back to the defaults."""
    years = charts.years(worker, "census-country") or [dt.date.today().year - 1]
    usmca_years = charts.years(worker, "dataweb") or years[-1:]
    duty_years = charts.years(worker, "census-duties") or years[-1:]
    known = [code for code, _ in charts.PARTNERS]
    partners = [p for p in query.getlist("partner") if p in known] or ["MEX", "CAN", "CHN"]
    start = _int(query.get("start"), years, years[max(0, len(years) - 11)])
    end = _int(query.get("end"), years, years[-1])
    usmca_partner = query.get("usmca_partner") if query.get("usmca_partner") in ("MEX", "CAN") else "MEX"
    return {
        "years": years,
        "usmca_years": usmca_years,
        "duty_years": duty_years,
        "chosen": {
            "partners": partners,
            "start": min(start, end),
            "end": max(start, end),
            "usmca_partner": usmca_partner,
            "usmca_year": _int(query.get("usmca_year"), usmca_years, max(usmca_years[0], usmca_years[-1] - 1)),
            "duty_year": _int(query.get("duty_year"), duty_years, duty_years[-1]),
        },
    }


def _chart(worker: Worker, name: str, chosen: dict[str, Any]) -> charts.Shown:
    if name == "shares":
        return charts.shares(worker, chosen["partners"], chosen["start"], chosen["end"])
    if name == "usmca":
        return charts.usmca(worker, chosen["usmca_partner"], chosen["usmca_year"])
    return charts.duties(worker, chosen["duty_year"])


def dashboard(request: Request) -> HTMLResponse:
    worker = _worker(request)
    selection = _selection(worker, request.query_params)
    shown: dict[str, Any] = {name: _chart(worker, name, selection["chosen"]) for name in ("shares", "usmca", "duties")}
    return page(
        "dashboard.html.j2",
        title="U.S. trade with North America",
        page="home",
        partners=charts.PARTNERS,
        usmca_partners=charts.USMCA_PARTNERS,
        **selection,
        **shown,
        charts=True,
    )


def chart_json(request: Request, name: str) -> JSONResponse:
    worker = _worker(request)
    if name not in ("shares", "usmca", "duties"):
        return JSONResponse({"ok": False, "error": {"code": "not_found", "message": "no such chart"}}, 404)
    shown = _chart(worker, name, _selection(worker, request.query_params)["chosen"])
    if shown.error is not None:
        return JSONResponse({"ok": False, "error": shown.error}, 200)
    table = _templates().get_template("macros.html.j2").module.result_table(shown.result)
    body = {"ok": True, "id": shown.id, "spec": shown.spec, "alt": shown.alt, "table": str(table)}
    return JSONResponse(body, headers={"Cache-Control": "no-cache"})


def duty(
    request: Request,
    hts: str = "",
    origin: str = "",
    date: str = "",
    value: str = "",
    usmca: bool = False,
) -> HTMLResponse:
    worker = _worker(request)
    on = date or dt.date.today().isoformat()
    form = {"hts": hts, "origin": origin, "date": on, "value": value, "usmca": usmca}
    result, error = None, None
    if hts:

        def run() -> Result[Any]:
            try:
                amount = float(value)
            except ValueError:
                raise NearshoreError("the customs value must be a number of U.S. dollars, e.g. 10000") from None
            request_ = DutyRequest(hts=hts, origin=origin, value=amount, date=on, usmca=usmca)
            return worker.run(REGISTRY["tariff.duty"], request_)

        result, error = _attempt(run)
    return page("duty.html.j2", title="Duty calculator", page="duty", form=form, result=result, error=error)


def origin_form(request: Request) -> HTMLResponse:
    _worker(request)
    return page("origin.html.j2", title="Rules of origin", page="origin", report=None, whatif=None, error=None, date="")


def origin_check(
    request: Request, bom: Annotated[UploadFile, File()], date: Annotated[str, Form()] = ""
) -> HTMLResponse:
    worker = _worker(request)
    with Workspace() as ws:
        path = ws.save(bom.file, bom.filename, "bom.yaml")

        def run() -> tuple[Result[Any], Result[Any]]:
            checked = worker.run(REGISTRY["origin.check"], OriginCheckRequest(bom=path, date=date or None))
            changed = worker.run(REGISTRY["origin.what-if"], WhatIfRequest(bom=path, date=date or None))
            return checked, changed

        found, error = _attempt(run)
        error = ws.scrub(error) if error else None
    report, whatif = found if found else (None, None)
    qualifies = bool(report.payload.result.qualifies) if report else False
    return page(
        "origin.html.j2",
        status=200 if error is None else 422,
        title="Rules of origin",
        page="origin",
        report=report,
        whatif=whatif,
        qualifies=qualifies,
        error=error,
        date=date,
    )


def briefs(request: Request) -> HTMLResponse:
    from nearshore.api.briefs import listing

    worker = _worker(request)

    def archived() -> list[Any]:
        from nearshore.delivery.archive import archive_entries
        from nearshore.services.base import open_context
        from nearshore.services.newsletter import database

        with open_context("none", settings=worker.settings) as ctx, database(ctx) as db:
            return archive_entries(db)

    issues, error = _attempt(archived)
    return page(
        "briefs.html.j2",
        title="Briefs",
        page="briefs",
        issues=issues or [],
        archive_error=error["message"] if error else None,
        briefs=listing(worker.briefs_dir),
    )


def _subscribe_page(form: dict[str, Any], done: str | None = None, error: Any = None, status: int = 200) -> Response:
    return page(
        "subscribe.html.j2",
        status=status,
        title="Subscribe",
        page="subscribe",
        form=form,
        topics=TOPICS,
        frequencies=FREQUENCIES,
        done=done,
        error=error,
    )


def subscribe_form(request: Request) -> Response:
    _worker(request)
    return _subscribe_page({"email": "", "name": "", "topics": ["us-mexico"], "frequency": "weekly"})


def subscribe(
    request: Request,
    email: Annotated[str, Form()],
    name: Annotated[str, Form()] = "",
    topics: Annotated[list[str], Form()] = ["us-mexico"],  # noqa: B006  # FastAPI reads the default
    frequency: Annotated[str, Form()] = "weekly",
) -> Response:
    worker = _worker(request)
    form = {"email": email, "name": name, "topics": topics, "frequency": frequency}

    def run() -> Result[Any]:
        made = SubscribeRequest(email=email, topics=tuple(topics), frequency=frequency, name=name)
        return worker.run(REGISTRY["newsletter.subscribe"], made, client_address(request))

    result, error = _attempt(run)
    if error is not None:
        return _subscribe_page(form, error=error, status=400)
    done = (
        "Check your mailbox: we sent a link to confirm the subscription."
        if result.payload["confirmation_mailed"]
        else "You were already subscribed; your choices are updated."
    )
    return _subscribe_page({**form, "email": ""}, done=done)


def _token_page(request: Request, name: str, token: str, post: bool) -> Response:
    worker = _worker(request)
    labels = {
        "confirm": ("Confirm your subscription to the nearshore brief?", "Confirm subscription", "Subscription"),
        "unsubscribe": ("Stop receiving the nearshore brief?", "Unsubscribe", "Unsubscribe"),
    }
    question, button, title = labels[name]
    done, error = None, None
    if post:
        service = REGISTRY[f"newsletter.{name}"]
        result, error = _attempt(lambda: worker.run(service, service.request(token=token)))
        done = result.title if result is not None else None
    return page(
        "token.html.j2",
        status=400 if error else 200,
        title=title,
        page="",
        question=question,
        button=button,
        action=f"/newsletter/{name}",
        token=token,
        done=done,
        error=error,
    )


def install(app: FastAPI) -> None:
    """Add the dashboard's pages and assets to the app."""
    hidden: dict[str, Any] = {"include_in_schema": False}
    app.add_api_route("/", dashboard, methods=["GET"], **hidden)
    app.add_api_route("/charts/{name}.json", chart_json, methods=["GET"], **hidden)
    app.add_api_route("/duty", duty, methods=["GET"], **hidden)
    app.add_api_route("/origin", origin_form, methods=["GET"], **hidden)
    app.add_api_route("/origin", origin_check, methods=["POST"], **hidden)
    app.add_api_route("/briefs", briefs, methods=["GET"], **hidden)
    app.add_api_route("/subscribe", subscribe_form, methods=["GET"], **hidden)
    app.add_api_route("/subscribe", subscribe, methods=["POST"], **hidden)

    for name in ("confirm", "unsubscribe"):

        def show(request: Request, token: Annotated[str, Query()] = "", name: str = name) -> Response:
            return _token_page(request, name, token, post=False)

        async def act(request: Request, name: str = name) -> Response:
            form = await request.form()
            token = str(form.get("token") or request.query_params.get("token") or "")
            from starlette.concurrency import run_in_threadpool

            return await run_in_threadpool(_token_page, request, name, token, True)

        app.add_api_route(f"/newsletter/{name}", show, methods=["GET"], **hidden)
        app.add_api_route(f"/newsletter/{name}", act, methods=["POST"], **hidden)

    @app.get("/static/vega.js", include_in_schema=False)
    def vega_bundle() -> Response:
        from nearshore.charts import bundle

        headers = {"Cache-Control": "public, max-age=86400", "ETag": f'"vega-{__version__}"'}
        return Response(bundle(), media_type="text/javascript; charset=utf-8", headers=headers)

    app.mount("/static", StaticFiles(directory=STATIC), name="static")


__all__ = ["CSP", "install", "page"]
