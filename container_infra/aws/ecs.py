"""ECS reads: a service's deployments, its tasks (running and stopped), and task definitions."""

from __future__ import annotations

from typing import Any

from container_infra.errors import AwsError


def describe_service(ecs: Any, cluster: str, service: str) -> dict[str, Any] | None:
    services = ecs.describe_services(cluster=cluster, services=[service]).get("services", [])
    return services[0] if services else None


def describe_service_deployment(ecs: Any, arn: str) -> dict[str, Any] | None:
    """One service deployment (blue/green, canary, linear): status, lifecycleStage, traffic weights, rollback."""
    deployments = ecs.describe_service_deployments(serviceDeploymentArns=[arn]).get("serviceDeployments", [])
    return deployments[0] if deployments else None


def stopped_task_arns(ecs: Any, cluster: str, service: str) -> list[str]:
    return list(ecs.list_tasks(cluster=cluster, serviceName=service, desiredStatus="STOPPED").get("taskArns", []))


def describe_tasks(ecs: Any, cluster: str, arns: list[str]) -> list[dict[str, Any]]:
    """DescribeTasks takes at most 100 tasks a call."""
    return [
        task
        for start in range(0, len(arns), 100)
        for task in ecs.describe_tasks(cluster=cluster, tasks=arns[start : start + 100]).get("tasks", [])
    ]


def task_arns(
    ecs: Any, cluster: str, *, service: str | None = None, family: str | None = None, status: str = "RUNNING"
) -> list[str]:
    """ListTasks, every page: a service's tasks, or a family's (a task definition without a service)."""
    kwargs: dict[str, Any] = {"cluster": cluster, "desiredStatus": status}
    if service:
        kwargs["serviceName"] = service
    elif family:
        kwargs["family"] = family
    return [arn for page in ecs.get_paginator("list_tasks").paginate(**kwargs) for arn in page.get("taskArns", [])]


def describe_task_definition(ecs: Any, task_definition: str) -> dict[str, Any] | None:
    """A task definition by ARN or `family:revision`, also a deregistered (INACTIVE) one; None when there is none."""
    try:
        return dict(ecs.describe_task_definition(taskDefinition=task_definition)["taskDefinition"])
    except AwsError as error:
        if error.code in ("ClientException", "InvalidParameterException"):
            return None
        raise


def describe_task_definition_with_tags(ecs: Any, task_definition: str) -> tuple[dict[str, Any], dict[str, str]] | None:
    """A task definition and its tags (key -> value), also a deregistered one; None when there is none."""
    try:
        answer = ecs.describe_task_definition(taskDefinition=task_definition, include=["TAGS"])
    except AwsError as error:
        if error.code in ("ClientException", "InvalidParameterException"):
            return None
        raise
    tags = {str(t.get("key")): str(t.get("value")) for t in answer.get("tags") or []}
    return dict(answer["taskDefinition"]), tags
