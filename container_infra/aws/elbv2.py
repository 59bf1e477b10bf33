"""Elastic Load Balancing reads: the health of a target group's targets."""

from __future__ import annotations

from typing import Any


def target_health(elbv2: Any, target_group_arn: str) -> list[dict[str, Any]]:
    """DescribeTargetHealth: each registered target with its state, reason and description."""
    return list(elbv2.describe_target_health(TargetGroupArn=target_group_arn).get("TargetHealthDescriptions", []))
