"""The replacement guard as a table: every guarded type x every kind of change x every DeletionPolicy.

Each row goes the whole way a deploy does: a change set's ResourceChange (as DescribeChangeSet returns it) and the
templates, through compute_diff, to the guarded list. The kinds supply `Replacement` alone, `Details` alone, or both,
so ignoring either is seen; the types are spelt out here, not read from the guard, so a type dropped from it is seen.
"""

from __future__ import annotations

from typing import Any

import pytest

from container_infra.diff.compute import compute_diff
from container_infra.diff.guard import guarded_changes, refusal
from container_infra.diff.model import GuardedChange, ResourceChange

TRAFFIC = "carries traffic"
DATA = "holds data"
GUARDED = {
    "AWS::ElasticLoadBalancingV2::LoadBalancer": TRAFFIC,
    "AWS::ElasticLoadBalancingV2::Listener": TRAFFIC,
    "AWS::ElasticLoadBalancingV2::ListenerRule": TRAFFIC,
    "AWS::ElasticLoadBalancingV2::TargetGroup": TRAFFIC,
    "AWS::ECS::Service": TRAFFIC,
    "AWS::ECS::Cluster": TRAFFIC,
    "AWS::Route53::RecordSet": "carries traffic (the DNS record users reach the service by)",
    "AWS::Route53::RecordSetGroup": "carries traffic (the DNS records users reach the service by)",
    "AWS::CertificateManager::Certificate": "carries traffic (the TLS certificate the listener serves)",
    "AWS::ElasticLoadBalancingV2::ListenerCertificate": "carries traffic (a TLS certificate the listener serves)",
    "AWS::Logs::LogGroup": DATA,
    "AWS::ECR::Repository": DATA,
    "AWS::S3::Bucket": DATA,
    "AWS::DynamoDB::Table": DATA,
    "AWS::RDS::DBInstance": DATA,
    "AWS::RDS::DBCluster": DATA,
    "AWS::EFS::FileSystem": DATA,
    "AWS::KMS::Key": DATA,
}
# Neither traffic nor data: guarded only when a policy leaves the old resource behind.
UNGUARDED = ("AWS::IAM::Role", "AWS::ECS::TaskDefinition", "AWS::EC2::SecurityGroup", "AWS::SSM::Parameter")
TYPES = (*GUARDED, *UNGUARDED)

# DeletionPolicy values; None: the attribute is absent (CloudFormation's default, Delete).
POLICIES = ("Delete", "Retain", "RetainExceptOnCreate", "Snapshot", None)
KEEPS = {"Retain", "RetainExceptOnCreate", "Snapshot"}
GUARDED_LB = "AWS::ElasticLoadBalancingV2::LoadBalancer"


def _detail(requires: str, evaluation: str) -> dict[str, Any]:
    """A ResourceChangeDetail as DescribeChangeSet returns it."""
    return {
        "Target": {"Attribute": "Properties", "Name": "Tag", "RequiresRecreation": requires},
        "Evaluation": evaluation,
        "ChangeSource": "DirectModification",
    }


# name -> (the ResourceChange's own fields, None for no change set entry; whether the new template drops the
# resource; what the guard says, None for not guarded)
KINDS: dict[str, tuple[dict[str, Any] | None, bool, str | None]] = {
    "replace, Replacement only": ({"Action": "Modify", "Replacement": "True"}, False, "replaced"),
    "replace, Details only": ({"Action": "Modify", "Details": [_detail("Always", "Static")]}, False, "replaced"),
    "replace, both": (
        {"Action": "Modify", "Replacement": "True", "Details": [_detail("Always", "Static")]},
        False,
        "replaced",
    ),
    "conditional, Replacement only": ({"Action": "Modify", "Replacement": "Conditional"}, False, "may be replaced"),
    "conditional, Details only": (
        {"Action": "Modify", "Details": [_detail("Conditionally", "Static")]},
        False,
        "may be replaced",
    ),
    "conditional, both": (
        {"Action": "Modify", "Replacement": "Conditional", "Details": [_detail("Conditionally", "Static")]},
        False,
        "may be replaced",
    ),
    # A property whose value is known only when the change set runs (a GetAtt of a replaced resource): Always on a
    # Dynamic evaluation may replace; the Details alone say so.
    "dynamic evaluation, Always": (
        {"Action": "Modify", "Details": [_detail("Never", "Static"), _detail("Always", "Dynamic")]},
        False,
        "may be replaced",
    ),
    "dynamic evaluation, Conditionally": (
        {"Action": "Modify", "Details": [_detail("Conditionally", "Dynamic")]},
        False,
        "may be replaced",
    ),
    "dynamic action, replace": ({"Action": "Dynamic", "Replacement": "True"}, False, "replaced"),
    "dynamic action, conditional": ({"Action": "Dynamic", "Replacement": "Conditional"}, False, "may be replaced"),
    "remove": ({"Action": "Remove"}, True, "removed"),
    "remove, no change set": (None, True, "removed"),
    # Not guarded, whatever the type and policy.
    "modify in place": (
        {"Action": "Modify", "Replacement": "False", "Details": [_detail("Never", "Static")]},
        False,
        None,
    ),
    "dynamic evaluation, never recreated": (
        {"Action": "Modify", "Replacement": "False", "Details": [_detail("Never", "Dynamic")]},
        False,
        None,
    ),
    "dynamic action in place": ({"Action": "Dynamic", "Replacement": "False"}, False, None),
    "import": ({"Action": "Import", "Replacement": "True"}, False, None),
}


def _lid(kind: str) -> str:
    return "R" + "".join(part for part in kind.replace("::", " ").split() if part != "AWS")


def _resource(kind: str, policy: str | None, value: str) -> dict[str, Any]:
    resource: dict[str, Any] = {"Type": kind, "Properties": {"Tag": value}}
    if policy is not None:
        resource["DeletionPolicy"] = policy
    return resource


def _diff_guarded(kind_name: str, policy: str | None) -> dict[str, tuple[str, str]]:
    fields, removed, _ = KINDS[kind_name]
    old = {"Resources": {_lid(t): _resource(t, policy, "old") for t in TYPES}}
    new = {"Resources": {} if removed else {_lid(t): _resource(t, policy, "new") for t in TYPES}}
    change_set = None
    if fields is not None:
        changes = [
            {
                "Type": "Resource",
                "ResourceChange": {
                    "LogicalResourceId": _lid(t),
                    "PhysicalResourceId": f"{_lid(t)}-physical",
                    "ResourceType": t,
                    "Scope": ["Properties"],
                    **fields,
                },
            }
            for t in TYPES
        ]
        change_set = {"Status": "CREATE_COMPLETE", "Changes": changes}
    diff = compute_diff(old, new, old_parameters={}, new_parameters={}, change_set=change_set)
    assert {r.logical_id for r in diff.resources} == {_lid(t) for t in TYPES}  # every row reached the guard
    return {g.logical_id: (g.resource_type, g.what, g.why) for g in diff.guarded}


def _expected(kind_name: str, policy: str | None) -> dict[str, tuple[str, str, str]]:
    what = KINDS[kind_name][2]
    if what is None:
        return {}
    expected = {}
    for kind in TYPES:
        reasons = [GUARDED[kind]] if kind in GUARDED else []
        if policy in KEEPS:
            reasons.append(f"DeletionPolicy {policy}")
        if reasons:
            expected[_lid(kind)] = (kind, what, ", ".join(reasons))
    return expected


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: p or "no-policy")
@pytest.mark.parametrize("kind_name", list(KINDS))
def test_the_guard_table(kind_name, policy):
    assert _diff_guarded(kind_name, policy) == _expected(kind_name, policy)


def test_the_table_has_guarded_and_unguarded_rows():
    """The oracle itself: a replacement under Retain guards every type, under Delete only the guarded ones."""
    assert len(_expected("replace, both", "Retain")) == len(TYPES)
    assert len(_expected("replace, both", "Delete")) == len(GUARDED)
    assert _expected("modify in place", "Retain") == {}


@pytest.mark.parametrize("policy", ["Retain", "Snapshot", "RetainExceptOnCreate"])
def test_an_update_replace_policy_that_keeps_the_old_one_is_guarded(policy):
    """UpdateReplacePolicy keeps the replaced resource outside the stack: a role replaced under it is stopped."""
    old = {"Type": "AWS::IAM::Role", "UpdateReplacePolicy": policy, "Properties": {"RoleName": "a"}}
    rows = [ResourceChange("Modify", "Role", "AWS::IAM::Role", replacement="replace")]
    assert guarded_changes(rows, {"Role": old}) == [
        GuardedChange("Role", "AWS::IAM::Role", "replaced", f"UpdateReplacePolicy {policy}")
    ]
    both = {**old, "DeletionPolicy": "Retain", "Type": "AWS::S3::Bucket"}
    rows = [ResourceChange("Remove", "Bucket", "AWS::S3::Bucket")]
    assert guarded_changes(rows, {"Bucket": both}) == [
        GuardedChange(
            "Bucket", "AWS::S3::Bucket", "removed", f"holds data, DeletionPolicy Retain, UpdateReplacePolicy {policy}"
        )
    ]


@pytest.mark.parametrize("policy", ["Delete", "", "retain", "RETAIN"])
def test_a_policy_that_deletes_is_no_reason(policy):
    """CloudFormation's values are case-sensitive: only Retain, RetainExceptOnCreate and Snapshot keep anything."""
    old = {"Type": "AWS::IAM::Role", "DeletionPolicy": policy, "UpdateReplacePolicy": policy}
    assert guarded_changes([ResourceChange("Remove", "Role", "AWS::IAM::Role")], {"Role": old}) == []


def test_an_added_resource_that_was_never_deployed_is_not_guarded():
    rows = [ResourceChange("Add", "Bucket", "AWS::S3::Bucket"), ResourceChange("Add", "Lb", GUARDED_LB)]
    assert guarded_changes(rows, {}) == []


def test_the_guarded_rows_keep_the_diffs_order_and_the_refusal_names_each():
    rows = [
        ResourceChange("Remove", "Logs", "AWS::Logs::LogGroup"),
        ResourceChange("Modify", "Role", "AWS::IAM::Role", replacement="replace"),
        ResourceChange("Modify", "Lb", GUARDED_LB, replacement="may be replaced"),
        ResourceChange("Modify", "Key", "AWS::KMS::Key", replacement="replace"),
    ]
    guarded = guarded_changes(rows, {"Logs": {"DeletionPolicy": "Snapshot"}})
    assert [g.logical_id for g in guarded] == ["Logs", "Lb", "Key"]
    line, resources = refusal(guarded, "web")
    assert line == (
        "not deploying to web: the change set replaces or removes 3 resource(s) that carry traffic or data; nothing "
        "was changed (review the diff, then pass --allow-replacement to go ahead):"
    )
    assert resources == [
        "AWS::Logs::LogGroup Logs is REMOVED (holds data, DeletionPolicy Snapshot)",
        f"{GUARDED_LB} Lb is MAY BE REPLACED (carries traffic)",
        "AWS::KMS::Key Key is REPLACED (holds data)",
    ]
