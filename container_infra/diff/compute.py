"""Compute the diff from two templates and a change set, in the spirit of `cdk diff`.

Property-level changes come from comparing the deployed template with the new one (both with
parameters resolved); actions and replacement come from the change set where it has them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from container_infra.cfn.changeset import dynamic_only, recreation_by_property, replacement_of, resource_changes_by_id
from container_infra.cfn.constants import RETAINING_POLICIES, SECRET_MASK, STATEFUL_TYPES, is_secret
from container_infra.cfn.intrinsics import resolve_parameters
from container_infra.diff.containers import known_values, refine_containers
from container_infra.diff.guard import guarded_changes
from container_infra.diff.masking import Masker, mask_diff, secret_values
from container_infra.diff.model import Diff, ResourceChange, ValueChange
from container_infra.diff.security import changed_rows, iam_statements, security_group_rules

RESOURCE_ATTRIBUTES = ("DeletionPolicy", "UpdateReplacePolicy", "Condition", "DependsOn")
ACTION_ORDER = {"Remove": 0, "Add": 1, "Import": 2, "Modify": 3, "Dynamic": 4}


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
    diff.guarded = guarded_changes(diff.resources, old.get("Resources") or {})
    secrets = secret_values(old_template, old_parameters) | secret_values(new_template, new_parameters)
    return mask_diff(diff, Masker(secrets))  # compared with the real values, shown without them


def _parameter_changes(old: dict[str, Any], new: dict[str, Any], template: dict[str, Any]) -> list[ValueChange]:
    specs = template.get("Parameters") or {}
    changes = []
    for name in sorted(set(old) | set(new)):
        if old.get(name) != new.get(name):
            secret = is_secret(specs.get(name) or {})
            changes.append(
                ValueChange(
                    name,
                    SECRET_MASK if secret and name in old else old.get(name),
                    SECRET_MASK if secret and name in new else new.get(name),
                )
            )
    return changes


def _named_changes(old: dict[str, Any], new: dict[str, Any], value_of: Callable[[Any], Any]) -> list[ValueChange]:
    return [
        ValueChange(name, value_of(old[name]) if name in old else None, value_of(new[name]) if name in new else None)
        for name in sorted(set(old) | set(new))
        if old.get(name) != new.get(name)
    ]


def _resource_changes(
    old: dict[str, Any], new: dict[str, Any], change_set: dict[str, Any] | None
) -> list[ResourceChange]:
    from_change_set = resource_changes_by_id(change_set)
    changed_in_template = {lid for lid in set(old) | set(new) if old.get(lid) != new.get(lid)}
    rows = [
        _resource_row(lid, old.get(lid), new.get(lid), from_change_set.get(lid))
        for lid in set(from_change_set) | changed_in_template
    ]
    return sorted(rows, key=lambda r: (ACTION_ORDER.get(r.action, 9), r.logical_id))


def _resource_row(logical_id: str, old: dict | None, new: dict | None, change: dict | None) -> ResourceChange:
    details = (change or {}).get("Details") or []
    properties = _property_changes(old or {}, new or {}, details) if old and new else []
    properties = refine_containers(
        (new or old or {}).get("Type", ""), old or {}, new or {}, properties, known_values(details)
    )
    if change is None:
        action = "Add" if old is None else "Remove" if new is None else "Modify"
    else:
        action = change.get("Action", "Modify")
    properties += dynamic_only(details, {p.name.split(".")[0].split("[")[0] for p in properties})
    resource_type = (change or {}).get("ResourceType") or (new or old or {}).get("Type", "?")
    row = ResourceChange(action, logical_id, resource_type, replacement_of(change, details), properties)
    row.warning = _stateful_warning(row, old or {})
    return row


def _property_changes(old: dict[str, Any], new: dict[str, Any], details: list[dict]) -> list[ValueChange]:
    recreation = recreation_by_property(details)
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
    elif (
        isinstance(old, list)
        and isinstance(new, list)
        and len(old) == len(new)
        and any(isinstance(x, dict) for x in old + new)
    ):
        for index, (before, after) in enumerate(zip(old, new, strict=True)):
            _walk(before, after, f"{path}[{index}]", out)
    else:
        out.append(ValueChange(path, old, new))


def _is_intrinsic(value: dict) -> bool:
    return len(value) == 1 and (next(iter(value)) == "Ref" or next(iter(value)).startswith("Fn::"))


def _stateful_warning(row: ResourceChange, old: dict[str, Any]) -> str | None:
    if row.resource_type not in STATEFUL_TYPES:
        return None
    if row.action == "Remove":
        if old.get("DeletionPolicy") in RETAINING_POLICIES:
            return (
                f"{row.resource_type} {row.logical_id} leaves the stack but is kept (DeletionPolicy "
                f"{old['DeletionPolicy']})"
            )
        return f"DATA LOSS: {row.resource_type} {row.logical_id} will be DELETED with its data"
    if row.replacement:
        kept = (
            " (the old one is kept: UpdateReplacePolicy Retain)"
            if old.get("UpdateReplacePolicy") == "Retain"
            else " and the old one DELETED with its data"
        )
        return (
            f"{row.resource_type} {row.logical_id} {'will' if row.replacement == 'replace' else 'may'} be REPLACED "
            f"by a new, empty one{kept}"
        )
    return None
