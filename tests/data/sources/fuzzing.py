"""Adversarial inputs for every file source: a small valid seed file per layout, the edits an adversarial user
(or a broken download) makes to it, and the oracle every load must satisfy.

The oracle: a load either succeeds with finite figures and no year after this one, or it is refused with a
NearshoreError whose exit code is 2-6 and whose message names the file; after a refused load the store file is
byte for byte what it was. Anything else (a traceback, a wrong exit code, an unlocated message, NaN stored, a
changed store) is a failure. Used by test_fuzz.py (hypothesis, a fixed budget) and scripts/fuzz_sources.py (long
campaigns over the official files).
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import hashlib
import io
import json
import random
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

from nearshore.data.sources import census_duties, dataweb, hts, load_file
from nearshore.data.store import Store
from nearshore.errors import NearshoreError

DATA = Path(__file__).resolve().parent
MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")

# Cells an adversarial user types: signs, zero, years out of range or fractional, other digit scripts,
# separators Python's float takes, huge and non-finite numbers, quotes, control and wide characters.
NASTY = (
    "",
    " ",
    "-5",
    "0",
    "-0",
    "1899",
    "2101",
    "2022.7",
    "\u0662\u0660\u0662\u0662",  # Arabic-Indic 2022
    "\u00b2\u2070\u00b2\u00b2",  # superscript 2022
    "\uff12\uff10\uff12\uff12",  # fullwidth 2022
    "1_000",
    "12,3,4",
    "1e308",
    "1e999",
    "-1e308",
    "nan",
    "inf",
    "Infinity",
    "0x1F",
    "9" * 400,
    '"',
    "a,b",
    "\u202e123",
    "\x07",
    "99999",
    "13",
    "01.01",
    "0101.21.00.10",
    "[]",
    "{}",
    "null",
)

Kind = Literal["truncate", "delete_line", "duplicate_line", "swap_columns", "cell", "insert", "flip", "json"]
KINDS: tuple[Kind, ...] = (
    "truncate",
    "delete_line",
    "duplicate_line",
    "swap_columns",
    "cell",
    "insert",
    "flip",
    "json",
)
# Edits made to the bytes of a rendered (binary) file rather than to its table.
BYTE_EDITS = ("truncate", "flip")


@dataclass(frozen=True)
class Edit:
    """One mutation: its kind, two positions in [0, 1) scaled to the file, and a text to put in."""

    kind: Kind
    at: float
    other: float = 0.0
    text: str = ""


@dataclass(frozen=True)
class Seed:
    """A valid file of one source layout, its name (some sources read the period or revision from it).

    For a binary layout (`render` given), `data` is the table as CSV: edits are made to it, then `render` turns
    it into the file; cuts and flipped bits are made to the rendered bytes.
    """

    source: str
    name: str
    data: bytes
    vintage: str | None = None
    label: str = ""
    render: Callable[[bytes], bytes] | None = None

    def file(self, edits: Sequence[Edit] = ()) -> bytes:
        """The file's bytes after `edits`."""
        if self.render is None:
            data = self.data
            for edit in edits:
                data = apply(data, edit)
            return data
        text = [e for e in edits if e.kind not in BYTE_EDITS]
        data = self.data
        for edit in text:
            data = apply(data, edit)
        data = self.render(data)
        for edit in edits:
            if edit.kind in BYTE_EDITS:
                data = apply(data, edit)
        return data

    @property
    def id(self) -> str:
        return self.label or f"{self.source}:{self.name}"


Result = Literal["loaded", "refused", "crash", "changed"]


@dataclass
class Outcome:
    result: Result
    message: str = ""


@dataclass
class Tally:
    """Counts of a campaign, per result."""

    counts: dict[str, int] = field(default_factory=dict)
    failures: list[tuple[str, str]] = field(default_factory=list)

    def add(self, seed: Seed, result: str, message: str = "") -> None:
        self.counts[result] = self.counts.get(result, 0) + 1
        if result not in ("loaded", "refused") and len(self.failures) < 50:
            self.failures.append((seed.id, message[:400]))


# -- seeds -------------------------------------------------------------------------------------------


def _csv(rows: Sequence[Sequence[object]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


def _census_country() -> bytes:
    header: list[object] = ["year", "CTY_CODE", "CTYNAME", *(f"I{m}" for m in MONTHS), "IYR"]
    header += [*(f"E{m}" for m in MONTHS), "EYR"]
    rows: list[list[object]] = [header]
    for year in (2023, 2024):
        for code, name, base in (("2010", "Mexico", 40000.1), ("1220", "Canada", 35000.2), ("5700", "China", 38000.3)):
            imports = [round(base + m, 1) for m in range(12)]
            exports = [round(base / 2 + m, 1) for m in range(12)]
            rows.append([year, code, name, *imports, round(sum(imports), 1), *exports, round(sum(exports), 1)])
    return _csv(rows)


def _census_duties() -> bytes:
    rows: list[list[object]] = [[*census_duties.CSV_COLUMNS, "effective_rate"]]
    for month in (1, 2, 3):
        for iso, code, duty, value in (("MEX", "2010", 114608442, 42195426518), ("CAN", "1220", 42259879, 38990368429)):
            rows.append(
                [2024, month, iso, code, duty + month, value + month, round((duty + month) / (value + month), 5)]
            )
    return _csv(rows)


def _dataweb_monthly() -> bytes:
    rows: list[list[object]] = [list(dataweb.MONTHLY_COLUMNS)]
    for code10, code, total, claimed in (
        ("0101210010", "1220", 1000, 500),
        ("8703230190", "2010", 250000, 250000),
        ("8708995800", "2010", 12345, 0),
        ("0101210010", "2010", 0, 0),
    ):
        rows.append([code10, code, repr(claimed / total if total else 0.0), total, claimed])
    return _csv(rows)


def _dataweb_annual() -> bytes:
    return _csv([["hts10", "cty_code", "usmca_share"], ["0101210010", "1220", "0.5"], ["8703230190", "2010", "1.0"]])


def _legacy_comtrade() -> bytes:
    rows: list[list[object]] = [["year", "section", "SA_4", "imp_exp", "partner_code", "tradevalue"]]
    rows += [
        [2021, 17, "8703", 2, 842, 28319000000],
        [2021, 17, "8703", 1, 842, 2650310000],
        [2020, 1, "0101", 1, 124, 14442300],
    ]
    return _csv(rows)


def _comtrade_csv() -> bytes:
    records = json.loads((DATA / "comtrade_api.json").read_text())["data"]
    names = ["reporterCode", "partnerCode", "flowCode", "period", "refYear", "refMonth", "classificationCode"]
    names += ["cmdCode", "aggrLevel", "primaryValue", "qty", "qtyUnitAbbr", "qtyUnitCode", "partner2Code", "motCode"]
    names += ["customsCode"]
    return _csv([names] + [[r.get(n, "") for n in names] for r in records])


HTS_HEADER = list(hts.CSV_COLUMNS)
HTS_LINES = [
    ["0101", "0", "Live horses, asses, mules and hinnies:", "", "", "", "", "", ""],
    ["", "1", "Horses:", "", "", "", "", "", ""],
    ["0101.21.00", "2", "Purebred breeding animals", "", "Free", "", "Free", "", ""],
    ["0101.21.00.10", "3", "Males", '["No."]', "", "", "", "", ""],
    ["0101.30.00", "1", "Asses", "", "6.8%", "Free (A+,AU,S)", "15%", "", ""],
    ["8703.23.01", "2", "Other", "", "2.5%", "Free (A+,S,SG)", "10%", "", ""],
    ["8703.23.01.90", "3", "Other", '["No."]', "", "", "", "", ""],
    ["9903.88.01", "1", "Articles of China, as provided", "", "", "", "", "", "The duty provided + 25%"],
]


def _hts_csv() -> bytes:
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows([HTS_HEADER, *HTS_LINES])
    return b"\xef\xbb\xbf" + out.getvalue().encode()


def _hts_json() -> bytes:
    fields = ["htsno", "indent", "description", "units", "general", "special", "other", "quotaQuantity"]
    fields.append("additionalDuties")
    items = []
    for line in HTS_LINES:
        item = dict(zip(fields, line, strict=True))
        item["units"] = json.loads(line[3]) if line[3] else []
        items.append(item)
    return json.dumps(items, indent=1).encode()


def census_hs2_rows() -> list[list[object]]:
    """A small census-hs2 file whose group rows equal the sums of its countries (Mexico in North America)."""
    rows: list[list[object]] = [["year", "month", "hs2", "cty_code", "cty_name", "gen_val_mo"]]
    countries = (("1220", "CANADA"), ("2010", "MEXICO"), ("5700", "CHINA"), ("2050", "GUATEMALA"))
    for month in ("01", "02"):
        for chapter in ("87", "99"):
            values = {code: 1000 * int(code) + int(month) * 7 + int(chapter) for code, _ in countries}
            values["5700"] = 0 if chapter == "99" else values["5700"]
            for code, name in countries:
                rows.append([2024, month, chapter, code, name, values[code]])
            groups = (
                ("-", "TOTAL FOR ALL COUNTRIES", sum(values.values())),
                ("0020", "USMCA (NAFTA)", values["1220"] + values["2010"]),
                ("1XXX", "NORTH AMERICA", values["1220"] + values["2010"]),
                ("2XXX", "CENTRAL AMERICA", values["2050"]),
                ("5XXX", "ASIA", values["5700"]),
                ("0003", "EUROPEAN UNION", 0),
            )
            rows += [[2024, month, chapter, code, name, value] for code, name, value in groups]
    return rows


def _export_table() -> bytes:
    return _csv(
        [
            ["Data Type", "Country", "Year", "HTS Number", "Description", "Quantity Description", "Customs Value"],
            ["Customs Value", "Mexico", 2024, "8504400000", "STATIC CONVERTERS", "Value for: number", 100],
            ["Customs Value", "Canada", 2024, "8504400000", "STATIC CONVERTERS", "Value for: number", 250.5],
            ["Customs Value", "Côte d`Ivoire", 2024, "8544420000", "CONDUCTORS", "Value for: kilograms", 7],
            ["Total: ", "", "", "", "", "", 357.5],
        ]
    )


def _number_or_text(cell: str) -> object:
    try:
        return float(cell)
    except ValueError:
        return cell


def render_workbook(table: bytes) -> bytes:
    """A DataWeb Query Export workbook whose value sheet is `table` (CSV); numbers become numeric cells."""
    import openpyxl

    book = openpyxl.Workbook()
    params = book.active
    params.title = "Query Parameters"
    params.append(("Trade Flow", "Imports For Consumption"))
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    sheet = book.create_sheet("Customs Value")
    text = ILLEGAL_CHARACTERS_RE.sub("?", table.decode("utf-8", "replace"))  # a workbook cannot hold them
    for line, row in enumerate(csv.reader(io.StringIO(text))):
        sheet.append([cell if line == 0 else _number_or_text(cell) for cell in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _parquet_table() -> bytes:
    from nearshore.data.batch import arrow_schema

    names = arrow_schema("trade_flows").names
    rows = [
        [
            *("USA", partner, code, name, "country", "imports", "general", "", 2024, month),
            *("TOTAL", "", 0, 1000.5 * month, "", "", "", "ALL"),
        ]
        for partner, code, name in (("MEX", "2010", "Mexico"), ("CAN", "1220", "Canada"))
        for month in (1, 2, 3)
    ]
    return _csv([names, *rows])


def render_parquet(table: bytes) -> bytes:
    """A trade-parquet file from `table` (CSV): each column cast to its store type where every cell allows it,
    kept as text otherwise (which the loader must refuse)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from nearshore.data.batch import arrow_schema

    rows = list(csv.reader(io.StringIO(table.decode("utf-8", "replace"))))
    header, body = (rows[0], rows[1:]) if rows else ([], [])
    types = {f.name: f.type for f in arrow_schema("trade_flows")}
    columns = {}
    for i, name in enumerate(dict.fromkeys(header)):
        kind = types.get(name, pa.string())
        cells = [row[i] if i < len(row) else None for row in body]
        if kind != pa.string():  # an empty number is a null; an empty text is '' (commodity '' = all)
            cells = [cell or None for cell in cells]
        column = pa.array(cells, pa.string())
        with contextlib.suppress(pa.ArrowInvalid, pa.ArrowNotImplementedError):  # kept as text
            column = column.cast(kind)
        columns[name] = column
    out = io.BytesIO()
    pq.write_table(pa.table(columns), out)
    return out.getvalue()


def seeds() -> list[Seed]:
    """One small valid file per layout of every file source."""
    return [
        Seed("census-country", "country.csv", _census_country()),
        Seed("census-duties", "duties.csv", _census_duties()),
        Seed("census-duties", "duties.json", (DATA / "census_duties_api.json").read_bytes()),
        Seed("census-hs2", "imports_hs2.csv", _csv(census_hs2_rows())),
        Seed("census-hs2", "imports_hs2.csv.gz", gzip.compress(_csv(census_hs2_rows()), mtime=0)),
        Seed("comtrade", "records.json", (DATA / "comtrade_api.json").read_bytes()),
        Seed("comtrade", "records.csv", _comtrade_csv()),
        Seed("comtrade", "world_trade.csv", _legacy_comtrade()),
        Seed("dataweb", "usmca_product_shares_2025_01.csv", _dataweb_monthly()),
        Seed("dataweb", "usmca_product_shares_2024.csv", _dataweb_annual()),
        Seed("hts", "hts_2025_basic_edition.csv", _hts_csv()),
        Seed("hts", "hts_2025_revision_1.json", _hts_json(), vintage="2025-02"),
        Seed("dataweb", "DataWeb-Query-Export.xlsx", _export_table(), vintage="2025-06", render=render_workbook),
        Seed("trade-parquet", "flows.parquet", _parquet_table(), vintage="2025-06", render=render_parquet),
    ]


# -- mutations ---------------------------------------------------------------------------------------


def _at(fraction: float, size: int) -> int:
    return min(int(fraction * size), max(size - 1, 0))


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True)


def _swap(line: bytes, a: float, b: float) -> bytes:
    cells = line.rstrip(b"\r\n").split(b",")
    i, j = _at(a, len(cells)), _at(b, len(cells))
    cells[i], cells[j] = cells[j], cells[i]
    return b",".join(cells) + line[len(line.rstrip(b"\r\n")) :]


def _cell(line: bytes, at: float, text: str) -> bytes:
    body = line.rstrip(b"\r\n")
    cells = body.split(b",")
    cells[_at(at, len(cells))] = text.encode()
    return b",".join(cells) + line[len(body) :]


def _json_edit(data: bytes, edit: Edit) -> bytes:
    """Deep nesting, a non-object item, or a value replaced, in a JSON document; other files get deep text."""
    try:
        document = json.loads(data)
    except (ValueError, RecursionError):
        return b"[" * 2000 + data
    if edit.at < 0.25:
        return b"[" * 100_000 + b"]" * 100_000
    items = document.get("data") if isinstance(document, dict) else document
    if not isinstance(items, list) or not items:
        return data
    i = _at(edit.other, len(items))
    if edit.at < 0.5:
        items[i] = random.Random(edit.text).choice([5, None, "x", [], [[1]], {"data": []}, 1e308])
    elif isinstance(items[i], dict):
        key = sorted(items[i])[_at(edit.other, len(items[i]))]
        items[i][key] = edit.text
    elif isinstance(items[i], list) and items[i]:
        items[i][_at(edit.other, len(items[i]))] = edit.text
    return json.dumps(document).encode()


def apply(data: bytes, edit: Edit) -> bytes:
    """`data` with one edit made (gzip files are edited inside and compressed again, unless flipped raw)."""
    if data[:2] == b"\x1f\x8b" and edit.kind not in ("flip", "truncate"):
        try:
            inner = gzip.decompress(data)
        except (OSError, EOFError, ValueError, zlib.error):  # an earlier edit broke the compression
            inner = None
        if inner is not None:
            return gzip.compress(apply(inner, edit), mtime=0)
    lines = _lines(data)
    n = _at(edit.at, len(lines))
    if edit.kind == "truncate":
        return data[: _at(edit.at, len(data))]
    if edit.kind == "delete_line" and len(lines) > 1:
        return b"".join(lines[:n] + lines[n + 1 :])
    if edit.kind == "duplicate_line":
        return b"".join(lines[: n + 1] + lines[n:])
    if edit.kind == "swap_columns":
        return b"".join(_swap(line, edit.other, edit.at * 7 % 1) for line in lines)
    if edit.kind == "cell" and lines:
        lines[n] = _cell(lines[n], edit.other, edit.text)
        return b"".join(lines)
    if edit.kind == "insert":
        at = _at(edit.other, len(data))
        return data[:at] + (edit.text.encode("latin-1", "replace") or b"\xe9") + data[at:]
    if edit.kind == "flip" and data:
        at = _at(edit.other, len(data))
        return data[:at] + bytes([data[at] ^ (1 << int(edit.at * 8))]) + data[at + 1 :]
    if edit.kind == "json":
        return _json_edit(data, edit)
    return data


def random_edits(rng: random.Random, count: int) -> list[Edit]:
    """Edits for the long campaigns (the tests draw them with hypothesis instead)."""
    return [
        Edit(
            rng.choice(KINDS),
            rng.random(),
            rng.random(),
            rng.choice(NASTY) if rng.random() < 0.8 else str(rng.random()),
        )
        for _ in range(count)
    ]


# -- the oracle --------------------------------------------------------------------------------------


def digest(path: Path) -> str:
    """The store file's bytes, with its write-ahead log when an open connection keeps one."""
    wal = path.with_name(path.name + ".wal")
    return hashlib.sha256(path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")).hexdigest()


def seeded_store(folder: Path, seed: Seed) -> Path:
    """A store file in `folder` holding the seed's own load (so a refused load has something to keep)."""
    folder.mkdir(parents=True, exist_ok=True)
    store_path = folder / "store.duckdb"
    original = folder / "seed" / seed.name
    original.parent.mkdir(exist_ok=True)
    original.write_bytes(seed.file())
    with Store(store_path) as store:
        load_file(store, seed.source, original, vintage=seed.vintage)
    return store_path


def attempt(seed: Seed, data: bytes, folder: Path, store_path: Path, store: Store | None = None) -> Outcome:
    """Load `data` as the seed's file into the store at `store_path` (through `store` when one is open there,
    else through a connection opened for this load) and judge what happened."""
    path = folder / seed.name
    path.write_bytes(data)
    before = digest(store_path)
    try:
        if store is None:
            with Store(store_path) as opened:
                load_file(opened, seed.source, path, vintage=seed.vintage)
        else:
            load_file(store, seed.source, path, vintage=seed.vintage)
    except NearshoreError as exc:
        message = str(exc)
        if digest(store_path) != before:
            return Outcome("changed", f"a refused load changed the store: {message}")
        if not 2 <= exc.exit_code <= 6:
            return Outcome("crash", f"exit code {exc.exit_code}: {message}")
        if str(path) not in message:
            return Outcome("crash", f"the message does not name the file: {message}")
        return Outcome("refused", message)
    except Exception as exc:  # the oracle's point: anything else is a crash
        return Outcome("crash", f"{type(exc).__name__}: {exc}"[:2000])
    if store is not None:
        return _judge_stored(store)
    with Store(store_path, read_only=True) as opened:
        return _judge_stored(opened)


def _judge_stored(store: Store) -> Outcome:
    """A load that succeeded must have stored finite figures and no year after this one."""
    bad = store.query(
        "SELECT count(*) FROM trade_flows WHERE NOT isfinite(value_usd) OR NOT isfinite(coalesce(duty_usd, 0)) "
        "OR NOT isfinite(coalesce(quantity, 0)) OR year > ? OR year < 1962",
        [date.today().year],
    ).scalar()
    shares = store.query("SELECT count(*) FROM program_shares WHERE NOT (share BETWEEN 0 AND 1)").scalar()
    if bad or shares:
        return Outcome("crash", f"stored {bad} non-finite or out-of-range figures and {shares} bad shares")
    return Outcome("loaded")
