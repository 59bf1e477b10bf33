"""Follow the ECS rollout itself, not only CloudFormation.

CloudFormation can say UPDATE_COMPLETE while the service's deployment failed, or sit in
UPDATE_IN_PROGRESS for an hour while tasks crash and restart. While a deploy changes a
service, this watches the service's deployments and its newly stopped tasks, prints each
change once, and gives the rollout's own verdict at the end.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from container_infra.aws import ecs as ecs_reads
from container_infra.aws.optional import what_failed
from container_infra.aws.session import Aws
from container_infra.aws.stacks import physical_id
from container_infra.cfn.services import cluster_of_service_arn, cluster_reference
from container_infra.errors import AwsError, ConnectionLost
from container_infra.ui.live import LiveRows
from container_infra.ui.output import Output
from container_infra.watch import strategies
from container_infra.watch.last_words import LastWords, TaskWords
from container_infra.watch.progress import PROGRESS_SECONDS, live_row, progress_line
from container_infra.watch.revision import (
    UNSTARTED_GRACE_SECONDS,
    learn_expected_revisions,
    runs_another_revision,
    unverified_line,
)
from container_infra.watch.verdicts import SETTLE_TIMEOUT_SECONDS, hint_for, verdict_of
from container_infra.watch.watched import Verdict, WatchedService

POLL_SECONDS = 5.0

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

    def finish(self, timeout: float = SETTLE_TIMEOUT_SECONDS, live: LiveRows | None = None) -> list[Verdict]:
        """After CloudFormation is done: wait for every watched rollout to settle; their verdicts. A blue/green, canary
        or linear deployment bakes on purpose: the wait grows by its bake time. `live`: rows redrawn at every look (a
        terminal); without them, a plain line every so often (a CI log, where nothing is redrawn)."""
        start = self.clock()
        said = start
        if self.expected is not None:
            learn_expected_revisions(self.services, self.expected)
        while True:
            self.poll()
            if self.disabled:
                return []
            in_grace = self.clock() - start < UNSTARTED_GRACE_SECONDS
            verdicts = [verdict_of(watched, in_grace=in_grace) for watched in self.services]
            self._say_unverified(in_grace)
            deadline = start + timeout + 60 * max((watched.bake_minutes for watched in self.services), default=0)
            if all(v.state != "IN_PROGRESS" for v in verdicts) or self.clock() >= deadline:
                return verdicts
            if live is not None:
                for watched, verdict in zip(self.services, verdicts, strict=True):
                    live.show(watched.logical_id, live_row(watched, verdict))
            elif self.clock() - said >= PROGRESS_SECONDS:
                said = self.clock()
                self._say_progress(said - start, verdicts)
            self.sleep(POLL_SECONDS)

    def _say_progress(self, elapsed: float, verdicts: list[Verdict]) -> None:
        """A plain line per unsettled service (a CI log shows each; nothing is redrawn)."""
        for watched, verdict in zip(self.services, verdicts, strict=True):
            if verdict.state == "IN_PROGRESS":
                self.out.line(progress_line(watched, elapsed))

    def _say_unverified(self, in_grace: bool) -> None:
        for watched in self.services:
            if not in_grace and runs_another_revision(watched) and not watched.unverified_said:
                watched.unverified_said = True
                self.out.line(unverified_line(watched), "yellow")

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
