"""Which task definition revision a rollout is about: a settled deployment of the previous revision is not this
deploy's success, so the verdict waits for a deployment of the revision the stack names once CloudFormation is done.
AWS's UpdateService starts that deployment at once; an endpoint that starts none gets one line saying the verdict
is not verified."""

from __future__ import annotations

from collections.abc import Callable

from container_infra.errors import AwsError, ConnectionLost
from container_infra.watch.watched import Verdict, WatchedService

UNSTARTED_GRACE_SECONDS = 20.0  # how long a deployment of the stack's revision may take to appear (AWS: at once)


def revision(task_definition_arn: str) -> str:
    return task_definition_arn.rsplit("/", 1)[-1] or "?"


def running_revision(watched: WatchedService) -> str:
    return revision(str((watched.primary or {}).get("taskDefinition", "")))


def runs_another_revision(watched: WatchedService) -> bool:
    """The primary deployment runs another revision than the one the stack names once CloudFormation is done: a
    settled deployment of the previous revision, which is not this deploy's success. AWS's UpdateService starts the
    new deployment at once; an endpoint that starts none shows this shape for good."""
    expected, running = watched.expected_task_definition, (watched.primary or {}).get("taskDefinition")
    return bool(expected) and bool(running) and running != expected


def learn_expected_revisions(services: list[WatchedService], expected: Callable[[WatchedService], str]) -> None:
    """The revision each service's stack names now; one that cannot be read is not checked."""
    for watched in services:
        try:
            watched.expected_task_definition = expected(watched)
        except ConnectionLost:
            raise
        except AwsError:
            watched.expected_task_definition = ""


def not_started_yet(watched: WatchedService) -> Verdict:
    """Within the grace: the deployment of the stack's revision has not appeared yet."""
    return Verdict(
        watched.logical_id,
        "IN_PROGRESS",
        f"ECS has not started a deployment of {revision(watched.expected_task_definition)}; its primary "
        f"deployment runs {running_revision(watched)}",
    )


def waiting_stage(watched: WatchedService) -> str:
    return f"waiting for a deployment of {revision(watched.expected_task_definition)}"


def unverified_line(watched: WatchedService) -> str:
    """After the grace, once per service: the verdict is the primary deployment's, of another revision."""
    return (
        f"  ECS {watched.logical_id}: no deployment of {revision(watched.expected_task_definition)} (the "
        f"revision the stack names) appeared; the verdict is the primary deployment's, which runs "
        f"{running_revision(watched)}: not verified"
    )
