"""Stack events: what one operation's events mean (its end, its root cause) and how each reads as a line."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from container_infra.cfn.constants import RESOURCE_DONE_STATUSES, STACK_TYPE, SUCCESS_STATUSES, TERMINAL_STATUSES


@dataclass
class FollowResult:
    status: str
    events: list[dict[str, Any]] = field(default_factory=list)  # this operation's, oldest first

    @property
    def succeeded(self) -> bool:
        return self.status in SUCCESS_STATUSES

    def root_cause(self) -> dict[str, Any] | None:
        """The first resource that failed for a reason of its own (not 'Resource creation cancelled')."""
        failures = [e for e in self.events if str(e.get("ResourceStatus", "")).endswith("_FAILED")]
        for event in failures:
            reason = str(event.get("ResourceStatusReason", ""))
            if event.get("ResourceType") != STACK_TYPE and "cancel" not in reason.lower():
                return event
        return failures[0] if failures else None


def ends_operation(event: dict[str, Any], stack_id: str, stack_name: str) -> bool:
    """The stack's own terminal event: this stack (by name and id), in a final status."""
    return (
        event.get("ResourceType") == STACK_TYPE
        and event.get("LogicalResourceId") == stack_name
        and event.get("PhysicalResourceId", stack_id) == stack_id
        and event.get("ResourceStatus") in TERMINAL_STATUSES
    )


OPERATION_STARTS = frozenset({"CREATE_IN_PROGRESS", "UPDATE_IN_PROGRESS", "DELETE_IN_PROGRESS", "IMPORT_IN_PROGRESS"})


def starts_operation(event: dict[str, Any], stack_id: str, stack_name: str) -> bool:
    """The stack's own event that begins an operation (its rollback, if any, belongs to the same operation)."""
    return (
        event.get("ResourceType") == STACK_TYPE
        and event.get("LogicalResourceId") == stack_name
        and event.get("PhysicalResourceId", stack_id) == stack_id
        and event.get("ResourceStatus") in OPERATION_STARTS
    )


def operation_name(status: str) -> str:
    """`UPDATE_ROLLBACK_IN_PROGRESS` -> `update`: what a person would cancel or stop."""
    return status.split("_", 1)[0].lower()


def failure_line(stack_name: str, status: str, root: dict[str, Any] | None) -> str:
    if root is None:
        return f"{stack_name} ended {status}; see its events for why"
    return (
        f"{stack_name} ended {status}. Root cause: {root.get('ResourceType')} {root.get('LogicalResourceId')} "
        f"{root.get('ResourceStatus')}: {root.get('ResourceStatusReason', 'no reason given')}"
    )


class Progress:
    """`[done/total]` over the resources an operation touches, and each event as one line."""

    def __init__(self, resource_ids: set[str]) -> None:
        self.resource_ids = resource_ids
        self.done: set[str] = set()

    def line(self, event: dict[str, Any]) -> tuple[str, str | None]:
        status = str(event.get("ResourceStatus", ""))
        logical_id = str(event.get("LogicalResourceId", ""))
        if status in RESOURCE_DONE_STATUSES and logical_id in self.resource_ids:
            self.done.add(logical_id)
        progress = f"[{len(self.done)}/{len(self.resource_ids)}] " if self._counts(event) else ""
        reason = event.get("ResourceStatusReason")
        text = f"{_clock(event.get('Timestamp'))}  {progress}{status:<20} {event.get('ResourceType', '')}  {logical_id}"
        style = "red" if status.endswith("_FAILED") else "green" if status in RESOURCE_DONE_STATUSES else None
        return text + (f"  {reason}" if reason else ""), style

    def _counts(self, event: dict[str, Any]) -> bool:
        """Whether the line shows the counter. Not on the stack's own final line when no resource's event moved it:
        an endpoint that sends only the stack's events would end on `[0/3] UPDATE_COMPLETE`, which is not so."""
        if not self.resource_ids:
            return False
        final = event.get("ResourceType") == STACK_TYPE and event.get("ResourceStatus") in TERMINAL_STATUSES
        return bool(self.done) or not final


def _clock(timestamp: Any) -> str:
    if isinstance(timestamp, datetime):
        return timestamp.astimezone().strftime("%H:%M:%S")
    return str(timestamp or "")[:8]
