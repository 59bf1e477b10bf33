"""Switches a live stack cannot make in one update, read from the deployed template and the new one.

Two are refused before a change set exists, with the way that works: CloudFormation would start the update and
ECS would refuse it (or, worse, accept it and send traffic nowhere). One is a note: a capacity provider change under
canary or linear deployments, which ECS documents for rolling and blue/green only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SHIFTING_STRATEGIES = ("BLUE_GREEN", "CANARY", "LINEAR")


def _of_type(template: dict[str, Any], resource_type: str) -> dict[str, dict[str, Any]]:
    resources = template.get("Resources") or {}
    return {
        logical_id: (resource.get("Properties") or {})
        for logical_id, resource in resources.items()
        if isinstance(resource, dict) and resource.get("Type") == resource_type
    }


def dropped_capacity_providers(deployed: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Clusters whose live capacity providers include Fargate Spot and which the new template takes them off: ECS
    refuses that while the service still uses them ("The specified capacity provider is in use",
    aws/containers-roadmap#631), and the service would get LaunchType back in the same update."""
    found = []
    new_clusters = _of_type(new, "AWS::ECS::Cluster")
    for logical_id, properties in _of_type(deployed, "AWS::ECS::Cluster").items():
        if "FARGATE_SPOT" not in (properties.get("CapacityProviders") or []) or logical_id not in new_clusters:
            continue
        if not new_clusters[logical_id].get("CapacityProviders"):
            found.append(
                f"cluster {logical_id} runs Fargate Spot and this update takes its capacity providers away, which ECS "
                f"refuses while the service uses them; keep [service.capacity] with fargate_spot = 0 to move the "
                f"tasks off Spot (the providers stay on the cluster)"
            )
    return found


@dataclass(frozen=True)
class LeftStrategy:
    """A service leaving blue/green, canary or linear for a rolling update, with what its traffic runs through."""

    service: str
    strategy: str
    production_rule: str  # logical IDs in the deployed template
    alternate_target_group: str


def _strategy(service: dict[str, Any]) -> str:
    strategy = (service.get("DeploymentConfiguration") or {}).get("Strategy")
    return strategy if isinstance(strategy, str) else "ROLLING"


def _ref(value: Any) -> str:
    return str(value.get("Ref", "")) if isinstance(value, dict) else ""


def left_shifting_strategies(deployed: dict[str, Any], new: dict[str, Any]) -> list[LeftStrategy]:
    """Services that shift traffic between two target groups today and would be updated by rolling: ECS registers
    the new tasks in the primary group only, while the production rule may still send all traffic to the other."""
    found = []
    new_services = _of_type(new, "AWS::ECS::Service")
    for logical_id, service in _of_type(deployed, "AWS::ECS::Service").items():
        strategy = _strategy(service)
        if strategy not in SHIFTING_STRATEGIES or logical_id not in new_services:
            continue
        if _strategy(new_services[logical_id]) in SHIFTING_STRATEGIES:
            continue
        for balancer in service.get("LoadBalancers") or []:
            advanced = balancer.get("AdvancedConfiguration") if isinstance(balancer, dict) else None
            if isinstance(advanced, dict):
                rule, alternate = (
                    _ref(advanced.get("ProductionListenerRule")),
                    _ref(advanced.get("AlternateTargetGroupArn")),
                )
                if rule and alternate:
                    found.append(LeftStrategy(logical_id, strategy, rule, alternate))
    return found


def switch_refusal(left: LeftStrategy, weight: int) -> str:
    return (
        f"service {left.service}: switching from {left.strategy.lower()} to rolling while the production listener "
        f"rule sends {weight}% of traffic to the alternate target group {left.alternate_target_group}: the rolling "
        f"update would register the new tasks in the primary group, and traffic would go to an empty group; deploy "
        f"once more with {left.strategy.lower()} first (that moves production traffic back to the primary group), "
        f"then switch"
    )


UNDOCUMENTED_CAPACITY_CHANGE = ("CANARY", "LINEAR")


def capacity_change_under_traffic_shifting(deployed: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Services whose capacity provider strategy (or launch type) this update changes while they deploy by canary or
    linear: UpdateService's `capacityProviderStrategy` says "You can change capacity providers for rolling deployments
    and blue/green deployments", and names neither. Not refused (nothing says ECS fails it), but said."""
    found = []
    deployed_services = _of_type(deployed, "AWS::ECS::Service")
    for logical_id, service in _of_type(new, "AWS::ECS::Service").items():
        before = deployed_services.get(logical_id)
        if before is None:
            continue
        strategies = {_strategy(before), _strategy(service)} & set(UNDOCUMENTED_CAPACITY_CHANGE)
        if not strategies or _capacity(before) == _capacity(service):
            continue
        strategy = sorted(strategies)[0].lower()
        found.append(
            f"service {logical_id}: this update changes its capacity provider strategy under {strategy} deployments; "
            "ECS's UpdateService reference documents that change for rolling and blue/green deployments only, so "
            f'if ECS refuses it the update rolls back: to be sure, deploy the change with strategy = "blue_green" '
            f"first, then go back to {strategy}"
        )
    return found


def _capacity(service: dict[str, Any]) -> tuple[Any, Any]:
    return service.get("CapacityProviderStrategy"), service.get("LaunchType")
