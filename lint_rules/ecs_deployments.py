"""ECS service deployments: settings that a deployment strategy or a container does not support (W9006, W9007)."""

from __future__ import annotations

from typing import Any

from cfnlint.rules import CloudFormationLintRule, RuleMatch

SERVICE = "AWS::ECS::Service"
TASK_DEFINITION = "AWS::ECS::TaskDefinition"
NO_CIRCUIT_BREAKER = ("CANARY", "LINEAR")


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
