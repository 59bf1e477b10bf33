"""What the rollout watcher says about blue/green, canary and linear deployments.

For those strategies ECS describes each deployment as a *service deployment* (DescribeServiceDeployments, known to
botocore since the 2025 API): a status, the lifecycle stage it is in, and the share of production and test traffic
asked of the new revision. The service's `deployments` list (all a rolling update has) does not show traffic or the
bake time, so for these strategies the watcher reads the service deployment too.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

STRATEGY_NAMES = {"BLUE_GREEN": "blue/green", "CANARY": "canary", "LINEAR": "linear"}
STAGES = {
    "RECONCILE_SERVICE": "reconciling the service's revisions",
    "PRE_SCALE_UP": "about to start the new revision",
    "SCALE_UP": "starting the new revision's tasks",
    "POST_SCALE_UP": "the new revision's tasks are up",
    "TEST_TRAFFIC_SHIFT": "moving test traffic to the new revision",
    "POST_TEST_TRAFFIC_SHIFT": "test traffic on the new revision",
    "PRODUCTION_TRAFFIC_SHIFT": "shifting production traffic",
    "POST_PRODUCTION_TRAFFIC_SHIFT": "production traffic shifted",
    "BAKE_TIME": "baking: the old revision stays up, alarms and the circuit breaker can still roll back",
    "CLEAN_UP": "stopping the old revision",
}
SUCCEEDED = ("SUCCESSFUL",)
CLOCK_SKEW = timedelta(seconds=60)  # this machine's clock against ECS's createdAt
FAILED = (
    "ROLLBACK_REQUESTED",
    "ROLLBACK_IN_PROGRESS",
    "ROLLBACK_SUCCESSFUL",
    "ROLLBACK_FAILED",
    "STOPPED",
    "STOP_REQUESTED",
)


def shifts_traffic(service: dict[str, Any]) -> bool:
    return service.get("deploymentConfiguration", {}).get("strategy", "ROLLING") in STRATEGY_NAMES


def predates(deployment: dict[str, Any], since: datetime | None) -> bool:
    """A service deployment ECS created before this deploy began: the service's `currentServiceDeployment` stays the
    last one when an update starts none (a change of desired count alone), even when that one rolled back."""
    created = deployment.get("createdAt")
    return since is not None and isinstance(created, datetime) and created < since - CLOCK_SKEW


def bake_minutes(service: dict[str, Any]) -> int:
    """How long ECS may bake on purpose (bake time plus the canary's or the linear steps'): the watcher waits that much
    more."""
    config = service.get("deploymentConfiguration", {})
    total = int(config.get("bakeTimeInMinutes", 0))
    if config.get("strategy") == "CANARY":
        total += int(config.get("canaryConfiguration", {}).get("canaryBakeTimeInMinutes", 0))
    if config.get("strategy") == "LINEAR":
        linear = config.get("linearConfiguration", {})
        step = float(linear.get("stepPercent", 100)) or 100.0
        total += int(linear.get("stepBakeTimeInMinutes", 0)) * max(int(100 // step), 1)
    return total


def summary(strategy: str, deployment: dict[str, Any]) -> str:
    """One line: the strategy, the status, the stage in words, and the traffic the new revision has."""
    line = f"{STRATEGY_NAMES.get(strategy, strategy)} {deployment.get('status', '?')}"
    if stage := stage_words(deployment):
        line += f": {stage}"
    target = deployment.get("targetServiceRevision", {})
    traffic, test = (
        _percent(target.get("requestedProductionTrafficWeight")),
        _percent(target.get("requestedTestTrafficWeight")),
    )
    if traffic is not None:
        line += f"; production traffic on the new revision {traffic}" + (
            f", test traffic {test}" if test is not None else ""
        )
    return line


def stage_words(deployment: dict[str, Any]) -> str:
    stage = deployment.get("lifecycleStage")
    return STAGES.get(stage, stage.lower().replace("_", " ")) if stage else ""


def verdict(deployment: dict[str, Any]) -> tuple[str, str]:
    """(COMPLETED | FAILED | IN_PROGRESS, reason). A rollback ECS has started is a failed deploy already."""
    status = deployment.get("status", "")
    reason = deployment.get("statusReason", "") or deployment.get("rollback", {}).get("reason", "")
    if status in SUCCEEDED:
        return "COMPLETED", reason or "the new revision serves all production traffic"
    if status in FAILED:
        return "FAILED", _failure_reason(deployment, reason)
    return "IN_PROGRESS", reason or stage_words(deployment) or status


def _failure_reason(deployment: dict[str, Any], reason: str) -> str:
    """ECS's reason, with the alarm that fired or the circuit breaker named when ECS says so."""
    triggered = deployment.get("alarms", {}).get("triggeredAlarmNames", [])
    breaker = deployment.get("deploymentCircuitBreaker", {})
    status = deployment.get("status", "")
    what = f"rolled back ({status})" if status.startswith("ROLLBACK") else f"stopped ({status})"
    cause = ""
    if triggered:
        cause = f"alarm {', '.join(triggered)} fired"
    elif breaker.get("status") == "TRIGGERED":
        cause = (
            f"the circuit breaker tripped ({breaker.get('failureCount', '?')} failed tasks, threshold "
            f"{breaker.get('threshold', '?')})"
        )
    return "; ".join(part for part in (what, cause, reason) if part)


def _percent(weight: Any) -> str | None:
    if weight is None:
        return None
    return f"{float(weight):g}%"
