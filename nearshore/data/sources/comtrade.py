"""UN Comtrade goods trade records (reporter x partner x HS code), from CSV or the API's JSON.

Layouts:
- the API's records, as JSON `{"data": [{...}, ...]}` (comtradeapi.un.org `data/v1/get/C/{A|M}/HS`, also the
  keyless `public/v1/preview/...`) or as CSV with the same column names: reporterCode/reporterISO,
  partnerCode, flowCode (M, X), period / refYear / refMonth (52 = annual), classificationCode, cmdCode,
  primaryValue (USD), qty, qtyUnitAbbr; see `record_row`;
- the legacy extract `world_trade.csv` (year, section, SA_4, imp_exp 1=import 2=export, partner_code M49,
  tradevalue USD), reported by Mexico.
Partners are M49 codes (`m49_area`); World (0) rows are kept as partner_kind 'world'. Imports are stored with
basis 'general', exports 'total' (Comtrade's general trade system figures).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pycountry

from nearshore.data.batch import Batch, ColumnBuffer, file_checksum
from nearshore.data.reference.hs import hs_section
from nearshore.data.reference.m49 import Area, m49_area
from nearshore.data.sources import checks
from nearshore.data.sources.base import Problems, digits, number, require_columns
from nearshore.data.sources.checks import (
    CodeCache,
    Newest,
    finish_batch,
    full_width,
    integer,
    read_json,
    read_table,
)
from nearshore.data.store import LoadReport, Store
from nearshore.errors import Problem, SourceFormatError, UnknownCodeError

NAME = "comtrade"
TITLE = "UN Comtrade records by reporter, partner and HS code (API JSON/CSV, legacy world_trade.csv)"
TARGET = "trade_flows"

FIRST_YEAR = 1962
LEGACY_COLUMNS = ("year", "section", "SA_4", "imp_exp", "partner_code", "tradevalue")
LEGACY_REPORTER = "MEX"
API_COLUMNS = ("partnerCode", "flowCode", "cmdCode", "primaryValue")
FLOWS = {"M": ("imports", "general"), "X": ("exports", "total")}
LEGACY_FLOWS = {"1": "M", "2": "X"}
# Breakdowns other than these totals would repeat the same figure under one store key.
TOTAL_BREAKDOWNS = {"partner2Code": ("0", ""), "motCode": ("0", ""), "customsCode": ("C00", "")}


def parse(path: Path, *, vintage: str | None = None) -> Batch:
    problems = Problems(str(path))
    legacy = False
    if path.suffix.lower() == ".json":
        records = _json_records(path)
    else:
        header, rows = read_table(path)
        legacy = "SA_4" in header or "imp_exp" in header
        if legacy:
            records = _legacy_records(path, header, rows, problems)
        else:
            require_columns(path, header, API_COLUMNS, "Comtrade records (API column names)")
            records = (
                (n, dict(zip(header, cells, strict=True)))
                for n, cells in rows
                if full_width(problems, header, n, cells)
            )
    return from_records(
        records,
        origin=str(path),
        checksum=file_checksum(path),
        vintage=vintage,
        problems=problems,
        incomplete_world=legacy,
    )


def from_records(
    records: Iterable[tuple[int, Mapping[str, Any]]],
    *,
    origin: str,
    checksum: str,
    vintage: str | None,
    source: str = NAME,
    problems: Problems | None = None,
    incomplete_world: bool = False,
    period: str | None = None,
    empty_ok: bool = False,
) -> Batch:
    """A `trade_flows` Batch from numbered Comtrade API records (e.g. an API response's `data` list).

    For one API answer: `period` ('2021' or '202103') makes a record of any other period a problem, and
    `empty_ok` returns an empty Batch where no record is stored (no trade) instead of a problem.
    Raises ValidationFailed listing every bad record; nothing partial is returned.
    """
    problems = problems or Problems(origin)
    out = ColumnBuffer(TARGET)
    seen: dict[tuple[Any, ...], int] = {}
    areas: CodeCache = CodeCache(m49_area)
    skipped: dict[str, int] = {}
    newest = Newest()
    world = 0
    for lineno, record in records:
        row = record_row(problems, lineno, record, areas, skipped)
        if row is None:
            continue
        got = f"{row['year']}{row['month']:02d}" if row["month"] else str(row["year"])
        if period is not None and got != period:
            problems.add(lineno, "period", got, f"asked for {period}", "the API answered another period")
            continue
        key = (row["reporter"], row["partner_code"], row["flow"], row["year"], row["month"], row["commodity"])
        if key in seen:
            problems.add(
                lineno,
                "partnerCode",
                row["partner_code"],
                f"duplicate record for {key} (first at row {seen[key]})",
                "remove the duplicate",
            )
            continue
        seen[key] = lineno
        newest.see(row["year"], row["month"], lineno, "period")
        world += row["partner_kind"] == "world"
        out.add(**row)
    if not len(out) and not problems.items and not empty_ok:
        problems.add(None, None, None, "no data records", "download the file again")
    for reason, count in sorted(skipped.items()):
        problems.warn(None, None, f"{count} records not stored: {reason}")
    if world and incomplete_world:
        problems.warn(
            None,
            None,
            f"{world} World (partner 0) rows stored with partner_kind 'world'; this extract's "
            "World rows are incomplete: never use them as totals, sum the partner rows",
        )
    return finish_batch(
        problems,
        out.columns,
        source=source,
        target=TARGET,
        origin=origin,
        checksum=checksum,
        vintage=vintage,
        newest=newest,
        reason="the newest data period",
    )


def _json_records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    document = read_json(path)
    data = document.get("data") if isinstance(document, dict) else None
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise SourceFormatError(
            Problem(
                str(path),
                None,
                "data",
                None,
                'wrong layout: a Comtrade API response is an object with a "data" array of records',
                "save the API response body unchanged",
            )
        )
    return ((n, r) for n, r in enumerate(data, start=1))


def _legacy_records(
    path: Path, header: list[str], rows: Iterable[tuple[int, list[str]]], problems: Problems
) -> Iterator[tuple[int, dict[str, Any]]]:
    """The world_trade.csv extract, restated as API records (its codes are checked on the way)."""
    index = require_columns(path, header, LEGACY_COLUMNS, "the Comtrade world_trade.csv extract")
    for lineno, cells in rows:
        if not full_width(problems, header, lineno, cells):
            continue
        code = cells[index["SA_4"]].strip()
        section = cells[index["section"]].strip()
        try:
            expected = hs_section(code).number
        except UnknownCodeError as exc:
            problems.add(lineno, "SA_4", code, str(exc).split(":")[0])
            continue
        if section != str(expected):
            problems.add(
                lineno,
                "section",
                section,
                f"HS code {code} is in section {expected}",
                "the row is mis-aligned; download the file again",
            )
            continue
        flow = cells[index["imp_exp"]].strip()
        yield (
            lineno,
            {
                "reporterISO": LEGACY_REPORTER,
                "refYear": cells[index["year"]],
                "classificationCode": "H0",
                "flowCode": LEGACY_FLOWS.get(flow, f"imp_exp={flow}"),
                "cmdCode": code,
                "partnerCode": cells[index["partner_code"]],
                "primaryValue": cells[index["tradevalue"]],
            },
        )


def _text(record: Mapping[str, Any], name: str) -> str:
    value = record.get(name)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _ascii(code: str) -> str:
    """A code as given when it is ASCII; otherwise the code with its characters escaped, so that the lookup
    refuses it (int() would read Arabic-Indic or fullwidth digits as a valid M49 code)."""
    return code if code.isascii() else code.encode("ascii", "backslashreplace").decode()


def record_row(
    problems: Problems, lineno: int, record: Mapping[str, Any], areas: CodeCache, skipped: dict[str, int]
) -> dict[str, Any] | None:
    """One Comtrade API record as a `trade_flows` row (without store columns), or None.

    Problems (bad codes, values) are recorded in `problems`; records that are valid but not stored
    (re-exports, breakdowns by transport mode or customs procedure) are counted in `skipped`.
    """
    flow_code = _text(record, "flowCode")
    reason = _skip_reason(record, flow_code)
    if reason is not None:
        skipped[reason] = skipped.get(reason, 0) + 1
        return None
    if flow_code not in FLOWS:
        problems.add(
            lineno,
            "flowCode",
            flow_code,
            "not a trade flow code",
            "use M (imports) or X (exports); imp_exp 1 or 2 in world_trade.csv",
        )
    reporter = _reporter_area(problems, lineno, record, areas)
    partner = areas.get(
        problems,
        lineno,
        "partnerCode",
        _ascii(_text(record, "partnerCode")),
        "use a UN M49 numeric code, e.g. 842 for the USA",
    )
    year, month = _period(problems, lineno, record)
    commodity, classification = _commodity(problems, lineno, record)
    value = number(problems, lineno, "primaryValue", _text(record, "primaryValue"))
    qty, unit = _quantity(problems, lineno, record)
    if (
        flow_code not in FLOWS
        or reporter is None
        or partner is None
        or year is None
        or commodity is None
        or value is None
    ):
        return None
    flow, basis = FLOWS[flow_code]
    return {
        "reporter": reporter.id,
        **partner.columns(),
        "flow": flow,
        "basis": basis,
        "year": year,
        "month": month,
        "classification": classification,
        "commodity": commodity,
        "level": len(commodity or ""),
        "value_usd": value,
        "quantity": qty,
        "unit": unit if qty is not None and unit else None,
        "program": "ALL",
    }


def _skip_reason(record: Mapping[str, Any], flow_code: str) -> str | None:
    """Why a valid record is not stored (a re-import/re-export, or a breakdown other than the total), or None."""
    if flow_code in ("RM", "RX", "DX", "FM"):
        return f"flow {flow_code} (re-imports/re-exports are not stored)"
    for field, totals in TOTAL_BREAKDOWNS.items():
        if _text(record, field) not in totals:
            return f"{field} other than {totals[0]} (breakdowns are not stored)"
    return None


def _quantity(problems: Problems, lineno: int, record: Mapping[str, Any]) -> tuple[float | None, str]:
    """The record's quantity (None when it has none) and its unit as given."""
    quantity = _text(record, "qty")
    unit = _text(record, "qtyUnitAbbr")
    qty = None
    # No quantity: qty -1, or the API's unit N/A (qtyUnitCode -1) with a placeholder qty of 0.
    if quantity not in ("", "-1") and unit != "N/A" and _text(record, "qtyUnitCode") != "-1":
        qty = number(problems, lineno, "qty", quantity)
    return qty, unit


def _reporter_area(problems: Problems, lineno: int, record: Mapping[str, Any], areas: CodeCache) -> Area | None:
    code = _ascii(_text(record, "reporterCode"))
    if code:
        area: Area | None = areas.get(problems, lineno, "reporterCode", code, "use a UN M49 numeric code")
        return area
    iso = _text(record, "reporterISO").upper()
    country = pycountry.countries.get(alpha_3=iso) if len(iso) == 3 and iso.isalpha() else None
    if country is not None:
        return Area(country.numeric.lstrip("0"), iso, country.name, "country")
    problems.add(
        lineno,
        "reporterCode",
        iso or None,
        "no reporter: neither reporterCode nor reporterISO",
        "keep the reporterCode column in the export",
    )
    return None


def _period(problems: Problems, lineno: int, record: Mapping[str, Any]) -> tuple[int | None, int | None]:
    period = _text(record, "period")
    year_text = _text(record, "refYear") or period[:4]
    year = checks.year(problems, lineno, "refYear", year_text, FIRST_YEAR, "UN Comtrade's data start")
    month_text = _text(record, "refMonth") or (period[4:] if len(period) == 6 else "")
    if month_text in ("", "52"):  # 52 = the whole year
        return year, None
    return year, integer(problems, lineno, "refMonth", month_text, 1, 12)


def _commodity(problems: Problems, lineno: int, record: Mapping[str, Any]) -> tuple[str | None, str]:
    code = _text(record, "cmdCode")
    classification = _text(record, "classificationCode") or "HS"
    if code.upper() == "TOTAL":
        return "", "TOTAL"
    if not (classification.startswith("H") and digits(code) and len(code) in (2, 4, 6)):
        problems.add(
            lineno,
            "cmdCode",
            code,
            f"not an HS code of 2, 4 or 6 digits ({classification})",
            "request an HS classification (H0-H6 or HS); other classifications are not stored",
        )
        return None, "HS"
    level = _text(record, "aggrLevel")
    if level and level != str(len(code)):
        problems.add(
            lineno,
            "aggrLevel",
            level,
            f"does not match the {len(code)}-digit cmdCode {code}",
            "the record is inconsistent; download it again",
        )
        return None, "HS"
    return code, "HS"


def load(store: Store, path: Path, *, vintage: str | None = None) -> LoadReport:
    return store.load(parse(path, vintage=vintage))


__all__ = ["NAME", "TARGET", "TITLE", "from_records", "load", "parse", "record_row"]
