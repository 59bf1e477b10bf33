"""deploy.py --follow: attach to whatever the stack is doing now and follow it to the end.

An update started by a run that lost its connection, by CI or from the console: its events from its
start, the ECS rollout of the stack's services, and the same last lines and exit code as a deploy.
"""

from __future__ import annotations

import time
from typing import Any

from container_infra.aws.events import EventFollower
from container_infra.aws.session import Aws
from container_infra.aws.stacks import deployed_template, describe_stack, read_when_done
from container_infra.cfn.constants import REVIEW_IN_PROGRESS, SUCCESS_STATUSES, is_busy
from container_infra.cfn.events import FollowResult, Progress, failure_line, operation_name
from container_infra.cfn.services import all_services
from container_infra.cfn.template import resources
from container_infra.errors import EXIT_OK, DeployFailed, UserError
from container_infra.steps.outcome import Result, print_outputs, succeeded, watch_rollout
from container_infra.ui.masked_output import hide_secrets
from container_infra.ui.output import Output
from container_infra.watch.detached import goes_on_in_aws, operation_goes_on
from container_infra.watch.rollout import RolloutWatcher, rollout_watcher


def follow(aws: Aws, stack_name: str, out: Output) -> int:
    """The stack's operation in progress to its end, or how the last one ended; reported as a deploy would."""
    stack = describe_stack(aws.cloudformation, stack_name)
    if stack is None:
        raise UserError(f"--follow: stack {stack_name} does not exist in {aws.region}: nothing to follow")
    status = str(stack["StackStatus"])
    if status == REVIEW_IN_PROGRESS:
        out.line(f"Stack {stack_name} is {status}: a change set waits for review; nothing runs yet.")
        return EXIT_OK
    template = deployed_template(aws.cloudformation, stack["StackId"])
    hide_secrets(out, template, {})  # a NoEcho default can come back in an output or an event's reason
    if not is_busy(status):
        out.line(f"Stack {stack_name} in {aws.region} is {status}: no operation in progress.", "bold")
        watcher = rollout_watcher(aws, out, stack["StackId"], template, all_services(template))
        return _conclude(aws, out, FollowResult(status), None, stack_name, stack, template, watcher)
    out.line(
        f"Following {stack_name} in {aws.region}: {status}, from the start of this {operation_name(status)}", "bold"
    )
    watcher = rollout_watcher(aws, out, stack["StackId"], template, all_services(template))
    progress = Progress(set(resources(template)))
    follower = EventFollower(
        aws.cloudformation,
        stack["StackId"],
        stack_name,
        lambda event: out.line(*progress.line(event)),
        on_poll=watcher.poll_if_due if watcher else None,
    )
    started = time.monotonic()
    with goes_on_in_aws(operation_goes_on(operation_name(status), stack_name, aws.region)):
        follower.attach()
        followed = follower.follow()
    elapsed = time.monotonic() - started
    return _conclude(aws, out, followed, elapsed, stack_name, stack, template, watcher, read_again=True)


def _conclude(
    aws: Aws,
    out: Output,
    followed: FollowResult,
    elapsed: float | None,
    stack_name: str,
    stack: dict[str, Any],
    template: dict[str, Any],
    watcher: RolloutWatcher | None,
    *,
    read_again: bool = False,
) -> int:
    """As a deploy ends: a failed status is exit 1 with its root cause; then the ECS verdict, the outputs, the last
    line.

    The status is the one the operation ended with (its terminal event); DescribeStacks only reads the outputs, again
    when `stack` was read before the operation ended."""
    if followed.status not in SUCCESS_STATUSES:
        raise DeployFailed(failure_line(stack_name, followed.status, followed.root_cause()))
    if followed.status != "DELETE_COMPLETE":
        done = read_when_done(aws.cloudformation, stack["StackId"]) if read_again else stack
        if watcher is not None:
            watch_rollout(watcher, out, stack_name, aws.region)
        print_outputs(out, done, template, stack_name=stack_name, region=aws.region)
    return succeeded(Result(stack_name, followed.status, elapsed), out)
