"""Terminal output: colour and tables on a TTY, plain lines in CI logs.

A line is built as text here, not printed through rich: rich's per-line print (segments, styles, a
write and a flush) cost ~150 us a line, several times the cost of computing a diff. The bytes stay
rich's: each style's escape codes are taken from the console once (so NO_COLOR, FORCE_COLOR and the
colour system apply as before), and a line rich would change (tabs, control characters, line
breaks) still goes through rich. Tables, which wrap to the terminal's width, are rich's as before.
Inside `batch()`, everything is joined and written once.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from rich.console import Console
from rich.table import Table

from container_infra.ui.table_text import table_text

EMPTY_CELL = "-"  # an empty cell in plain output: no dangling separator, columns still countable
UNNAMED_HEADER = "+/-"  # the change-mark column's header in plain output
RICH_REWRITES = re.compile(
    "[\t\n\r\x07\x08\x0b\x0c]"
)  # expanded, split or stripped by rich: such a line goes through rich
SENTINEL = "X"  # printed once per style to learn the codes around it


class Output:
    """Where the human-readable report goes (stdout, or stderr when stdout carries JSON)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout
        self.console = Console(file=self.stream, highlight=False, markup=False, soft_wrap=True, emoji=False)
        self._pending: list[str] | None = None  # the text of a batch, written when it ends
        self._tty: bool | None = None  # is_tty, asked once a batch
        self._codes: dict[str, tuple[str, str]] = {}  # style -> the codes before and after its text
        self._codes_of: Console | None = None  # the console the codes came from (a test may swap it)

    @property
    def is_tty(self) -> bool:
        return self._tty if self._tty is not None else self.console.is_terminal

    def line(self, text: str = "", style: str | None = None) -> None:
        style = style if self.is_tty else None
        if not self._plain_console():
            self.console.print(text, style=style)
            return
        self._emit(self._line_text(text, style))

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
            self._bordered_table([headers[i] for i in shown], [[row[i] for i in shown] for row in rows], styles)
            return
        self.line(" | ".join(header or UNNAMED_HEADER for header in headers))
        for row in rows:
            self.line(" | ".join(cell if cell.strip() else EMPTY_CELL for cell in row))

    def _bordered_table(self, headers: list[str], rows: list[list[str]], styles: list[str | None]) -> None:
        """Built as text when every cell fits on one line; rich lays out (and wraps) the others."""
        if not self._plain_console():
            self.console.print(self._rich_table(headers, rows, styles), soft_wrap=False)
            return
        text = table_text(self.console, headers, rows, styles, self._codes_for)
        self._emit(
            text
            if text is not None
            else self._through_rich(self._rich_table(headers, rows, styles), None, soft_wrap=False)
        )

    @staticmethod
    def _rich_table(headers: list[str], rows: list[list[str]], styles: list[str | None]) -> Table:
        table = Table(show_lines=True)
        for header in headers:
            table.add_column(header, overflow="fold")
        for row, style in zip(rows, styles, strict=True):
            table.add_row(*row, style=style)
        return table

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Collect what is printed inside, and write it at once at the end (also when an error cuts it short)."""
        if (
            self._pending is not None or not self._plain_console()
        ):  # the outer batch writes; rich's own consoles print per line
            yield
            return
        self._pending, self._tty = [], self.console.is_terminal
        try:
            yield
        finally:
            text, self._pending, self._tty = "".join(self._pending), None, None
            self._write(text)

    def _emit(self, text: str) -> None:
        if self._pending is not None:
            self._pending.append(text)
        else:
            self._write(text)

    def _write(self, text: str) -> None:
        """Write and flush, failing as rich's own write does."""
        if not text or self.console.quiet:
            return
        try:
            self.stream.write(text)
            self.stream.flush()
        except BrokenPipeError:
            self.console.on_broken_pipe()  # silence stdout, exit 1
        except UnicodeEncodeError as error:
            error.reason = f"{error.reason}\n*** You may need to add PYTHONIOENCODING=utf-8 to your environment ***"
            raise

    def _line_text(self, text: str, style: str | None) -> str:
        if RICH_REWRITES.search(text):
            return self._through_rich(text, style)
        if style is None or not text:
            return text + "\n"
        before, after = self._codes_for(style)
        return before + text + after + "\n"

    def _codes_for(self, style: str | None) -> tuple[str, str]:
        """The escape codes this console writes before and after a text in this style (none for no style)."""
        if style is None:
            return "", ""
        if self._codes_of is not self.console:
            self._codes, self._codes_of = {}, self.console
        codes = self._codes.get(style)
        if codes is None:
            before, _, after = self._through_rich(SENTINEL, style).partition(SENTINEL)
            codes = self._codes[style] = (before, after.removesuffix("\n"))
        return codes

    def _plain_console(self) -> bool:
        """A console that writes exactly what it renders; the others (legacy Windows, Jupyter, recording) print through rich."""
        console = self.console
        return not (console.legacy_windows or console.is_jupyter or console.record)

    def _through_rich(self, renderable: object, style: str | None, *, soft_wrap: bool | None = None) -> str:
        """Exactly what rich would write for this print, as text."""
        with self.console.capture() as captured:
            self.console.print(renderable, style=style, soft_wrap=soft_wrap)
        return captured.get()
