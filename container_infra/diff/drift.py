"""Drift: what was changed outside CloudFormation, per resource and property (DescribeStackResourceDrifts, made
pure)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

DRIFTED_STATUSES = ("MODIFIED", "DELETED")


@dataclass
class PropertyDrift:
    path: str  # e.g. /DesiredCount
    expected: str
    actual: str
    kind: str  # ADD, REMOVE, NOT_EQUAL

    def as_dict(self) -> dict[str, Any]:
        return {"property": self.path, "expected": self.expected, "actual": self.actual, "difference": self.kind}


@dataclass
class DriftedResource:
    logical_id: str
    resource_type: str
    status: str  # MODIFIED or DELETED
    differences: list[PropertyDrift] = field(default_factory=list)
    in_diff: bool = False  # this deploy changes the resource too
    reverted: bool = False  # a REVERT_DRIFT change set puts the template's values back

    def as_dict(self) -> dict[str, Any]:
        return {
            "logicalId": self.logical_id,
            "type": self.resource_type,
            "status": self.status,
            "inDiff": self.in_diff,
            "reverted": self.reverted,
            "properties": [d.as_dict() for d in self.differences],
        }


def drifted_resources(drifts: list[dict[str, Any]], *, changing: set[str], reverting: bool) -> list[DriftedResource]:
    """The drifted resources (MODIFIED or DELETED) in logical-ID order, each marked if this deploy touches it."""
    rows = []
    for drift in drifts:
        status = str(drift.get("StackResourceDriftStatus", ""))
        if status not in DRIFTED_STATUSES:
            continue
        logical_id = str(drift.get("LogicalResourceId", ""))
        differences = [
            PropertyDrift(
                str(d.get("PropertyPath", "")),
                _text(d.get("ExpectedValue")),
                _text(d.get("ActualValue")),
                str(d.get("DifferenceType", "")),
            )
            for d in drift.get("PropertyDifferences") or []
        ]
        rows.append(
            DriftedResource(
                logical_id,
                str(drift.get("ResourceType", "")),
                status,
                differences,
                in_diff=logical_id in changing,
                reverted=reverting,
            )
        )
    return sorted(rows, key=lambda r: r.logical_id)


def _text(value: Any) -> str:
    return "(none)" if value in (None, "") else str(value)
