"""Terminal output: colour and tables on a TTY, plain lines in CI logs."""

from __future__ import annotations

import sys
from typing import TextIO

from rich.console import Console
from rich.table import Table


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
        """A bordered table on a TTY; one `a | b | c` line a row elsewhere (grep-able CI logs)."""
        if self.is_tty:
            table = Table(*headers, show_lines=False)
            for row, style in zip(rows, styles, strict=True):
                table.add_row(*row, style=style)
            self.console.print(table)
            return
        for row in rows:
            self.line(" | ".join(cell for cell in row))
