"""--discard NAME: throw away a change set kept with --diff --keep, with the tool that kept it.

A kept change set blocks later deploys of the stack (they refuse while one waits for review); its CREATE change set
also holds a review-only stack (REVIEW_IN_PROGRESS), which goes with it when no other change set is left on it.
It is checked as --execute checks it (kept_change_sets): a change set's ARN names its own stack, and one of a stack
other than this run's is refused, not deleted.
"""

from __future__ import annotations

from container_infra.aws.changesets import discard_kept_change_set
from container_infra.aws.session import Aws
from container_infra.commands.kept_change_sets import describe_kept, refuse_another_place, refuse_another_stack
from container_infra.errors import EXIT_OK
from container_infra.ui.output import Output


def discard_kept(name: str, stack_name: str, aws: Aws, out: Output) -> int:
    refuse_another_place("--discard", name, aws.region)
    description = describe_kept(aws.cloudformation, "--discard", name, stack_name, changes=False)
    refuse_another_stack("--discard", name, description, stack_name)
    gone = discard_kept_change_set(aws.cloudformation, description)
    out.line(f"Deleted change set {gone.change_set} of stack {gone.stack_name}.")
    if gone.review_stack_deleted:
        out.line(f"Deleted stack {gone.stack_name} too: it existed only for that change set (REVIEW_IN_PROGRESS).")
    return EXIT_OK
