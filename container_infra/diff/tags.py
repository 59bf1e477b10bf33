"""The stack's own tags: what --tag changes. Given tags replace the stack's whole set (UpdateStack's Tags, which an
UPDATE change set applies), so a tag the stack has and --tag leaves out is removed; without --tag nothing changes."""

from __future__ import annotations

from typing import Any

from container_infra.diff.model import ValueChange


def current_tags(stack: dict[str, Any] | None) -> dict[str, str]:
    return {str(t["Key"]): str(t.get("Value", "")) for t in (stack or {}).get("Tags") or [] if "Key" in t}


def tag_changes(current: dict[str, str], given: dict[str, str]) -> list[ValueChange]:
    if not given:
        return []  # Tags are left out of the change set: the stack keeps its own
    changes = [
        ValueChange(key, current.get(key), value) for key, value in sorted(given.items()) if current.get(key) != value
    ]
    return changes + [ValueChange(key, value, None) for key, value in sorted(current.items()) if key not in given]
