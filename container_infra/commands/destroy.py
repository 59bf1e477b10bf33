"""--destroy: list what goes and what stays (DeletionPolicy Retain), ask, delete, follow."""

from __future__ import annotations

import time

from container_infra.aws.events import EventFollower
from container_infra.aws.session import Aws
from container_infra.aws.stacks import delete_stack, deployed_template, stack_resources
from container_infra.cfn.events import Progress, failure_line
from container_infra.cfn.template import retained_ids
from container_infra.errors import DeployFailed
from container_infra.steps.approve import Asking
from container_infra.steps.plan import settled_stack
from container_infra.ui.masked_output import hide_secrets
from container_infra.ui.output import Output
from container_infra.watch.detached import delete_goes_on, goes_on_in_aws, started_in_aws


def destroy(aws: Aws, stack_name: str, out: Output, asking: Asking, *, diff_only: bool) -> int:
    cf = aws.cloudformation
    stack = settled_stack(aws, stack_name, out)
    if stack is None:
        out.line(f"Stack {stack_name} does not exist in {aws.region}: nothing to destroy.")
        return 0
    stack_id = stack["StackId"]
    resources = [
        r
        for r in stack_resources(cf, stack_id)
        if r.get("LogicalResourceId") and r.get("ResourceStatus") != "DELETE_COMPLETE"
    ]
    template = deployed_template(cf, stack_id)
    hide_secrets(out, template, {})  # a NoEcho parameter's default could be echoed by a delete event
    policies = retained_ids(template)
    kept = [r for r in resources if r["LogicalResourceId"] in policies]
    deleted = [r for r in resources if r not in kept]
    out.line(f"Stack {stack_name} in {aws.region} ({stack['StackStatus']})", "bold")
    out.heading(f"Will be deleted ({len(deleted)})")
    for r in deleted:
        out.line(f"[-] {r['ResourceType']} {r['LogicalResourceId']} ({r.get('PhysicalResourceId', '')})", "red")
    if kept:
        out.heading(f"Will be retained: DeletionPolicy keeps them, outside any stack ({len(kept)})")
        for r in kept:
            policy = policies[r["LogicalResourceId"]]
            out.line(
                f"[=] {r['ResourceType']} {r['LogicalResourceId']} ({r.get('PhysicalResourceId', '')}) {policy}",
                "yellow",
            )
    if diff_only:
        return 0
    asking.confirm(out, f"Destroy stack {stack_name} in {aws.region}?", what="destroying")
    progress = Progress({r["LogicalResourceId"] for r in deleted})
    follower = EventFollower(cf, stack_id, stack_name, lambda event: out.line(*progress.line(event)))
    follower.mark_start()
    started = time.monotonic()
    goes_on = delete_goes_on(stack_name, aws.region)
    with started_in_aws(goes_on):
        delete_stack(cf, stack_id)
    with goes_on_in_aws(goes_on):
        result = follower.follow()
    if not result.succeeded:
        raise DeployFailed(failure_line(stack_name, result.status, result.root_cause()))
    out.line(
        f"✓ {stack_name}: DELETE_COMPLETE in {time.monotonic() - started:.1f}s ({len(kept)} retained)", "bold green"
    )
    return 0
