"""The one progress bar of the command line: quiet with --quiet and when stderr is not a terminal.

Services report `Step`s through their context; this turns them into a transient Rich bar on stderr (a spinner
until a step says how many there are). Nothing is drawn until the first step arrives.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from nearshore.services.base import Step


@contextmanager
def progress_bar(quiet: bool = False) -> Iterator[Callable[[Step], None]]:
    """A callback for services' steps, drawing a bar while the block runs (nothing when quiet or piped)."""
    if quiet or not sys.stderr.isatty():
        yield lambda step: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

    bar = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task: list[Any] = []

    def update(step: Step) -> None:
        if not task:
            bar.start()
            task.append(bar.add_task(step.label, total=step.total))
        bar.update(task[0], description=step.label, completed=step.done, total=step.total)

    try:
        yield update
    finally:
        if task:
            bar.stop()
