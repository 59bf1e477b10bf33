"""Stack reads and waits: describe, wait while another operation runs, the deployed template, its resources."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import botocore.exceptions

from container_infra.aws.errors import answered_error, for_a_waiter
from container_infra.aws.session import request_token, retried_by_caller
from container_infra.cfn.constants import is_busy
from container_infra.cfn.template import parse_deployed_template
from container_infra.errors import AwsError, ConnectionLost, DeployFailed

# While another operation runs: a look after 1 s, then every 2, 3 and at most 5 s (a short update is seen to end soon).
BUSY_POLL_SECONDS = (1.0, 2.0, 3.0, 5.0)
# After the stack's terminal event, its outputs are read within this time, or not at all: the event already told the
# end, and a run must not wait on a DescribeStacks that AWS keeps throttling.
OUTPUTS_READ_SECONDS = 2.5
OUTPUTS_RETRY_SECONDS = (0.25, 0.5, 1.0)


def describe_stack(cloudformation: Any, name: str) -> dict[str, Any] | None:
    """The stack, or None when it does not exist (a deleted stack does not exist by name)."""
    try:
        stacks = cloudformation.describe_stacks(StackName=name)["Stacks"]
    except AwsError as error:
        if error.code == "ValidationError" and "does not exist" in str(error):
            return None
        raise
    return stacks[0] if stacks else None


def read_when_done(
    cloudformation: Any,
    stack_id: str,
    seconds: float = OUTPUTS_READ_SECONDS,
    *,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> dict[str, Any] | None:
    """The stack after its operation ended (for its outputs); None when DescribeStacks kept failing for `seconds`.

    botocore's back-off could outlast the deadline, so throttled reads are retried here, and none starts after it."""
    give_up, pauses = clock() + seconds, iter(OUTPUTS_RETRY_SECONDS)
    with retried_by_caller():
        while True:
            try:
                return describe_stack(cloudformation, stack_id) or {}
            except AwsError as error:
                # the operation is over: a throttled read or a passing 5xx costs the outputs at most, not the run
                if not (error.throttled or (error.status or 0) >= 500):
                    raise
            pause = next(pauses, OUTPUTS_RETRY_SECONDS[-1])
            if clock() + pause > give_up:
                return None
            sleep(pause)


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
    except ConnectionLost:
        raise
    except AwsError:
        return ""
    return ""


def delete_stack(cloudformation: Any, stack_id: str) -> None:
    """DeleteStack with a client token: botocore's retry of a request that timed out deletes nothing twice."""
    cloudformation.delete_stack(StackName=stack_id, ClientRequestToken=request_token())


def delete_and_wait(cloudformation: Any, stack_id: str) -> None:
    delete_stack(cloudformation, stack_id)
    try:
        with for_a_waiter():
            cloudformation.get_waiter("stack_delete_complete").wait(
                StackName=stack_id, WaiterConfig={"Delay": 2, "MaxAttempts": 900}
            )
    except botocore.exceptions.WaiterError as error:
        answer = error.last_response or {}
        if "Error" in answer and "Stacks" not in answer:  # an error no acceptor expects (AccessDenied, say)
            metadata = answer.get("ResponseMetadata", {})
            raise answered_error(answer, "DescribeStacks", metadata.get("HTTPStatusCode", 0)) from None
        reason = answer.get("Stacks", [{}])[0].get("StackStatusReason", error)
        raise DeployFailed(f"could not delete stack {stack_id}: {reason}") from None


def continue_update_rollback(cloudformation: Any, stack_id: str, skip: list[str]) -> None:
    """Retry a failed rollback, marking the resources in `skip` as rolled back without touching them."""
    kwargs: dict[str, Any] = {"StackName": stack_id, "ClientRequestToken": request_token()}
    if skip:
        kwargs["ResourcesToSkip"] = skip
    cloudformation.continue_update_rollback(**kwargs)
