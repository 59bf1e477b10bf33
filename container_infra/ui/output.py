"""Terminal output: colour and tables on a TTY, plain lines in CI logs."""

from __future__ import annotations

import sys
from typing import TextIO

from rich.console import Console
from rich.table import Table


EMPTY_CELL = "-"  # an empty cell in plain output: no dangling separator, columns still countable
UNNAMED_HEADER = "+/-"  # the change-mark column's header in plain output


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
        """A bordered table on a TTY; a header line and one `a | b | c` line a row elsewhere (grep-able CI logs).

        Nothing is ever cut: what a person approves (an action, a principal, a port range) wraps, and a
        word longer than its column folds onto the next line, at any terminal width."""
        if self.is_tty:
            # a column empty in every row (say, Condition) takes no width from the ones that matter
            shown = [i for i, header in enumerate(headers) if not header or any(row[i].strip() for row in rows)]
            table = Table(show_lines=True)
            for i in shown:
                table.add_column(headers[i], overflow="fold")
            for row, style in zip(rows, styles, strict=True):
                table.add_row(*(row[i] for i in shown), style=style)
            self.console.print(table, soft_wrap=False)
            return
        self.line(" | ".join(header or UNNAMED_HEADER for header in headers))
        for row in rows:
            self.line(" | ".join(cell if cell.strip() else EMPTY_CELL for cell in row))
