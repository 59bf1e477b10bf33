"""ECS reads for the rollout watcher: a service's deployments and its stopped tasks."""

from __future__ import annotations

from typing import Any


def describe_service(ecs: Any, cluster: str, service: str) -> dict[str, Any] | None:
    services = ecs.describe_services(cluster=cluster, services=[service]).get("services", [])
    return services[0] if services else None


def stopped_task_arns(ecs: Any, cluster: str, service: str) -> list[str]:
    return list(ecs.list_tasks(cluster=cluster, serviceName=service, desiredStatus="STOPPED").get("taskArns", []))


def describe_tasks(ecs: Any, cluster: str, arns: list[str]) -> list[dict[str, Any]]:
    """DescribeTasks takes at most 100 tasks a call."""
    return [task for start in range(0, len(arns), 100)
            for task in ecs.describe_tasks(cluster=cluster, tasks=arns[start:start + 100]).get("tasks", [])]
