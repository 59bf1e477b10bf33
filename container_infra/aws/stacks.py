"""Stack reads and waits: describe, wait while another operation runs, the deployed template, its resources."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import botocore.exceptions

from container_infra.aws.pacing import deadline
from container_infra.aws.session import error_code, is_throttling
from container_infra.cfn.constants import is_busy
from container_infra.cfn.template import parse_deployed_template
from container_infra.errors import DeployFailed

# While another operation runs: a look after 1 s, then every 2, 3 and at most 5 s (a short update is seen to end soon).
BUSY_POLL_SECONDS = (1.0, 2.0, 3.0, 5.0)
# After the stack's terminal event, its outputs are read within this time, or not at all: the event already told the
# end, and a run must not wait on a DescribeStacks that AWS keeps throttling (issue 14: the run ends within 5 s of it).
OUTPUTS_READ_SECONDS = 2.5


def describe_stack(cloudformation: Any, name: str) -> dict[str, Any] | None:
    """The stack, or None when it does not exist (a deleted stack does not exist by name)."""
    try:
        stacks = cloudformation.describe_stacks(StackName=name)["Stacks"]
    except botocore.exceptions.ClientError as error:
        if error_code(error) == "ValidationError" and "does not exist" in str(error):
            return None
        raise
    return stacks[0] if stacks else None


def read_when_done(cloudformation: Any, stack_id: str, seconds: float = OUTPUTS_READ_SECONDS) -> dict[str, Any] | None:
    """The stack after its operation ended (for its outputs); None when AWS kept throttling DescribeStacks for `seconds`."""
    with deadline(cloudformation, seconds):
        try:
            return describe_stack(cloudformation, stack_id) or {}
        except botocore.exceptions.ClientError as error:
            if is_throttling(error):
                return None
            raise


def wait_until_settled(
    cloudformation: Any, name: str, on_wait: Callable[[str], None], sleep: Callable[[float], None] = time.sleep
) -> dict[str, Any] | None:
    """Wait while another operation runs on the stack (telling `on_wait` each new status); then the settled stack."""
    stack = describe_stack(cloudformation, name)
    announced, looks = None, 0
    while stack is not None and is_busy(stack["StackStatus"]):
        if stack["StackStatus"] != announced:
            on_wait(stack["StackStatus"])
            announced = stack["StackStatus"]
        sleep(BUSY_POLL_SECONDS[min(looks, len(BUSY_POLL_SECONDS) - 1)])
        looks += 1
        stack = describe_stack(cloudformation, name)
    return stack


def deployed_template(cloudformation: Any, stack_id: str) -> dict[str, Any]:
    """The template the stack runs now, as it was submitted (GetTemplate, stage Original)."""
    body = cloudformation.get_template(StackName=stack_id, TemplateStage="Original")["TemplateBody"]
    return parse_deployed_template(body)


def stack_resources(cloudformation: Any, stack_id: str) -> list[dict[str, Any]]:
    """ListStackResources, every page."""
    pages = cloudformation.get_paginator("list_stack_resources").paginate(StackName=stack_id)
    return [r for page in pages for r in page["StackResourceSummaries"]]


def physical_id(cloudformation: Any, stack_id: str, logical_id: str) -> str:
    """The resource's physical ID once CloudFormation has created it, else empty."""
    if not logical_id:
        return ""
    try:
        for resource in stack_resources(cloudformation, stack_id):
            if resource.get("LogicalResourceId") == logical_id:
                return str(resource.get("PhysicalResourceId") or "")
    except botocore.exceptions.ClientError:
        return ""
    return ""


def delete_and_wait(cloudformation: Any, stack_id: str) -> None:
    cloudformation.delete_stack(StackName=stack_id)
    try:
        cloudformation.get_waiter("stack_delete_complete").wait(
            StackName=stack_id, WaiterConfig={"Delay": 2, "MaxAttempts": 900}
        )
    except botocore.exceptions.WaiterError as error:
        reason = error.last_response.get("Stacks", [{}])[0].get("StackStatusReason", error)
        raise DeployFailed(f"could not delete stack {stack_id}: {reason}") from None


def continue_update_rollback(cloudformation: Any, stack_id: str, skip: list[str]) -> None:
    """Retry a failed rollback, marking the resources in `skip` as rolled back without touching them."""
    kwargs: dict[str, Any] = {"StackName": stack_id}
    if skip:
        kwargs["ResourcesToSkip"] = skip
    cloudformation.continue_update_rollback(**kwargs)
