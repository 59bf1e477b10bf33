"""A stack's state before a deploy: absent, ready, busy, or stuck in a state only a person can resolve."""

from __future__ import annotations

import ast
import time
from collections.abc import Callable
from typing import Any

import botocore.exceptions

from container_infra.deploy.aws import error_code
from container_infra.deploy.ui import Output
from container_infra.errors import DeployFailed

BUSY_POLL_SECONDS = 5.0
STUCK_ADVICE = {
    "UPDATE_ROLLBACK_FAILED": (
        "the last update failed and so did its rollback. Fix or skip the resources that could not roll back: "
        "`aws cloudformation continue-update-rollback --stack-name {name}` (add --resources-to-skip for those "
        "that cannot recover), then deploy again"
    ),
    "DELETE_FAILED": (
        "a delete did not finish. See why in its events (console or `aws cloudformation describe-stack-events "
        "--stack-name {name}`), remove what blocks it, then run `deploy.py --destroy` again"
    ),
    "ROLLBACK_FAILED": (
        "a failed create could not be rolled back. Delete it (`deploy.py --destroy`, retaining what cannot be "
        "deleted) and deploy again"
    ),
    "IMPORT_ROLLBACK_FAILED": "an import and its rollback failed. Resolve it in the console, then deploy again",
}


def describe_stack(cloudformation: Any, name: str) -> dict[str, Any] | None:
    """The stack, or None when it does not exist (a deleted stack does not exist by name)."""
    try:
        stacks = cloudformation.describe_stacks(StackName=name)["Stacks"]
    except botocore.exceptions.ClientError as error:
        if error_code(error) == "ValidationError" and "does not exist" in str(error):
            return None
        raise
    return stacks[0] if stacks else None


def wait_until_settled(
    cloudformation: Any, name: str, out: Output, sleep: Callable[[float], None] = time.sleep
) -> dict[str, Any] | None:
    """Wait while another operation runs on the stack (showing that we wait); then the settled stack."""
    stack = describe_stack(cloudformation, name)
    announced = None
    while stack is not None and _busy(stack["StackStatus"]):
        if stack["StackStatus"] != announced:
            out.line(f"Waiting: stack {name} is {stack['StackStatus']} (another operation is running) ...", "yellow")
            announced = stack["StackStatus"]
        sleep(BUSY_POLL_SECONDS)
        stack = describe_stack(cloudformation, name)
    return stack


def _busy(status: str) -> bool:
    return status.endswith("_IN_PROGRESS") and status != "REVIEW_IN_PROGRESS"


def refuse_stuck(stack: dict[str, Any] | None) -> None:
    if stack is None:
        return
    status, name = stack["StackStatus"], stack["StackName"]
    if status in STUCK_ADVICE:
        raise DeployFailed(f"stack {name} is {status}: {STUCK_ADVICE[status].format(name=name)}")


def is_new(stack: dict[str, Any] | None) -> bool:
    """No stack yet, or only one under review (a CREATE change set never executed)."""
    return stack is None or stack["StackStatus"] == "REVIEW_IN_PROGRESS"


def previous_parameters(stack: dict[str, Any] | None) -> dict[str, str] | None:
    if is_new(stack):
        return None
    assert stack is not None
    return {p["ParameterKey"]: _list_as_commas(p.get("ParameterValue", "")) for p in stack.get("Parameters", [])}


def _list_as_commas(value: str) -> str:
    """CloudFormation reports a list parameter as `a,b`; some emulators (moto) as `['a', 'b']`: read both."""
    if value.startswith("[") and value.endswith("]"):
        try:
            items = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            return value
        if isinstance(items, list) and all(isinstance(item, str) for item in items):
            return ",".join(items)
    return value


def delete_and_wait(cloudformation: Any, stack_id: str) -> None:
    cloudformation.delete_stack(StackName=stack_id)
    try:
        cloudformation.get_waiter("stack_delete_complete").wait(StackName=stack_id, WaiterConfig={"Delay": 2, "MaxAttempts": 900})
    except botocore.exceptions.WaiterError as error:
        raise DeployFailed(f"could not delete stack {stack_id}: {error.last_response.get('Stacks', [{}])[0].get('StackStatusReason', error)}") from None
