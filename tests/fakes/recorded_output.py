"""An Output that records what a step prints, as (text, style) pairs, for tests that check lines and their order."""

from __future__ import annotations


class RecordedLines:
    def __init__(self) -> None:
        self.lines: list[tuple[str, str | None]] = []

    def line(self, text: str = "", style: str | None = None) -> None:
        self.lines.append((text, style))

    def heading(self, text: str) -> None:
        self.lines.append((text, "heading"))

    def table(self, headers: list[str], rows: list[list[str]], styles: list[str | None]) -> None:
        self.lines.extend((" ".join(row), "table") for row in rows)
