"""deploy.py --logs: the app's CloudWatch logs, every container and task in time order, each line prefixed
by its container and task ID; --tail follows new lines until Ctrl-C and backs off when throttled.

Where the logs are comes from the running task definition's awslogs configuration: the group, and
the stream prefix (templates/logs.py sets the family), so a stream is `<prefix>/<container>/<task id>`.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from container_infra.aws import ecs as ecs_reads
from container_infra.aws.deployed import load_deployed, not_deployed
from container_infra.aws.logs import filter_events
from container_infra.aws.session import Aws
from container_infra.errors import AwsError, UserError
from container_infra.options import DeployOptions
from container_infra.ui.output import Output
from container_infra.watch.last_words import LogTarget, clock_time, log_targets

POLL_SECONDS = 2.0
MAX_POLL_SECONDS = 30.0
LATE_ARRIVALS_MS = 10_000  # look this far back on each poll: events can arrive after newer ones
HOW_TO_ENABLE = (
    "add a [logging] section to the config (e.g. `[logging]` with `retention_days = 30`) and deploy again: "
    "its containers then log to CloudWatch Logs with the awslogs driver"
)


@dataclass(frozen=True)
class Query:
    group: str
    stream_prefix: str


@dataclass
class LogReader:
    logs: Any
    queries: list[Query]
    pattern: str | None
    out: Output
    note: Callable[[str], None]
    sleep: Callable[[float], None] = time.sleep
    now_ms: Callable[[], int] = lambda: int(time.time() * 1000)
    seen: dict[str, int] = field(default_factory=dict)  # event ID -> timestamp, for the events near the newest
    newest: int = 0

    def print_since(self, start_ms: int) -> int:
        """Print the events from `start_ms` to now, in time order across streams; how many."""
        return self._print(self._fetch(start_ms))

    def follow(self) -> None:
        """Poll for new events until Ctrl-C; throttling that survives botocore's retries slows the polling down."""
        interval = POLL_SECONDS
        try:
            while True:
                self.sleep(interval)
                try:
                    events = self._fetch(max(self.newest - LATE_ARRIVALS_MS, 0))
                except AwsError as error:
                    if not error.throttled:
                        raise
                    interval = min(interval * 2, MAX_POLL_SECONDS)
                    self.note(f"(throttled by CloudWatch Logs: polling every {interval:.0f}s)")
                    continue
                interval = POLL_SECONDS
                self._print(events)
        except KeyboardInterrupt:
            self.note("(stopped following the logs)")

    def _fetch(self, start_ms: int) -> list[dict[str, Any]]:
        events = [
            e
            for q in self.queries
            for e in filter_events(
                self.logs, q.group, start_ms=start_ms, stream_prefix=q.stream_prefix, pattern=self.pattern
            )
        ]
        return sorted(
            (e for e in events if e["eventId"] not in self.seen),
            key=lambda e: (e["timestamp"], e.get("ingestionTime", 0), e["eventId"]),
        )

    def _print(self, events: list[dict[str, Any]]) -> int:
        for event in events:
            self.out.line(format_event(event))
            self.seen[event["eventId"]] = event["timestamp"]
            self.newest = max(self.newest, event["timestamp"])
        self.seen = {k: v for k, v in self.seen.items() if v >= self.newest - 2 * LATE_ARRIVALS_MS}
        return len(events)


def format_event(event: dict[str, Any]) -> str:
    """`2026-11-27 03:40:01 web/0123abcd... the message`: container and task ID from the stream
    `<prefix>/<container>/<task id>`."""
    parts = str(event.get("logStreamName", "")).split("/")
    source = f"{parts[-2]}/{parts[-1]}" if len(parts) >= 3 else "/".join(parts)
    return f"{clock_time(event['timestamp'])} {source} {str(event.get('message', '')).rstrip()}"


def show_logs(
    aws: Aws, stack_name: str, out: Output, options: DeployOptions, *, sleep: Callable[[float], None] = time.sleep
) -> int:
    notes = Output(sys.stderr)
    queries = queries_for(aws, stack_name, options.container)
    reader = LogReader(aws.client("logs"), queries, options.log_filter, out, lambda text: notes.line(text), sleep=sleep)
    printed = reader.print_since(reader.now_ms() - options.since_seconds * 1000)
    if options.tail:
        reader.follow()
    elif not printed:
        notes.line(
            f"No log lines in the last {_duration(options.since_seconds)}"
            + (f" matching {options.log_filter!r}" if options.log_filter else "")
            + " (a longer window: --since 1h)"
        )
    return 0


def queries_for(aws: Aws, stack_name: str, container: str | None) -> list[Query]:
    """Where to read: each log group and stream prefix of the stack's task definitions (one container's, with
    --container)."""
    deployed = load_deployed(aws, stack_name)
    if deployed is None:
        raise UserError(not_deployed(stack_name, aws.region))
    targets: dict[str, LogTarget | None] = {}
    for _, arn in deployed.task_definitions:
        targets.update(log_targets(ecs_reads.describe_task_definition(aws.client("ecs"), arn) or {}))
    logging = {name: target for name, target in targets.items() if target is not None}
    if not logging:
        raise UserError(f"--logs: the containers of stack {stack_name} do not log to CloudWatch Logs: {HOW_TO_ENABLE}")
    if container is not None:
        if container not in targets:
            raise UserError(
                f"--container {container}: the task definition has no such container; "
                f"it has: {', '.join(sorted(targets))}"
            )
        if targets[container] is None:
            raise UserError(
                f"--container {container}: this container does not log to CloudWatch Logs; "
                f"these do: {', '.join(sorted(logging))}"
            )
        chosen = [logging[container]]
        return [Query(chosen[0].group, chosen[0].container_streams())]
    return sorted({Query(t.group, f"{t.prefix}/") for t in logging.values()}, key=lambda q: (q.group, q.stream_prefix))


def _duration(seconds: int) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"
