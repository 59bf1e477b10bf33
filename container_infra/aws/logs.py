"""CloudWatch Logs reads: events across a group's streams, and the last lines of one stream."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from container_infra.errors import AwsError


def filter_events(
    logs: Any,
    group: str,
    *,
    start_ms: int,
    end_ms: int | None = None,
    stream_prefix: str | None = None,
    pattern: str | None = None,
) -> Iterator[dict[str, Any]]:
    """FilterLogEvents, every page: the group's events from `start_ms`, in the streams starting with `stream_prefix`."""
    kwargs: dict[str, Any] = {"logGroupName": group, "startTime": start_ms}
    if end_ms is not None:
        kwargs["endTime"] = end_ms
    if stream_prefix:
        kwargs["logStreamNamePrefix"] = stream_prefix
    if pattern:
        kwargs["filterPattern"] = pattern
    for page in logs.get_paginator("filter_log_events").paginate(**kwargs):
        yield from page.get("events", [])


def last_events(logs: Any, group: str, stream: str, limit: int) -> list[dict[str, Any]] | None:
    """The stream's last `limit` events, oldest first; None when the stream (or the group) does not exist."""
    try:
        response = logs.get_log_events(logGroupName=group, logStreamName=stream, limit=limit, startFromHead=False)
    except AwsError as error:
        if error.code == "ResourceNotFoundException":
            return None
        raise
    return list(response.get("events", []))


def log_group_exists(logs: Any, name: str) -> bool:
    groups = logs.describe_log_groups(logGroupNamePrefix=name).get("logGroups", [])
    return any(group.get("logGroupName") == name for group in groups)
