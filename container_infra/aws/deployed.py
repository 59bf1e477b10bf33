"""Find the deployed stack the day-2 commands look at: its description and resources."""

from __future__ import annotations

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
    summaries = aws.cloudformation.list_change_sets(StackName=stack_id).get("Summaries") or []
    names = [str(s.get("ChangeSetName")) for s in summaries if s.get("ChangeSetName")]
    first = names[0] if names else "NAME"
    return (
        f"stack {stack_name} in {aws.region} is not deployed yet: it is REVIEW_IN_PROGRESS, holding only the change "
        f"set{'s' if len(names) > 1 else ''} {', '.join(names) or 'under review'}; execute it with "
        f"`deploy.py --execute {first} {stack_flags(stack_name)}`, or throw it away with "
        f"`deploy.py --discard {first} {stack_flags(stack_name)}`"
    )


def not_deployed(stack_name: str, region: str) -> str:
    return (
        f"stack {stack_name} does not exist in {region}: nothing is deployed there "
        "(deploy it with deploy.py, or pass --stack-name/--region)"
    )
