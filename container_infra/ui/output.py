"""Terminal output: colour on a TTY, plain text in CI logs and pipes; rich draws every line and table."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from container_infra.render.visible import visible
from container_infra.ui.live import LiveRows

# Below this many columns per table column, rich has no room for a cell's text beside its borders and padding (the
# cells come out blank): the table is printed as a list instead.
MIN_COLUMNS_PER_CELL = 6


class _GoesOnConsole(Console):
    """A reader that goes away (`deploy.py --yes | head -1`) does not stop the run: rich would exit 1 on the broken
    pipe, mid-deploy and silently. Output to it is dropped from then on, stderr says so once, and the run reports
    its outcome through its exit code."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        closed_reader(self.file)


def closed_reader(stream: TextIO) -> None:
    """A stream's reader is gone: what is still written there goes nowhere; for stdout, stderr says so (once)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
        if stream is sys.stdout and not getattr(closed_reader, "said", False):
            closed_reader.said = True  # type: ignore[attr-defined]
            print("note: stdout was closed; the rest of the report is not shown, the run goes on", file=sys.stderr)
    except (OSError, ValueError):
        pass


class Output:
    """Where the human-readable report goes (stdout, or stderr when stdout carries JSON)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout
        self.console = _GoesOnConsole(file=self.stream, highlight=False, markup=False, soft_wrap=True, emoji=False)

    @property
    def is_tty(self) -> bool:
        return self.console.is_terminal

    def line(self, text: str = "", style: str | None = None) -> None:
        """One line, always: a value's newline, terminal escape or bidi override is shown escaped, never acted on."""
        self.console.print(visible(text), style=style if self.is_tty else None)

    def heading(self, text: str) -> None:
        self.line()
        self.line(text, "bold underline")

    def table(self, headers: list[str], rows: list[list[str]], styles: list[str | None]) -> None:
        """The same table on a terminal and in a CI log: bordered, a header row, a rule between rows.

        A CI log or a pipe gets it in ASCII and without colour, at the console's width (80 columns unless
        COLUMNS says otherwise). Nothing is ever cut: what a person approves (an action, a principal, a port
        range) wraps, and a word longer than its column folds onto the next line, at any width."""
        tty = self.is_tty
        # a column empty in every row (say, Condition) takes no width from the ones that matter
        shown = [i for i, header in enumerate(headers) if not header or any(row[i].strip() for row in rows)]
        if shown and self.console.width < len(shown) * MIN_COLUMNS_PER_CELL + 1:
            self._as_list([headers[i] for i in shown], [[row[i] for i in shown] for row in rows], styles)
            return
        table = Table(box=box.HEAVY_HEAD if tty else box.ASCII2, show_lines=True)
        for i in shown:
            table.add_column(headers[i], overflow="fold")
        for row, style in zip(rows, styles, strict=True):
            table.add_row(*(visible(row[i]) for i in shown), style=style if tty else None)
        self.console.print(table, soft_wrap=False)

    def document(self, text: str) -> None:
        """A JSON or Markdown document: on stdout, which then holds nothing else, as it is."""
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except BrokenPipeError:
            closed_reader(sys.stdout)

    def _as_list(self, headers: list[str], rows: list[list[str]], styles: list[str | None]) -> None:
        """A table too wide for the console: each row a block of `header: value` lines (wrapped, never cut)."""
        for row, style in zip(rows, styles, strict=True):
            cells = [(header, cell) for header, cell in zip(headers, row, strict=True) if cell.strip()]
            lines = [f"{header}: {visible(cell)}" if header else visible(cell) for header, cell in cells]
            text = "\n".join([f"* {lines[0]}", *(f"  {line}" for line in lines[1:])]) if lines else "*"
            self.console.print(Text(text), style=style if self.is_tty else None, soft_wrap=False, overflow="fold")

    @contextmanager
    def live(self, mask: Callable[[str], str] = str) -> Iterator[LiveRows | None]:
        """Rows redrawn in place during a wait, on a terminal; None elsewhere (the wait prints plain lines then)."""
        if not self.is_tty:
            yield None
            return
        rows = LiveRows(self.console, mask)
        try:
            yield rows
        finally:
            rows.stop()

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Collect what is printed inside and write it at once at the end (also when an error cuts it short)."""
        with self.console:  # rich's own buffer: nested batches write once, when the outermost ends
            yield
