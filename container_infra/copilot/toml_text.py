"""Writing the converted config as TOML, with each table's comments under its header."""

from __future__ import annotations

import json
import re
from typing import Any

from container_infra.copilot.notes import COMMENTS

BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
INLINE = ("environment", "secrets", "health_check", "capacity")  # small tables kept on the container's line


def key(name: str) -> str:
    return name if BARE_KEY.fullmatch(name) else json.dumps(name)


def value(item: Any) -> str:
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, (int, float)):
        return str(item)
    if isinstance(item, list):
        return "[" + ", ".join(value(part) for part in item) + "]"
    if isinstance(item, dict):
        return "{ " + ", ".join(f"{key(k)} = {value(v)}" for k, v in item.items() if k != COMMENTS) + " }"
    return json.dumps(str(item), ensure_ascii=False)


def write_table(lines: list[str], path: str, table: dict[str, Any], header: str | None = None) -> None:
    subtables, own = [], []
    for name, item in table.items():
        if name == COMMENTS:
            continue
        if isinstance(item, dict) and name not in INLINE or name == "containers" and isinstance(item, list):
            subtables.append((name, item))
        else:
            own.append(f"{key(name)} = {value(item)}")
    comments = [f"# {comment}" for comment in table.get(COMMENTS, [])]
    if header is not None and (own or comments or not subtables):  # a header with nothing of its own is noise
        lines.extend(["", header])
    lines.extend(comments + own)
    for name, item in subtables:
        full = f"{path}.{key(name)}" if path else key(name)
        if isinstance(item, list):
            for part in item:
                write_table(lines, full, part, f"[[{full}]]")
        else:
            write_table(lines, full, item, f"[{full}]")
