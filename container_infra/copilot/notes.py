"""What could not be converted: a comment in the config at its place, and one stderr line each."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from container_infra.errors import UserError

COMMENTS = "#"  # the key under which a table of the converted config carries its comment lines
DURATION = re.compile(r"(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)s)?")


@dataclass(frozen=True)
class Unmapped:
    field: str  # the manifest's field, dotted: http.stickiness
    value: Any
    why: str

    def line(self) -> str:
        return f"{self.field} = {shown(self.value)}: {self.why}"


@dataclass
class Notes:
    """Collects what one manifest (or one environment's view of it) leaves unconverted."""

    source: str
    prefix: str = ""  # "environments.prod." for an environment's overrides
    items: list[Unmapped] = field(default_factory=list)

    def skip(self, table: dict[str, Any], name: str, value: Any, why: str) -> None:
        item = Unmapped(self.prefix + name, value, why)
        self.items.append(item)
        table.setdefault(COMMENTS, []).append(f"not converted: {item.line()}")

    def fail(self, name: str, value: Any, allowed: str) -> UserError:
        return UserError(f"{self.source}: {self.prefix}{name} = {shown(value)}: {allowed}")


def shown(value: Any) -> str:
    text = json.dumps(value, default=str, ensure_ascii=False)
    return text if len(text) <= 120 else text[:117] + "..."


def seconds(value: Any, name: str, notes: Notes) -> int:
    """Copilot's Duration (`10s`, `2m`, `1m30s`) or a number of seconds."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    match = DURATION.fullmatch(value) if isinstance(value, str) and value else None
    if match is None:
        raise notes.fail(name, value, "must be a duration like 10s, 2m or 1m30s")
    hours, minutes, secs = (int(part or 0) for part in match.groups())
    return hours * 3600 + minutes * 60 + secs


def mapping(value: Any, name: str, notes: Notes, what: str) -> dict[str, Any]:
    """A manifest field that must be a map; absent is empty."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise notes.fail(name, value, f"must be a map of {what}")
    return value
