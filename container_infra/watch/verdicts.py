"""A rollout's verdict from what the watcher saw, and what a failed one is said with: the alarm that fired first, a
hint for the stop reasons people meet most."""

from __future__ import annotations

from container_infra.watch import strategies
from container_infra.watch.revision import not_started_yet, runs_another_revision
from container_infra.watch.watched import Verdict, WatchedService

SETTLE_TIMEOUT_SECONDS = 30 * 60
HINTS: list[tuple[str, str]] = [
    (
        "CannotPullContainerError",
        "the image could not be pulled: check that the image and tag exist, and that tasks reach the registry (a "
        "public IP or a NAT gateway: service.assign_public_ip)",
    ),
    ("OutOfMemory", "the container ran out of memory: raise task.memory_mib"),
    ("exit code 137", "killed (exit 137), most often for lack of memory: raise task.memory_mib"),
    (
        "ELB health checks",
        "the load balancer's health check failed: does service.health_check_path answer 200-399, on the container's "
        "port?",
    ),
    (
        "ResourceInitializationError",
        "the task could not start: check the execution role and the network route to ECR and CloudWatch Logs",
    ),
    (
        "Essential container in task exited",
        "the app exited: read its logs (its last lines below, more with deploy.py --logs)",
    ),
]


def name_the_alarm(reason: str, alarm_names: list[str]) -> str:
    """A rollout failed by a deployment alarm: put the alarm's name first (ECS's reason may only say 'alarm')."""
    if "alarm" not in reason.lower() or not alarm_names:
        return reason
    named = [name for name in alarm_names if name in reason]
    which = (
        f"alarm {', '.join(named)} fired" if named else f"a deployment alarm fired (one of {', '.join(alarm_names)})"
    )
    return f"{which}: {reason}"


def hint_for(text: str) -> str | None:
    return next((hint for needle, hint in HINTS if needle.lower() in text.lower()), None)


def failure_of(verdicts: list[Verdict]) -> str | None:
    """Why the deploy fails after all (any rollout not COMPLETED, a timed-out one included), or None."""
    failed = next((v for v in verdicts if v.state != "COMPLETED"), None)
    if failed is None:
        return None
    if failed.state == "IN_PROGRESS":
        return (
            f"the ECS rollout of {failed.logical_id} was still in progress when the "
            f"{SETTLE_TIMEOUT_SECONDS // 60}-minute wait ended "
            f"({failed.reason or 'no reason given'}); it goes on in ECS: follow the service in the ECS console"
        )
    hint = hint_for(failed.reason)
    return f"the ECS rollout of {failed.logical_id} ended {failed.state}: {failed.reason or 'no reason given'}" + (
        f" (hint: {hint})" if hint else ""
    )


def verdict_of(watched: WatchedService, *, in_grace: bool = False) -> Verdict:
    """The service deployment's verdict (blue/green, canary, linear), else the failed or the primary deployment's."""
    primary = watched.primary
    if watched.service_deployment is not None:
        state, reason = strategies.verdict(watched.service_deployment)
        if state != "COMPLETED" or not watched.failed:
            named = watched.service_deployment.get("alarms", {}).get("triggeredAlarmNames")  # ECS named them already
            return Verdict(
                watched.logical_id,
                state,
                name_the_alarm(reason, watched.alarm_names) if state == "FAILED" and not named else reason,
            )
    if watched.failed:
        return Verdict(
            watched.logical_id, "FAILED", name_the_alarm(next(iter(watched.failed.values())), watched.alarm_names)
        )
    if primary is None:
        return Verdict(watched.logical_id, "COMPLETED", "no deployment")
    if in_grace and runs_another_revision(watched):
        return not_started_yet(watched)
    state = primary.get("rolloutState", "COMPLETED")
    if state == "FAILED":
        return Verdict(
            watched.logical_id, "FAILED", name_the_alarm(primary.get("rolloutStateReason", ""), watched.alarm_names)
        )
    return Verdict(watched.logical_id, state, primary.get("rolloutStateReason", ""))
