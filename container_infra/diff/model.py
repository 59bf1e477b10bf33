"""The diff of a deployment, as data: parameter, access, resource and output changes.

`container_infra.diff.compute` computes it; `container_infra.render.text` shows it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from container_infra.cfn.intrinsics import show
from container_infra.diff.security import IamStatement, SecurityGroupRule

ACTION_MARKS = {"Add": "+", "Remove": "-", "Modify": "~", "Import": "←", "Dynamic": "?"}


@dataclass
class ValueChange:
    name: str
    old: Any
    new: Any
    replacement: str | None = None  # "replace" / "may be replaced" for resource properties

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "old": show(self.old) if self.old is not None else None,
            "new": show(self.new) if self.new is not None else None,
            "replacement": self.replacement,
        }


@dataclass
class ResourceChange:
    action: str  # Add, Remove, Modify, Import, Dynamic (the change set's words)
    logical_id: str
    resource_type: str
    replacement: str | None = None  # "replace" or "may be replaced"
    properties: list[ValueChange] = field(default_factory=list)
    warning: str | None = None  # a stateful resource that would be deleted or replaced

    @property
    def mark(self) -> str:
        return ACTION_MARKS.get(self.action, "~")

    def as_dict(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "logicalId": self.logical_id,
            "type": self.resource_type,
            "replacement": self.replacement,
            "properties": [p.as_dict() for p in self.properties],
            "warning": self.warning,
        }


@dataclass
class GuardedChange:
    """A replacement or deletion of something that carries traffic or data: the deploy stops without
    --allow-replacement."""

    logical_id: str
    resource_type: str
    what: str  # "replaced", "may be replaced", "removed"
    why: str  # "carries traffic", "holds data", "DeletionPolicy Retain", ...

    @property
    def text(self) -> str:
        return f"{self.resource_type} {self.logical_id} is {self.what.upper()} ({self.why})"

    def as_dict(self) -> dict[str, Any]:
        return {"logicalId": self.logical_id, "type": self.resource_type, "what": self.what, "why": self.why}


@dataclass
class Diff:
    parameters: list[ValueChange] = field(default_factory=list)
    iam_added: list[IamStatement] = field(default_factory=list)
    iam_removed: list[IamStatement] = field(default_factory=list)
    rules_added: list[SecurityGroupRule] = field(default_factory=list)
    rules_removed: list[SecurityGroupRule] = field(default_factory=list)
    resources: list[ResourceChange] = field(default_factory=list)
    outputs: list[ValueChange] = field(default_factory=list)
    stack_tags: list[ValueChange] = field(default_factory=list)  # --tag: the stack's own tags, not a resource's
    # What stops a deploy, what changed outside CloudFormation, and what CloudFormation's validation says.
    guarded: list[GuardedChange] = field(default_factory=list)
    drift: list[Any] = field(default_factory=list)  # container_infra.diff.drift.DriftedResource
    validations: list[Any] = field(default_factory=list)  # container_infra.diff.validation.Validation
    reverts_drift: bool = False

    @property
    def has_changes(self) -> bool:
        return bool(
            self.parameters
            or self.iam_added
            or self.iam_removed
            or self.rules_added
            or self.rules_removed
            or self.resources
            or self.outputs
            or self.stack_tags
        )

    @property
    def broadens_access(self) -> bool:
        """New Allow statements, Deny statements taken away (what they denied may now be allowed), or new ingress
        rules: the approval prompt says so."""
        return (
            any(s.effect == "Allow" for s in self.iam_added)
            or any(s.effect == "Deny" for s in self.iam_removed)
            or any(r.direction == "ingress" for r in self.rules_added)
        )

    @property
    def warnings(self) -> list[str]:
        return [r.warning for r in self.resources if r.warning]

    def as_dict(self) -> dict[str, Any]:
        return {
            "hasChanges": self.has_changes,
            "broadensAccess": self.broadens_access,
            "guardedResources": [g.as_dict() for g in self.guarded],  # replacement warnings first, as in the text
            "parameters": [p.as_dict() for p in self.parameters],
            "iamStatements": [{"change": "+", **s.as_dict()} for s in self.iam_added]
            + [{"change": "-", **s.as_dict()} for s in self.iam_removed],
            "securityGroupRules": [{"change": "+", **r.as_dict()} for r in self.rules_added]
            + [{"change": "-", **r.as_dict()} for r in self.rules_removed],
            "resources": [r.as_dict() for r in self.resources],
            "outputs": [o.as_dict() for o in self.outputs],
            "stackTags": [t.as_dict() for t in self.stack_tags],
            "warnings": self.warnings,
            "drift": [d.as_dict() for d in self.drift],
            "revertsDrift": self.reverts_drift,
            "validations": [v.as_dict() for v in self.validations],
        }
