"""docs/cli.md, generated from what each command's --help prints (its help text, arguments and options).

python -m nearshore.cli.reference            # rewrite docs/cli.md
python -m nearshore.cli.reference --check    # exit 1 when docs/cli.md is stale (a test does the same)
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer
import typer.main

from nearshore.cli.main import app

WIDTH = 100
TARGET = Path(__file__).resolve().parents[2] / "docs" / "cli.md"
HEADER = """# Command-line reference

Generated from the commands' `--help` by `python -m nearshore.cli.reference`; a test fails when this page is
stale. Every command takes `-h/--help`. Data commands print `--format table|json|csv`: JSON is one envelope,
`{"ok": true, "result": {...}}` or `{"ok": false, "error": {code, message, file, row, field, value, hint,
exit_code}}` (see [architecture.md](architecture.md#services-and-cli)). Exit codes: 0 success, 2 bad input,
3 configuration, 4 store, 5 data not in the store, 6 remote API, 7 not originating, 9 verification failed,
10 LLM reply.
"""


# commands and parameters are Click's (vendored by newer Typer), read by their attributes
def _commands(command: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Groups that run on their own, and every leaf command, in the order --help lists them."""
    group = hasattr(command, "commands")
    if path and (not group or command.invoke_without_command):
        yield path, command
    if group:
        context = typer.Context(command)
        for name in command.list_commands(context):  # the top level builds its groups on first use
            yield from _commands(command.get_command(context, name), (*path, name))


def _help(path: tuple[str, ...]) -> str:
    """What `nearshore PATH --help` prints on a terminal WIDTH columns wide."""
    from typer.testing import CliRunner

    width = str(WIDTH)
    env = {"COLUMNS": width, "TERMINAL_WIDTH": width, "NO_COLOR": "1", "FORCE_COLOR": None, "TTY_COMPATIBLE": None}
    result = CliRunner().invoke(app, [*path, "--help"], env=env, prog_name="nearshore")
    if result.exit_code != 0:
        raise RuntimeError(f"nearshore {' '.join(path)} --help failed: {result.output}")
    return "\n".join(line.rstrip() for line in result.output.splitlines()).strip("\n")


def reference() -> str:
    """The whole page: the top-level help, then each command's."""
    lines = [HEADER, "## nearshore", "", "```text", _help(()), "```", ""]
    for path, _ in _commands(typer.main.get_command(app), ()):
        lines += [f"## nearshore {' '.join(path)}", "", "```text", _help(path), "```", ""]
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str]) -> int:
    text = reference()
    if "--check" in argv:
        stale = not TARGET.exists() or TARGET.read_text(encoding="utf-8") != text
        if stale:
            print(f"{TARGET} is stale: run python -m nearshore.cli.reference", file=sys.stderr)
        return int(stale)
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
