""" "What changed since the last issue": new months of data, revised figures, tariff actions added to the
policy file, and corrections issued, each with its source.

An issue records the state it was built on (`capture_state`: per source the latest month and the vintages in
the store; the policy file's version and measures with their citations). The next issue compares its own
state and facts with those.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Literal

from nearshore.writer.facts import Fact, FactTable, display

if TYPE_CHECKING:
    from nearshore.data.store import Store

ChangeKind = Literal["data", "revision", "policy", "erratum"]


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    text: str  # one sentence, figures shown as the brief shows them
    source: str  # where it comes from: the official source and vintage, or the legal citation

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def capture_state(store: Store) -> dict[str, Any]:
    """What the store and the policy file hold now: {"data": {source: {"latest", "vintages"}}, "policy": ...}."""
    from nearshore.data.query.catalog import latest_by_source
    from nearshore.tariffs.policy import load_policy

    data: dict[str, dict[str, Any]] = {}
    for table in ("trade_flows", "program_shares"):
        for source, latest, vintages in latest_by_source(store, table).rows:
            if latest is None:
                continue
            period = f"{int(latest) // 100}-{int(latest) % 100:02d}"
            held = data.setdefault(str(source), {"latest": period, "vintages": []})
            held["latest"] = max(held["latest"], period)
            held["vintages"] = sorted(set(held["vintages"]) | {str(v) for v in vintages or ()})
    policy = load_policy()
    measures = {m.id: {"heading": m.heading, "citation": m.citation} for m in policy.measures}
    return {"data": data, "policy": {"version": policy.version, "published": policy.published, "measures": measures}}


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def revised_facts(old: FactTable, new: FactTable) -> list[tuple[Fact, Fact]]:
    """Facts in both tables whose values differ: (old, new), in the new table's order."""
    before = old.by_id
    return [(before[f.id], f) for f in new if f.id in before and not _same(before[f.id].value, f.value)]


def revision_change(old: Fact, new: Fact) -> Change:
    vintages = old.vintage if old.vintage == new.vintage else f"{old.vintage} then {new.vintage}"
    return Change(
        "revision",
        f"Revised: {new.label} ({new.period}) is now {display(new)}, was {display(old)}.",
        f"{new.source}; vintage {vintages}",
    )


def data_changes(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    changes = []
    for source, held in sorted(new.get("data", {}).items()):
        before = old.get("data", {}).get(source)
        fresh = sorted(set(held["vintages"]) - set(before["vintages"] if before else ()))
        vintage = f"vintage {', '.join(fresh or held['vintages'][-1:])}"
        if before is None:
            changes.append(Change("data", f"New source: {source}, data to {held['latest']}.", f"{source}; {vintage}"))
        elif held["latest"] > before["latest"]:
            changes.append(
                Change(
                    "data",
                    f"New data: {source} now runs to {held['latest']} (the last issue had data to {before['latest']}).",
                    f"{source}; {vintage}",
                )
            )
        elif fresh:
            changes.append(Change("data", f"New release of {source} (same months, revised).", f"{source}; {vintage}"))
    return changes


def policy_changes(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    before = old.get("policy", {}).get("measures", {})
    now = new.get("policy", {})
    added = [(mid, m) for mid, m in now.get("measures", {}).items() if mid not in before]
    version = now.get("version", "")
    return [
        Change("policy", f"Tariff action added to the policy file: {mid} ({m['heading']}).", m["citation"])
        for mid, m in added
    ] + (
        [Change("policy", f"Tariff policy file updated to version {version}.", f"nearshore policy file {version}")]
        if not added and version and version != old.get("policy", {}).get("version", version)
        else []
    )


def what_changed(
    old_state: dict[str, Any] | None,
    old_facts: FactTable | None,
    new_state: dict[str, Any],
    new_facts: FactTable,
    errata: Sequence[Change] = (),
) -> list[Change]:
    """Everything that changed between the last issue (None: this is the first) and this one."""
    if old_state is None or old_facts is None:
        return list(errata)
    changes = data_changes(old_state, new_state)
    changes += [revision_change(a, b) for a, b in revised_facts(old_facts, new_facts)]
    changes += policy_changes(old_state, new_state)
    return changes + list(errata)


def dump(changes: Sequence[Change]) -> str:
    return json.dumps([c.as_dict() for c in changes], ensure_ascii=False)


def load(text: str) -> list[Change]:
    return [Change(**item) for item in json.loads(text or "[]")]


__all__ = [
    "Change",
    "capture_state",
    "data_changes",
    "dump",
    "load",
    "policy_changes",
    "revised_facts",
    "revision_change",
    "what_changed",
]
