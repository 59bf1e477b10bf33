"""Apply an approved plan: execute its change set, follow the stack's events to the end, then the ECS rollout and
the outputs."""

from __future__ import annotations

import time

from container_infra.aws.changesets import execute
from container_infra.aws.events import EventFollower
from container_infra.aws.session import Aws
from container_infra.aws.stacks import read_when_done
from container_infra.cfn.events import Progress, failure_line
from container_infra.cfn.services import changed_services
from container_infra.errors import AwsError, ConnectionLost, DeployFailed
from container_infra.steps.outcome import Result, print_outputs, watch_rollout
from container_infra.steps.plan import Plan
from container_infra.steps.unexecuted import abandon
from container_infra.ui.output import Output
from container_infra.watch.detached import deployment_goes_on, goes_on_in_aws, started_in_aws
from container_infra.watch.rollout import rollout_watcher


def apply(aws: Aws, plan: Plan, out: Output) -> Result:
    """Raises DeployFailed when the stack operation or an ECS rollout fails, and when the watching stops early."""
    change_set = plan.change_set
    assert change_set is not None, "only a plan with a change set is applied"
    cf = aws.cloudformation
    services = changed_services(plan.template, plan.diff)
    watcher = rollout_watcher(aws, out, change_set.stack_id, plan.template, services, starting_now=True)
    changing = change_set.resource_ids
    progress = Progress(changing)
    follower = EventFollower(
        cf,
        change_set.stack_id,
        plan.stack_name,
        lambda event: out.line(*progress.line(event)),
        on_poll=watcher.poll_if_due if watcher else None,
    )
    try:
        follower.mark_start()
    except BaseException as error:  # still before ExecuteChangeSet: the change set is not left behind
        raise abandon(aws, plan, error) from None
    started = time.monotonic()
    goes_on = deployment_goes_on(change_set.change_set_type, plan.stack_name, plan.region)
    try:
        with started_in_aws(goes_on):  # once ExecuteChangeSet is sent, its answer decides what is said
            execute(cf, change_set)
    except AwsError as error:
        if isinstance(error, ConnectionLost):
            raise  # AWS may have started it: nothing is deleted
        raise abandon(
            aws, plan, error, out
        ) from None  # refused (AccessDenied, say): nothing runs; what is left is said
    with goes_on_in_aws(goes_on):
        followed = follower.follow()
    elapsed = time.monotonic() - started
    if not followed.succeeded:  # the stack's terminal event says how it ended: no DescribeStacks to wait for
        raise DeployFailed(failure_line(plan.stack_name, followed.status, followed.root_cause()))
    stack = read_when_done(cf, change_set.stack_id)
    if watcher is not None:
        watch_rollout(watcher, out, plan.stack_name, plan.region)
    print_outputs(out, stack, plan.template, stack_name=plan.stack_name, region=plan.region)
    return Result(plan.stack_name, followed.status, elapsed, len(changing))
