"""The replacement guard: which changes replace or delete something that carries traffic or data.

A deploy stops (exit 2) on any of them unless --allow-replacement is given. Pure: the facts and the rule.
"""

from __future__ import annotations

from typing import Any

from container_infra.cfn.constants import RETAINING_POLICIES, STATEFUL_TYPES
from container_infra.diff.model import GuardedChange, ResourceChange

# Resources that carry traffic: replacing one changes a DNS name, drops connections, or restarts every task.
# A listener rule is one too: under blue/green, canary or linear, ECS moves the production rule's weights to
# whichever target group holds the live revision; a replaced rule starts again with the template's weights (all
# traffic to the primary group), which after an even number of deployments may have no tasks at all.
TRAFFIC_TYPES = frozenset(
    {
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        "AWS::ElasticLoadBalancingV2::Listener",
        "AWS::ElasticLoadBalancingV2::ListenerRule",
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        "AWS::ECS::Service",
        "AWS::ECS::Cluster",
    }
)
# Traffic reaches the service through these too: a removed or replaced DNS record stops name resolution (a new one
# is not seen before resolvers' caches expire), and a replaced certificate is a new one still to be validated.
NAMED_TRAFFIC = {
    "AWS::Route53::RecordSet": "carries traffic (the DNS record users reach the service by)",
    "AWS::Route53::RecordSetGroup": "carries traffic (the DNS records users reach the service by)",
    "AWS::CertificateManager::Certificate": "carries traffic (the TLS certificate the listener serves)",
    "AWS::ElasticLoadBalancingV2::ListenerCertificate": "carries traffic (a TLS certificate the listener serves)",
}
# Resources that hold data (or the keys to it): replacing one starts empty, deleting one loses it.
DATA_TYPES = STATEFUL_TYPES | {"AWS::KMS::Key"}
GUARDED_TYPES = TRAFFIC_TYPES | DATA_TYPES | frozenset(NAMED_TRAFFIC)


def guarded_changes(resources: list[ResourceChange], old_resources: dict[str, Any]) -> list[GuardedChange]:
    """The replacements ('replace' and 'may be replaced') and removals that the guard stops, in the diff's order."""
    found = []
    for row in resources:
        what = _what(row)
        why = _why(row.resource_type, old_resources.get(row.logical_id) or {})
        if what and why:
            found.append(GuardedChange(row.logical_id, row.resource_type, what, why))
    return found


def _what(row: ResourceChange) -> str | None:
    if row.action == "Remove":
        return "removed"
    if row.action in ("Modify", "Dynamic") and row.replacement == "replace":
        return "replaced"
    if row.action in ("Modify", "Dynamic") and row.replacement == "may be replaced":
        return "may be replaced"
    return None


def _why(resource_type: str, old: dict[str, Any]) -> str | None:
    reasons = []
    if resource_type in TRAFFIC_TYPES:
        reasons.append("carries traffic")
    if resource_type in NAMED_TRAFFIC:
        reasons.append(NAMED_TRAFFIC[resource_type])
    if resource_type in DATA_TYPES:
        reasons.append("holds data")
    for policy in ("DeletionPolicy", "UpdateReplacePolicy"):
        if old.get(policy) in RETAINING_POLICIES:  # absent, or an intrinsic: not a kept value
            reasons.append(f"{policy} {old[policy]}")
    return ", ".join(reasons) or None


def refusal(guarded: list[GuardedChange], stack_name: str) -> tuple[str, list[str]]:
    """The short line a deploy stops with, and the resources it names (listed under it)."""
    return (
        f"not deploying to {stack_name}: the change set replaces or removes {len(guarded)} resource(s) that carry "
        "traffic or data; nothing was changed (review the diff, then pass --allow-replacement to go ahead):",
        [g.text for g in guarded],
    )
