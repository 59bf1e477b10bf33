"""Follow a stack operation through its events: new events only, one line each, with progress.

Polling: the first look is immediate; then one DescribeStackEvents round a second while events
arrive, backing off to one every two seconds when nothing happens for a while. Throttling that
survives botocore's retries slows the loop down instead of ending it: the deployment goes on in
AWS either way.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import botocore.exceptions

from container_infra.deploy.aws import error_code
from container_infra.deploy.ui import Output

TERMINAL_STATUSES = frozenset(
    {
        "CREATE_COMPLETE", "CREATE_FAILED", "ROLLBACK_COMPLETE", "ROLLBACK_FAILED",
        "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE", "UPDATE_ROLLBACK_FAILED", "UPDATE_FAILED",
        "DELETE_COMPLETE", "DELETE_FAILED", "IMPORT_COMPLETE", "IMPORT_ROLLBACK_COMPLETE", "IMPORT_ROLLBACK_FAILED",
    }
)
SUCCESS_STATUSES = frozenset({"CREATE_COMPLETE", "UPDATE_COMPLETE", "DELETE_COMPLETE", "IMPORT_COMPLETE"})
DONE_STATUSES = frozenset({"CREATE_COMPLETE", "UPDATE_COMPLETE", "DELETE_COMPLETE", "IMPORT_COMPLETE", "DELETE_SKIPPED"})
THROTTLING_CODES = frozenset({"Throttling", "ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded"})

FAST_INTERVAL = 1.0
SLOW_INTERVAL = 2.0
IDLE_BEFORE_SLOWING = 30.0
THROTTLED_MAX_INTERVAL = 10.0
STATUS_CHECK_EVERY = 15  # polls: a DescribeStacks safety net, in case the final event is missed


@dataclass
class FollowResult:
    status: str
    events: list[dict[str, Any]] = field(default_factory=list)  # this operation's, oldest first

    @property
    def succeeded(self) -> bool:
        return self.status in SUCCESS_STATUSES

    def root_cause(self) -> dict[str, Any] | None:
        """The first resource that failed for a reason of its own (not 'Resource creation cancelled')."""
        failures = [e for e in self.events if str(e.get("ResourceStatus", "")).endswith("_FAILED")]
        for event in failures:
            reason = str(event.get("ResourceStatusReason", ""))
            if event.get("ResourceType") != "AWS::CloudFormation::Stack" and "cancel" not in reason.lower():
                return event
        return failures[0] if failures else None


class EventFollower:
    def __init__(
        self,
        cloudformation: Any,
        stack_id: str,
        stack_name: str,
        out: Output,
        *,
        resource_ids: set[str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        on_poll: Callable[[], None] | None = None,
    ) -> None:
        self.on_poll = on_poll  # e.g. the ECS rollout watcher, which paces itself
        self.cf = cloudformation
        self.stack_id = stack_id
        self.stack_name = stack_name
        self.out = out
        self.resource_ids = resource_ids or set()
        self.sleep = sleep
        self.clock = clock
        self.boundary: str | None = None
        self.seen: set[str] = set()
        self.done: set[str] = set()

    def mark_start(self) -> None:
        """Remember the newest event before the operation starts: only later ones are shown."""
        events = self._page(None)["StackEvents"]
        self.boundary = events[0]["EventId"] if events else None

    def follow(self) -> FollowResult:
        result = FollowResult(status="UNKNOWN")
        interval, last_news, polls = FAST_INTERVAL, self.clock(), 0
        while True:
            try:
                fresh = self._new_events()
            except botocore.exceptions.ClientError as error:
                if error_code(error) not in THROTTLING_CODES:
                    raise
                interval = min(interval * 2, THROTTLED_MAX_INTERVAL)
                self.sleep(interval)
                continue
            for event in fresh:
                self._print(event)
                result.events.append(event)
                if self._is_final(event):
                    result.status = event["ResourceStatus"]
                    return result
            polls += 1
            if self.on_poll is not None:
                self.on_poll()
            if fresh:
                interval, last_news = FAST_INTERVAL, self.clock()
            elif self.clock() - last_news > IDLE_BEFORE_SLOWING:
                interval = SLOW_INTERVAL
            if polls % STATUS_CHECK_EVERY == 0:
                settled = self._settled_status()
                if settled:
                    for event in self._new_events():
                        self._print(event)
                        result.events.append(event)
                    result.status = settled
                    return result
            self.sleep(interval)

    def _new_events(self) -> list[dict[str, Any]]:
        """Events newer than the boundary, oldest first, paging through as many pages as it takes."""
        collected: list[dict[str, Any]] = []
        token: str | None = None
        while True:
            page = self._page(token)
            for event in page["StackEvents"]:
                if event["EventId"] == self.boundary:
                    return self._advance(collected)
                if event["EventId"] not in self.seen:
                    collected.append(event)
            token = page.get("NextToken")
            if not token:
                return self._advance(collected)

    def _advance(self, newest_first: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if newest_first:
            self.boundary = newest_first[0]["EventId"]
        self.seen.update(e["EventId"] for e in newest_first)
        return list(reversed(newest_first))

    def _page(self, token: str | None) -> dict[str, Any]:
        kwargs = {"StackName": self.stack_id}
        if token:
            kwargs["NextToken"] = token
        return self.cf.describe_stack_events(**kwargs)

    def _is_final(self, event: dict[str, Any]) -> bool:
        return (
            event.get("ResourceType") == "AWS::CloudFormation::Stack"
            and event.get("LogicalResourceId") == self.stack_name
            and event.get("PhysicalResourceId", self.stack_id) == self.stack_id
            and event.get("ResourceStatus") in TERMINAL_STATUSES
        )

    def _settled_status(self) -> str | None:
        """The stack's status once it is no longer in progress (the safety net if the final event was missed)."""
        stacks = self.cf.describe_stacks(StackName=self.stack_id)["Stacks"]
        status = str(stacks[0]["StackStatus"]) if stacks else "DELETE_COMPLETE"
        return None if status.endswith("_IN_PROGRESS") else status

    def _print(self, event: dict[str, Any]) -> None:
        status = str(event.get("ResourceStatus", ""))
        logical_id = str(event.get("LogicalResourceId", ""))
        if status in DONE_STATUSES and logical_id in self.resource_ids:
            self.done.add(logical_id)
        progress = f"[{len(self.done)}/{len(self.resource_ids)}] " if self.resource_ids else ""
        reason = event.get("ResourceStatusReason")
        text = f"{_clock(event.get('Timestamp'))}  {progress}{status:<20} {event.get('ResourceType', '')}  {logical_id}"
        style = "red" if status.endswith("_FAILED") else "green" if status in DONE_STATUSES else None
        self.out.line(text + (f"  {reason}" if reason else ""), style)


def _clock(timestamp: Any) -> str:
    if isinstance(timestamp, datetime):
        return timestamp.astimezone().strftime("%H:%M:%S")
    return str(timestamp or "")[:8]
