"""A change set says which updates replace a resource, as CloudFormation's does; moto's never says.

CloudFormation API Reference, DescribeChangeSet, ResourceChange: `Replacement` (True when CloudFormation creates a new
resource and deletes the old one) and `Details`, one ResourceChangeDetail per property that changes, whose
`Target.RequiresRecreation` is Always for a property that cannot be updated in place. Which properties those are is
each property's "Update requires: Replacement" in the CloudFormation template reference (for example
AWS::ElasticLoadBalancingV2::TargetGroup, Port; AWS::ECS::Cluster, ClusterName). The reference is generated from the
resource types' registry schemas, whose `createOnlyProperties` list exactly those properties; cfn-lint ships the
schemas, so the shim reads them there instead of copying a table of its own.

What it fills in: an UPDATE's Modify of a resource whose top-level createOnly property changed, directly in the
template (ChangeSource DirectModification) or through a parameter it references (ParameterReference, CausingEntity
the parameter), gets Replacement True and one Static, Always detail per such property. Everything else stays as
moto_shims.py leaves it (no Replacement, no Details): a property nested below a createOnly path (one of the
EncryptionConfiguration's keys, say) and a Dynamic re-evaluation through a replaced resource are not worked out.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from moto.cloudformation import models

from tests.fakes.moto_shims import _existing, _references, _replace

UPDATE_REQUIRES_REPLACEMENT = "createOnlyProperties"  # the schema's name for "Update requires: Replacement"


def apply() -> None:
    original = _existing(models.ChangeSet, "diff")

    def diff(self: Any) -> list[Any]:
        changes = original(self)
        if self.change_set_type != "UPDATE":
            return changes
        old = self.stack.template_dict.get("Resources") or {}
        new = self.template_dict.get("Resources") or {}
        changed = {k for k, v in self.parameters.items() if self.stack.parameters.get(k) != v}
        for change in changes:
            lid = change.logical_resource_id
            if change.action == "Modify" and lid in old and lid in new:
                _mark(change, self.stack.region_name, old[lid], new[lid], changed)
        return changes

    _replace(models.ChangeSet, "diff", diff)


def _mark(change: Any, region: str, old: dict[str, Any], new: dict[str, Any], parameters: set[str]) -> None:
    details = replacing_details(change.resource_type, region, old, new, parameters)
    if details:
        change.replacement = "True"
        change.scope = ["Properties"]
        change.details = details


def replacing_details(
    resource_type: str, region: str, old: dict[str, Any], new: dict[str, Any], parameters: set[str]
) -> list[dict[str, Any]]:
    """One ResourceChangeDetail per create-only property the update changes, in the template's order."""
    before, after = old.get("Properties") or {}, new.get("Properties") or {}
    details = []
    for name in create_only_properties(region, resource_type):
        if before.get(name) != after.get(name):
            source: dict[str, Any] = {"ChangeSource": "DirectModification"}
        else:
            causes = sorted(p for p in parameters if _references(after.get(name), {p}))
            if not causes:
                continue
            source = {"ChangeSource": "ParameterReference", "CausingEntity": causes[0]}
        target = {"Attribute": "Properties", "Name": name, "RequiresRecreation": "Always"}
        details.append({"Target": target, "Evaluation": "Static", **source})
    return details


@cache
def create_only_properties(region: str, resource_type: str) -> tuple[str, ...]:
    """The top-level properties whose update replaces the resource; none for a type the schemas do not know."""
    from cfnlint.schema import PROVIDER_SCHEMA_MANAGER, ResourceNotFoundError

    try:
        schema = PROVIDER_SCHEMA_MANAGER.get_resource_schema(region, resource_type).schema
    except ResourceNotFoundError:
        return ()
    paths = [str(p).split("/") for p in schema.get(UPDATE_REQUIRES_REPLACEMENT, [])]
    return tuple(parts[2] for parts in paths if len(parts) == 3 and parts[1] == "properties")
