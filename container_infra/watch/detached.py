"""When this process stops watching but the operation goes on in AWS: Ctrl-C, a lost connection or a failed call
while following a deploy, a destroy, a rollout, `--follow` or a continued rollback.

These are normal events. None of them stops what CloudFormation or ECS is doing, so each ends in one line that says
so and how to follow it. Every such sentence is written here, and the errors that stop the watching are caught here.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from container_infra import signals
from container_infra.aws.errors import describe_error
from container_infra.errors import AwsError, ConnectionLost, DeployFailed, Interrupted
from container_infra.hints import aws_cli, stack_flags


@dataclass(frozen=True)
class GoesOn:
    """The last line when the watching stops: after Ctrl-C, after a lost connection, after an AWS error.

    None: that event is not caught here, and ends the run as it would anywhere else."""

    interrupted: str
    connection_lost: str | None = None
    after_aws_error: str | None = None  # follows the AWS error's own words


@contextmanager
def goes_on_in_aws(goes_on: GoesOn) -> Iterator[None]:
    """Ctrl-C (or SIGTERM, SIGHUP) becomes Interrupted; a lost connection or an AWS error DeployFailed."""
    try:
        yield
    except KeyboardInterrupt:
        raise Interrupted(goes_on.interrupted) from None
    except ConnectionLost:
        if goes_on.connection_lost is None:
            raise
        raise DeployFailed(goes_on.connection_lost) from None
    except AwsError as error:
        if goes_on.after_aws_error is None:
            raise
        raise DeployFailed(f"{describe_error(error)} {goes_on.after_aws_error}") from None


@contextmanager
def started_in_aws(goes_on: GoesOn) -> Iterator[None]:
    """The one call that starts an operation in AWS: a signal during it waits for AWS's answer; once AWS has accepted
    the call, the signal ends the run saying that the operation goes on. A call AWS refused ends the run as it is."""
    try:
        with signals.deferred():
            yield
    except KeyboardInterrupt:
        raise Interrupted(goes_on.interrupted) from None


def follow_command(stack_name: str, region: str) -> str:
    return f"`uv run deploy.py --follow {stack_flags(stack_name, region)}`"


def deployment_goes_on(change_set_type: str, stack_name: str, region: str) -> GoesOn:
    """After ExecuteChangeSet: how to follow the operation, and how to stop it (a create and an update differ)."""
    if change_set_type == "CREATE":
        what, stop = "create", f"to stop it, delete the stack: {aws_cli('delete-stack', stack_name, region)}"
    else:
        what, stop = "update", f"to cancel it: {aws_cli('cancel-update-stack', stack_name, region)}"
    goes_on = (
        f"the deployment goes on in AWS: the {what} of {stack_name} continues in CloudFormation. "
        f"Follow it with {follow_command(stack_name, region)}; {stop}"
    )
    return GoesOn(
        interrupted=f"stopped following, but {goes_on}",
        connection_lost=f"lost the connection to AWS after the deployment started: {goes_on}",
        after_aws_error=f"after the deployment started: {goes_on}",
    )


def rollout_goes_on(stack_name: str, region: str) -> GoesOn:
    """CloudFormation is done; the ECS rollout is not."""
    goes_on = (
        "CloudFormation has finished and the rollout goes on in ECS. "
        f"Follow it with {follow_command(stack_name, region)} or in the ECS console."
    )
    return GoesOn(
        interrupted=f"stopped watching the ECS rollout; {goes_on}",
        connection_lost=f"lost the connection to AWS while watching the ECS rollout; {goes_on}",
    )


def operation_goes_on(operation: str, stack_name: str, region: str) -> GoesOn:
    """--follow of an operation this run did not start."""
    goes_on = (
        f"the {operation} of {stack_name} goes on in CloudFormation. "
        f"Follow it with {follow_command(stack_name, region)} or in the ECS console."
    )
    return GoesOn(interrupted=f"stopped following; {goes_on}", connection_lost=f"lost the connection to AWS; {goes_on}")


def delete_goes_on(stack_name: str, region: str) -> GoesOn:
    goes_on = (
        f"the delete of {stack_name} goes on in CloudFormation: follow it with {follow_command(stack_name, region)}"
    )
    return GoesOn(
        interrupted=f"stopped following, but {goes_on}", connection_lost=f"lost the connection to AWS; {goes_on}"
    )


def rollback_goes_on(stack_name: str) -> GoesOn:
    """CloudFormation's continue-update-rollback; a lost connection ends the run as any other."""
    return GoesOn(
        interrupted="stopped following, but the rollback goes on in AWS: "
        f"{aws_cli('describe-stack-events', stack_name)}"
    )
