"""The progress bars management commands show while they work (seeding, building the site)."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


def progress_bars(stream) -> Progress:
    """A rich ``Progress`` writing to ``stream``: a named bar per task with done/total and the time taken.

    The bars are redrawn only on a terminal; into a log or a pipe they are printed once, at the end.
    """
    return Progress(
        TextColumn("{task.description:<16}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(file=stream, force_terminal=None),
    )
