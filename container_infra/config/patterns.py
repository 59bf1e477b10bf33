"""Regular expressions compiled on first use: the config's rules (names, images, ARNs, paths) are a dozen patterns,
2-5 ms to compile at import, and most runs check only a few of them (the default stack none)."""

from __future__ import annotations

import re


class LazyPattern:
    """`re.compile(pattern)`, done by the first `fullmatch()`; the only method the config's checks need."""

    __slots__ = ("pattern", "_compiled")

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self._compiled: re.Pattern[str] | None = None

    def fullmatch(self, text: str) -> re.Match[str] | None:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern)
        return self._compiled.fullmatch(text)

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r})"
