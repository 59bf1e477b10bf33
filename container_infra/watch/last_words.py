"""A stopped task's own last words: the last lines its containers wrote to CloudWatch Logs.

The awslogs driver names a container's stream `<awslogs-stream-prefix>/<container>/<task id>`
(templates/logs.py sets the prefix to the task family). The task definition of the stopped task
itself says where each container logs, so this works for any revision and any stack.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from container_infra.aws import ecs as ecs_reads
from container_infra.aws.logs import last_events
from container_infra.errors import AwsError

LAST_LINES = 20
NEVER_STARTED = (
    "the container never started, so it never logged. That usually means the image could not be pulled, "
    "a secret could not be read, or the execution role lacks a permission (ECR, Secrets Manager/SSM, CloudWatch Logs): "
    "see the stop reason above"
)


@dataclass(frozen=True)
class LogTarget:
    container: str
    group: str
    prefix: str  # awslogs-stream-prefix; empty when the task definition sets none

    def stream(self, task_id: str) -> str:
        return f"{self.prefix}/{self.container}/{task_id}"

    def container_streams(self) -> str:
        """The stream-name prefix of all this container's tasks."""
        return f"{self.prefix}/{self.container}/"


def log_targets(task_definition: dict[str, Any]) -> dict[str, LogTarget | None]:
    """Container name -> where it logs (None: not to CloudWatch Logs through awslogs with a stream prefix)."""
    targets: dict[str, LogTarget | None] = {}
    for container in task_definition.get("containerDefinitions") or []:
        name = str(container.get("name", ""))
        config = container.get("logConfiguration") or {}
        options = config.get("options") or {}
        if (
            config.get("logDriver") == "awslogs"
            and options.get("awslogs-group")
            and options.get("awslogs-stream-prefix")
        ):
            targets[name] = LogTarget(name, str(options["awslogs-group"]), str(options["awslogs-stream-prefix"]))
        elif name:
            targets[name] = None
    return targets


def task_id(task_arn: str) -> str:
    return task_arn.rsplit("/", 1)[-1]


def clock_time(millis: int) -> str:
    return datetime.fromtimestamp(millis / 1000, tz=UTC).strftime("%Y-%m-%d %H:%M:%S")


class LastWords:
    """Reads and formats the last lines of a stopped task's containers; a failure to read them is said, never raised."""

    def __init__(self, ecs: Any, logs: Any, *, limit: int = LAST_LINES) -> None:
        self.ecs, self.logs, self.limit = ecs, logs, limit
        self._targets: dict[str, dict[str, LogTarget | None]] = {}

    def lines(self, task: dict[str, Any]) -> list[str]:
        """Indented lines to print under the task's stop reason."""
        try:
            return self._lines(task)
        except AwsError as error:
            return [f"(could not read the task's logs: {error.code or type(error).__name__})"]

    def by_container(self, task: dict[str, Any]) -> dict[str, list[str] | str]:
        """Container -> its last lines, or a sentence on why there are none (for --status --json)."""
        targets = self._targets_of(str(task.get("taskDefinitionArn", "")))
        result: dict[str, list[str] | str] = {}
        for container in task.get("containers", []):
            name = str(container.get("name", ""))
            target = targets.get(name)
            if target is None:
                result[name] = "does not log to CloudWatch Logs (no awslogs log configuration with a stream prefix)"
                continue
            events = last_events(
                self.logs, target.group, target.stream(task_id(str(task.get("taskArn", "")))), self.limit
            )
            result[name] = (
                NEVER_STARTED
                if events is None
                else [f"{clock_time(e['timestamp'])} {e.get('message', '')}" for e in events]
            )
        return result

    def _lines(self, task: dict[str, Any]) -> list[str]:
        lines: list[str] = []
        targets = self._targets_of(str(task.get("taskDefinitionArn", "")))
        for name, words in self.by_container(task).items():
            target = targets.get(name)
            if isinstance(words, str):
                where = f" (log stream {target.stream(task_id(str(task.get('taskArn', ''))))})" if target else ""
                lines.append(f"{name}: no logs{where}: {words}")
            elif not words:
                lines.append(f"{name}: its log stream is empty")
            else:
                lines.append(f"{name}: its last {len(words)} log lines:")
                lines.extend(f"  | {line}" for line in words)
        return lines

    def _targets_of(self, task_definition_arn: str) -> dict[str, LogTarget | None]:
        if task_definition_arn not in self._targets:
            described = (
                ecs_reads.describe_task_definition(self.ecs, task_definition_arn) if task_definition_arn else None
            )
            self._targets[task_definition_arn] = log_targets(described or {})
        return self._targets[task_definition_arn]


TaskWords = Callable[[dict[str, Any]], list[str]]
