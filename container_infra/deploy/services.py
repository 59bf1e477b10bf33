"""Which ECS services a deployment changes, and where they are once CloudFormation has made them."""

from __future__ import annotations

from typing import Any

import botocore.exceptions

from container_infra.deploy.diff import Diff
from container_infra.deploy.rollout import RolloutWatcher, WatchedService
from container_infra.deploy.ui import Output

SERVICE_TYPE = "AWS::ECS::Service"


def changed_services(template: dict[str, Any], diff: Diff) -> list[str]:
    """Services added or modified, and services whose task definition changes."""
    resources = template.get("Resources") or {}
    changed = {r.logical_id for r in diff.resources if r.action in ("Add", "Modify", "Dynamic")}
    services = []
    for logical_id, resource in resources.items():
        if resource.get("Type") != SERVICE_TYPE:
            continue
        task = (resource.get("Properties") or {}).get("TaskDefinition")
        task_id = task.get("Ref") if isinstance(task, dict) else None
        if logical_id in changed or task_id in changed:
            services.append(logical_id)
    return sorted(services)


def rollout_watcher(aws: Any, out: Output, stack_id: str, template: dict[str, Any], logical_ids: list[str]) -> RolloutWatcher | None:
    if not logical_ids:
        return None
    cf = aws.cloudformation

    def resolve(watched: WatchedService) -> None:
        service_arn = _physical_id(cf, stack_id, watched.logical_id)
        if not service_arn:
            return
        cluster = _cluster_of(service_arn) or _cluster_from_template(cf, stack_id, template, watched.logical_id)
        if cluster:
            watched.cluster, watched.service = cluster, service_arn

    return RolloutWatcher(aws.client("ecs"), out, [WatchedService(lid) for lid in logical_ids], resolve=resolve)


def _cluster_from_template(cf: Any, stack_id: str, template: dict[str, Any], service_id: str) -> str:
    cluster = (template["Resources"][service_id].get("Properties") or {}).get("Cluster", "")
    if isinstance(cluster, dict):
        return _physical_id(cf, stack_id, str(cluster.get("Ref", "")))
    return str(cluster)


def _physical_id(cf: Any, stack_id: str, logical_id: str) -> str:
    """The resource's physical ID once CloudFormation has created it, else empty."""
    if not logical_id:
        return ""
    try:
        pages = cf.get_paginator("list_stack_resources").paginate(StackName=stack_id)
        for page in pages:
            for resource in page["StackResourceSummaries"]:
                if resource.get("LogicalResourceId") == logical_id:
                    return str(resource.get("PhysicalResourceId") or "")
    except botocore.exceptions.ClientError:
        return ""
    return ""


def _cluster_of(service_arn: str) -> str:
    """The cluster from a long-format service ARN (`...:service/<cluster>/<name>`); empty for the old format."""
    path = service_arn.split(":service/", 1)[-1] if ":service/" in service_arn else ""
    return path.split("/")[0] if path.count("/") == 1 else ""
