"""ECS service deployments: settings that a deployment strategy or a container does not support (W9006, W9007,
W9009)."""

from __future__ import annotations

from typing import Any

from cfnlint.rules import CloudFormationLintRule, RuleMatch

SERVICE = "AWS::ECS::Service"
TASK_DEFINITION = "AWS::ECS::TaskDefinition"
NO_CIRCUIT_BREAKER = ("CANARY", "LINEAR")
LOAD_BALANCER = "AWS::ElasticLoadBalancingV2::LoadBalancer"
LISTENER = "AWS::ElasticLoadBalancingV2::Listener"
TRAFFIC_SHIFTING = ("BLUE_GREEN", "CANARY", "LINEAR")
DUALSTACK = ("dualstack", "dualstack-without-public-ipv4")


def _properties(resource: Any) -> dict[str, Any]:
    properties = resource.get("Properties") if isinstance(resource, dict) else None
    return properties if isinstance(properties, dict) else {}


def _is_true(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")


def _ref(value: Any) -> str | None:
    return value.get("Ref") if isinstance(value, dict) and isinstance(value.get("Ref"), str) else None


class CircuitBreakerWithTrafficShifting(CloudFormationLintRule):
    id = "W9006"
    shortdesc = "The deployment circuit breaker does not cover canary or linear deployments"
    description = (
        "DeploymentCircuitBreaker enabled with Strategy CANARY or LINEAR: ECS documents the circuit breaker for "
        "rolling and blue/green deployments only, so a failing canary or linear deployment is not stopped by it; "
        "use CloudWatch alarms (DeploymentConfiguration.Alarms) for automatic rollback."
    )
    source_url = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-failure-detection.html"
    tags = ["resources", "ecs"]

    def match(self, cfn: Any) -> list[RuleMatch]:
        matches = []
        for name, service in cfn.get_resources(SERVICE).items():
            deployment = _properties(service).get("DeploymentConfiguration")
            if not isinstance(deployment, dict) or deployment.get("Strategy") not in NO_CIRCUIT_BREAKER:
                continue
            breaker = deployment.get("DeploymentCircuitBreaker")
            if isinstance(breaker, dict) and _is_true(breaker.get("Enable")):
                matches.append(
                    RuleMatch(
                        ["Resources", name, "Properties", "DeploymentConfiguration", "DeploymentCircuitBreaker"],
                        f"{name} enables the circuit breaker with Strategy {deployment['Strategy']}, which it does "
                        "not cover; roll back with CloudWatch alarms instead",
                    )
                )
        return matches


class ExecOnReadOnlyRoot(CloudFormationLintRule):
    id = "W9007"
    shortdesc = "ECS Exec does not work with a read-only root file system"
    description = (
        "EnableExecuteCommand: true on a service whose task definition (in the template) has a container with "
        "ReadonlyRootFilesystem: true: the SSM agent must write into the container, so sessions fail."
    )
    source_url = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html"
    tags = ["resources", "ecs"]

    def match(self, cfn: Any) -> list[RuleMatch]:
        tasks = cfn.get_resources(TASK_DEFINITION)
        matches = []
        for name, service in cfn.get_resources(SERVICE).items():
            properties = _properties(service)
            task = tasks.get(_ref(properties.get("TaskDefinition")) or "")
            if not _is_true(properties.get("EnableExecuteCommand")) or task is None:
                continue
            containers = _properties(task).get("ContainerDefinitions")
            read_only = [
                c.get("Name", "?")
                for c in containers
                if isinstance(containers, list)
                if isinstance(c, dict) and _is_true(c.get("ReadonlyRootFilesystem"))
            ]
            if read_only:
                matches.append(
                    RuleMatch(
                        ["Resources", name, "Properties", "EnableExecuteCommand"],
                        f"{name} enables ECS Exec but container {read_only[0]} has a read-only root file system",
                    )
                )
        return matches


class DualstackWithTrafficShifting(CloudFormationLintRule):
    id = "W9009"
    shortdesc = "ECS documents IPv4 load balancers for blue/green, canary and linear deployments"
    description = (
        "An Application Load Balancer with IpAddressType dualstack in front of an ECS service whose "
        "DeploymentConfiguration.Strategy is BLUE_GREEN, CANARY or LINEAR: the ECS guide's page on the load "
        "balancer resources for those deployments lists IP address type IPv4 for the load balancer."
    )
    source_url = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/alb-resources-for-blue-green.html"
    tags = ["resources", "ecs", "elasticloadbalancingv2"]

    def match(self, cfn: Any) -> list[RuleMatch]:
        matches = []
        listeners = cfn.get_resources(LISTENER)
        services = cfn.get_resources(SERVICE)
        for name, balancer in cfn.get_resources(LOAD_BALANCER).items():
            if _properties(balancer).get("IpAddressType") not in DUALSTACK:
                continue
            groups = _forwarded_groups(name, listeners)
            for service_name, service in services.items():
                strategy = _shifting_strategy(service)
                if strategy and groups & _service_groups(service):
                    matches.append(
                        RuleMatch(
                            ["Resources", name, "Properties", "IpAddressType"],
                            f"{name} is dualstack and serves {service_name}, which deploys by {strategy}: ECS "
                            "documents an IPv4 load balancer for blue/green, canary and linear deployments",
                        )
                    )
        return matches


def _shifting_strategy(service: Any) -> str:
    deployment = _properties(service).get("DeploymentConfiguration")
    strategy = deployment.get("Strategy") if isinstance(deployment, dict) else None
    return strategy if strategy in TRAFFIC_SHIFTING else ""


def _service_groups(service: Any) -> set[str]:
    balancers = _properties(service).get("LoadBalancers")
    return {
        ref
        for balancer in (balancers if isinstance(balancers, list) else [])
        if isinstance(balancer, dict)
        for ref in [_ref(balancer.get("TargetGroupArn"))]
        if ref
    }


def _forwarded_groups(balancer: str, listeners: dict[str, Any]) -> set[str]:
    """The target groups the balancer's listeners forward to by default (TargetGroupArn or ForwardConfig)."""
    found: set[str] = set()
    for listener in listeners.values():
        properties = _properties(listener)
        actions = properties.get("DefaultActions")
        if _ref(properties.get("LoadBalancerArn")) != balancer or not isinstance(actions, list):
            continue
        for action in actions:
            if not isinstance(action, dict):
                continue
            found.add(_ref(action.get("TargetGroupArn")) or "")
            forward = action.get("ForwardConfig")
            groups = forward.get("TargetGroups") if isinstance(forward, dict) else None
            for group in groups if isinstance(groups, list) else []:
                found.add((_ref(group.get("TargetGroupArn")) if isinstance(group, dict) else None) or "")
    found.discard("")
    return found
