"""A change set made earlier (--diff --keep) and executed now (--execute): is it still the one that was reviewed?"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from container_infra.cfn.constants import DELETE_COMPLETE, REVIEW_IN_PROGRESS, is_busy

NEW_REVIEW = "review a new one (deploy.py --diff --keep) and execute that"


def stale_reason(change_set: dict[str, Any], stack: dict[str, Any] | None) -> str | None:
    """Why executing the change set now would not apply what was reviewed; None when it still would."""
    execution, status = change_set.get("ExecutionStatus"), change_set.get("Status")
    if execution != "AVAILABLE":
        reason = f": {change_set['StatusReason']}" if change_set.get("StatusReason") else ""
        return f"it is {execution} (status {status}{reason}), not AVAILABLE; {NEW_REVIEW}"
    # DescribeStacks by stack ID still answers for a deleted stack (DELETE_COMPLETE), and its last update can be
    # older than the change set: gone all the same
    if stack is None or stack["StackStatus"] == DELETE_COMPLETE:
        return f"its stack no longer exists; {NEW_REVIEW}"
    if is_busy(str(stack["StackStatus"])):
        return f"stack {stack['StackName']} is {stack['StackStatus']}; wait for it to finish, then {NEW_REVIEW}"
    if stack["StackStatus"] == REVIEW_IN_PROGRESS:
        return None  # a CREATE change set: nothing has happened to the stack since
    changed = last_change(stack)
    created = change_set.get("CreationTime")
    if isinstance(changed, datetime) and isinstance(created, datetime) and changed > created:
        return (
            f"stack {stack['StackName']} changed at {changed.isoformat(timespec='seconds')}, after the change set was "
            "made "
            f"at {created.isoformat(timespec='seconds')} ({stack['StackStatus']}); {NEW_REVIEW}"
        )
    return None


def last_change(stack: dict[str, Any]) -> Any:
    return stack.get("LastUpdatedTime") or stack.get("CreationTime")


def parameter_values(change_set: dict[str, Any]) -> dict[str, str]:
    return {p["ParameterKey"]: str(p.get("ParameterValue", "")) for p in change_set.get("Parameters") or []}
