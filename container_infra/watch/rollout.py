"""Follow the ECS rollout itself, not only CloudFormation.

CloudFormation can say UPDATE_COMPLETE while the service's deployment failed, or sit in
UPDATE_IN_PROGRESS for an hour while tasks crash and restart. While a deploy changes a
service, this watches the service's deployments and its newly stopped tasks, prints each
change once, and gives the rollout's own verdict at the end.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from container_infra.aws import ecs as ecs_reads
from container_infra.aws.optional import what_failed
from container_infra.aws.session import Aws
from container_infra.aws.stacks import physical_id
from container_infra.cfn.services import cluster_of_service_arn, cluster_reference
from container_infra.errors import AwsError, ConnectionLost
from container_infra.ui.output import Output
from container_infra.watch import strategies
from container_infra.watch.last_words import LastWords, TaskWords

POLL_SECONDS = 5.0
SETTLE_TIMEOUT_SECONDS = 30 * 60
UNSTARTED_GRACE_SECONDS = 20.0  # how long a deployment of the stack's revision may take to appear (AWS: at once)
PROGRESS_SECONDS = 15.0  # while the rollout settles, a line this often says it is still going and how far
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


@dataclass
class WatchedService:
    logical_id: str
    cluster: str = ""  # empty until CloudFormation has created the service
    service: str = ""
    deployments: dict[str, str] = field(default_factory=dict)  # id -> last printed summary
    failed: dict[str, str] = field(default_factory=dict)  # deployment id -> reason
    primary: dict[str, Any] | None = None
    stopped_seen: set[str] = field(default_factory=set)
    seeded: bool = False
    alarm_names: list[str] = field(default_factory=list)  # the service's deployment alarms ([service.rollback])
    strategy: str = (
        "ROLLING"  # the service's deployment strategy; the others are followed through their service deployment
    )
    bake_minutes: int = 0  # how long that strategy bakes on purpose: the settle wait grows by as much
    service_deployment: dict[str, Any] | None = (
        None  # the current one (DescribeServiceDeployments), for blue/green, canary, linear
    )
    service_deployment_line: str = ""
    service_deployments_unreadable: bool = False
    expected_task_definition: str = ""  # the revision the stack names now (empty: not known, not checked)
    unverified_said: bool = False

    @property
    def resolved(self) -> bool:
        return bool(self.service)


@dataclass
class Verdict:
    logical_id: str
    state: str  # COMPLETED, FAILED, or IN_PROGRESS (timed out)
    reason: str = ""


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


Resolver = Callable[[WatchedService], None]


class RolloutWatcher:
    def __init__(
        self,
        ecs: Any,
        out: Output,
        services: list[WatchedService],
        *,
        resolve: Resolver | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        last_words: TaskWords | None = None,
        since: datetime | None = None,
        expected: Callable[[WatchedService], str] | None = None,
    ) -> None:
        self.ecs = ecs
        self.expected = expected  # the task definition the stack names for a service, read once CloudFormation is done
        self.since = since  # when the deploy began: an older service deployment is not this deploy's
        self.last_words = last_words  # the stopped task's own last log lines, under its stop reason
        self.out = out
        self.services = services
        self.resolve = resolve
        self.sleep = sleep
        self.clock = clock
        self.last_poll: float | None = None
        self.disabled = False

    def poll_if_due(self) -> None:
        """Called from the CloudFormation follower's loop: looks at ECS every few seconds, not every poll."""
        if self.last_poll is None or self.clock() - self.last_poll >= POLL_SECONDS:
            self.poll()

    def poll(self) -> None:
        """One look at every watched service. An ECS error (say, no ecs:DescribeServices permission) ends the
        watching with a warning instead of ending deploy.py, which then follows CloudFormation alone."""
        self.last_poll = self.clock()
        if self.disabled:
            return
        try:
            self._look()
        except ConnectionLost:
            raise
        except AwsError as error:
            self.disabled = True
            self.out.line(
                f"  Not watching the ECS rollout any more ({error.code} on {error.operation}): "
                "following CloudFormation alone.",
                "yellow",
            )

    def _look(self) -> None:
        for watched in self.services:
            if not watched.resolved and self.resolve is not None:
                self.resolve(watched)
            if not watched.resolved:
                continue
            described = ecs_reads.describe_service(self.ecs, watched.cluster, watched.service)
            if described:
                self._report_deployments(watched, described)
                self._report_service_deployment(watched, described)
            self._report_stopped_tasks(watched)
            watched.seeded = True

    def finish(self, timeout: float = SETTLE_TIMEOUT_SECONDS) -> list[Verdict]:
        """After CloudFormation is done: wait for every watched rollout to settle; their verdicts. A blue/green, canary
        or linear deployment bakes on purpose: the wait grows by its bake time."""
        start = self.clock()
        said = start
        self._learn_expected_revisions()
        while True:
            self.poll()
            if self.disabled:
                return []
            in_grace = self.clock() - start < UNSTARTED_GRACE_SECONDS
            verdicts = [self._verdict(watched, in_grace=in_grace) for watched in self.services]
            self._say_unverified(in_grace)
            deadline = start + timeout + 60 * max((watched.bake_minutes for watched in self.services), default=0)
            if all(v.state != "IN_PROGRESS" for v in verdicts) or self.clock() >= deadline:
                return verdicts
            if self.clock() - said >= PROGRESS_SECONDS:
                said = self.clock()
                self._say_progress(said - start, verdicts)
            self.sleep(POLL_SECONDS)

    def _say_progress(self, elapsed: float, verdicts: list[Verdict]) -> None:
        """A plain line per unsettled service (a CI log shows each; nothing is redrawn): the elapsed time, the stage
        (the service deployment's lifecycle stage, else the primary deployment's rollout state) and task counts."""
        minutes, seconds = divmod(int(elapsed), 60)
        for watched, verdict in zip(self.services, verdicts, strict=True):
            if verdict.state != "IN_PROGRESS":
                continue
            primary = watched.primary or {}
            stage = (watched.service_deployment or {}).get("lifecycleStage") or primary.get("rolloutState", "waiting")
            if _runs_another_revision(watched):
                stage = f"waiting for a deployment of {_revision(watched.expected_task_definition)}"
            self.out.line(
                f"  ECS {watched.logical_id}: still rolling out after {minutes}:{seconds:02d}, {stage}: "
                f"running {primary.get('runningCount', 0)}/{primary.get('desiredCount', 0)}, "
                f"pending {primary.get('pendingCount', 0)}"
            )

    def _learn_expected_revisions(self) -> None:
        """A COMPLETED deployment of the previous revision is not this deploy's success: the revision the stack names
        once CloudFormation is done is the one whose deployment decides."""
        if self.expected is None:
            return
        for watched in self.services:
            try:
                watched.expected_task_definition = self.expected(watched)
            except ConnectionLost:
                raise
            except AwsError:
                watched.expected_task_definition = ""

    def _say_unverified(self, in_grace: bool) -> None:
        for watched in self.services:
            if not in_grace and _runs_another_revision(watched) and not watched.unverified_said:
                watched.unverified_said = True
                self.out.line(
                    f"  ECS {watched.logical_id}: no deployment of {_revision(watched.expected_task_definition)} (the "
                    f"revision the stack names) appeared; the verdict is the primary deployment's, which runs "
                    f"{_revision(str((watched.primary or {}).get('taskDefinition', '')))}: not verified",
                    "yellow",
                )

    @staticmethod
    def _verdict(watched: WatchedService, *, in_grace: bool = False) -> Verdict:
        primary = watched.primary
        if watched.service_deployment is not None:
            state, reason = strategies.verdict(watched.service_deployment)
            if state != "COMPLETED" or not watched.failed:
                named = watched.service_deployment.get("alarms", {}).get(
                    "triggeredAlarmNames"
                )  # ECS named them already
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
        if in_grace and _runs_another_revision(watched):
            return Verdict(
                watched.logical_id,
                "IN_PROGRESS",
                f"ECS has not started a deployment of {_revision(watched.expected_task_definition)}; its primary "
                f"deployment runs {_revision(str(primary.get('taskDefinition', '')))}",
            )
        state = primary.get("rolloutState", "COMPLETED")
        if state == "FAILED":
            return Verdict(
                watched.logical_id, "FAILED", name_the_alarm(primary.get("rolloutStateReason", ""), watched.alarm_names)
            )
        return Verdict(watched.logical_id, state, primary.get("rolloutStateReason", ""))

    def _report_deployments(self, watched: WatchedService, service: dict[str, Any]) -> None:
        watched.primary = next((d for d in service.get("deployments", []) if d.get("status") == "PRIMARY"), None)
        watched.alarm_names = service.get("deploymentConfiguration", {}).get("alarms", {}).get("alarmNames", [])
        for deployment in service.get("deployments", []):
            summary = (
                f"{deployment.get('status')} {deployment.get('rolloutState', '')} running "
                f"{deployment.get('runningCount', 0)}"
                f"/{deployment.get('desiredCount', 0)} pending {deployment.get('pendingCount', 0)}"
                f" ({str(deployment.get('taskDefinition', '')).rsplit('/', 1)[-1]})"
            )
            if watched.deployments.get(deployment["id"]) != summary:
                watched.deployments[deployment["id"]] = summary
                style = "red" if deployment.get("rolloutState") == "FAILED" else None
                self.out.line(f"  ECS {watched.logical_id}: {summary}", style)
            if deployment.get("rolloutState") == "FAILED":
                watched.failed.setdefault(
                    deployment["id"], deployment.get("rolloutStateReason", "the deployment failed")
                )

    def _report_service_deployment(self, watched: WatchedService, service: dict[str, Any]) -> None:
        """Blue/green, canary, linear: the lifecycle stage and the traffic on the new revision, each change once."""
        watched.strategy = service.get("deploymentConfiguration", {}).get("strategy", "ROLLING")
        arn = service.get("currentServiceDeployment")
        if not strategies.shifts_traffic(service) or not arn or watched.service_deployments_unreadable:
            return
        watched.bake_minutes = strategies.bake_minutes(service)
        try:
            deployment = ecs_reads.describe_service_deployment(self.ecs, arn)
        except ConnectionLost:
            raise
        except AwsError as error:
            watched.service_deployments_unreadable = True
            self.out.line(
                f"  ECS {watched.logical_id}: cannot read its {watched.strategy.lower()} deployment "
                f"({what_failed(error)}): following its deployments without traffic and bake time",
                "yellow",
            )
            return
        if deployment is None or strategies.predates(deployment, self.since):
            return
        watched.service_deployment = deployment
        line = strategies.summary(watched.strategy, deployment)
        if line != watched.service_deployment_line:
            watched.service_deployment_line = line
            failed = strategies.verdict(deployment)[0] == "FAILED"
            self.out.line(f"  ECS {watched.logical_id}: {line}", "red" if failed else None)

    def _report_stopped_tasks(self, watched: WatchedService) -> None:
        arns = ecs_reads.stopped_task_arns(self.ecs, watched.cluster, watched.service)
        new = [arn for arn in arns if arn not in watched.stopped_seen]
        watched.stopped_seen.update(new)
        if not new or not watched.seeded:
            return  # the first look only learns which tasks had stopped before this deploy
        for task in ecs_reads.describe_tasks(self.ecs, watched.cluster, new):
            self._report_task(watched, task)

    def _report_task(self, watched: WatchedService, task: dict[str, Any]) -> None:
        parts = [str(task.get("stoppedReason", "stopped"))]
        for container in task.get("containers", []):
            detail = container.get("reason", "")
            if container.get("exitCode") is not None:
                detail = f"exit code {container['exitCode']}" + (f", {detail}" if detail else "")
            if detail:
                parts.append(f"{container.get('name', '?')}: {detail}")
        text = "; ".join(parts)
        self.out.line(
            f"  ECS {watched.logical_id}: task {str(task.get('taskArn', '')).rsplit('/', 1)[-1]} stopped: {text}", "red"
        )
        hint = hint_for(text)
        if hint:
            self.out.line(f"    hint: {hint}", "yellow")
        for line in self.last_words(task) if self.last_words else []:
            self.out.line(f"    {line}")


def _revision(task_definition_arn: str) -> str:
    return task_definition_arn.rsplit("/", 1)[-1] or "?"


def _runs_another_revision(watched: WatchedService) -> bool:
    """The primary deployment runs another revision than the one the stack names once CloudFormation is done: a
    settled deployment of the previous revision, which is not this deploy's success. AWS's UpdateService starts the
    new deployment at once; an endpoint that starts none shows this shape for good."""
    expected, running = watched.expected_task_definition, (watched.primary or {}).get("taskDefinition")
    return bool(expected) and bool(running) and running != expected


def rollout_watcher(
    aws: Aws,
    out: Output,
    stack_id: str,
    template: dict[str, Any],
    logical_ids: list[str],
    *,
    starting_now: bool = False,
) -> RolloutWatcher | None:
    """A watcher for the given services, which finds each one once CloudFormation has created it. starting_now: the
    caller is about to start the stack operation, so service deployments ECS created before now are not its own."""
    if not logical_ids:
        return None
    cf = aws.cloudformation

    def resolve(watched: WatchedService) -> None:
        service_arn = physical_id(cf, stack_id, watched.logical_id)
        if not service_arn:
            return
        kind, reference = cluster_reference(template, watched.logical_id)
        cluster = cluster_of_service_arn(service_arn) or (
            physical_id(cf, stack_id, reference) if kind == "ref" else reference
        )
        if cluster:
            watched.cluster, watched.service = cluster, service_arn

    def expected(watched: WatchedService) -> str:
        properties = (template.get("Resources", {}).get(watched.logical_id) or {}).get("Properties") or {}
        reference = properties.get("TaskDefinition")
        if isinstance(reference, dict) and "Ref" in reference:
            return physical_id(cf, stack_id, str(reference["Ref"]))
        return reference if isinstance(reference, str) else ""

    last_words = LastWords(aws.client("ecs"), aws.client("logs"))
    since = datetime.now(UTC) if starting_now else None
    return RolloutWatcher(
        aws.client("ecs"),
        out,
        [WatchedService(lid) for lid in logical_ids],
        resolve=resolve,
        last_words=last_words.lines,
        since=since,
        expected=expected,
    )
