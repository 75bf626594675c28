"""What the `nearshore tariff` commands show: one function per command, each returning a `View`.

These open the user's store (seeded from the embedded snapshot), call the engine and lay the result out as
rows, so the CLI only parses arguments and prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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


def _store() -> Store:
    from nearshore.data.snapshot import open_store

    return open_store()


def open_schedule(store: Store, revision: str | None = None, load: Path | None = None) -> tuple[Schedule, list[str]]:
    """The schedule to use, after loading `load` into the store when given."""
    notes: list[str] = []
    if load is not None:
        from nearshore.data.sources import hts

        report = hts.load(store, load, revision=revision)
        notes.append(f"loaded {report.rows} HTS rows from {load} (load {report.load_id})")
        notes.extend(f"warning: {w}" for w in report.warnings)
        revision = revision or hts.revision_from_name(load)
    return load_schedule(store, revision), notes


def schedule_view(*, hts: str | None = None, report: bool = False, load: Path | None = None,
                  revision: str | None = None) -> View:
    with _store() as store:
        schedule, notes = open_schedule(store, revision, load)
    coverage = schedule.coverage
    summary = (f"HTS {schedule.revision}: {len(schedule)} coded lines, {len(schedule.statistical_lines())} "
               f"statistical lines; rate texts parsed {coverage.parsed}/{coverage.texts} "
               f"({coverage.share:.4%})")
    meta = {"revision": schedule.revision, "texts": coverage.texts, "parsed": coverage.parsed,
            "coverage": coverage.share}
    if hts is not None:
        line = schedule.line(hts)
        rows: list[list[Any]] = [
            ["general", line.general_text, line.general.kind if line.general else "",
             _terms(line.general)],
            ["column 2", line.column2_text, line.column2.kind if line.column2 else "", _terms(line.column2)],
        ]
        for group in line.special:
            rows.append([f"special {','.join(group.programs)}", group.rate.text, group.rate.kind,
                         _terms(group.rate)])
        footer = [f"{line.display} {line.description}; units {', '.join(line.units) or '-'}; rates from "
                  f"{line.rates_from or '-'}", summary]
        return View(["column", "text", "kind", "terms"], rows, title=f"HTS {line.display} ({schedule.revision})",
                    footer=footer, meta=meta, notes=notes)
    if report:
        rows = [[i.position, i.code, i.column, i.text, i.error] for i in coverage.issues]
        return View(["position", "hts", "column", "text", "error"], rows,
                    title="Rate texts the parser could not read", footer=[summary], meta=meta, notes=notes)
    return View(["revision", "lines", "statistical", "texts", "parsed", "coverage"],
                [[schedule.revision, len(schedule), len(schedule.statistical_lines()), coverage.texts,
                  coverage.parsed, round(coverage.share, 6)]], title="HTS schedule", meta=meta, notes=notes)


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
