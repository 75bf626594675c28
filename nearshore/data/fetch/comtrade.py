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
import json
import math
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Final, Literal, get_args

import httpx
import pycountry

from nearshore.data.batch import ColumnBuffer
from nearshore.data.fetch.http import Http, make_client
from nearshore.data.fetch.runs import (
    FetchReport,
    Period,
    PeriodResult,
    Progress,
    run_periods,
    run_vintage,
    store_period,
)
from nearshore.data.sources.base import Problems
from nearshore.data.store import Store
from nearshore.errors import FetchClientError, InputError, RowCapReached
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
_FLOW: Final = {"M": ("imports", "general"), "X": ("exports", "total")}

# Comtrade's own codes where they differ from ISO 3166 numeric (M49).
_COMTRADE_CODE: Final = {"USA": 842, "FRA": 251, "CHE": 757, "IND": 699, "NOR": 579}
_CODE_ISO: Final = {code: iso for iso, code in _COMTRADE_CODE.items()}
_PERIOD = re.compile(r"^(\d{4})(?:-?(\d{2}))?$")


@dataclass(frozen=True)
class Area:
    """A reporter or partner as Comtrade knows it: our id (ISO3), Comtrade's numeric code, a name."""

    iso3: str
    code: int
    name: str


def area(text: str) -> Area:
    """An area from an ISO3/ISO2 code, a name, or a Comtrade numeric code (842 = USA, 0 = World)."""
    raw = text.strip()
    if raw.upper() in ("WLD", "WORLD", "0"):
        return Area("WLD", 0, "World")
    if raw.isdigit():
        code = int(raw)
        iso = _CODE_ISO.get(code)
        country = (
            pycountry.countries.get(alpha_3=iso) if iso else pycountry.countries.get(numeric=f"{code:03d}")
        )
    else:
        try:
            country = pycountry.countries.lookup(raw)
        except LookupError:
            country = None
    if country is None:
        raise InputError(
            f"unknown country {text!r} for Comtrade: use an ISO code (MEX, MX), a name, "
            "or a Comtrade numeric code (484)"
        )
    iso3 = str(country.alpha_3)
    return Area(iso3, _COMTRADE_CODE.get(iso3, int(country.numeric)), str(country.name))


def _split_list(text: str | Sequence[str]) -> list[str]:
    items = text.split(",") if isinstance(text, str) else [p for t in text for p in t.split(",")]
    return [i.strip() for i in items if i.strip()]


def parse_periods(text: str | Sequence[str]) -> tuple[Literal["A", "M"], tuple[str, ...]]:
    """('A', ('2020', '2021')) from '2020,2021' or '2020-2021'; ('M', ('202101',)) from '2021-01'."""
    periods: list[str] = []
    for item in _split_list(text):
        years = re.fullmatch(r"(\d{4})-(\d{4})", item)
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
            raise InputError(
                f"--flow {','.join(bad) or 'empty'} is not allowed; use M (imports), X (exports) or M,X"
            )
        if level not in LEVELS:
            raise InputError(
                f"--level {level} is not allowed; use one of: {', '.join(map(str, LEVELS))} "
                "(0 = all commodities)"
            )
        codes = tuple(_split_list(commodities))
        if any(not c.isdigit() or len(c) not in (2, 4, 6) for c in codes):
            raise InputError(
                f"--commodity {','.join(codes)!r}: give HS codes of 2, 4 or 6 digits, comma-separated"
            )
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
            ("reporterCode", str(self.reporter.code)),
            ("period", period),
            ("cmdCode", self.cmd_code),
            ("flowCode", ",".join(self.flows)),
        ]
        if self.partners:
            out.append(("partnerCode", ",".join(str(p.code) for p in self.partners)))
        out += [
            ("partner2Code", "0"),
            ("customsCode", "C00"),
            ("motCode", "0"),
            ("breakdownMode", "classic"),
            ("includeDesc", "true"),
            ("maxRecords", str(cap)),
        ]
        return out


def _valid_iso3(text: Any) -> str | None:
    if isinstance(text, str) and re.fullmatch(r"[A-Z]{3}", text) and pycountry.countries.get(alpha_3=text):
        return text
    return None


def _partner(code: int, iso: Any, desc: Any) -> tuple[str, str, str]:
    """(id, kind, name) of a Comtrade partner: WLD, an ISO3 country, or X<code> for other areas."""
    if code == 0:
        return "WLD", "world", "World"
    iso3 = _valid_iso3(iso) or _CODE_ISO.get(code)
    if iso3 is None:
        country = pycountry.countries.get(numeric=f"{code:03d}")
        iso3 = str(country.alpha_3) if country else None
    if iso3 is None:
        return f"X{code}", "other", str(desc or f"Comtrade area {code}")
    country = pycountry.countries.get(alpha_3=iso3)
    return iso3, "country", str(desc or (country.name if country else iso3))


def record_row(record: Mapping[str, Any]) -> dict[str, Any]:
    """One Comtrade record as a `trade_flows` row; KeyError/ValueError/TypeError on a malformed record."""
    flow, basis = _FLOW[str(record["flowCode"])]
    partner_code = int(record["partnerCode"])
    partner, kind, name = _partner(partner_code, record.get("partnerISO"), record.get("partnerDesc"))
    reporter_code = int(record["reporterCode"])
    reporter = _valid_iso3(record.get("reporterISO")) or _partner(reporter_code, None, None)[0]
    cmd = str(record["cmdCode"]).strip()
    total = cmd.upper() == "TOTAL"
    if not total and not cmd.isdigit():
        raise ValueError(f"cmdCode {cmd!r} is not an HS code")
    value = float(record["primaryValue"])
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"primaryValue {value} is not a non-negative dollar value")
    month = int(record.get("refMonth") or 0)
    unit = record.get("qtyUnitAbbr")
    qty = None if unit in (None, "", "N/A") else record.get("qty")
    return dict(  # noqa: C408  (the row's columns, read as keyword arguments)
        reporter=reporter,
        partner=partner,
        partner_code=str(partner_code),
        partner_name=name,
        partner_kind=kind,
        flow=flow,
        basis=basis,
        year=int(record["refYear"]),
        month=month if 1 <= month <= 12 else None,
        classification="TOTAL" if total else "HS",
        commodity="" if total else cmd,
        level=0 if total else len(cmd),
        value_usd=value,
        duty_usd=None,
        quantity=None if qty is None else float(qty),
        unit=None if qty is None else unit,
        program="ALL",
    )


def parse_records(records: Sequence[Any], url: str, period: str) -> tuple[ColumnBuffer, list[str]]:
    """`trade_flows` rows from Comtrade records; every malformed record is reported, nothing half-parsed."""
    out = ColumnBuffer(TARGET)
    problems = Problems(url)
    seen: set[tuple[Any, ...]] = set()
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            problems.add(number, None, record, "not a JSON object", "the API answered malformed data")
            continue
        extra = [
            f
            for f, default in (("partner2Code", 0), ("motCode", 0), ("customsCode", "C00"))
            if record.get(f, default) not in (default, str(default), None)
        ]
        if extra:
            problems.warn(number, ",".join(extra), "a breakdown record (not the classic total); not loaded")
            continue
        try:
            row = record_row(record)
        except (KeyError, ValueError, TypeError) as exc:
            problems.add(number, None, None, f"malformed record: {exc}", "the API answered malformed data")
            continue
        got = f"{row['year']}{row['month']:02d}" if row["month"] else str(row["year"])
        if got != period:
            problems.add(number, "period", got, f"asked for {period}", "the API answered another period")
            continue
        key = (row["reporter"], row["partner_code"], row["flow"], row["commodity"])
        if key in seen:
            problems.add(number, None, str(key), "a repeated record", "the API answered duplicate records")
            continue
        seen.add(key)
        out.add(**row)
    problems.raise_if_any()
    return out, problems.warnings


def _fix(status: int) -> str:
    if status in (401, 403):
        return (
            f"check COMTRADE_API_KEY (see {KEY_HELP}); a 403 about quota means today's calls are used up, "
            "try again tomorrow"
        )
    if status == 404:
        return "check comtrade_base_url (NEARSHORE_COMTRADE_URL), e.g. https://comtradeapi.un.org"
    return (
        "check --reporter, --partner, --flow, --period and --level; the API's message names what it rejected"
    )


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
        response = self.http.get(self.url, params=query.params(period, self.cap), headers=self.headers)
        shown = self.http.scrub(str(response.request.url))
        try:
            envelope = json.loads(response.content or b"{}")
        except ValueError:
            raise FetchClientError(
                f"{shown}: the Comtrade API answered with something that is not JSON. "
                "Fix: check comtrade_base_url (NEARSHORE_COMTRADE_URL)",
                url=shown,
            ) from None
        if not isinstance(envelope, dict):
            raise FetchClientError(
                f"{shown}: not the Comtrade envelope (a JSON object with 'data')", url=shown
            )
        if envelope.get("error"):
            raise FetchClientError(
                f"{shown}: the Comtrade API answered an error: {envelope['error']}. Fix: {_fix(400)}",
                url=shown,
            )
        data = envelope.get("data") or []
        if not isinstance(data, list):
            raise FetchClientError(f"{shown}: 'data' is not a list of records", url=shown)
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
    own = client is None
    http = Http.from_settings(
        client or make_client(settings), settings, secrets=(key,), sleep=sleep, fix=_fix
    )
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
    try:
        return run_periods(store, NAME, vintage, periods, calls=lambda: http.calls, progress=progress)
    finally:
        if own:
            http.client.close()


def _fetch_period(
    store: Store, caller: _Caller, query: ComtradeQuery, period: str, origin: str, vintage: str
) -> PeriodResult:
    before = caller.http.calls
    bodies: list[bytes] = []
    records = caller.records(query, period, bodies)
    rows, warnings = parse_records(records, origin, period)
    return store_period(
        store,
        source=NAME,
        target=TARGET,
        period=period,
        origin=origin,
        vintage=vintage,
        rows=rows,
        bodies=bodies,
        warnings=warnings,
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
    "record_row",
]
