"""The diff of a deployment, in the spirit of `cdk diff`, from two templates and a change set.

Property-level changes come from comparing the deployed template with the new one (both with
parameters resolved); actions and replacement come from the change set where it has them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from container_infra.deploy.intrinsics import resolve_parameters, show
from container_infra.deploy.security import IamStatement, SecurityGroupRule, changed_rows, iam_statements, security_group_rules

STATEFUL_TYPES = frozenset(
    {
        "AWS::Logs::LogGroup",
        "AWS::ECR::Repository",
        "AWS::S3::Bucket",
        "AWS::DynamoDB::Table",
        "AWS::RDS::DBInstance",
        "AWS::RDS::DBCluster",
        "AWS::EFS::FileSystem",
    }
)
RESOURCE_ATTRIBUTES = ("DeletionPolicy", "UpdateReplacePolicy", "Condition", "DependsOn")
ACTION_MARKS = {"Add": "+", "Remove": "-", "Modify": "~", "Import": "←", "Dynamic": "?"}


@dataclass
class ValueChange:
    name: str
    old: Any
    new: Any
    replacement: str | None = None  # "replace" / "may be replaced" for resource properties

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "old": show(self.old) if self.old is not None else None,
                "new": show(self.new) if self.new is not None else None, "replacement": self.replacement}


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
class Diff:
    parameters: list[ValueChange] = field(default_factory=list)
    iam_added: list[IamStatement] = field(default_factory=list)
    iam_removed: list[IamStatement] = field(default_factory=list)
    rules_added: list[SecurityGroupRule] = field(default_factory=list)
    rules_removed: list[SecurityGroupRule] = field(default_factory=list)
    resources: list[ResourceChange] = field(default_factory=list)
    outputs: list[ValueChange] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return bool(self.parameters or self.iam_added or self.iam_removed or self.rules_added
                    or self.rules_removed or self.resources or self.outputs)

    @property
    def broadens_access(self) -> bool:
        """New Allow statements or new ingress rules: the approval prompt says so."""
        return any(s.effect == "Allow" for s in self.iam_added) or any(r.direction == "ingress" for r in self.rules_added)

    @property
    def warnings(self) -> list[str]:
        return [r.warning for r in self.resources if r.warning]

    def as_dict(self) -> dict[str, Any]:
        return {
            "hasChanges": self.has_changes,
            "broadensAccess": self.broadens_access,
            "parameters": [p.as_dict() for p in self.parameters],
            "iamStatements": [{"change": "+", **s.as_dict()} for s in self.iam_added]
            + [{"change": "-", **s.as_dict()} for s in self.iam_removed],
            "securityGroupRules": [{"change": "+", **r.as_dict()} for r in self.rules_added]
            + [{"change": "-", **r.as_dict()} for r in self.rules_removed],
            "resources": [r.as_dict() for r in self.resources],
            "outputs": [o.as_dict() for o in self.outputs],
            "warnings": self.warnings,
        }


def compute_diff(
    old_template: dict[str, Any],
    new_template: dict[str, Any],
    *,
    old_parameters: dict[str, Any],
    new_parameters: dict[str, Any],
    change_set: dict[str, Any] | None,
) -> Diff:
    old = resolve_parameters(old_template, old_parameters)
    new = resolve_parameters(new_template, new_parameters)
    diff = Diff()
    diff.parameters = _parameter_changes(old_parameters, new_parameters, new_template)
    diff.iam_added, diff.iam_removed = changed_rows(iam_statements(old), iam_statements(new))
    diff.rules_added, diff.rules_removed = changed_rows(security_group_rules(old), security_group_rules(new))
    diff.resources = _resource_changes(old.get("Resources") or {}, new.get("Resources") or {}, change_set)
    diff.outputs = _named_changes(old.get("Outputs") or {}, new.get("Outputs") or {}, lambda o: o.get("Value"))
    return diff


def _parameter_changes(old: dict[str, Any], new: dict[str, Any], template: dict[str, Any]) -> list[ValueChange]:
    specs = template.get("Parameters") or {}
    changes = []
    for name in sorted(set(old) | set(new)):
        if old.get(name) != new.get(name):
            secret = (specs.get(name) or {}).get("NoEcho") in (True, "true", "True")
            changes.append(ValueChange(name, "****" if secret and name in old else old.get(name),
                                       "****" if secret and name in new else new.get(name)))
    return changes


def _named_changes(old: dict[str, Any], new: dict[str, Any], value_of) -> list[ValueChange]:
    return [
        ValueChange(name, value_of(old[name]) if name in old else None, value_of(new[name]) if name in new else None)
        for name in sorted(set(old) | set(new))
        if old.get(name) != new.get(name)
    ]


def _resource_changes(old: dict[str, Any], new: dict[str, Any], change_set: dict[str, Any] | None) -> list[ResourceChange]:
    from_change_set = {
        c["ResourceChange"]["LogicalResourceId"]: c["ResourceChange"]
        for c in (change_set or {}).get("Changes", [])
        if c.get("Type") == "Resource" and "ResourceChange" in c
    }
    changed_in_template = {lid for lid in set(old) | set(new) if old.get(lid) != new.get(lid)}
    rows = []
    for logical_id in sorted(set(from_change_set) | changed_in_template):
        row = _resource_row(logical_id, old.get(logical_id), new.get(logical_id), from_change_set.get(logical_id))
        if row is not None:
            rows.append(row)
    order = {"Remove": 0, "Add": 1, "Import": 2, "Modify": 3, "Dynamic": 4}
    return sorted(rows, key=lambda r: (order.get(r.action, 9), r.logical_id))


def _resource_row(logical_id: str, old: dict | None, new: dict | None, change: dict | None) -> ResourceChange | None:
    details = (change or {}).get("Details") or []
    properties = _property_changes(old or {}, new or {}, details) if old and new else []
    if change is None:
        action = "Add" if old is None else "Remove" if new is None else "Modify"
    else:
        action = change.get("Action", "Modify")
        # A Modify with nothing changed in the template and no details from CloudFormation is noise
        # (moto lists every resource of an UPDATE as Modify); real change sets always carry details.
        if action == "Modify" and not properties and not details and old == new:
            return None
    properties += _dynamic_only(details, {p.name.split(".")[0].split("[")[0] for p in properties})
    resource_type = (change or {}).get("ResourceType") or (new or old or {}).get("Type", "?")
    row = ResourceChange(action, logical_id, resource_type, _replacement(change, details), properties)
    row.warning = _stateful_warning(row, old or {})
    return row


def _property_changes(old: dict[str, Any], new: dict[str, Any], details: list[dict]) -> list[ValueChange]:
    recreation = _recreation_by_property(details)
    changes: list[ValueChange] = []
    for attribute in RESOURCE_ATTRIBUTES:
        if old.get(attribute) != new.get(attribute):
            changes.append(ValueChange(attribute, old.get(attribute), new.get(attribute)))
    _walk(old.get("Properties") or {}, new.get("Properties") or {}, "", changes)
    for change in changes:
        top = change.name.split(".")[0].split("[")[0]
        change.replacement = recreation.get(top)
    return changes


def _walk(old: Any, new: Any, path: str, out: list[ValueChange]) -> None:
    if old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict) and not _is_intrinsic(old) and not _is_intrinsic(new):
        for key in sorted(set(old) | set(new)):
            _walk(old.get(key), new.get(key), f"{path}.{key}" if path else key, out)
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new) and any(isinstance(x, dict) for x in old + new):
        for index, (before, after) in enumerate(zip(old, new)):
            _walk(before, after, f"{path}[{index}]", out)
    else:
        out.append(ValueChange(path, old, new))


def _is_intrinsic(value: dict) -> bool:
    return len(value) == 1 and (next(iter(value)) == "Ref" or next(iter(value)).startswith("Fn::"))


def _recreation_by_property(details: list[dict]) -> dict[str, str]:
    """Top-level property name -> 'replace' / 'may be replaced', from the change set's details."""
    marks: dict[str, str] = {}
    for detail in details:
        target = detail.get("Target") or {}
        name, mark = target.get("Name"), _recreation_mark(target.get("RequiresRecreation"), detail.get("Evaluation"))
        if name and mark and marks.get(name) != "replace":
            marks[name] = mark
    return marks


def _recreation_mark(requires: str | None, evaluation: str | None) -> str | None:
    if requires == "Always" and evaluation == "Static":
        return "replace"
    if requires in ("Always", "Conditionally"):
        return "may be replaced"
    return None


def _replacement(change: dict | None, details: list[dict]) -> str | None:
    marks = {_recreation_mark((d.get("Target") or {}).get("RequiresRecreation"), d.get("Evaluation")) for d in details}
    if "replace" in marks:
        return "replace"
    if "may be replaced" in marks:
        return "may be replaced"
    replacement = (change or {}).get("Replacement")
    return {"True": "replace", "Conditional": "may be replaced"}.get(replacement or "")


def _dynamic_only(details: list[dict], already_shown: set[str]) -> list[ValueChange]:
    """Properties CloudFormation will re-evaluate although the template text did not change (e.g. a GetAtt of a replaced resource)."""
    extra: dict[str, ValueChange] = {}
    for detail in details:
        target = detail.get("Target") or {}
        name = target.get("Name")
        if target.get("Attribute") != "Properties" or not name or name in already_shown or name in extra:
            continue
        cause = detail.get("CausingEntity")
        note = f"re-evaluated (depends on {cause})" if cause else "re-evaluated by CloudFormation"
        extra[name] = ValueChange(name, "(same in template)", note, _recreation_mark(target.get("RequiresRecreation"), detail.get("Evaluation")))
    return list(extra.values())


def _stateful_warning(row: ResourceChange, old: dict[str, Any]) -> str | None:
    if row.resource_type not in STATEFUL_TYPES:
        return None
    if row.action == "Remove":
        if old.get("DeletionPolicy") in ("Retain", "RetainExceptOnCreate", "Snapshot"):
            return f"{row.resource_type} {row.logical_id} leaves the stack but is kept (DeletionPolicy {old['DeletionPolicy']})"
        return f"DATA LOSS: {row.resource_type} {row.logical_id} will be DELETED with its data"
    if row.replacement:
        kept = " (the old one is kept: UpdateReplacePolicy Retain)" if old.get("UpdateReplacePolicy") == "Retain" else " and the old one DELETED with its data"
        return f"{row.resource_type} {row.logical_id} {'will' if row.replacement == 'replace' else 'may'} be REPLACED by a new, empty one{kept}"
    return None
