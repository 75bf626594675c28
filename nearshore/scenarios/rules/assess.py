"""Every BOM of a portfolio before and after a rule change, with the cheapest fix of each that stops qualifying:
in this process, or, when asked for a large JSON-lines file, in `workers` processes each reading and judging one
part of the file (the outcomes are plain values; problems keep their line numbers, and an id given in two parts
is reported as in one file). Workers pay off on a machine with idle cores; on a busy one they compete with
everything else, so one process is the default."""

from __future__ import annotations

import datetime as dt
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Final

from nearshore.origin.rules.index import shipped_rules
from nearshore.scenarios.rules.changes import RuleChange
from nearshore.scenarios.rules.fixes import NO_FIX, cheapest_fix
from nearshore.scenarios.rules.holding import Holding
from nearshore.scenarios.rules.judge import Judge, cap_gap
from nearshore.scenarios.rules.portfolio import (
    Records,
    Span,
    bulk,
    check,
    jsonl_rows,
    portfolio_kind,
    read_portfolio,
    read_records,
    spans,
)
from nearshore.scenarios.rules.records import RecordReader
from nearshore.scenarios.rules.report import Outcome

SPLIT_BYTES: Final = 4_000_000  # smaller files are read in one process (starting workers costs more)


def evaluate(path: Path, change: RuleChange, on: dt.date, fixes: bool, workers: int) -> list[Outcome]:
    """The outcome of every BOM of the portfolio at `path` (problems raise before any is judged)."""
    parallel = workers > 1 and path.is_file() and portfolio_kind(path) == "jsonl"
    if parallel and path.stat().st_size >= SPLIT_BYTES and "fork" in multiprocessing.get_all_start_methods():
        return _parallel(path, change, on, fixes, workers)
    judge = Judge(change, on)
    return [assess(judge, holding, fixes) for holding in read_portfolio(path)]


def assess(judge: Judge, holding: Holding, fixes: bool) -> Outcome:
    """One BOM under the rules in force and under the change; margins and the fix when its answer changes."""
    before = judge.before(holding)
    after, bom, rules = judge.after(holding, before)
    good = holding.bom.good
    outcome = Outcome(
        holding.bom.source,
        good.hs,
        holding.hts,
        good.country,
        holding.annual_value,
        before.verdict.qualifies,
        after.qualifies,
        before.alters,
    )
    if outcome.flipped:
        outcome.margin_before, outcome.margin_after = before.verdict.margin(), after.margin()
    if outcome.lost and fixes:
        fix = cheapest_fix(bom, lambda trial: judge.works(trial, rules), cap_gap(bom, judge.change.caps))
        outcome.fix, outcome.fixed = (fix.text(), True) if fix is not None else (NO_FIX, False)
    return outcome


def _parallel(path: Path, change: RuleChange, on: dt.date, fixes: bool, workers: int) -> list[Outcome]:
    jobs = [(path, span, change, on, fixes) for span in spans(path, workers)]
    shipped_rules(), RecordReader("").country("MX")  # loaded once here: forked workers start with them
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(len(jobs), mp_context=context) as pool:
        parts = list(pool.map(_part, *zip(*jobs, strict=True)))
    check([records for records, _ in parts], str(path))
    return [outcome for _, outcomes in parts for outcome in outcomes]


def _part(path: Path, span: Span, change: RuleChange, on: dt.date, fixes: bool) -> tuple[Records, list[Outcome]]:
    """One part of the file read and judged in a worker (nothing judged when the part has problems)."""
    with bulk():
        records = read_records(str(path), jsonl_rows(path, span))
        if records.problems:
            return records, []
        judge = Judge(change, on)
        outcomes = [assess(judge, holding, fixes) for holding in records.holdings]
    return Records([], [], records.lines), outcomes


__all__ = ["assess", "evaluate"]
