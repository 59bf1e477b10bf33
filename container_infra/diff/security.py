"""What a template grants: IAM statements and security-group rules, as comparable rows.

Rows are plain tuples of display strings, so the diff of two templates is a multiset
difference, and "does this change broaden access" is "did it add an Allow or an ingress, or take a Deny away".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from typing import Any

from container_infra.cfn.intrinsics import show

NO_VALUE = {"Ref": "AWS::NoValue"}
MANAGED_POLICY = "(managed policy)"


@dataclass(frozen=True, order=True)
class IamStatement:
    resource: str
    effect: str
    action: str
    principal: str
    condition: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


@dataclass(frozen=True, order=True)
class SecurityGroupRule:
    group: str
    direction: str  # "ingress" or "egress"
    protocol_port: str
    peer: str
    description: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def iam_statements(template: dict[str, Any]) -> list[IamStatement]:
    rows: list[IamStatement] = []
    for logical_id, resource in _resources(template):
        rows += _resource_statements(logical_id, resource.get("Type"), resource.get("Properties") or {})
    return sorted(rows)


def _resource_statements(logical_id: str, kind: Any, props: dict[str, Any]) -> list[IamStatement]:
    if kind == "AWS::IAM::Role":
        return _role_statements(logical_id, props)
    if kind in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
        attached = ", ".join(show(role) for role in props.get("Roles") or []) or logical_id
        return _statements(props.get("PolicyDocument"), principal_default=f"AWS:{attached}")
    if kind == "AWS::ECR::Repository":
        return _statements(props.get("RepositoryPolicyText"), resource_default="${" + logical_id + ".Arn}")
    if kind == "AWS::S3::BucketPolicy":
        return _statements(props.get("PolicyDocument"), resource_default=show(props.get("Bucket")))
    if kind == "AWS::KMS::Key":
        # In a key policy, Resource "*" means this key.
        key = "${" + logical_id + ".Arn}"
        return [
            replace(row, resource=key) if row.resource == "*" else row
            for row in _statements(props.get("KeyPolicy"), resource_default=key)
        ]
    return []


def _role_statements(logical_id: str, props: dict[str, Any]) -> list[IamStatement]:
    """Who may assume the role, what its inline policies allow, and each managed policy attached (its statements
    are not in the template: the row names the policy, and attaching one counts as an Allow)."""
    holder = f"AWS:${{{logical_id}}}"
    rows = _statements(props.get("AssumeRolePolicyDocument"), resource_default="${" + logical_id + ".Arn}")
    for policy, condition in _branches(props.get("Policies")):
        if isinstance(policy, dict):
            rows += _statements(policy.get("PolicyDocument"), principal_default=holder, condition=condition)
    for arn, condition in _branches(props.get("ManagedPolicyArns")):
        rows.append(IamStatement(show(arn), "Allow", MANAGED_POLICY, holder, condition))
    return rows


def _statements(
    document: Any, *, resource_default: str = "", principal_default: str = "", condition: str = ""
) -> list[IamStatement]:
    statements = document.get("Statement") if isinstance(document, dict) else None
    return [
        IamStatement(
            resource=_targets(statement, "Resource", _joined) or resource_default,
            effect=show(statement["Effect"]),  # a statement has one
            action=_targets(statement, "Action", _joined),
            principal=_targets(statement, "Principal", _principal) or principal_default,
            condition=" ".join(
                filter(None, [when, show(statement["Condition"]) if statement.get("Condition") else ""])
            ),
        )
        for statement, when in _branches(statements, condition)
        if _is_statement(statement)
    ]


def _branches(value: Any, condition: str = "") -> list[tuple[Any, str]]:
    """The items of a list property with the template Condition each depends on: every `Fn::If` branch counts
    (nested ones too, and a branch may be a list), `AWS::NoValue` does not."""
    if isinstance(value, list):
        return [found for item in value for found in _branches(item, condition)]
    if isinstance(value, dict) and set(value) == {"Fn::If"} and len(value["Fn::If"]) == 3:
        name, when_true, when_false = value["Fn::If"]
        return _branches(when_true, _also(condition, f"if {name}")) + _branches(
            when_false, _also(condition, f"unless {name}")
        )
    if value is None or value == NO_VALUE:
        return []
    return [(value, condition)]


def _also(condition: str, more: str) -> str:
    return f"{condition} {more}" if condition else more


def _is_statement(value: Any) -> bool:
    return isinstance(value, dict) and "Effect" in value


def _targets(statement: dict[str, Any], key: str, shown: Callable[[Any, str], str]) -> str:
    """`Action`, or `NotAction` as "NOT ..." (an Allow of everything but these); the same for Resource and
    Principal."""
    if key in statement:
        return shown(statement[key], "")
    if f"Not{key}" in statement:
        return shown(statement[f"Not{key}"], "NOT ")
    return ""


def _principal(principal: Any, prefix: str) -> str:
    if isinstance(principal, dict):
        parts = []
        for kind, who in sorted(principal.items()):
            for one in who if isinstance(who, list) else [who]:
                parts.append(f"{prefix}{kind}:{show(one)}")
        return ", ".join(parts)
    return prefix + show(principal)


def _joined(value: Any, prefix: str) -> str:
    items = value if isinstance(value, list) else [value]
    return ", ".join(sorted(prefix + show(item) for item in items))


def security_group_rules(template: dict[str, Any]) -> list[SecurityGroupRule]:
    rows: list[SecurityGroupRule] = []
    for logical_id, resource in _resources(template):
        kind, props = resource.get("Type"), resource.get("Properties") or {}
        group = "${" + logical_id + ".GroupId}"
        if kind == "AWS::EC2::SecurityGroup":
            for direction, key in (("ingress", "SecurityGroupIngress"), ("egress", "SecurityGroupEgress")):
                rows += [
                    _rule(group, direction, rule, condition)
                    for rule, condition in _branches(props.get(key))
                    if isinstance(rule, dict)
                ]
        elif kind == "AWS::EC2::SecurityGroupIngress":
            rows.append(_rule(show(props.get("GroupId", props.get("GroupName"))), "ingress", props))
        elif kind == "AWS::EC2::SecurityGroupEgress":
            rows.append(_rule(show(props.get("GroupId")), "egress", props))
    return sorted(rows)


def _rule(group: str, direction: str, rule: dict[str, Any], condition: str = "") -> SecurityGroupRule:
    protocol = show(rule.get("IpProtocol", ""))
    low, high = rule.get("FromPort"), rule.get("ToPort")
    if protocol in ("-1", "all"):
        protocol_port = "all traffic"
    elif low is None or show(low) == show(high) or high is None:
        protocol_port = f"{protocol}/{show(low)}" if low is not None else protocol
    else:
        protocol_port = f"{protocol}/{show(low)}-{show(high)}"
    peer_keys = (
        "CidrIp",
        "CidrIpv6",
        "SourceSecurityGroupId",
        "SourceSecurityGroupName",
        "DestinationSecurityGroupId",
        "SourcePrefixListId",
        "DestinationPrefixListId",
    )
    peer = next((show(rule[key]) for key in peer_keys if key in rule), "")
    description = show(rule["Description"]) if rule.get("Description") else ""
    if condition:  # a rule under Fn::If: the description column says when it applies
        description = f"{description} ({condition})" if description else f"({condition})"
    return SecurityGroupRule(group, direction, protocol_port, peer, description)


def changed_rows(old: list[Any], new: list[Any]) -> tuple[list[Any], list[Any]]:
    """(added, removed) rows between two lists, counting duplicates."""
    old_count, new_count = Counter(old), Counter(new)
    return sorted((new_count - old_count).elements()), sorted((old_count - new_count).elements())


def _resources(template: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    resources = template.get("Resources") or {}
    return [(lid, res) for lid, res in resources.items() if isinstance(res, dict)]
