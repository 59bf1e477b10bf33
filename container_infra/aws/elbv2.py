"""Elastic Load Balancing reads: the health of target groups, and the weights a listener rule forwards with."""

from __future__ import annotations

from typing import Any


def target_health(elbv2: Any, target_group_arn: str) -> list[dict[str, Any]]:
    """DescribeTargetHealth: each registered target with its state, reason and description."""
    return list(elbv2.describe_target_health(TargetGroupArn=target_group_arn).get("TargetHealthDescriptions", []))


def forward_weights(elbv2: Any, rule_arn: str) -> dict[str, int]:
    """DescribeRules: the weight the rule's forward action gives each target group (ARN -> weight); a single
    TargetGroupArn without a ForwardConfig counts as weight 1."""
    weights: dict[str, int] = {}
    for rule in elbv2.describe_rules(RuleArns=[rule_arn]).get("Rules", []):
        for action in rule.get("Actions", []):
            if action.get("Type") != "forward":
                continue
            groups = (action.get("ForwardConfig") or {}).get("TargetGroups")
            if groups:
                weights.update({g["TargetGroupArn"]: int(g.get("Weight", 1)) for g in groups})
            elif action.get("TargetGroupArn"):
                weights[action["TargetGroupArn"]] = 1
    return weights
