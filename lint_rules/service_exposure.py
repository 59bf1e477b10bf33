"""ECS services without a load balancer: their tasks' security groups must not admit the internet (W9008)."""

from __future__ import annotations

from typing import Any

from cfnlint.rules import CloudFormationLintRule, RuleMatch

SERVICE = "AWS::ECS::Service"
GROUP = "AWS::EC2::SecurityGroup"
INGRESS = "AWS::EC2::SecurityGroupIngress"
ANYWHERE = {("CidrIp", "0.0.0.0/0"), ("CidrIpv6", "::/0")}


def _properties(resource: Any) -> dict[str, Any]:
    properties = resource.get("Properties") if isinstance(resource, dict) else None
    return properties if isinstance(properties, dict) else {}


def _group_name(value: Any) -> str | None:
    """The template's security group a value names: {"Ref": G} or {"Fn::GetAtt": [G, "GroupId"]} (or "G.GroupId")."""
    if not isinstance(value, dict):
        return None
    if isinstance(value.get("Ref"), str):
        return value["Ref"]
    target = value.get("Fn::GetAtt")
    if isinstance(target, str):
        target = target.split(".", 1)
    if isinstance(target, list) and len(target) == 2 and target[1] == "GroupId" and isinstance(target[0], str):
        return target[0]
    return None


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else []


def _open(rule: Any, key: str, value: str) -> bool:
    return isinstance(rule, dict) and rule.get(key) == value


class BackendOpenToTheInternet(CloudFormationLintRule):
    id = "W9008"
    shortdesc = "A service without a load balancer admits the internet"
    description = (
        "An AWS::ECS::Service with no LoadBalancers whose tasks' security group (in the template) has an ingress rule "
        "from 0.0.0.0/0 or ::/0: nothing stands between the internet and the containers; admit only the callers' "
        "security groups."
    )
    source_url = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/security-network.html"
    tags = ["resources", "ecs", "ec2"]

    def match(self, cfn: Any) -> list[RuleMatch]:
        groups = cfn.get_resources(GROUP)
        separate = cfn.get_resources(INGRESS)
        matches = []
        for name, service in cfn.get_resources(SERVICE).items():
            properties = _properties(service)
            if properties.get("LoadBalancers"):
                continue
            network = (properties.get("NetworkConfiguration") or {}).get("AwsvpcConfiguration") or {}
            attached = _list(network.get("SecurityGroups") if isinstance(network, dict) else None)
            for group in {_group_name(value) for value in attached} & set(groups):
                rules = _list(_properties(groups[group]).get("SecurityGroupIngress")) + [
                    _properties(ingress)
                    for ingress in separate.values()
                    if _group_name(_properties(ingress).get("GroupId")) == group
                ]
                opened = sorted({f"{k} {v}" for rule in rules for k, v in ANYWHERE if _open(rule, k, v)})
                if opened:
                    matches.append(
                        RuleMatch(
                            ["Resources", name, "Properties", "NetworkConfiguration"],
                            f"{name} has no load balancer, and its tasks' security group {group} admits the internet "
                            f"({', '.join(opened)}): remove that ingress rule from {group} and admit only the callers' "
                            "security groups (SourceSecurityGroupId; ingress_from in this project's config)",
                        )
                    )
        return matches
