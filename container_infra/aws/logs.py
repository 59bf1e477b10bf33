"""CloudWatch Logs reads."""

from __future__ import annotations

from typing import Any


def log_group_exists(logs: Any, name: str) -> bool:
    groups = logs.describe_log_groups(logGroupNamePrefix=name).get("logGroups", [])
    return any(group.get("logGroupName") == name for group in groups)
