"""Find the deployed stack the day-2 commands look at: its description and resources."""

from __future__ import annotations

from container_infra.aws.changesets import change_sets_on, executable
from container_infra.aws.session import Aws
from container_infra.aws.stacks import describe_stack, stack_resources
from container_infra.cfn.constants import REVIEW_IN_PROGRESS
from container_infra.cfn.deployed import DeployedStack
from container_infra.errors import DeployFailed
from container_infra.hints import stack_flags


def load_deployed(aws: Aws, stack_name: str) -> DeployedStack | None:
    """The stack and its resources; None when nothing is deployed under that name. A stack that holds only a change
    set under review (REVIEW_IN_PROGRESS) exists but runs nothing: DeployFailed says so, and what to do."""
    stack = describe_stack(aws.cloudformation, stack_name)
    if stack is None:
        return None
    if stack["StackStatus"] == REVIEW_IN_PROGRESS:
        raise DeployFailed(under_review_only(aws, stack_name, stack["StackId"]))
    return DeployedStack(stack, stack_resources(aws.cloudformation, stack["StackId"]))


def under_review_only(aws: Aws, stack_name: str, stack_id: str) -> str:
    """What a review-only stack holds, and the commands for it: only its own change sets, and only those that can be
    executed are offered to --execute (one by its name; several as NAME, listed)."""
    own = change_sets_on(aws.cloudformation, stack_id)
    ready = [str(s["ChangeSetName"]) for s in executable(own) if s.get("ChangeSetName")]
    others = [str(s["ChangeSetName"]) for s in own if s.get("ChangeSetName") and str(s["ChangeSetName"]) not in ready]
    flags = stack_flags(stack_name)
    start = f"stack {stack_name} in {aws.region} is not deployed yet: it is REVIEW_IN_PROGRESS, "
    if len(ready) == 1:
        return (
            start + f"holding the change set {ready[0]}{_also(others)}; execute it with "
            f"`deploy.py --execute {ready[0]} {flags}`, or throw it away with `deploy.py --discard {ready[0]} {flags}`"
        )
    if ready:
        return (
            start + f"holding the change sets {', '.join(ready)}{_also(others)}; execute one with "
            f"`deploy.py --execute NAME {flags}`, or throw each away with `deploy.py --discard NAME {flags}`"
        )
    if others:
        return (
            start + f"holding no change set that can be executed ({', '.join(others)} cannot be); throw "
            f"{'it' if len(others) == 1 else 'each'} away with `deploy.py --discard NAME {flags}`, "
            f"or delete the stack with `deploy.py --destroy {flags}`"
        )
    return start + f"holding no change set; delete it with `deploy.py --destroy {flags}`"


def _also(others: list[str]) -> str:
    return f" (and {', '.join(others)}, which cannot be executed)" if others else ""


def not_deployed(stack_name: str, region: str) -> str:
    return (
        f"stack {stack_name} does not exist in {region}: nothing is deployed there "
        "(deploy it with deploy.py, or pass --stack-name/--region)"
    )
