"""Which ECS services a deployment changes, read from the template and the diff."""

from __future__ import annotations

from typing import Any

from container_infra.cfn.constants import ECS_SERVICE_TYPE
from container_infra.cfn.template import resources
from container_infra.diff.model import Diff


def changed_services(template: dict[str, Any], diff: Diff) -> list[str]:
    """Services added or modified, and services whose task definition changes."""
    changed = {r.logical_id for r in diff.resources if r.action in ("Add", "Modify", "Dynamic")}
    services = []
    for logical_id, resource in resources(template).items():
        if resource.get("Type") != ECS_SERVICE_TYPE:
            continue
        task = (resource.get("Properties") or {}).get("TaskDefinition")
        task_id = task.get("Ref") if isinstance(task, dict) else None
        if logical_id in changed or task_id in changed:
            services.append(logical_id)
    return sorted(services)


def cluster_reference(template: dict[str, Any], service_id: str) -> tuple[str, str]:
    """("ref", logical ID) when the service's Cluster is a Ref to a resource, else ("name", the literal)."""
    cluster = (resources(template)[service_id].get("Properties") or {}).get("Cluster", "")
    if isinstance(cluster, dict):
        return "ref", str(cluster.get("Ref", ""))
    return "name", str(cluster)


def cluster_of_service_arn(service_arn: str) -> str:
    """The cluster from a long-format service ARN (`...:service/<cluster>/<name>`); empty for the old format."""
    path = service_arn.split(":service/", 1)[-1] if ":service/" in service_arn else ""
    return path.split("/")[0] if path.count("/") == 1 else ""


def all_services(template: dict[str, Any]) -> list[str]:
    """Every ECS service of a template: what `deploy.py --follow` watches, not knowing what the operation changes."""
    return sorted(lid for lid, resource in resources(template).items() if resource.get("Type") == ECS_SERVICE_TYPE)
