"""Is it healthy? The verdict of --status, from the data it gathered (pure: a dict in, reasons out)."""

from __future__ import annotations

from typing import Any

SETTLED_OK = frozenset({"CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE", "IMPORT_COMPLETE"})
TARGET_OK = frozenset({"healthy", "draining"})


def problems(data: dict[str, Any]) -> list[str]:
    """Why it is not healthy; empty when it is."""
    found = _stack_problems(data["stack"])
    for service in data["services"]:
        found += _service_problems(service)
    wanted = sum(s["desired"] for s in data["services"])
    partners = _partners(data["services"])
    groups = {group.get("arn"): group for group in data["targetGroups"]}
    for group in data["targetGroups"]:
        partner_arn, primary = partners.get(group.get("arn"), ("", True))
        found += _target_problems(group, wanted, groups.get(partner_arn), primary=primary)
    if data["services"] and not data["targetGroups"]:
        found += _unhealthy_tasks(data["tasks"]["running"])
    return found


def _unhealthy_tasks(running: list[dict[str, Any]]) -> list[str]:
    """Without a load balancer no target health speaks for the tasks: a task whose containers' health checks say
    UNHEALTHY is one ECS is about to stop and replace (ECS API reference, HealthCheck)."""
    return [
        f"task {task['id']} is UNHEALTHY (its containers' health check)"
        for task in running
        if task.get("health") == "UNHEALTHY"
    ]


def _partners(services: list[dict[str, Any]]) -> dict[str, tuple[str, bool]]:
    """Each target group that a traffic-shifting service pairs with an alternate -> the other group of the pair, and
    whether this one is the primary (the service's targetGroupArn)."""
    partners: dict[str, tuple[str, bool]] = {}
    for service in services:
        for primary, alternate in service.get("targetGroupPairs") or []:
            partners[primary], partners[alternate] = (alternate, True), (primary, False)
    return partners


def notes(data: dict[str, Any]) -> list[str]:
    """What is worth knowing but not unhealthy."""
    if data["stack"]["status"] == "UPDATE_ROLLBACK_COMPLETE":
        return ["the last update failed and CloudFormation rolled it back: the previous release runs"]
    return []


def _stack_problems(stack: dict[str, Any]) -> list[str]:
    if stack["status"] in SETTLED_OK:
        return []
    return [f"stack {stack['name']} is {stack['status']}" + (f": {stack['reason']}" if stack.get("reason") else "")]


def _service_problems(service: dict[str, Any]) -> list[str]:
    name, found = service["logicalId"], []
    if service["status"] != "ACTIVE":
        return [f"service {name} is {service['status']}"]
    if service["running"] < service["desired"]:
        found.append(f"service {name} runs {service['running']} of {service['desired']} tasks")
    if service["pending"]:
        found.append(f"service {name} has {service['pending']} pending tasks")
    primary = next((d for d in service["deployments"] if d["status"] == "PRIMARY"), None)
    if primary and primary.get("rolloutState") in ("FAILED", "IN_PROGRESS"):
        found.append(
            f"service {name}: deployment {primary['rolloutState']}"
            + (f" ({primary['rolloutStateReason']})" if primary.get("rolloutStateReason") else "")
        )
    elif len(service["deployments"]) > 1:
        found.append(f"service {name}: {len(service['deployments'])} deployments (a rollout is under way)")
    return found


def _target_problems(
    group: dict[str, Any], wanted: int, partner: dict[str, Any] | None = None, *, primary: bool = True
) -> list[str]:
    """A group paired with an alternate (blue/green, canary, linear) is empty by design when its partner serves:
    the pair needs one healthy target, said once (for the group with targets, or the primary when both are empty)."""
    targets = group["targets"]
    bad = [t for t in targets if t["state"] not in TARGET_OK]
    found = [
        f"target {t['id']}:{t['port']} in {group['logicalId']} is {t['state']}"
        + (f" ({t['reason']}: {t['description']})" if t.get("reason") else "")
        for t in bad
    ]
    if partner is not None:
        if _healthy(partner["targets"]):
            return found
        if not targets and (partner["targets"] or not primary):
            return found  # the partner is the group in use (or, both empty, the primary): said for it
    if wanted and not _healthy(targets):
        found.append(f"no healthy targets in {group['logicalId']}: the load balancer has nowhere to send requests")
    return found


def _healthy(targets: list[dict[str, Any]]) -> bool:
    return any(t["state"] == "healthy" for t in targets)
