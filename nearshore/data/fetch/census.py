"""U.S. Census International Trade API (timeseries/intltrade): monthly U.S. trade by partner and HS level.

Endpoints `imports/hs` and `exports/hs`. Values are whole U.S. dollars, sent as strings:
general imports `GEN_VAL_MO`, imports for consumption `CON_VAL_MO` (with calculated duty `CAL_DUT_MO`),
total exports `ALL_VAL_MO`. Partners are Census Schedule C codes (`CTY_CODE`); the commodity level is
`COMM_LVL` (HS2, HS4, HS6, HS10); leaving the commodity out gives the all-commodity total. The wire
format is a JSON array of arrays, header row first; predicate variables (time, COMM_LVL, CTY_CODE...) are
echoed as extra columns; HTTP 204 with no body means the query is valid but has no data.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Final, Literal, cast, get_args

import httpx

from nearshore.data.batch import Batch, ColumnBuffer
from nearshore.data.fetch.http import Http, redact
from nearshore.data.fetch.runs import (
    FetchReport,
    Period,
    PeriodResult,
    Progress,
    checksum,
    month_range,
    remote_data_error,
    run_periods,
    run_vintage,
    store_period,
)
from nearshore.data.reference import resolve_partner
from nearshore.data.reference.countries import Partner
from nearshore.data.sources.base import Problems, digits, number
from nearshore.data.sources.census_api import api_partner
from nearshore.data.sources.checks import parse_json
from nearshore.data.store import Store
from nearshore.errors import ConfigError, FetchClientError, InputError, RemoteDataError, UnknownCodeError
from nearshore.settings import Settings

NAME: Final = "census-api"
TITLE: Final = "U.S. Census International Trade API: monthly U.S. imports/exports by partner and HS level"
TARGET: Final = "trade_flows"
# Since 12 May 2026 the Census Data API wants a key on every request; without one it redirects to an
# HTML "missing key" page, and with an invalid one it answers a page and the X-DataWebAPI-KeyError header.
KEY_ERROR_HEADER: Final = "X-DataWebAPI-KeyError"
KEY_SIGNUP: Final = "https://api.census.gov/data/key_signup.html"

CensusFlow = Literal["imports", "exports"]
CensusBasis = Literal["general", "consumption", "total"]
CensusLevel = Literal["HS2", "HS4", "HS6", "HS10", "TOTAL"]
FLOWS: Final = get_args(CensusFlow)
BASES: Final = get_args(CensusBasis)
LEVELS: Final = get_args(CensusLevel)

_VALUE_VAR: Final = {"general": "GEN_VAL_MO", "consumption": "CON_VAL_MO", "total": "ALL_VAL_MO"}
_DUTY_VAR: Final = "CAL_DUT_MO"


def _choice(option: str, value: str, allowed: Sequence[str]) -> str:
    if value not in allowed:
        raise InputError(f"{option} {value!r} is not allowed; use one of: {', '.join(allowed)}")
    return value


@dataclass(frozen=True)
class CensusQuery:
    """One Census run: flow and basis, HS level, partners (Census codes; empty = all) and months."""

    flow: CensusFlow
    basis: CensusBasis
    level: CensusLevel
    months: tuple[tuple[int, int], ...]
    partners: tuple[Partner, ...] = ()
    duty: bool = False
    commodity: str = ""

    @classmethod
    def build(
        cls,
        *,
        flow: str,
        level: str = "TOTAL",
        first: str,
        last: str | None = None,
        partners: Sequence[str] = (),
        basis: str | None = None,
        duty: bool = False,
        commodity: str = "",
    ) -> CensusQuery:
        """Validate what a user typed; every error lists the allowed values."""
        flow = _choice("--flow", flow, FLOWS)
        level = _choice("--level", level.upper(), LEVELS)
        basis = basis or ("general" if flow == "imports" else "total")
        allowed = ("general", "consumption") if flow == "imports" else ("total",)
        basis = _choice(f"--basis (for {flow})", basis, allowed)
        if duty and basis != "consumption":
            raise InputError(
                "--duty needs --basis consumption: Census calculates duty on imports for "
                "consumption (CAL_DUT_MO), not on general imports or exports"
            )
        commodity = commodity.strip()
        if commodity and (not digits(commodity) or level == "TOTAL" or len(commodity) != int(level[2:])):
            raise InputError(
                f"--commodity {commodity!r} must be an HS code with as many digits as --level "
                f"{level} (e.g. --level HS4 --commodity 8703)"
            )
        resolved: list[Partner] = []
        for text in partners:
            if not text.strip():
                continue
            partner = resolve_partner(text)
            if partner.census_code in {p.census_code for p in resolved}:
                continue
            resolved.append(partner)
        return cls(
            cast(CensusFlow, flow),
            cast(CensusBasis, basis),
            cast(CensusLevel, level),
            tuple(month_range(first, last or first)),
            tuple(resolved),
            duty,
            commodity,
        )

    @property
    def endpoint(self) -> str:
        return f"{self.flow}/hs"

    @property
    def value_var(self) -> str:
        return _VALUE_VAR[self.basis]

    @property
    def commodity_var(self) -> str:
        return "I_COMMODITY" if self.flow == "imports" else "E_COMMODITY"

    def get_vars(self) -> list[str]:
        names = ["CTY_CODE", "CTY_NAME"]
        if self.level != "TOTAL":
            names.append(self.commodity_var)
        names.append(self.value_var)
        if self.duty:
            names.append(_DUTY_VAR)
        return names

    def params(self, month: tuple[int, int], partner: Partner | None) -> list[tuple[str, str]]:
        """Query parameters of one call, without the key."""
        out = [("get", ",".join(self.get_vars())), ("time", f"{month[0]:04d}-{month[1]:02d}")]
        if self.level != "TOTAL":
            out.append(("COMM_LVL", self.level))
        if self.commodity:
            out.append((self.commodity_var, self.commodity))
        if partner is not None:
            out.append(("CTY_CODE", partner.census_code))
        return out

    def origin(self, base_url: str, month: tuple[int, int]) -> str:
        """The month's query as one URL (partners comma-joined, no key): the load's provenance and id."""
        params = self.params(month, None)
        if self.partners:
            params.append(("CTY_CODE", ",".join(p.census_code for p in self.partners)))
        return str(httpx.URL(f"{base_url}/{self.endpoint}", params=params))


_MALFORMED: Final = "the API answered malformed data; try again later"
_OTHER_MONTH: Final = "the API answered another month; try again later"


def _number(problems: Problems, row: int, column: str, cell: Any) -> float | None:
    text = "" if cell is None or isinstance(cell, (list, dict)) else str(cell)
    return number(problems, row, column, text, fix=_MALFORMED)


def _fix(status: int) -> str:
    if status in (401, 403) or 300 <= status < 400:
        return f"check CENSUS_API_KEY (get a key at {KEY_SIGNUP} and activate it from the e-mail)"
    if status == 404:
        return "check census_base_url (NEARSHORE_CENSUS_URL); it should end in /data/timeseries/intltrade"
    return "check --flow, --basis, --level, --partner and --commodity; the API's message names what it rejected"


def decode(body: bytes, url: str) -> list[list[Any]] | None:
    """The wire format (a JSON array of arrays, header row first) from a body; None for an empty body (204)."""
    if not body.strip():
        return None
    try:
        data = parse_json(body)
    except ValueError as exc:
        text = body.decode("utf-8", errors="replace").strip()
        snippet = redact(text[:200])
        if text[:1] in "[{":
            raise RemoteDataError(
                f"{url}: the Census API answered malformed JSON ({exc}). Fix: try again later", url=url
            ) from None
        if "invalid key" in text.lower():
            raise FetchClientError(
                f"{url}: the Census API rejected the key ({snippet!r}). Fix: check CENSUS_API_KEY; "
                f"get a key at {KEY_SIGNUP} and activate it from the e-mail",
                url=url,
            ) from None
        raise FetchClientError(
            f"{url}: the Census API answered with something that is not JSON ({snippet!r}). "
            "Fix: check census_base_url (NEARSHORE_CENSUS_URL) and CENSUS_API_KEY",
            url=url,
        ) from None
    return wire_rows(data, url)


def wire_rows(data: Any, url: str) -> list[list[Any]]:
    """`data` if it is an array of arrays with a header row of names first; else a RemoteDataError."""
    if (
        not isinstance(data, list)
        or not data
        or not all(isinstance(r, list) for r in data)
        or not all(isinstance(h, str) for h in data[0])
    ):
        raise RemoteDataError(
            f"{url}: not the Census wire format (a JSON array of arrays with a header row first). "
            "Fix: try again later; if it persists, check census_base_url (NEARSHORE_CENSUS_URL)",
            url=url,
        )
    return data


def parse_response(body: bytes, query: CensusQuery, month: tuple[int, int], url: str) -> tuple[ColumnBuffer, list[str]]:
    """Rows for `trade_flows` from one Census response body (empty body: no rows) and any warnings."""
    data = decode(body, url)
    return parse_rows(data, query, month, url) if data is not None else (ColumnBuffer(TARGET), [])


def parse_rows(
    data: list[list[Any]], query: CensusQuery, month: tuple[int, int], url: str
) -> tuple[ColumnBuffer, list[str]]:
    """Rows for `trade_flows` from one answer in the wire format; every bad row is listed in one
    RemoteDataError and nothing of the month is kept."""
    out = ColumnBuffer(TARGET)
    problems = Problems(url)
    index = _columns(data[0], query, url)
    seen: set[tuple[str, str]] = set()
    for lineno, cells in enumerate(data[1:], start=2):
        row = _row(problems, lineno, cells, index, query, month, seen)
        if row is not None:
            out.add(**row)
    if problems.items:
        raise remote_data_error(problems, f"{month[0]:04d}-{month[1]:02d}")
    return out, problems.warnings


def _columns(header: list[str], query: CensusQuery, url: str) -> dict[str, int]:
    """Column positions by name (predicates echoed again at the end: the first copy wins)."""
    index: dict[str, int] = {}
    for position, name in enumerate(header):
        index.setdefault(name, position)
    needed = ["CTY_CODE", query.value_var]
    if query.level != "TOTAL":
        needed.append(query.commodity_var)
    if query.duty:
        needed.append(_DUTY_VAR)
    missing = [n for n in needed if n not in index]
    if missing:
        raise RemoteDataError(
            f"{url}: the header {','.join(header)[:200]!r} lacks {missing}. Fix: check census_base_url; the API "
            "did not answer the query that was sent",
            url=url,
        )
    index["_width"] = len(header)
    return index


def _row(
    problems: Problems,
    lineno: int,
    cells: list[Any],
    index: dict[str, int],
    query: CensusQuery,
    month: tuple[int, int],
    seen: set[tuple[str, str]],
) -> dict[str, Any] | None:
    """One answer row as a `trade_flows` row, or None (a problem or a warning says why)."""
    if len(cells) != index["_width"]:
        problems.add(lineno, None, len(cells), f"row has {len(cells)} cells, the header {index['_width']}", _MALFORMED)
        return None
    wanted_time = f"{month[0]:04d}-{month[1]:02d}"
    if "time" in index and cells[index["time"]] != wanted_time:
        problems.add(lineno, "time", cells[index["time"]], f"asked for {wanted_time}", _OTHER_MONTH)
        return None
    partner = _partner(problems, lineno, cells[index["CTY_CODE"]])
    commodity = _commodity(problems, lineno, cells, index, query)
    if partner is None or commodity is None:
        return None
    if (partner.census_code, commodity) in seen:
        problems.add(
            lineno,
            "CTY_CODE",
            partner.census_code,
            f"partner and commodity {commodity or 'total'} repeat",
            "the API answered duplicate rows; try again later",
        )
        return None
    seen.add((partner.census_code, commodity))
    value = _number(problems, lineno, query.value_var, cells[index[query.value_var]])
    duty = _number(problems, lineno, _DUTY_VAR, cells[index[_DUTY_VAR]]) if query.duty else None
    if value is None or (query.duty and duty is None):
        return None
    return {
        "reporter": "USA",
        **partner.columns(),
        "flow": query.flow,
        "basis": query.basis,
        "year": month[0],
        "month": month[1],
        "classification": "HS" if commodity else "TOTAL",
        "commodity": commodity,
        "level": len(commodity),
        "value_usd": value,
        "duty_usd": duty,
        "program": "ALL",
    }


def _partner(problems: Problems, lineno: int, cell: Any) -> Partner | None:
    code = str(cell).strip()
    try:
        partner = api_partner(code)
    except UnknownCodeError:
        partner, why = None, "is not in the reference tables"
    else:
        why = "is an API grouping the store does not hold (see census_api)"
    if partner is None:
        problems.warn(lineno, "CTY_CODE", f"partner code {code!r} {why}; row not loaded")
    return partner


def _commodity(
    problems: Problems, lineno: int, cells: list[Any], index: dict[str, int], query: CensusQuery
) -> str | None:
    """The HS code of the row ('' for the all-commodity total), or None after a problem."""
    if query.level == "TOTAL":
        return ""
    commodity = str(cells[index[query.commodity_var]]).strip()
    if not digits(commodity) or len(commodity) != int(query.level[2:]):
        problems.add(
            lineno, query.commodity_var, commodity, f"not a {query.level} code", "the API answered another level"
        )
        return None
    return commodity


def _fetch_month(
    store: Store,
    http: Http,
    query: CensusQuery,
    month: tuple[int, int],
    *,
    base: str,
    key: str,
    origin: str,
    vintage: str,
) -> PeriodResult:
    url = f"{base}/{query.endpoint}"
    calls_before = http.calls
    rows = ColumnBuffer(TARGET)
    warnings: list[str] = []
    bodies: list[bytes] = []
    for partner in query.partners or (None,):
        params = [*query.params(month, partner), ("key", key)]
        answer = http.get_json(url, params=params)
        response, shown = answer.response, answer.shown
        if KEY_ERROR_HEADER in response.headers:
            raise FetchClientError(
                f"{shown}: the Census API rejected the key ({KEY_ERROR_HEADER}: "
                f"{http.scrub(response.headers[KEY_ERROR_HEADER])}). Fix: {_fix(401)}",
                url=shown,
                status=response.status_code,
            )
        bodies.append(response.content)
        data = decode(response.content, shown) if answer.data is None else wire_rows(answer.data, shown)
        part, notes = parse_rows(data, query, month, shown) if data is not None else (ColumnBuffer(TARGET), [])
        warnings.extend(notes)
        for name in rows.names:
            rows.columns[name].extend(part.columns[name])
    batch = Batch.from_columns(
        source=NAME,
        target=TARGET,
        origin=origin,
        checksum=checksum(bodies),
        vintage=vintage,
        columns=rows.columns,
        warnings=warnings,
    )
    return store_period(
        store,
        batch,
        period=f"{month[0]:04d}-{month[1]:02d}",
        calls=http.calls - calls_before,
        empty="no data (HTTP 204): not released yet, or no trade",
    )


def fetch(
    store: Store,
    query: CensusQuery,
    *,
    vintage: str | None = None,
    settings: Settings | None = None,
    client: httpx.Client | None = None,
    sleep: Callable[[float], None] = time.sleep,
    progress: Progress | None = None,
    today: date | None = None,
) -> FetchReport:
    """Fetch the query month by month, one load per month; months stored at this vintage are skipped.

    A month that keeps failing (429/5xx/timeouts after the retries) is reported as failed and the run
    goes on; the next run fetches it. A refused request (4xx) stops the run with FetchClientError.
    """
    settings = settings or Settings.load()
    base = settings.get("census_base_url").rstrip("/")
    key = settings.get("census_api_key").strip()
    vintage = run_vintage(vintage, today)
    if not key:
        raise ConfigError(
            "the Census API needs a key on every request (since 12 May 2026) and CENSUS_API_KEY is not set. "
            f"Get a free key at {KEY_SIGNUP}, activate it from the e-mail, then set CENSUS_API_KEY"
        )
    with Http.session(client, settings, secrets=(key,), sleep=sleep, fix=_fix) as http:
        periods = [
            Period(
                f"{month[0]:04d}-{month[1]:02d}",
                query.origin(base, month),
                functools.partial(
                    _fetch_month,
                    store,
                    http,
                    query,
                    month,
                    base=base,
                    key=key,
                    origin=query.origin(base, month),
                    vintage=vintage,
                ),
            )
            for month in query.months
        ]
        return run_periods(store, NAME, vintage, periods, calls=lambda: http.calls, progress=progress)


__all__ = ["BASES", "FLOWS", "LEVELS", "NAME", "TITLE", "CensusQuery", "fetch", "parse_response"]
