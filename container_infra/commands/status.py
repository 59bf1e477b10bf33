"""deploy.py --status: is it healthy? The stack, the service and its deployments, the tasks (with the last
words of the ones that stopped in the last hour), the load balancer's targets, the URL, the service's events.

Exit 0 when healthy, 1 when not (watch/health.py says what counts), so CI can gate on it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from container_infra.aws import ecs as ecs_reads
from container_infra.aws.deployed import load_deployed, not_deployed
from container_infra.aws.elbv2 import target_health
from container_infra.aws.session import Aws
from container_infra.cfn.deployed import DeployedStack, split_task_definition_arn
from container_infra.errors import EXIT_FAILED, EXIT_OK, DeployFailed
from container_infra.naming import SERVICE_URL_OUTPUT
from container_infra.render.status import render_status
from container_infra.ui.output import Output
from container_infra.watch import health
from container_infra.watch.last_words import LastWords, task_id

STOPPED_WINDOW = timedelta(hours=1)
EVENTS = 10
STOPPED_WITH_LOGS = 5  # the most recent stopped tasks get their last words; older ones their stop reason only


def status(aws: Aws, stack_name: str, out: Output, *, as_json: bool, now: datetime | None = None) -> int:
    deployed = load_deployed(aws, stack_name)
    if deployed is None:
        raise DeployFailed(not_deployed(stack_name, aws.region))
    data = StatusReader(aws, deployed, now or datetime.now(UTC)).read()
    data["problems"] = health.problems(data)
    data["notes"] = health.notes(data)
    data["healthy"] = not data["problems"]
    if as_json:
        out.document(json.dumps(data, indent=2, default=_iso) + "\n")
    else:
        render_status(out, data)
    return EXIT_OK if data["healthy"] else EXIT_FAILED


class StatusReader:
    def __init__(self, aws: Aws, deployed: DeployedStack, now: datetime) -> None:
        self.aws, self.deployed, self.now = aws, deployed, now
        self.ecs = aws.client("ecs")
        self.words = LastWords(self.ecs, aws.client("logs"))

    def read(self) -> dict[str, Any]:
        d = self.deployed
        stack = d.stack
        return {
            "stack": {
                "name": d.name,
                "region": self.aws.region,
                "status": d.status,
                "reason": stack.get("StackStatusReason", ""),
                "lastOperationAt": stack.get("LastUpdatedTime") or stack.get("CreationTime"),
            },
            "url": d.outputs.get(SERVICE_URL_OUTPUT),
            "taskDefinitions": [self._task_definition(lid, arn) for lid, arn in d.task_definitions],
            "services": [self._service(lid, arn) for lid, arn in d.services],
            "tasks": self._tasks(),
            "targetGroups": [self._targets(lid, arn) for lid, arn in d.target_groups],
        }

    def _task_definition(self, logical_id: str, arn: str) -> dict[str, Any]:
        described = ecs_reads.describe_task_definition(self.ecs, arn) or {}
        return {
            "logicalId": logical_id,
            "arn": arn,
            "revision": _revision(arn),
            "cpu": described.get("cpu"),
            "memory": described.get("memory"),
            "containers": [
                {"name": c.get("name"), "image": c.get("image")} for c in described.get("containerDefinitions") or []
            ],
        }

    def _service(self, logical_id: str, arn: str) -> dict[str, Any]:
        described = ecs_reads.describe_service(self.ecs, self.deployed.service_cluster(arn), arn) or {}
        return {
            "logicalId": logical_id,
            "arn": arn,
            "name": described.get("serviceName", arn.rsplit("/", 1)[-1]),
            "status": described.get("status", "MISSING"),
            "desired": described.get("desiredCount", 0),
            "running": described.get("runningCount", 0),
            "pending": described.get("pendingCount", 0),
            "deployments": [_deployment(x) for x in described.get("deployments", [])],
            "targetGroupPairs": _target_group_pairs(described),
            "events": [
                {"at": e.get("createdAt"), "message": e.get("message", "")}
                for e in described.get("events", [])[:EVENTS]
            ],
        }

    def _tasks(self) -> dict[str, list[dict[str, Any]]]:
        running, stopped = [], []
        for cluster, scope in self._task_scopes():
            running += ecs_reads.describe_tasks(self.ecs, cluster, ecs_reads.task_arns(self.ecs, cluster, **scope))
            stopped += ecs_reads.describe_tasks(
                self.ecs, cluster, ecs_reads.task_arns(self.ecs, cluster, status="STOPPED", **scope)
            )
        recent = sorted(
            (t for t in stopped if _after(t.get("stoppedAt"), self.now - STOPPED_WINDOW)),
            key=lambda t: t.get("stoppedAt"),
            reverse=True,
        )
        return {
            "running": [_running_task(t) for t in running],
            "stopped": [self._stopped_task(t, with_logs=i < STOPPED_WITH_LOGS) for i, t in enumerate(recent)],
        }

    def _task_scopes(self) -> list[tuple[str, dict[str, str]]]:
        """A service's tasks; without a service, the tasks of the stack's task definition families in its cluster."""
        if self.deployed.services:
            return [(self.deployed.service_cluster(arn), {"service": arn}) for _, arn in self.deployed.services]
        if not self.deployed.cluster:
            return []
        return [
            (self.deployed.cluster, {"family": split_task_definition_arn(arn)[0]})
            for _, arn in self.deployed.task_definitions
        ]

    def _stopped_task(self, task: dict[str, Any], *, with_logs: bool) -> dict[str, Any]:
        return {
            "id": task_id(task["taskArn"]),
            "stoppedAt": task.get("stoppedAt"),
            "stoppedReason": task.get("stoppedReason", ""),
            "revision": _revision(task.get("taskDefinitionArn", "")),
            "containers": [
                {"name": c.get("name"), "exitCode": c.get("exitCode"), "reason": c.get("reason", "")}
                for c in task.get("containers", [])
            ],
            "lastLogLines": self.words.by_container(task) if with_logs else None,
        }

    def _targets(self, logical_id: str, arn: str) -> dict[str, Any]:
        targets = [
            {
                "id": t.get("Target", {}).get("Id"),
                "port": t.get("Target", {}).get("Port"),
                "state": t.get("TargetHealth", {}).get("State", "unknown"),
                "reason": t.get("TargetHealth", {}).get("Reason", ""),
                "description": t.get("TargetHealth", {}).get("Description", ""),
            }
            for t in target_health(self.aws.client("elbv2"), arn)
        ]
        return {"logicalId": logical_id, "arn": arn, "targets": targets}


def _target_group_pairs(service: dict[str, Any]) -> list[list[str]]:
    """Blue/green, canary and linear move traffic between a target group and its alternate: one of the two is empty
    by design between deployments."""
    return [
        [str(lb["targetGroupArn"]), str(lb["advancedConfiguration"]["alternateTargetGroupArn"])]
        for lb in service.get("loadBalancers") or []
        if lb.get("targetGroupArn") and (lb.get("advancedConfiguration") or {}).get("alternateTargetGroupArn")
    ]


def _deployment(deployment: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": deployment.get("id"),
        "status": deployment.get("status"),
        "rolloutState": deployment.get("rolloutState"),
        "rolloutStateReason": deployment.get("rolloutStateReason", ""),
        "taskDefinition": deployment.get("taskDefinition"),
        "revision": _revision(deployment.get("taskDefinition", "")),
        "desired": deployment.get("desiredCount", 0),
        "running": deployment.get("runningCount", 0),
        "pending": deployment.get("pendingCount", 0),
        "failed": deployment.get("failedTasks", 0),
        "updatedAt": deployment.get("updatedAt"),
    }


def _running_task(task: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": task_id(task["taskArn"]),
        "lastStatus": task.get("lastStatus"),
        "health": task.get("healthStatus", "UNKNOWN"),
        "startedAt": task.get("startedAt"),
        "revision": _revision(task.get("taskDefinitionArn", "")),
        "containers": [
            {
                "name": c.get("name"),
                "image": c.get("image"),
                "digest": c.get("imageDigest"),
                "health": c.get("healthStatus", "UNKNOWN"),
            }
            for c in task.get("containers", [])
        ],
    }


def _revision(arn: str) -> int | None:
    try:
        return split_task_definition_arn(arn)[1]
    except ValueError:
        return None


def _after(moment: Any, limit: datetime) -> bool:
    return isinstance(moment, datetime) and moment >= limit


def _iso(value: Any) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return str(value)
