"""CloudFormation's pre-deployment validation of a change set (DescribeEvents, 2025), made pure.

A validation whose ValidationFailureMode is FAIL stops the deploy with its reason; WARN is shown before the prompt.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

VALIDATION_EVENT = "VALIDATION_ERROR"


@dataclass
class Validation:
    name: str  # ValidationName
    mode: str  # FAIL or WARN
    status: str  # FAILED, SKIPPED, ...
    reason: str
    logical_id: str = ""
    path: str = ""  # where in the template

    @property
    def fails(self) -> bool:
        return self.mode == "FAIL" and self.status == "FAILED"

    @property
    def line(self) -> str:
        where = " ".join(part for part in (self.logical_id, self.path) if part)
        mark = "✗" if self.fails else "?"
        return f"{mark} {self.name} {self.status}{' at ' + where if where else ''}: {self.reason or 'no reason given'}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "mode": self.mode,
            "status": self.status,
            "reason": self.reason,
            "logicalId": self.logical_id,
            "path": self.path,
            "fails": self.fails,
        }


def validations(events: list[dict[str, Any]]) -> list[Validation]:
    """The failed and warning validations among a change set's operation events, failures first."""
    found = []
    for event in events:
        if event.get("EventType") != VALIDATION_EVENT and "ValidationName" not in event:
            continue
        status = str(event.get("ValidationStatus", "FAILED"))
        if status not in ("FAILED", "WARNING") and event.get("ValidationFailureMode") != "WARN":
            continue
        found.append(
            Validation(
                name=str(event.get("ValidationName") or "validation"),
                mode=str(event.get("ValidationFailureMode") or "FAIL"),
                status=status,
                reason=str(event.get("ValidationStatusReason") or event.get("ResourceStatusReason") or ""),
                logical_id=str(event.get("LogicalResourceId") or ""),
                path=str(event.get("ValidationPath") or ""),
            )
        )
    return sorted(found, key=lambda v: (not v.fails, v.name, v.logical_id))


def failure_line(failed: list[Validation], stack_name: str) -> str:
    first = failed[0]
    more = f" (and {len(failed) - 1} more, listed above)" if len(failed) > 1 else ""
    return (
        f"not deploying to {stack_name}: CloudFormation's validation {first.name} failed: "
        f"{first.reason or 'no reason given'}{more}"
    )
