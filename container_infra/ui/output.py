"""Terminal output: colour on a TTY, plain text in CI logs and pipes; rich draws every line and table."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

# Below this many columns per table column, rich has no room for a cell's text beside its borders and padding (the
# cells come out blank): the table is printed as a list instead.
MIN_COLUMNS_PER_CELL = 6


class Output:
    """Where the human-readable report goes (stdout, or stderr when stdout carries JSON)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout
        self.console = Console(file=self.stream, highlight=False, markup=False, soft_wrap=True, emoji=False)

    @property
    def is_tty(self) -> bool:
        return self.console.is_terminal

    def line(self, text: str = "", style: str | None = None) -> None:
        self.console.print(text, style=style if self.is_tty else None)

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
            table.add_row(*(row[i] for i in shown), style=style if tty else None)
        self.console.print(table, soft_wrap=False)

    def _as_list(self, headers: list[str], rows: list[list[str]], styles: list[str | None]) -> None:
        """A table too wide for the console: each row a block of `header: value` lines (wrapped, never cut)."""
        for row, style in zip(rows, styles, strict=True):
            cells = [(header, cell) for header, cell in zip(headers, row, strict=True) if cell.strip()]
            lines = [f"{header}: {cell}" if header else cell for header, cell in cells]
            text = "\n".join([f"* {lines[0]}", *(f"  {line}" for line in lines[1:])]) if lines else "*"
            self.console.print(Text(text), style=style if self.is_tty else None, soft_wrap=False, overflow="fold")

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Collect what is printed inside and write it at once at the end (also when an error cuts it short)."""
        with self.console:  # rich's own buffer: nested batches write once, when the outermost ends
            yield
