"""--destroy: list what goes and what stays (DeletionPolicy Retain), ask, delete, follow. A review-only stack
(REVIEW_IN_PROGRESS) has only change sets to list, and is deleted with them."""

from __future__ import annotations

import time
from typing import Any

from container_infra.aws.changesets import change_sets_on
from container_infra.aws.events import EventFollower
from container_infra.aws.session import Aws
from container_infra.aws.stacks import delete_and_wait, delete_stack, deployed_template, stack_resources
from container_infra.cfn.constants import REVIEW_IN_PROGRESS
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
    if stack["StackStatus"] == REVIEW_IN_PROGRESS:
        return _destroy_review_only(aws, stack, out, asking, diff_only=diff_only)
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


def _destroy_review_only(aws: Aws, stack: dict[str, Any], out: Output, asking: Asking, *, diff_only: bool) -> int:
    """A stack that holds only change sets (REVIEW_IN_PROGRESS) was never executed: it has no resources and no
    template of its own to list, so none is asked for; deleting it deletes its change sets with it."""
    name, stack_id = str(stack["StackName"]), str(stack["StackId"])
    names = [str(s.get("ChangeSetName")) for s in change_sets_on(aws.cloudformation, stack_id)]
    out.line(f"Stack {name} in {aws.region} (REVIEW_IN_PROGRESS): never executed, it holds no resources", "bold")
    out.heading(f"Will be deleted with it: its change sets ({len(names)})")
    for change_set in names:
        out.line(f"[-] change set {change_set}", "red")
    if diff_only:
        return 0
    asking.confirm(out, f"Destroy stack {name} in {aws.region}?", what="destroying")
    started = time.monotonic()
    delete_and_wait(aws.cloudformation, stack_id)
    out.line(f"✓ {name}: DELETE_COMPLETE in {time.monotonic() - started:.1f}s (0 retained)", "bold green")
    return 0
