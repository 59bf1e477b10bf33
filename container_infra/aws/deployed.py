"""Find the deployed stack the day-2 commands look at: its description and resources."""

from __future__ import annotations

from container_infra.aws.session import Aws
from container_infra.aws.stacks import describe_stack, stack_resources
from container_infra.cfn.constants import REVIEW_IN_PROGRESS
from container_infra.cfn.deployed import DeployedStack


def load_deployed(aws: Aws, stack_name: str) -> DeployedStack | None:
    """The stack and its resources; None when nothing is deployed under that name (or only a review)."""
    stack = describe_stack(aws.cloudformation, stack_name)
    if stack is None or stack["StackStatus"] == REVIEW_IN_PROGRESS:
        return None
    return DeployedStack(stack, stack_resources(aws.cloudformation, stack["StackId"]))


def not_deployed(stack_name: str, region: str) -> str:
    return (
        f"stack {stack_name} does not exist in {region}: nothing is deployed there "
        "(deploy it with deploy.py, or pass --stack-name/--region)"
    )
