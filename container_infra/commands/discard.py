"""--discard NAME: throw away a change set kept with --diff --keep, with the tool that kept it.

A kept change set blocks later deploys of the stack (they refuse while one waits for review); its CREATE change set
also holds a review-only stack (REVIEW_IN_PROGRESS), which goes with it when no other change set is left on it.
"""

from __future__ import annotations

from container_infra.aws.changesets import discard_kept_change_set
from container_infra.aws.session import Aws
from container_infra.errors import EXIT_OK, AwsError, UserError
from container_infra.ui.output import Output

NOT_FOUND_CODES = ("ChangeSetNotFound", "ChangeSetNotFoundException", "ValidationError")


def discard_kept(name: str, stack_name: str, aws: Aws, out: Output) -> int:
    try:
        gone = discard_kept_change_set(aws.cloudformation, name, None if name.startswith("arn:") else stack_name)
    except AwsError as error:
        if error.code in NOT_FOUND_CODES:
            raise UserError(
                f"--discard {name}: no such change set on stack {stack_name} ({error}); pass the name printed by "
                "--diff --keep with its --stack-name, or the change set's ARN"
            ) from None
        raise
    out.line(f"Deleted change set {gone.change_set} of stack {gone.stack_name}.")
    if gone.review_stack_deleted:
        out.line(f"Deleted stack {gone.stack_name} too: it existed only for that change set (REVIEW_IN_PROGRESS).")
    return EXIT_OK
