"""Maintenance entry point: `python -m nearshore.origin.rules build RAW_DIR` rebuilds the shipped file;
`python -m nearshore.origin.rules report` prints the parse coverage."""

from __future__ import annotations

import sys
from pathlib import Path

from nearshore.origin.rules.build import build_rules, write_rules
from nearshore.origin.rules.index import rule_report


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "build":
        print(f"wrote {write_rules(build_rules(Path(argv[1])))}")
        return 0
    if argv == ["report"]:
        print(rule_report())
        return 0
    print("usage: python -m nearshore.origin.rules build RAW_DIR | report", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
