"""What a template grants: IAM statements and security-group rules, as comparable rows.

Rows are plain tuples of display strings, so the diff of two templates is a multiset
difference, and "does this change broaden access" is "did it add an Allow or an ingress".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, replace
from typing import Any

from container_infra.cfn.intrinsics import show


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
        kind, props = resource.get("Type"), resource.get("Properties") or {}
        if kind == "AWS::IAM::Role":
            trust = props.get("AssumeRolePolicyDocument") or {}
            rows += _statements(trust, resource_default="${" + logical_id + ".Arn}")
            for policy in props.get("Policies") or []:
                if isinstance(policy, dict):
                    rows += _statements(policy.get("PolicyDocument") or {}, principal_default=f"AWS:${{{logical_id}}}")
        elif kind in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
            attached = ", ".join(show(role) for role in props.get("Roles") or []) or logical_id
            rows += _statements(props.get("PolicyDocument") or {}, principal_default=f"AWS:{attached}")
        elif kind == "AWS::ECR::Repository" and props.get("RepositoryPolicyText"):
            rows += _statements(props["RepositoryPolicyText"], resource_default="${" + logical_id + ".Arn}")
        elif kind == "AWS::S3::BucketPolicy":
            rows += _statements(props.get("PolicyDocument") or {}, resource_default=show(props.get("Bucket")))
        elif kind == "AWS::KMS::Key":
            # In a key policy, Resource "*" means this key.
            key = "${" + logical_id + ".Arn}"
            rows += [
                replace(row, resource=key) if row.resource == "*" else row
                for row in _statements(props.get("KeyPolicy") or {}, resource_default=key)
            ]
    return sorted(rows)


def _statements(document: Any, *, resource_default: str = "", principal_default: str = "") -> list[IamStatement]:
    statements = document.get("Statement", []) if isinstance(document, dict) else []
    if isinstance(statements, dict):
        statements = [statements]
    rows = []
    for statement, condition in _with_conditions(statements):
        rows.append(
            IamStatement(
                resource=_joined(statement.get("Resource", statement.get("NotResource"))) or resource_default,
                effect=show(statement.get("Effect", "")),
                action=_joined(statement.get("Action", statement.get("NotAction"))),
                principal=_principal(statement.get("Principal")) or principal_default,
                condition=" ".join(
                    filter(None, [condition, show(statement["Condition"]) if statement.get("Condition") else ""])
                ),
            )
        )
    return rows


def _with_conditions(statements: list[Any]) -> list[tuple[dict[str, Any], str]]:
    """Statements with the template Condition they depend on: `Fn::If` branches count, `AWS::NoValue` does not."""
    found: list[tuple[dict[str, Any], str]] = []
    for statement in statements:
        if isinstance(statement, dict) and set(statement) == {"Fn::If"} and len(statement["Fn::If"]) == 3:
            name, when_true, when_false = statement["Fn::If"]
            found += [(s, f"if {name}") for s in [when_true] if _is_statement(s)]
            found += [(s, f"unless {name}") for s in [when_false] if _is_statement(s)]
        elif _is_statement(statement):
            found.append((statement, ""))
    return found


def _is_statement(value: Any) -> bool:
    return isinstance(value, dict) and "Effect" in value


def _principal(principal: Any) -> str:
    if principal is None:
        return ""
    if isinstance(principal, dict):
        parts = []
        for kind, who in sorted(principal.items()):
            for one in who if isinstance(who, list) else [who]:
                parts.append(f"{kind}:{show(one)}")
        return ", ".join(parts)
    return show(principal)


def _joined(value: Any) -> str:
    if value is None:
        return ""
    items = value if isinstance(value, list) else [value]
    return ", ".join(sorted(show(item) for item in items))


def security_group_rules(template: dict[str, Any]) -> list[SecurityGroupRule]:
    rows: list[SecurityGroupRule] = []
    for logical_id, resource in _resources(template):
        kind, props = resource.get("Type"), resource.get("Properties") or {}
        group = "${" + logical_id + ".GroupId}"
        if kind == "AWS::EC2::SecurityGroup":
            rows += [
                _rule(group, "ingress", rule)
                for rule in props.get("SecurityGroupIngress") or []
                if isinstance(rule, dict)
            ]
            rows += [
                _rule(group, "egress", rule)
                for rule in props.get("SecurityGroupEgress") or []
                if isinstance(rule, dict)
            ]
        elif kind == "AWS::EC2::SecurityGroupIngress":
            rows.append(_rule(show(props.get("GroupId", props.get("GroupName"))), "ingress", props))
        elif kind == "AWS::EC2::SecurityGroupEgress":
            rows.append(_rule(show(props.get("GroupId")), "egress", props))
    return sorted(rows)


def _rule(group: str, direction: str, rule: dict[str, Any]) -> SecurityGroupRule:
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
        "DestinationSecurityGroupId",
        "SourcePrefixListId",
        "DestinationPrefixListId",
    )
    peer = next((show(rule[key]) for key in peer_keys if key in rule), "")
    return SecurityGroupRule(
        group, direction, protocol_port, peer, show(rule.get("Description", "")) if rule.get("Description") else ""
    )


def changed_rows(old: list[Any], new: list[Any]) -> tuple[list[Any], list[Any]]:
    """(added, removed) rows between two lists, counting duplicates."""
    old_count, new_count = Counter(old), Counter(new)
    return sorted((new_count - old_count).elements()), sorted((old_count - new_count).elements())


def _resources(template: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    resources = template.get("Resources") or {}
    return [(lid, res) for lid, res in resources.items() if isinstance(res, dict)]
