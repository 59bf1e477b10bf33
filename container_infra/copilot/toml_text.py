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


class NullValue(ValueError):
    """A manifest's explicit null that reached the config: TOML has no null, and its Python name is no value."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def value(item: Any, where: str = "") -> str:
    if item is None:
        raise NullValue(where)
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, (int, float)):
        return str(item)
    if isinstance(item, list):
        return "[" + ", ".join(value(part, where) for part in item) + "]"
    if isinstance(item, dict):
        return (
            "{ " + ", ".join(f"{key(k)} = {value(v, f'{where}.{k}')}" for k, v in item.items() if k != COMMENTS) + " }"
        )
    return json.dumps(str(item), ensure_ascii=False)


def write_table(lines: list[str], path: str, table: dict[str, Any], header: str | None = None) -> None:
    subtables, own = [], []
    for name, item in table.items():
        if name == COMMENTS:
            continue
        if isinstance(item, dict) and name not in INLINE or name == "containers" and isinstance(item, list):
            subtables.append((name, item))
        else:
            own.append(f"{key(name)} = {value(item, f'{path}.{name}' if path else name)}")
    comments = [f"# {comment}" for comment in table.get(COMMENTS, [])]
    if header is not None and (own or comments or not subtables):  # a header with nothing of its own is noise
        lines.extend(["", header])
    lines.extend(comments + own)
    for name, item in subtables:
        full = f"{path}.{key(name)}" if path else key(name)
        if isinstance(item, list):
            for index, part in enumerate(item):
                try:
                    write_table(lines, full, part, f"[[{full}]]")
                except NullValue as null:  # named as the loader names it: task.containers[1].port
                    raise NullValue(null.key.replace(full, f"{full}[{index}]", 1)) from None
        else:
            write_table(lines, full, item, f"[{full}]")
