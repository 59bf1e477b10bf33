"""Follow a stack operation through its events: new events only, oldest first, to the stack's final one.

Polling: the first look is immediate; then one DescribeStackEvents round a second while events
arrive, backing off to one every two seconds when nothing happens for a while. The stack's own
terminal event ends the follow (no DescribeStacks is needed to know the end). botocore's standard
mode retries a throttled look; throttling that survives its retries slows the loop down (to one look in
THROTTLED_MAX_INTERVAL) instead of ending it: the deployment goes on in AWS either way. Any other
error ends the follow.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from container_infra.cfn.constants import has_settled
from container_infra.cfn.events import FollowResult, ends_operation, starts_operation
from container_infra.errors import AwsError

FAST_INTERVAL = 1.0
SLOW_INTERVAL = 2.0
IDLE_BEFORE_SLOWING = 30.0
THROTTLED_MAX_INTERVAL = 4.0  # kept short: the end must be seen within seconds of its event
STATUS_CHECK_EVERY = 15  # polls: a DescribeStacks safety net, in case the final event is missed
ATTACH_MAX_PAGES = 20  # how far back `attach` looks for the start of the operation in progress

EventHandler = Callable[[dict[str, Any]], None]


class EventFollower:
    def __init__(
        self,
        cloudformation: Any,
        stack_id: str,
        stack_name: str,
        on_event: EventHandler,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        on_poll: Callable[[], None] | None = None,
    ) -> None:
        self.cf = cloudformation
        self.stack_id = stack_id
        self.stack_name = stack_name
        self.on_event = on_event
        self.on_poll = on_poll  # e.g. the ECS rollout watcher, which paces itself
        self.sleep = sleep
        self.clock = clock
        self.boundary: str | None = None
        self.seen: set[str] = set()

    def mark_start(self) -> None:
        """Remember the newest event before the operation starts: only later ones are shown."""
        events = self._page(None)["StackEvents"]
        self.boundary = events[0]["EventId"] if events else None

    def attach(self) -> None:
        """Follow the operation in progress from its start: its events so far are shown first, then the new ones."""
        token: str | None = None
        newest: str | None = None
        for _ in range(ATTACH_MAX_PAGES):
            page = self._page(token)
            for event in page["StackEvents"]:
                newest = newest or event["EventId"]
                if starts_operation(event, self.stack_id, self.stack_name):
                    self.boundary = self._event_before(page, event, token)
                    return
            token = page.get("NextToken")
            if not token:
                break
        self.boundary = newest  # no start found: from now on

    def _event_before(self, page: dict[str, Any], start: dict[str, Any], token: str | None) -> str | None:
        """The event just older than `start` (None when `start` is the stack's very first event)."""
        events = page["StackEvents"]
        index = events.index(start)
        if index + 1 < len(events):
            return str(events[index + 1]["EventId"])
        following = page.get("NextToken")
        if not following:
            return None
        older = self._page(following)["StackEvents"]
        return str(older[0]["EventId"]) if older else None

    def follow(self) -> FollowResult:
        result = FollowResult(status="UNKNOWN")
        interval, last_news, polls = FAST_INTERVAL, self.clock(), 0
        while True:
            try:
                fresh = self._new_events()
            except AwsError as error:
                if not error.throttled:
                    raise
                interval = min(interval * 2, THROTTLED_MAX_INTERVAL)
                self.sleep(interval)
                continue
            for event in fresh:
                self._record(event, result)
                if ends_operation(event, self.stack_id, self.stack_name):
                    result.status = event["ResourceStatus"]
                    return result
            polls += 1
            if self.on_poll is not None:
                self.on_poll()
            if fresh:
                last_news = self.clock()
            interval = SLOW_INTERVAL if self.clock() - last_news > IDLE_BEFORE_SLOWING else FAST_INTERVAL
            if polls % STATUS_CHECK_EVERY == 0:
                try:
                    settled = self._settled_status()
                    late = self._new_events() if settled else []
                except AwsError as error:  # the safety net is throttled like any look: look again later
                    if not error.throttled:
                        raise
                    settled, late = None, []
                if settled:
                    for event in late:
                        self._record(event, result)
                    result.status = settled
                    return result
            self.sleep(interval)

    def _record(self, event: dict[str, Any], result: FollowResult) -> None:
        self.on_event(event)
        result.events.append(event)

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

    def _settled_status(self) -> str | None:
        """The stack's status once it is no longer in progress (the safety net if the final event was missed)."""
        stacks = self.cf.describe_stacks(StackName=self.stack_id)["Stacks"]
        status = str(stacks[0]["StackStatus"]) if stacks else "DELETE_COMPLETE"
        return status if has_settled(status) else None
