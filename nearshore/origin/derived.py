"""The derived tables of `nearshore/origin/data` (data/README.md): written by project code from the official texts
with a provenance line on top, read back as rows."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path


def write_table(target: Path, provenance: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """`target` as CSV: `# provenance`, the header, the rows."""
    with target.open("w", encoding="utf-8", newline="") as handle:
        handle.write(f"# {provenance}\n")
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def read_table(name: str) -> list[dict[str, str]]:
    """The rows of the committed `data/<name>` (the provenance line skipped)."""
    text = resources.files("nearshore.origin").joinpath(f"data/{name}").read_text(encoding="utf-8")
    return list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))


__all__ = ["read_table", "write_table"]
