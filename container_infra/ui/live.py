"""A wait on a terminal, shown live: rich's progress display, one row per thing waited for (what it is doing, and
the time it has taken), redrawn in place while the lines printed meanwhile scroll above it, and gone when the wait
ends. Only on a terminal: a CI log or a pipe gets the plain lines the waits print there instead."""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

from container_infra.render.visible import visible

REFRESHES_PER_SECOND = 2  # the elapsed time counts seconds: more redraws would only fill a terminal's scrollback


class LiveRows:
    """Started at the first row, so a wait that ends at its first look draws nothing."""

    def __init__(self, console: Console, mask: Callable[[str], str]) -> None:
        self.mask = mask
        self.display = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}", markup=False),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            refresh_per_second=REFRESHES_PER_SECOND,
            redirect_stdout=False,  # stdout may carry a JSON or Markdown document: nothing of the display goes there
            redirect_stderr=False,
        )
        self.rows: dict[str, TaskID] = {}

    def show(self, key: str, text: str) -> None:
        """The row for `key` says `text` now (a new row, timed from now, for a new key)."""
        description = visible(self.mask(text))
        if not self.rows:
            self.display.start()
        if key in self.rows:
            self.display.update(self.rows[key], description=description)
        else:
            self.rows[key] = self.display.add_task(description, total=None)

    def row(self, key: str) -> Callable[[str], None]:
        return lambda text: self.show(key, text)

    def stop(self) -> None:
        if self.rows:
            self.display.stop()  # also after Ctrl-C: the cursor comes back and the rows are cleared
