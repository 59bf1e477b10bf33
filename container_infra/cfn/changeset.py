"""A change set as CloudFormation describes it: its status, and what it says about each resource."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from container_infra.cfn.constants import NO_CHANGES_PHRASES
from container_infra.diff.model import ValueChange
from container_infra.errors import UserError


@dataclass
class ChangeSet:
    id: str
    stack_id: str
    change_set_type: str  # CREATE or UPDATE
    description: dict[str, Any]

    @property
    def status(self) -> str:
        return str(self.description.get("Status", ""))

    @property
    def reason(self) -> str:
        return str(self.description.get("StatusReason", ""))

    @property
    def has_no_changes(self) -> bool:
        return self.status == "FAILED" and any(p in self.reason for p in NO_CHANGES_PHRASES)

    @property
    def resource_ids(self) -> set[str]:
        return set(resource_changes_by_id(self.description))


def refuse_rejected(change_set: ChangeSet) -> None:
    if change_set.status == "FAILED" and not change_set.has_no_changes:
        raise UserError(f"CloudFormation rejected the change set: {change_set.reason or 'no reason given'}")


def resource_changes_by_id(description: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    """Logical ID -> the change set's ResourceChange."""
    return {
        c["ResourceChange"]["LogicalResourceId"]: c["ResourceChange"]
        for c in (description or {}).get("Changes", [])
        if c.get("Type", "Resource") == "Resource" and "ResourceChange" in c
    }


def recreation_by_property(details: list[dict]) -> dict[str, str]:
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


def replacement_of(change: dict | None, details: list[dict]) -> str | None:
    marks = {_recreation_mark((d.get("Target") or {}).get("RequiresRecreation"), d.get("Evaluation")) for d in details}
    if "replace" in marks:
        return "replace"
    if "may be replaced" in marks:
        return "may be replaced"
    replacement = (change or {}).get("Replacement")
    return {"True": "replace", "Conditional": "may be replaced"}.get(replacement or "")


def dynamic_only(details: list[dict], already_shown: set[str]) -> list[ValueChange]:
    """Properties CloudFormation will re-evaluate although the template text did not change (e.g. a GetAtt of a
    replaced resource)."""
    extra: dict[str, ValueChange] = {}
    for detail in details:
        target = detail.get("Target") or {}
        name = target.get("Name")
        if target.get("Attribute") != "Properties" or not name or name in already_shown or name in extra:
            continue
        cause = detail.get("CausingEntity")
        note = f"re-evaluated (depends on {cause})" if cause else "re-evaluated by CloudFormation"
        mark = _recreation_mark(target.get("RequiresRecreation"), detail.get("Evaluation"))
        if "BeforeValue" in target and "AfterValue" in target and target["BeforeValue"] != target["AfterValue"]:
            # IncludePropertyValues: the values only AWS knows (an SSM parameter, a resolved reference), before and
            # after
            extra.update(_resolved_value(target, name, mark))
            continue
        extra[name] = ValueChange(name, "(same in template)", note, mark)
    return list(extra.values())


def _resolved_value(target: dict[str, Any], name: str, mark: str | None) -> dict[str, ValueChange]:
    """One row a Path (/Properties/ContainerDefinitions/0/Image -> ContainerDefinitions[0].Image); a secret's never
    shown."""
    path = str(target.get("Path") or "")
    parts = (
        [p for p in path.removeprefix("/Properties/").split("/") if p] if path.startswith("/Properties/") else [name]
    )
    shown = parts[0] + "".join(f"[{p}]" if p.isdigit() else f".{p}" for p in parts[1:])
    if "Secrets" in parts:
        return {shown: ValueChange(shown, "(secret)", "(secret, another source)", mark)}
    return {shown: ValueChange(shown, target["BeforeValue"], target["AfterValue"], mark)}
