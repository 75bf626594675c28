"""What the `nearshore tariff` commands show: one function per command, each returning a `View`.

These open the user's store (seeded from the embedded snapshot), call the engine and lay the result out as
rows, so the CLI only parses arguments and prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from nearshore.data.store import Store
from nearshore.tariffs.schedule import Schedule, load_schedule


@dataclass(frozen=True)
class View:
    columns: list[str]
    rows: list[list[Any]]
    title: str = ""
    footer: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    narrow: View | None = None  # the same result laid out for an 80-column terminal table (fewer, shorter columns)

    def for_format(self, fmt: str) -> View:
        """The layout to print in `fmt` (table, json, csv): the narrow one for tables when there is one."""
        return self.narrow if fmt == "table" and self.narrow is not None else self


def _store() -> Store:
    from nearshore.data.snapshot import open_store

    return open_store()


def open_schedule(
    store: Store, revision: str | None = None, load: Path | None = None, vintage: str | None = None
) -> tuple[Schedule, list[str]]:
    """The schedule to use, after loading `load` (released in `vintage`) into the store when given."""
    notes: list[str] = []
    if load is not None:
        from nearshore.data.sources import hts

        report = hts.load(store, load, revision=revision, vintage=vintage)
        notes.append(f"loaded {report.rows} HTS rows from {load} (load {report.load_id})")
        notes.extend(f"warning: {w}" for w in report.warnings)
        revision = revision or hts.revision_from_name(load)
    return load_schedule(store, revision), notes


def schedule_view(
    *,
    hts: str | None = None,
    report: bool = False,
    load: Path | None = None,
    revision: str | None = None,
    vintage: str | None = None,
) -> View:
    with _store() as store:
        schedule, notes = open_schedule(store, revision, load, vintage)
    coverage = schedule.coverage
    summary = (
        f"HTS {schedule.revision}: {len(schedule)} coded lines, {len(schedule.statistical_lines())} "
        f"statistical lines; rate texts parsed {coverage.parsed}/{coverage.texts} "
        f"({coverage.share:.4%})"
    )
    meta = {
        "revision": schedule.revision,
        "texts": coverage.texts,
        "parsed": coverage.parsed,
        "coverage": coverage.share,
    }
    if hts is not None:
        line = schedule.line(hts)
        rows: list[list[Any]] = [
            ["general", line.general_text, line.general.kind if line.general else "", _terms(line.general)],
            ["column 2", line.column2_text, line.column2.kind if line.column2 else "", _terms(line.column2)],
        ]
        for group in line.special:
            rows.append([f"special {','.join(group.programs)}", group.rate.text, group.rate.kind, _terms(group.rate)])
        footer = [
            f"{line.display} {line.description}; units {', '.join(line.units) or '-'}; rates from "
            f"{line.rates_from or '-'}",
            summary,
        ]
        return View(
            ["column", "text", "kind", "terms"],
            rows,
            title=f"HTS {line.display} ({schedule.revision})",
            footer=footer,
            meta=meta,
            notes=notes,
        )
    if report:
        rows = [[i.position, i.code, i.column, i.text, i.error] for i in coverage.issues]
        return View(
            ["position", "hts", "column", "text", "error"],
            rows,
            title="Rate texts the parser could not read",
            footer=[summary],
            meta=meta,
            notes=notes,
        )
    return View(
        ["revision", "lines", "statistical", "texts", "parsed", "coverage"],
        [
            [
                schedule.revision,
                len(schedule),
                len(schedule.statistical_lines()),
                coverage.texts,
                coverage.parsed,
                round(coverage.share, 6),
            ]
        ],
        title="HTS schedule",
        meta=meta,
        notes=notes,
    )


def _terms(rate: Any) -> str:
    if rate is None:
        return ""
    parts = []
    for term in rate.terms:
        if term.kind == "ad_valorem":
            parts.append(f"{term.value:.6g} ad val" + (f" {term.qualifier}" if term.qualifier else ""))
        elif term.kind == "specific":
            parts.append(f"${term.value:.6g}/{term.unit}" + (f" {term.qualifier}" if term.qualifier else ""))
        else:
            parts.append(f"ref: {term.qualifier}")
    if rate.condition:
        parts.append(f"condition: {rate.condition}")
    return " + ".join(parts)


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        from nearshore.errors import InputError

        raise InputError(f"--date {text!r} is not a date; write it as YYYY-MM-DD, e.g. 2025-06-01") from None


def duty_view(
    *,
    hts: str,
    origin: str,
    value: float,
    on: str,
    quantity: float | None = None,
    unit: str | None = None,
    usmca: bool = False,
    program: str | None = None,
    metal_value: float | None = None,
    us_content: float | None = None,
    auto_part: bool | None = None,
    revision: str | None = None,
    claims: tuple[str, ...] = (),
) -> View:
    from nearshore.tariffs.duty import BASIS_LABELS, Entry, calculate, percent
    from nearshore.tariffs.policy import load_policy

    entry = Entry(
        hts=hts,
        origin=origin,
        value=value,
        on=_parse_date(on),
        quantity=quantity,
        unit=unit,
        usmca=usmca,
        program=program,
        metal_value=metal_value,
        us_content=us_content,
        auto_part=auto_part,
        claims=tuple(claims),
    )
    with _store() as store:
        schedule = load_schedule(store, revision)
    policy = load_policy()
    result = calculate(entry, schedule, policy)
    rows = [
        [
            c.layer,
            c.authority,
            c.heading,
            BASIS_LABELS[c.basis],
            round(c.basis_amount, 2),
            c.rate_text,
            round(c.amount, 2),
            c.citation + (f" [{c.note}]" if c.note else ""),
        ]
        for c in result.components
    ]
    rows.append(
        ["total", "", "", "", round(entry.value, 2), percent(round(result.effective_rate, 6)), result.total, ""]
    )
    footer = [
        f"HTS {result.line.display}: {result.line.description}",
        f"origin {result.origin.name} ({result.origin.id}); date {entry.on.isoformat()}; HTS revision "
        f"{result.revision}; policy {result.policy_version}",
        *result.notes,
    ]
    meta = {
        "total": result.total,
        "effective_rate": result.effective_rate,
        "revision": result.revision,
        "policy_version": result.policy_version,
        "hts": result.line.display,
        "origin": result.origin.id,
        "policy_current_to": policy.recorded_to.isoformat(),
    }
    title = f"Duty on HTS {result.line.display} from {result.origin.id} on {entry.on.isoformat()}"
    narrow = View(
        ["layer", "heading", "basis", "on", "rate", "amount"],
        [r[:1] + r[2:7] for r in rows],
        title=title,
        footer=[*footer, *(f"{r[0]} ({r[2]}): {r[7]}" for r in rows[:-1])],
    )
    return View(
        ["layer", "authority", "heading", "basis", "basis_amount", "rate", "amount", "legal basis"],
        rows,
        title=title,
        footer=footer,
        meta=meta,
        narrow=narrow,
    )


def compare_view(
    *,
    hts: str,
    value: float,
    on: str,
    origins: str,
    freight: str = "0",
    insurance: str = "0",
    usmca: bool = False,
    mode: str = "ocean",
    quantity: float | None = None,
    unit: str | None = None,
    metal_value: float | None = None,
    revision: str | None = None,
) -> View:
    from nearshore.tariffs.landed import compare_origins
    from nearshore.tariffs.policy import load_policy

    codes = list(dict.fromkeys(o.strip() for o in origins.split(",") if o.strip()))  # in order, once each
    if not codes:
        from nearshore.errors import InputError

        raise InputError(f"--origins {origins!r} names no origin; give comma-separated origins, e.g. MX,CN,VN,US")
    with _store() as store:
        schedule = load_schedule(store, revision)
    policy = load_policy()
    costs = compare_origins(
        schedule,
        policy,
        hts=hts,
        value=value,
        on=_parse_date(on),
        origins=codes,
        freight=_per_origin(freight, codes, "--freight"),
        insurance=_per_origin(insurance, codes, "--insurance"),
        usmca=usmca,
        mode=mode,  # type: ignore[arg-type]
        quantity=quantity,
        unit=unit,
        metal_value=metal_value,
    )
    rows = []
    for c in sorted(costs, key=lambda c: c.total):
        layers = "; ".join(f"{x.heading} {x.rate_text}" for x in c.duty.components if x.amount)
        rows.append(
            [
                c.origin,
                round(value, 2),
                c.duty.total,
                f"{c.duty.effective_rate:.2%}",
                c.fees.mpf,
                c.fees.hmf,
                round(c.freight, 2),
                round(c.insurance, 2),
                c.total,
                layers,
            ]
        )
    short = [
        [
            c.origin,
            f"{c.duty.total:,.2f}",
            f"{c.duty.effective_rate:.2%}",
            f"{c.fees.mpf:,.2f}",
            f"{c.fees.hmf:,.2f}",
            f"{c.freight + c.insurance:,.2f}",
            f"{c.total:,.2f}",
        ]
        for c in sorted(costs, key=lambda c: c.total)
    ]
    footer = [
        f"HTS {schedule.line(hts).display}; date {on}; mode {mode}; HTS revision {schedule.revision}; "
        f"policy {policy.version}",
        "duty on the customs value (FOB); freight and insurance are added to the landed cost, not dutiable",
    ]
    imported = [c for c in costs if c.origin != "USA"]
    mpf_notes: dict[str, list[str]] = {}
    for c in imported:
        mpf_notes.setdefault(c.fees.mpf_note, []).append(c.origin)
    footer += [f"MPF ({', '.join(who)}): {text}" for text, who in mpf_notes.items()]
    footer += [f"HMF: {imported[0].fees.hmf_note}"] if imported else []
    footer += [n for n in [policy.currency_note(_parse_date(on))] if n]
    title = f"Landed cost of HTS {hts}, value ${value:,.0f}"
    narrow = View(
        ["origin", "duty", "rate", "mpf", "hmf", "freight+ins", "landed"],
        short,
        title=title,
        footer=[*footer, *(f"{r[0]} duty: {r[9]}" for r in rows if r[9])],
    )
    return View(
        ["origin", "value", "duty", "duty_rate", "mpf", "hmf", "freight", "insurance", "landed", "layers"],
        rows,
        title=title,
        footer=footer,
        meta={"revision": schedule.revision, "policy_version": policy.version},
        narrow=narrow,
    )


def _per_origin(text: str, origins: list[str], option: str) -> dict[str, float] | float:
    """'300' -> 300 for every origin; 'MX=120,CN=900' -> per origin."""
    from nearshore.errors import InputError

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


def batch_view(*, path: Path, revision: str | None = None, progress: Any = None) -> View:
    from nearshore.tariffs.batch import duty_vectorised, read_entries
    from nearshore.tariffs.policy import load_policy

    entries = read_entries(path)
    with _store() as store:
        schedule = load_schedule(store, revision)
    policy = load_policy()
    result = duty_vectorised(entries, schedule, policy, file=str(path), progress=progress)
    hts = entries.hts.to_pylist()
    origin = entries.origin.to_pylist()
    on = entries.on.to_pylist()
    layers = result.layer_text
    rows = []
    for i in range(len(entries)):
        value = float(entries.value[i])
        duty = float(result.duty[i])
        text = layers[i]
        if duty == 0 and 0 < value <= policy.de_minimis_threshold and any(d in text for d in "123456789"):
            text += f"; de minimis (${policy.de_minimis_threshold:,.0f}): admitted free"
        rows.append(
            [i + 2, hts[i], origin[i], on[i].isoformat(), value, duty, round(duty / value, 6) if value else 0.0, text]
        )
    title = f"Duty on {len(entries)} entry lines"
    footer = [
        f"{len(entries)} lines in {result.groups} groups; HTS revision {result.revision}; "
        f"policy {result.policy_version}",
        *([policy.currency_note(max(on))] if on and policy.currency_note(max(on)) else []),
    ]
    narrow = View(
        ["row", "hts", "origin", "date", "value $", "duty $", "rate"],
        [[r[0], r[1], r[2], r[3], f"{r[4]:,.0f}", f"{r[5]:,.0f}", f"{r[6]:.2%}"] for r in rows],
        title=title,
        footer=[*footer, "each line's duty layers: --format csv or json"],
    )
    return View(
        ["row", "hts", "origin", "date", "value", "duty", "effective_rate", "layers"],
        rows,
        title=title,
        meta={"revision": result.revision, "policy_version": result.policy_version},
        footer=footer,
        narrow=narrow,
    )


def policy_view(*, build: Path | None = None) -> View:
    from nearshore.tariffs.policy import load_policy

    notes = []
    if build is not None:
        from nearshore.tariffs.policy.derive import build_product_lists, write_product_lists

        written = write_product_lists(build_product_lists(build), build)
        notes = [f"wrote {p}" for p in written]
        load_policy.cache_clear()
    policy = load_policy()
    rows = []
    for m in policy.measures:
        countries = "all" if m.countries is None else ",".join(sorted(m.countries))
        products = m.products.spec
        periods = "; ".join(
            f"{p.rate:.4g} {p.start}..{p.end or ''}" + (f" {','.join(sorted(p.countries))}" if p.countries else "")
            for p in m.rates
        )
        rows.append(
            [m.id, m.authority, m.heading, countries, products, m.basis, periods, ", ".join(e.id for e in m.exemptions)]
        )
    footer = [
        f"policy {policy.version} ({policy.path}), coverage {policy.start}..{policy.end}",
        *(
            f"stacking {r.id}: {', '.join(sorted(r.when))} exclude {', '.join(sorted(r.excludes))} "
            f"({r.mode}) - {r.citation}"
            for r in policy.stacking
        ),
    ]
    from nearshore.tariffs.duty import percent

    def starts(m: Any) -> str:
        return "; ".join(
            f"{percent(p.rate)} from {p.start}" + (f" ({', '.join(sorted(p.countries))})" if p.countries else "")
            for p in m.rates
        )

    narrow = View(
        ["measure, heading", "countries", "rates"],
        [
            [f"{m.id}\n{m.heading}", r[3].replace(",", ", "), starts(m)]
            for m, r in zip(policy.measures, rows, strict=True)
        ],
        title="Tariff measures",
        footer=[*footer, "every column (products, basis, periods' ends, exemptions): --format csv or json"],
    )
    return View(
        ["measure", "authority", "heading", "countries", "products", "basis", "rates", "exemptions"],
        rows,
        title="Tariff measures",
        footer=footer,
        notes=notes,
        meta={"version": policy.version},
        narrow=narrow,
    )


def coverage_view() -> View:
    """The last recorded action and HTS revision, and the changes ahead that the recorded measures already set."""
    from nearshore.tariffs.policy import load_policy

    policy = load_policy()
    rows: list[list[Any]] = [
        [policy.recorded_to.isoformat(), "last recorded action", f"{policy.hts_revision}: {policy.last_action}"],
        *([d.isoformat(), "scheduled", f"{what} [{citation}]"] for d, what, citation in policy.scheduled()),
    ]
    footer = [
        f"policy {policy.version}: dates after {policy.recorded_to.isoformat()} use the measures then in force; "
        "later actions are not recorded"
    ]
    return View(
        ["date", "kind", "what"],
        rows,
        title="Tariff policy coverage",
        footer=footer,
        meta={"version": policy.version, "recorded_to": policy.recorded_to.isoformat(), "hts": policy.hts_revision},
    )


def panel_view(*, on: str, out: Path, partners: str | None = None, revision: str | None = None) -> View:
    import time

    from nearshore.tariffs.panel import build_panel, write_panel
    from nearshore.tariffs.policy import load_policy

    if not out.parent.is_dir():
        from nearshore.errors import InputError

        raise InputError(
            f"--out {out}: the folder {out.parent} does not exist; create it or write the panel into an existing folder"
        )
    started = time.perf_counter()
    with _store() as store:
        schedule = load_schedule(store, revision)
    chosen = None
    if partners:
        from nearshore.tariffs.duty import resolve_origin

        policy = load_policy()
        chosen = [resolve_origin(p.strip(), policy).id for p in partners.split(",") if p.strip()]
    panel = build_panel(schedule, load_policy(), _parse_date(on), partners=chosen)
    try:
        rows = write_panel(panel, str(out))
    except OSError as exc:
        from nearshore.errors import InputError

        raise InputError(f"--out {out}: cannot write the panel there ({exc}); choose a writable path") from None
    seconds = time.perf_counter() - started
    columns = ["path", "rows", "lines", "partners", "date", "revision", "policy", "seconds"]
    values = [
        str(out),
        rows,
        len(panel.codes),
        len(panel.partners),
        on,
        panel.revision,
        panel.policy_version,
        round(seconds, 2),
    ]
    title = "Tariff rate panel (HTS10 x partner)"
    footer = [
        "columns: hts10, partner, base_specific, base, ieepa_fentanyl, ieepa_reciprocal, "
        "ieepa_country, s232, s301, s122, s201, total, total_usmca (fractions of customs value)",
        *panel.notes,
    ]
    return View(
        columns,
        [values],
        title=title,
        footer=footer,
        meta={"path": str(out), "rows_written": rows},
        narrow=View(
            ["field", "value"], [[c, v] for c, v in zip(columns, values, strict=True)], title=title, footer=footer
        ),
    )


def effective_view(
    *, partner: str, year: int, claims: str = "census", revision: str | None = None, as_of: str | None = None
) -> View:
    from nearshore.tariffs.effective import check_claims, effective_rate
    from nearshore.tariffs.policy import load_policy

    with _store() as store:
        schedule = load_schedule(store, revision, as_of=as_of)
        result = effective_rate(
            store, schedule, load_policy(), partner=partner, year=year, claims=check_claims(claims), as_of=as_of
        )

    def row(m: Any) -> list[Any]:
        collected = m.collected_rate
        gap = None if collected is None else round((m.modelled_rate - collected) * 100, 2)
        return [
            f"{m.year}" + (f"-{m.month:02d}" if m.month else ""),
            round(m.imports),
            round(m.usmca_share, 4),
            round(m.modelled_duty),
            round(m.modelled_rate, 5),
            None if m.collected_duty is None else round(m.collected_duty),
            None if collected is None else round(collected, 5),
            gap,
        ]

    rows = [row(m) for m in result.months] + [row(result.total)]
    total = result.total
    footer = [
        f"modelled: panel rates on the 15th of each month x HTS10 imports for consumption (USMCA-claimed value at "
        f"the USMCA rate, claims: {claims}); HTS revision {result.revision}; policy {result.policy_version}",
        "collected: Census calculated duties / imports for consumption",
        f"not rated: {total.unmatched_value / total.imports:.2%} of value on HTS10 codes absent from the revision; "
        f"{total.specific_value / total.imports:.2%} on lines with per-unit rates (ad valorem part only)",
        "gap causes (docs/tariffs.md): exclusions and carve-outs not modelled, metal content < value, USMCA "
        "claims recorded late, timing of entry vs export, drawback and deferral",
        *result.notes,
    ]

    def pct(x: float | None, digits: int = 2) -> str:
        return "" if x is None else f"{x:.{digits}%}"

    title = f"Effective tariff rate on imports from {result.partner}, {year}"
    short = [
        [r[0], f"{r[1] / 1e6:,.0f}", pct(r[2], 1), pct(r[4]), pct(r[6]), "" if r[7] is None else f"{r[7]:+.2f}"]
        for r in rows
    ]
    narrow = View(
        ["period", "imports $M", "usmca share", "modelled", "collected", "gap pts"], short, title=title, footer=footer
    )
    return View(
        [
            "period",
            "imports_usd",
            "usmca_share",
            "modelled_duty",
            "modelled_rate",
            "collected_duty",
            "collected_rate",
            "gap_points",
        ],
        rows,
        title=title,
        footer=footer,
        meta={
            "partner": result.partner,
            "year": year,
            "modelled_rate": total.modelled_rate,
            "collected_rate": total.collected_rate,
            "claims": result.claims,
        },
        narrow=narrow,
    )
