"""Estimated metal content of Section 232 derivatives, from the BEA input-output metal shares by HTS10.

Before 2026-04-06 the duty on a derivative article was charged on the value of its steel, aluminum or copper
content. When an entry does not give that value (`--metal-value`), the engine estimates it as the line's share
of steel, aluminum or copper in the BEA input-output tables, as tabulated by HTS10 in the Budget Lab's
`metal_content_shares_bea_hs10.csv.gz` (../shared/data/raw/yale_budget_lab_tariff_resources/, commit 8315fffd).
`metal_shares.csv` in this folder keeps the rows of the HTS10 codes under the derivative and copper product lists
(written by `nearshore tariff policy build`); chapters 72, 73 and 76 (articles of steel and aluminum) are charged
on their full value and are not estimated.
"""

from __future__ import annotations

import csv
import functools
import gzip
from pathlib import Path

BEA_FILE = "metal_content_shares_bea_hs10.csv.gz"
SHARES_FILE = Path(__file__).parent / "metal_shares.csv"
METALS = ("steel", "aluminum", "copper")
SOURCE = "BEA input-output metal shares by HTS10 (Budget Lab metal_content_shares_bea_hs10.csv.gz)"
FULL_VALUE_CHAPTERS = ("72", "73", "76")
# the product lists whose HTS10 lines get an estimate
ESTIMATED_LISTS = (
    "s232_alu_deriv_2025_03",
    "s232_alu_deriv_2025_08",
    "s232_steel_deriv_2025_08",
    "s232_1a_copper",
    "s232_1b_copper",
)


def write_metal_shares(bea: Path, lists: dict[str, list[str]], target: Path = SHARES_FILE) -> Path:
    """Write the BEA shares of every HTS10 line under ESTIMATED_LISTS (outside FULL_VALUE_CHAPTERS)."""
    prefixes = {c for name in ESTIMATED_LISTS for c in lists.get(name, ()) if not c.startswith(FULL_VALUE_CHAPTERS)}
    sizes = sorted({len(p) for p in prefixes})
    rows = []
    with gzip.open(bea, "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code = row["hs10"]
            if any(code[:n] in prefixes for n in sizes):
                rows.append([code, *(f"{float(row[f'{m}_share'] or 0):.6f}" for m in METALS)])
    header = (
        f"# Steel, aluminum and copper shares of value by HTS10: {SOURCE}, commit 8315fffd, rows of the lines under\n"
        f"# {', '.join(ESTIMATED_LISTS)}\n# built by nearshore.tariffs.policy.metal.write_metal_shares\n"
    )
    body = "\n".join(",".join(r) for r in sorted(rows))
    target.write_text(header + "hts10," + ",".join(METALS) + "\n" + body + "\n", encoding="utf-8")
    return target


@functools.lru_cache(maxsize=2)
def load_metal_shares(path: Path = SHARES_FILE) -> dict[str, tuple[float, ...]]:
    if not path.exists():
        return {}
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    return {r[0]: tuple(float(x) for x in r[1:]) for r in (ln.split(",") for ln in lines[1:])}


def metal_share(code: str, metals: frozenset[str], path: Path = SHARES_FILE) -> float | None:
    """The share of `metals` in the value of HTS `code` (mean over its HTS10 lines), or None when not tabulated."""
    table = load_metal_shares(path)
    rows = [v for k, v in table.items() if k.startswith(code)] if len(code) < 10 else [table.get(code, ())]
    rows = [r for r in rows if r]
    if not rows:
        return None
    columns = [i for i, m in enumerate(METALS) if m in metals]
    return min(1.0, sum(sum(r[i] for i in columns) for r in rows) / len(rows))


__all__ = ["BEA_FILE", "METALS", "SOURCE", "load_metal_shares", "metal_share", "write_metal_shares"]
