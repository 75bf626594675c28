"""UN Comtrade API (comtradeapi.un.org): any reporter's trade by partner and HS level, annual or monthly.

With a subscription key (header `Ocp-Apim-Subscription-Key`) the endpoint is `data/v1/get/C/{A|M}/HS`,
capped at 100,000 records a call; without one the public `public/v1/preview/C/{A|M}/HS`, capped at 500.
The answer is a JSON envelope `{"count": n, "data": [records], "error": ...}`; one record per reporter,
partner, flow, period and commodity, values in U.S. dollars (`primaryValue`: CIF imports, FOB exports).
A response holding exactly the cap may be truncated: the request is split (partners, then flows) and
retried, and when it cannot be split further RowCapReached is raised; nothing is stored silently short.
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Final, Literal, get_args

import httpx

from nearshore.data.batch import Batch
from nearshore.data.fetch.http import Http
from nearshore.data.fetch.runs import (
    FetchReport,
    Period,
    PeriodResult,
    Progress,
    checksum,
    remote_data_error,
    run_periods,
    run_vintage,
    store_period,
)
from nearshore.data.reference.m49 import Area, comtrade_area
from nearshore.data.sources.base import Problems, digits
from nearshore.data.sources.comtrade import from_records
from nearshore.data.store import Store
from nearshore.errors import (
    FetchClientError,
    InputError,
    RemoteDataError,
    RowCapReached,
    UnknownCodeError,
    ValidationFailed,
)
from nearshore.settings import Settings

NAME: Final = "comtrade-api"
TITLE: Final = "UN Comtrade API: trade by reporter, partner and HS level, annual or monthly (USD)"
TARGET: Final = "trade_flows"
KEY_HEADER: Final = "Ocp-Apim-Subscription-Key"
# Records per call (UN Comtrade API documentation: preview 500 without a key; data/v1/get 100,000 with one).
CAP_WITH_KEY: Final = 100_000
CAP_PREVIEW: Final = 500
# Seconds between calls, to stay under the per-second rate limit that answers 429.
PACE: Final = 1.0
KEY_HELP: Final = "https://uncomtrade.org/docs/api-subscription-keys/"

ComtradeFlow = Literal["M", "X"]
FLOW_CODES: Final = get_args(ComtradeFlow)
LEVELS: Final = (0, 2, 4, 6)
_PERIOD = re.compile(r"^([0-9]{4})(?:-?([0-9]{2}))?$")


def area(text: str) -> Area:
    """An area from an ISO3/ISO2 code, a name, or a Comtrade numeric code (842 = USA, 0 = World)."""
    try:
        return comtrade_area(text)
    except UnknownCodeError:
        raise InputError(
            f"unknown country {text!r} for Comtrade: use an ISO code (MEX, MX), a name, "
            "or a Comtrade numeric code (484)"
        ) from None


def _split_list(text: str | Sequence[str]) -> list[str]:
    items = text.split(",") if isinstance(text, str) else [p for t in text for p in t.split(",")]
    return [i.strip() for i in items if i.strip()]


def parse_periods(text: str | Sequence[str]) -> tuple[Literal["A", "M"], tuple[str, ...]]:
    """('A', ('2020', '2021')) from '2020,2021' or '2020-2021'; ('M', ('202101',)) from '2021-01'."""
    periods: list[str] = []
    for item in _split_list(text):
        years = re.fullmatch(r"([0-9]{4})-([0-9]{4})", item)
        if years and int(years.group(1)) <= int(years.group(2)):
            periods.extend(str(y) for y in range(int(years.group(1)), int(years.group(2)) + 1))
            continue
        match = _PERIOD.match(item)
        if not match or (match.group(2) and not 1 <= int(match.group(2)) <= 12):
            raise InputError(
                f"--period {item!r} is not a period: write a year (2021), a year range "
                "(2019-2021) or a month (2021-01); separate several with commas"
            )
        periods.append(match.group(1) + (match.group(2) or ""))
    if not periods:
        raise InputError("--period is empty: give a year (2021) or a month (2021-01)")
    kinds = {len(p) for p in periods}
    if len(kinds) > 1:
        raise InputError("--period mixes years and months; fetch annual and monthly data in separate runs")
    return ("A" if kinds == {4} else "M"), tuple(dict.fromkeys(periods))


@dataclass(frozen=True)
class ComtradeQuery:
    """One Comtrade run: reporter, partners (empty = all), flows, periods and the commodity level."""

    reporter: Area
    flows: tuple[ComtradeFlow, ...]
    freq: Literal["A", "M"]
    periods: tuple[str, ...]
    level: int = 0
    partners: tuple[Area, ...] = ()
    commodities: tuple[str, ...] = ()

    @classmethod
    def build(
        cls,
        *,
        reporter: str,
        period: str | Sequence[str],
        flow: str | Sequence[str] = "M,X",
        level: int = 0,
        partners: str | Sequence[str] = (),
        commodities: str | Sequence[str] = (),
    ) -> ComtradeQuery:
        """Validate what a user typed; every error lists the allowed values."""
        flows = tuple(dict.fromkeys(f.upper() for f in _split_list(flow)))
        bad = [f for f in flows if f not in FLOW_CODES]
        if bad or not flows:
            raise InputError(f"--flow {','.join(bad) or 'empty'} is not allowed; use M (imports), X (exports) or M,X")
        if level not in LEVELS:
            raise InputError(
                f"--level {level} is not allowed; use one of: {', '.join(map(str, LEVELS))} (0 = all commodities)"
            )
        codes = tuple(_split_list(commodities))
        if any(not digits(c) or len(c) not in (2, 4, 6) for c in codes):
            raise InputError(f"--commodity {','.join(codes)!r}: give HS codes of 2, 4 or 6 digits, comma-separated")
        freq, periods = parse_periods(period)
        areas = tuple(dict.fromkeys(area(p) for p in _split_list(partners)))
        return cls(area(reporter), flows, freq, periods, level, areas, codes)  # type: ignore[arg-type]

    @property
    def cmd_code(self) -> str:
        if self.commodities:
            return ",".join(self.commodities)
        return "TOTAL" if self.level == 0 else f"AG{self.level}"

    def params(self, period: str, cap: int) -> list[tuple[str, str]]:
        out = [
            ("reporterCode", self.reporter.code),
            ("period", period),
            ("cmdCode", self.cmd_code),
            ("flowCode", ",".join(self.flows)),
        ]
        if self.partners:
            out.append(("partnerCode", ",".join(p.code for p in self.partners)))
        out += [
            ("partner2Code", "0"),
            ("customsCode", "C00"),
            ("motCode", "0"),
            ("breakdownMode", "classic"),
            ("includeDesc", "true"),
            ("maxRecords", str(cap)),
        ]
        return out


def parse_records(records: Sequence[Any], origin: str, period: str, *, vintage: str, checksum: str) -> Batch:
    """A `trade_flows` Batch from one period's API records, mapped by the `comtrade` source module.

    Every malformed record is reported (RemoteDataError), nothing half-parsed; no records is an empty Batch.
    """
    problems = Problems(origin)
    numbered: list[tuple[int, dict[str, Any]]] = []
    for number, record in enumerate(records, start=1):
        if isinstance(record, dict):
            numbered.append((number, record))
        else:
            problems.add(number, None, str(record)[:80], "not a JSON object", "the API answered malformed data")
    try:
        return from_records(
            numbered,
            origin=origin,
            checksum=checksum,
            vintage=vintage,
            source=NAME,
            problems=problems,
            period=period,
            empty_ok=True,
        )
    except ValidationFailed:
        raise remote_data_error(problems, period) from None


def _fix(status: int) -> str:
    if status in (401, 403):
        return (
            f"check COMTRADE_API_KEY (see {KEY_HELP}); a 403 about quota means today's calls are used up, "
            "try again tomorrow"
        )
    if status == 404:
        return "check comtrade_base_url (NEARSHORE_COMTRADE_URL), e.g. https://comtradeapi.un.org"
    return "check --reporter, --partner, --flow, --period and --level; the API's message names what it rejected"


@dataclass
class _Caller:
    http: Http
    url: str
    headers: dict[str, str]
    cap: int
    keyed: bool

    def records(self, query: ComtradeQuery, period: str, bodies: list[bytes]) -> list[Any]:
        """Every record for one period, splitting the request while a response fills the cap."""
        if self.http.calls:
            self.http.sleep(PACE)
        answer = self.http.get_json(self.url, params=query.params(period, self.cap), headers=self.headers)
        response, shown, envelope = answer.response, answer.shown, answer.data
        if envelope is None and response.content.strip():
            raise FetchClientError(
                f"{shown}: the Comtrade API answered with something that is not JSON. "
                "Fix: check comtrade_base_url (NEARSHORE_COMTRADE_URL)",
                url=shown,
            )
        envelope = {} if envelope is None else envelope
        if not isinstance(envelope, dict):
            raise RemoteDataError(f"{shown}: not the Comtrade envelope (a JSON object with 'data')", url=shown)
        if envelope.get("error"):
            raise FetchClientError(
                f"{shown}: the Comtrade API answered an error: {self.http.scrub(str(envelope['error']))[:300]}. "
                f"Fix: {_fix(400)}",
                url=shown,
            )
        data = envelope.get("data") or []
        if not isinstance(data, list):
            raise RemoteDataError(f"{shown}: 'data' is not a list of records", url=shown)
        count = envelope.get("count")
        short = isinstance(count, int) and count > len(data)  # the API says it holds more than it sent
        if len(data) < self.cap and not short:
            bodies.append(response.content)
            return data
        first, second = _halves(query)
        if first is not None and second is not None:
            return self.records(first, period, bodies) + self.records(second, period, bodies)
        more = "" if self.keyed else f"set COMTRADE_API_KEY for up to {CAP_WITH_KEY:,} a call, or "
        raise RowCapReached(
            f"{shown}: the response holds {len(data):,} records, the cap of this endpoint, so rows may be "
            f"missing; nothing was stored for {period}. Fix: {more}name partners with --partner, "
            "or use a coarser --level",
            url=shown,
        )


def _halves(query: ComtradeQuery) -> tuple[ComtradeQuery | None, ComtradeQuery | None]:
    """The query split in two (partners first, then flows), or (None, None) when it cannot be split."""
    if len(query.partners) > 1:
        mid = len(query.partners) // 2
        return replace(query, partners=query.partners[:mid]), replace(query, partners=query.partners[mid:])
    if len(query.flows) > 1:
        return replace(query, flows=query.flows[:1]), replace(query, flows=query.flows[1:])
    return None, None


def fetch(
    store: Store,
    query: ComtradeQuery,
    *,
    vintage: str | None = None,
    settings: Settings | None = None,
    client: httpx.Client | None = None,
    sleep: Callable[[float], None] = time.sleep,
    progress: Progress | None = None,
    today: date | None = None,
) -> FetchReport:
    """Fetch the query period by period, one load per period; periods stored at this vintage are skipped."""
    settings = settings or Settings.load()
    base = settings.get("comtrade_base_url").rstrip("/")
    key = settings.get("comtrade_api_key").strip()
    vintage = run_vintage(vintage, today)
    path = f"data/v1/get/C/{query.freq}/HS" if key else f"public/v1/preview/C/{query.freq}/HS"
    with Http.session(client, settings, secrets=(key,), sleep=sleep, fix=_fix) as http:
        caller = _Caller(
            http,
            f"{base}/{path}",
            {KEY_HEADER: key} if key else {},
            CAP_WITH_KEY if key else CAP_PREVIEW,
            bool(key),
        )
        periods = []
        for period in query.periods:
            origin = str(httpx.URL(caller.url, params=query.params(period, caller.cap)))
            work = functools.partial(_fetch_period, store, caller, query, period, origin, vintage)
            periods.append(Period(period, origin, work))
        return run_periods(store, NAME, vintage, periods, calls=lambda: http.calls, progress=progress)


def _fetch_period(
    store: Store, caller: _Caller, query: ComtradeQuery, period: str, origin: str, vintage: str
) -> PeriodResult:
    before = caller.http.calls
    bodies: list[bytes] = []
    records = caller.records(query, period, bodies)
    batch = parse_records(records, origin, period, vintage=vintage, checksum=checksum(bodies))
    return store_period(
        store,
        batch,
        period=period,
        calls=caller.http.calls - before,
        empty="no records: not reported yet, or no trade",
    )


__all__ = [
    "CAP_PREVIEW",
    "CAP_WITH_KEY",
    "FLOW_CODES",
    "KEY_HEADER",
    "LEVELS",
    "NAME",
    "TITLE",
    "Area",
    "ComtradeQuery",
    "area",
    "fetch",
    "parse_periods",
    "parse_records",
]
