"""What a step prints, recorded: an Output's (text, style) pairs, and a stream's writes and flushes, in order."""

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


class RecordedStream:
    """A stream that records what is written and when it is flushed."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def write(self, text: str) -> int:
        self.calls.append(text)
        return len(text)

    def flush(self) -> None:
        self.calls.append("<flush>")
