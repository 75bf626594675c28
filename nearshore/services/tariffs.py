"""The U.S. tariff engine as services: duty on one entry, landed cost, batches, the rate panel and the
effective rate (the schedule and the policy file are in services/policy.py). Rows are at full precision;
terminal layouts live in nearshore/cli."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from nearshore import format as fmt
from nearshore.data.query.provenance import Provenance
from nearshore.errors import InputError
from nearshore.services.base import Context, Result, columns, service
from nearshore.services.fields import Request, arg, opt

if TYPE_CHECKING:
    from nearshore.services.columnar import TableRows
    from nearshore.tariffs.batch import BatchResult
    from nearshore.tariffs.entries import Entries

REVISION = opt("HTS revision to use (default: the newest loaded).", "--revision")
DATE = opt("Date of entry, YYYY-MM-DD.", "--date")
SOURCES = ("hts", "tariff policy")


def day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"--date {text!r} is not a date; write it as YYYY-MM-DD, e.g. 2025-06-01") from None


def provenance(revision: str, policy_version: str) -> Provenance:
    return Provenance(SOURCES, (f"HTS {revision}", f"policy {policy_version}"))


@dataclass(frozen=True, kw_only=True)
class DutyRequest(Request):
    hts: Annotated[str, opt("HTS code, 8 or 10 digits, with or without dots.", "--hts")]
    origin: Annotated[str, opt("Country of origin: ISO2/ISO3 code or name (MX, MEX).", "--origin")]
    value: Annotated[float, opt("Customs value in U.S. dollars.", "--value")]
    date: Annotated[str, DATE]
    quantity: Annotated[float | None, opt("Quantity, for specific (per-unit) rates.", "--quantity")] = None
    unit: Annotated[str | None, opt("Unit of the quantity (kg, liter, each...).", "--unit")] = None
    usmca: Annotated[bool, opt("The goods qualify for and claim USMCA (CA/MX only).", "--usmca")] = False
    program: Annotated[str | None, opt("Another special programme claimed (e.g. KR, AU).", "--program")] = None
    metal_value: Annotated[float | None, opt("Value of the steel/aluminium/copper content.", "--metal-value")] = None
    us_content: Annotated[float | None, opt("U.S. content value of a USMCA vehicle.", "--us-content")] = None
    auto_part: Annotated[
        bool | None,
        opt(
            "The goods are (not) parts of passenger vehicles or light trucks "
            "(Section 232 auto parts; default: chapter 87 lines only).",
            "--auto-part/--not-auto-part",
        ),
    ] = None
    claims: Annotated[
        tuple[str, ...],
        opt(
            "A Chapter 99 heading the importer claims (repeatable), e.g. 9903.82.03 (metal under 15% by weight), "
            "9903.82.06 (U.S. metal), 9903.82.18 (authorised USMCA steel), 9903.79.01 (note 39 chips).",
            "--claim",
        ),
    ] = ()
    revision: Annotated[str | None, REVISION] = None


@service("tariff.duty", DutyRequest)
def duty(ctx: Context, r: DutyRequest) -> Result[dict[str, Any]]:
    """The stacked duty on one entry line: every layer with its Chapter 99 heading, basis, rate and legal basis."""
    from nearshore.tariffs.compiled import tariff_inputs
    from nearshore.tariffs.duty import BASIS_LABELS, Entry, calculate, percent

    entry = Entry(
        hts=r.hts,
        origin=r.origin,
        value=r.value,
        on=day(r.date),
        quantity=r.quantity,
        unit=r.unit,
        usmca=r.usmca,
        program=r.program,
        metal_value=r.metal_value,
        us_content=r.us_content,
        auto_part=r.auto_part,
        claims=r.claims,
    )
    schedule, policy = tariff_inputs(ctx.settings, lambda: ctx.db, r.revision, r.hts)
    result = calculate(entry, schedule, policy)
    rows: list[tuple[Any, ...]] = [
        (
            c.layer,
            c.authority,
            c.heading,
            BASIS_LABELS[c.basis],
            c.basis_amount,
            c.rate_text,
            c.amount,
            c.citation + (f" [{c.note}]" if c.note else ""),
        )
        for c in result.components
    ]
    rows.append(("total", "", "", "", entry.value, percent(round(result.effective_rate, 6)), result.total, ""))
    notes = (
        f"HTS {result.line.display}: {result.line.description}",
        f"origin {result.origin.name} ({result.origin.id}); date {entry.on.isoformat()}; HTS revision "
        f"{result.revision}; policy {result.policy_version}",
        *result.notes,
    )
    return Result(
        f"Duty on HTS {result.line.display} from {result.origin.id} on {entry.on.isoformat()}",
        columns("layer", "authority", "heading", "basis", "basis_amount", "rate", "amount", "legal basis"),
        tuple(rows),
        {
            "total": result.total,
            "effective_rate": result.effective_rate,
            "revision": result.revision,
            "policy_version": result.policy_version,
            "hts": result.line.display,
            "origin": result.origin.id,
            "policy_current_to": policy.recorded_to.isoformat(),
        },
        notes,
        provenance(result.revision, result.policy_version),
    )


@dataclass(frozen=True, kw_only=True)
class CompareRequest(Request):
    hts: Annotated[str, opt("HTS code.", "--hts")]
    value: Annotated[float, opt("Customs value in U.S. dollars (the same for every origin).", "--value")]
    origins: Annotated[str, opt("Comma-separated origins.", "--origins")] = "MX,CN,VN,US"
    date: Annotated[str, DATE]
    freight: Annotated[str, opt("Freight in USD: one amount, or MX=120,CN=900.", "--freight")] = "0"
    insurance: Annotated[str, opt("Insurance in USD: one amount, or per origin.", "--insurance")] = "0"
    usmca: Annotated[bool, opt("Goods from CA/MX qualify for USMCA.", "--usmca")] = False
    mode: Annotated[str, opt("Transport mode: ocean, air, truck or rail (HMF: ocean).", "--mode")] = "ocean"
    quantity: Annotated[float | None, opt("Quantity, for specific rates.", "--quantity")] = None
    unit: Annotated[str | None, opt("Unit of the quantity.", "--unit")] = None
    metal_value: Annotated[float | None, opt("Value of the metal content.", "--metal-value")] = None
    revision: Annotated[str | None, REVISION] = None

    def codes(self) -> list[str]:
        """The origins in order, once each."""
        codes = list(dict.fromkeys(o.strip() for o in self.origins.split(",") if o.strip()))
        if not codes:
            raise InputError(
                f"--origins {self.origins!r} names no origin; give comma-separated origins, e.g. MX,CN,VN,US"
            )
        return codes


@service("tariff.compare", CompareRequest)
def compare(ctx: Context, r: CompareRequest) -> Result[dict[str, Any]]:
    """Landed cost of one good from several origins: duty layers, MPF, HMF, freight and insurance."""
    from nearshore.tariffs.landed import compare_origins
    from nearshore.tariffs.policy import load_policy
    from nearshore.tariffs.schedule import load_schedule

    codes = r.codes()
    table, policy = load_schedule(ctx.db, r.revision), load_policy()
    costs = compare_origins(
        table,
        policy,
        hts=r.hts,
        value=r.value,
        on=day(r.date),
        origins=codes,
        freight=_per_origin(r.freight, codes, "--freight"),
        insurance=_per_origin(r.insurance, codes, "--insurance"),
        usmca=r.usmca,
        mode=r.mode,  # type: ignore[arg-type]  # compare_origins checks the mode
        quantity=r.quantity,
        unit=r.unit,
        metal_value=r.metal_value,
    )
    ranked = sorted(costs, key=lambda c: c.total)
    rows = tuple(
        (
            c.origin,
            r.value,
            c.duty.total,
            c.duty.effective_rate,
            c.fees.mpf,
            c.fees.hmf,
            c.freight,
            c.insurance,
            c.total,
            "; ".join(f"{x.heading} {x.rate_text}" for x in c.duty.components if x.amount),
        )
        for c in ranked
    )
    notes = [
        f"HTS {table.line(r.hts).display}; date {r.date}; mode {r.mode}; HTS revision {table.revision}; "
        f"policy {policy.version}",
        "duty on the customs value (FOB); freight and insurance are added to the landed cost, not dutiable",
    ]
    imported = [c for c in costs if c.origin != "USA"]
    mpf: dict[str, list[str]] = {}
    for c in imported:
        mpf.setdefault(c.fees.mpf_note, []).append(c.origin)
    notes += [f"MPF ({', '.join(who)}): {text}" for text, who in mpf.items()]
    notes += [f"HMF: {imported[0].fees.hmf_note}"] if imported else []
    notes += [n for n in [policy.currency_note(day(r.date))] if n]
    return Result(
        f"Landed cost of HTS {r.hts}, value ${fmt.number(r.value, 0)}",
        columns("origin", "value", "duty", "duty_rate", "mpf", "hmf", "freight", "insurance", "landed", "layers"),
        rows,
        {"revision": table.revision, "policy_version": policy.version},
        tuple(notes),
        provenance(table.revision, policy.version),
    )


def _per_origin(text: str, origins: list[str], option: str) -> dict[str, float] | float:
    """'300' -> 300 for every origin; 'MX=120,CN=900' -> per origin."""
    out: dict[str, float] | float
    try:
        if "=" not in text:
            out = float(text)
        else:
            out = {}
            for part in text.split(","):
                key, _, amount = part.partition("=")
                out[key.strip()] = float(amount)
    except ValueError:
        raise InputError(f"{option} {text!r}: give one amount (300) or one per origin (MX=120,CN=900)") from None
    if any(amount < 0 for amount in ([out] if isinstance(out, float) else out.values())):
        raise InputError(f"{option} {text!r}: an amount is negative; give the cost in U.S. dollars (0 or more)")
    if isinstance(out, float):
        return out
    unknown = set(out) - set(origins)
    if unknown:
        raise InputError(
            f"{option} names origins not in --origins: {', '.join(sorted(unknown))}; write them as "
            f"in --origins ({','.join(origins)}) or add them there"
        )
    return out


@dataclass(frozen=True, kw_only=True)
class DutyBatchRequest(Request):
    path: Annotated[
        Path,
        arg(
            "CSV or JSON of entry lines: hts, origin, value, date "
            "[, quantity, unit, usmca, program, metal_value, us_content, auto_part]."
        ),
    ]
    revision: Annotated[str | None, REVISION] = None


@service("tariff.batch", DutyBatchRequest)
def batch(ctx: Context, r: DutyBatchRequest) -> Result[dict[str, Any]]:
    """The duty on many entry lines (vectorised), one output row per input row."""
    from concurrent.futures import ThreadPoolExecutor

    from nearshore.tariffs.batch import duty_vectorised, read_entries
    from nearshore.tariffs.compiled import batch_inputs, read_batch_cache

    with ThreadPoolExecutor(1, thread_name_prefix="batch-cache") as pool:
        pool.submit(read_batch_cache, ctx.settings, r.revision)  # unpickled while Arrow reads the file
        entries = read_entries(r.path)
    schedule, policy = batch_inputs(ctx.settings, lambda: ctx.db, r.revision)
    result = duty_vectorised(
        entries,
        schedule,
        policy,
        file=str(r.path),
        progress=lambda done, total: ctx.step("rating groups", done, total),
    )
    import pyarrow.compute as pc

    last = pc.max(entries.on).as_py()
    currency = policy.currency_note(last) if last is not None else ""
    rows = _batch_rows(entries, result, policy.de_minimis_threshold)
    return Result(
        f"Duty on {len(entries)} entry lines",
        columns(*BATCH_COLUMNS),
        rows,
        {"revision": result.revision, "policy_version": result.policy_version},
        (
            f"{len(entries)} lines in {result.groups} groups; HTS revision {result.revision}; "
            f"policy {result.policy_version}",
            *([currency] if currency else []),
        ),
        provenance(result.revision, result.policy_version),
    )


BATCH_COLUMNS = ("row", "hts", "origin", "date", "value", "duty", "effective_rate", "layers")


def _batch_rows(entries: Entries, result: BatchResult, threshold: float) -> TableRows:
    """One row per entry line, as columns: the layers text is built once per group (and once more with the de
    minimis note, for the rows admitted free) and taken per row by index."""
    import numpy as np
    import pyarrow as pa

    from nearshore.arrow import from_numpy, strings
    from nearshore.services.columnar import TableRows

    texts, of_group = result.text_index()
    note = f"; de minimis (${fmt.number(threshold, 0)}): admitted free"
    rated = np.array([any(d in text for d in "123456789") for text in texts], dtype=bool)
    value, due, text = entries.value, result.duty, of_group[result.group]
    free = (due == 0) & (value > 0) & (value <= threshold) & rated[text]
    dictionary = strings([*texts, *(t + note for t in texts)])
    layers = pa.DictionaryArray.from_arrays(from_numpy((text + len(texts) * free).astype(np.int32)), dictionary)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(value != 0, due / value, 0.0)
    cells = [from_numpy(np.arange(2, len(entries) + 2, dtype=np.int64))]
    cells += [_distinct(entries, "hts"), _distinct(entries, "origin"), _distinct(entries, "on", pa.string())]
    cells += [*map(from_numpy, (value, due, rate)), layers]
    return TableRows(pa.table(dict(zip(BATCH_COLUMNS, cells, strict=True))))


def _distinct(entries: Entries, name: str, kind: Any = None) -> Any:
    """A column as a dictionary array (its text written once per distinct value), cast to `kind`; from the
    reader's codes where it has them."""
    import numpy as np
    import pyarrow as pa

    from nearshore.arrow import from_numpy, strings

    if name in entries.codes:
        codes, values = entries.codes[name]
        return pa.DictionaryArray.from_arrays(from_numpy(codes.astype(np.int32)), strings(values))
    encoded = getattr(entries, name).dictionary_encode()
    values = encoded.dictionary if kind is None else encoded.dictionary.cast(kind)
    return pa.DictionaryArray.from_arrays(encoded.indices, values)


@dataclass(frozen=True, kw_only=True)
class PanelRequest(Request):
    date: Annotated[str, opt("Date, YYYY-MM-DD.", "--date")]
    out: Annotated[Path, opt("Parquet file to write.", "--out")]
    partners: Annotated[str | None, opt("Comma-separated partners (default: all ~247).", "--partners")] = None
    revision: Annotated[str | None, REVISION] = None


@service("tariff.panel", PanelRequest, writes=True)
def panel(ctx: Context, r: PanelRequest) -> Result[dict[str, Any]]:
    """Every HTS10 line x partner tariff rate at a date, by authority, written to Parquet."""
    import time

    from nearshore.tariffs.duty import resolve_origin
    from nearshore.tariffs.panel import build_panel, write_panel
    from nearshore.tariffs.policy import load_policy
    from nearshore.tariffs.schedule import load_schedule

    if not r.out.parent.is_dir():
        raise InputError(
            f"--out {r.out}: the folder {r.out.parent} does not exist; create it or write the panel into an "
            "existing folder"
        )
    started = time.perf_counter()
    table, policy = load_schedule(ctx.db, r.revision), load_policy()
    chosen = [resolve_origin(p.strip(), policy).id for p in r.partners.split(",") if p.strip()] if r.partners else None
    built = build_panel(table, policy, day(r.date), partners=chosen)
    try:
        written = write_panel(built, str(r.out))
    except OSError as exc:
        raise InputError(f"--out {r.out}: cannot write the panel there ({exc}); choose a writable path") from None
    seconds = time.perf_counter() - started
    row = (
        str(r.out),
        written,
        len(built.codes),
        len(built.partners),
        r.date,
        built.revision,
        built.policy_version,
        seconds,
    )
    return Result(
        "Tariff rate panel (HTS10 x partner)",
        columns("path", "rows", "lines", "partners", "date", "revision", "policy", "seconds"),
        (row,),
        {"path": str(r.out), "rows_written": written},
        (
            "columns: hts10, partner, base_specific, base, ieepa_fentanyl, ieepa_reciprocal, "
            "ieepa_country, s232, s301, s122, s201, total, total_usmca (fractions of customs value)",
            *built.notes,
        ),
        provenance(built.revision, built.policy_version),
    )


@dataclass(frozen=True, kw_only=True)
class EffectiveRequest(Request):
    partner: Annotated[str, opt("Partner country (MEX, CAN...).", "--partner")]
    year: Annotated[int, opt("Year of imports.", "--year")]
    claims: Annotated[
        str,
        opt(
            "USMCA claims: census (each month's DataWeb claims scaled to the Census USMCA series 0021/0022), "
            "monthly (DataWeb's own) or second-half (Jul-Dec share of each line, for every month).",
            "--claims",
        ),
    ] = "census"
    revision: Annotated[str | None, REVISION] = None
    as_of: Annotated[str | None, opt("Figures as they stood at this vintage (YYYY-MM).", "--as-of")] = None


@service("tariff.effective", EffectiveRequest)
def effective(ctx: Context, r: EffectiveRequest) -> Result[dict[str, Any]]:
    """Trade-weighted effective tariff rate on the actual import mix, beside the Census collected rate."""
    from nearshore.tariffs.effective import check_claims, effective_rate
    from nearshore.tariffs.policy import load_policy
    from nearshore.tariffs.schedule import load_schedule

    claims = check_claims(r.claims)
    table = load_schedule(ctx.db, r.revision, as_of=r.as_of)
    result = effective_rate(ctx.db, table, load_policy(), partner=r.partner, year=r.year, claims=claims, as_of=r.as_of)

    def row(m: Any) -> tuple[Any, ...]:
        collected = m.collected_rate
        gap = None if collected is None else (m.modelled_rate - collected) * 100
        period = f"{m.year}" + (f"-{m.month:02d}" if m.month else "")
        # modelled duty in cents: the panel's rates are 32-bit floats, so digits past the cent are noise
        modelled = round(m.modelled_duty, 2)
        return (period, m.imports, m.usmca_share, modelled, m.modelled_rate, m.collected_duty, collected, gap)

    total = result.total
    share = fmt.percent
    notes = (
        f"modelled: panel rates on the 15th of each month x HTS10 imports for consumption (USMCA-claimed value at "
        f"the USMCA rate, claims: {r.claims}); HTS revision {result.revision}; policy {result.policy_version}",
        "collected: Census calculated duties / imports for consumption",
        f"not rated: {share(total.unmatched_value / total.imports, 2, fraction=True)} of value on HTS10 codes absent "
        f"from the revision; {share(total.specific_value / total.imports, 2, fraction=True)} on lines with per-unit "
        "rates (ad valorem part only)",
        "gap causes (docs/tariffs.md): exclusions and carve-outs not modelled, metal content < value, USMCA "
        "claims recorded late, timing of entry vs export, drawback and deferral",
        *result.notes,
    )
    return Result(
        f"Effective tariff rate on imports from {result.partner}, {r.year}",
        columns(
            "period",
            "imports_usd",
            "usmca_share",
            "modelled_duty",
            "modelled_rate",
            "collected_duty",
            "collected_rate",
            "gap_points",
        ),
        (*(row(m) for m in result.months), row(total)),
        {
            "partner": result.partner,
            "year": r.year,
            "modelled_rate": total.modelled_rate,
            "collected_rate": total.collected_rate,
            "claims": result.claims,
        },
        notes,
        provenance(result.revision, result.policy_version),
    )


__all__ = [
    "CompareRequest",
    "DutyBatchRequest",
    "DutyRequest",
    "EffectiveRequest",
    "PanelRequest",
    "batch",
    "compare",
    "duty",
    "effective",
    "panel",
]
