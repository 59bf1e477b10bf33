"""Strict reading of one TOML table: typed keys, defaults, and no unknown key left unread."""

from __future__ import annotations

import json
import re
from typing import Any, TypeVar

from container_infra.errors import ConfigError

T = TypeVar("T")
D = TypeVar("D")

_KIND_NAMES = {bool: "true or false", int: "an integer", str: "a string", dict: "a table", list: "an array"}
ECS_NAME = re.compile(r"[A-Za-z0-9_-]{1,255}")  # a cluster, a task family, a container
ECS_NAME_RULE = "letters, digits, '_' and '-', 1-255 characters"


def as_toml(value: Any) -> str:
    """A value as the user wrote it in TOML, shortened for a one-line message."""
    text = json.dumps(value, default=str, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "..."


class Table:
    """A TOML table being read; `done()` rejects any key nobody asked for (typos must never pass)."""

    def __init__(self, data: dict[str, Any], path: str, source: str) -> None:
        self.data = data
        self.path = path
        self.source = source
        self._read: set[str] = set()

    def key_path(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def fail(self, key: str, value: Any, allowed: str) -> ConfigError:
        return ConfigError(f"{self.source}: {self.key_path(key)} = {as_toml(value)}: {allowed}")

    def get(self, key: str, kind: type[T], default: D) -> T | D:
        self._read.add(key)
        if key not in self.data:
            return default
        value = self.data[key]
        # bool is a subclass of int in Python; `cpu = true` must not pass as 1.
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.fail(key, value, f"must be {_KIND_NAMES.get(kind, kind.__name__)}")
        if isinstance(value, str) and not value.strip():
            raise self.fail(key, value, "empty; give a value, or leave the key out for its default")
        return value

    def int_between(self, key: str, default: int, low: int, high: int) -> int:
        value = self.get(key, int, default)
        if not low <= value <= high:
            raise self.fail(key, value, f"must be an integer from {low} to {high}")
        return value

    def has(self, key: str) -> bool:
        return key in self.data

    def table(self, key: str) -> Table:
        return Table(self.get(key, dict, {}), self.key_path(key), self.source)

    def optional_table(self, key: str) -> Table | None:
        """A sub-table, or None when the file does not have it (an absent section switches a feature off)."""
        return self.table(key) if key in self.data else self._mark_read(key)

    def _mark_read(self, key: str) -> None:
        self._read.add(key)

    def tables(self, key: str) -> list[Table] | None:
        """An array of tables (`[[task.containers]]`); None when the key is absent."""
        if key not in self.data:
            self._read.add(key)
            return None
        items = self.get(key, list, [])
        tables = []
        for index, item in enumerate(items):
            path = f"{self.key_path(key)}[{index}]"
            if not isinstance(item, dict):
                raise ConfigError(
                    f"{self.source}: {path} = {as_toml(item)}: must be a table ([[{self.key_path(key)}]])"
                )
            tables.append(Table(item, path, self.source))
        return tables

    def done(self) -> None:
        for key in self.data:
            if key not in self._read:
                allowed = ", ".join(sorted(self._read))
                where = f"[{self.path}]" if self.path else "the top level"
                raise self.fail(key, self.data[key], f"unknown key; allowed in {where}: {allowed}")


def ecs_name(table: Table, key: str, default: str) -> str:
    """A name ECS takes for a cluster, a task family or a container."""
    name = table.get(key, str, default)
    if not ECS_NAME.fullmatch(name):
        raise table.fail(key, name, f"must be {ECS_NAME_RULE}")
    return name
