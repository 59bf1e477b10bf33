"""A change set that is not executed: deleted again (with a review-only stack), or kept on purpose for --execute.

A change set this run made and did not execute must not stay behind: whatever stops the run first (a refusal, a
decline, an error, Ctrl-C) deletes it. One reviewed earlier (--execute) was kept on purpose and stays.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from container_infra import signals
from container_infra.aws.changesets import discard
from container_infra.aws.session import Aws
from container_infra.errors import AwsError, Interrupted
from container_infra.hints import stack_flags
from container_infra.ui.output import Output

if TYPE_CHECKING:
    from container_infra.steps.plan import Plan


@contextmanager
def discarded_on_failure(aws: Aws, plan: Plan) -> Iterator[None]:
    """Whatever stops the run inside deletes the plan's change set, unless it was reviewed earlier."""
    try:
        yield
    except BaseException as error:
        raise abandon(aws, plan, error) from None


def abandon(aws: Aws, plan: Plan, error: BaseException, out: Output | None = None) -> BaseException:
    """What to raise for `error` once the plan's change set is gone; Ctrl-C says what was cleaned up, and so does a
    run given `out` (ExecuteChangeSet refused: what is left of a new stack is said, not found later)."""
    if not plan.made_here:
        return error
    if isinstance(error, KeyboardInterrupt):
        return Interrupted(cleaned_up(aws, plan))
    if out is not None:
        said = cleaned_up(aws, plan)
        out.line(f"Not executed: {said}.", "yellow")
        return error
    discard_change_set(aws, plan)
    return error


def keep_or_discard(aws: Aws, plan: Plan, out: Output, *, keep: bool) -> None:
    """--diff --keep: leave a change set with changes in place, and say how to execute it (not one the forecast
    refuses). Any other change set that is not executed is deleted."""
    if not (keep and plan.change_set and _kept(plan, out)):
        discard_change_set(aws, plan)


def discard_change_set(aws: Aws, plan: Plan) -> str | None:
    """Delete what the plan made and did not execute; the status a new stack is left in (None: none is left)."""
    if plan.change_set is None:
        return None  # CreateChangeSet failed, or the diff was computed here: nothing was made
    with signals.held():  # a second signal must not leave the cleanup half done
        return discard(aws.cloudformation, plan.change_set, stack_was_new=plan.stack is None)


def cleaned_up(aws: Aws, plan: Plan) -> str:
    """Delete what was not executed, and say what is left: nothing, a new stack another change set still holds (or
    that left review), or, when the cleanup itself fails, the command that deletes what is left."""
    new = plan.stack is None
    try:
        left = discard_change_set(aws, plan)
    except AwsError as error:
        if new:  # deleting the never-executed stack deletes its change sets with it
            return (
                f"nothing was deployed, but the cleanup failed ({type(error).__name__}): delete the never-executed "
                f"stack {plan.stack_name} and its change set with `deploy.py --destroy {stack_flags(plan.stack_name)}`"
            )
        failed = f"nothing was deployed, but the change set could not be deleted ({type(error).__name__}): "
        change_set = plan.change_set.id if plan.change_set else "?"
        return failed + f"delete it with `aws cloudformation delete-change-set --change-set-name {change_set}`"
    if left is None:
        return "nothing was deployed; the change set was deleted" + (
            f" (and the review-only stack {plan.stack_name})" if new and plan.change_set else ""
        )
    return (
        f"nothing was deployed; the change set was deleted, but stack {plan.stack_name} is left {left}"
        + (", holding another change set" if left == "REVIEW_IN_PROGRESS" else "")
        + f": see `deploy.py --status {stack_flags(plan.stack_name)}`, or delete it with "
        f"`deploy.py --destroy {stack_flags(plan.stack_name)}`"
    )


def name_of(change_set_id: str) -> str:
    """A change set's name from its ARN (arn:...:changeSet/NAME/ID), or the name itself."""
    parts = change_set_id.split(":changeSet/", 1)
    return parts[1].split("/")[0] if len(parts) == 2 else change_set_id


def _kept(plan: Plan, out: Output) -> bool:
    assert plan.change_set is not None
    if not plan.change_set.id:
        return False
    if plan.forecast_errors:
        out.line("Not keeping the change set: the forecast found problems AWS would refuse (listed above).", "yellow")
        return False
    if not plan.diff.has_changes:
        out.line("No changes: there is no change set to keep.")
        return False
    name = str(plan.change_set.description.get("ChangeSetName") or plan.change_set.id)
    out.line(f"Kept change set {name} ({plan.change_set.id})", "bold")
    out.line(f"Execute exactly this one with: deploy.py --execute {name} {stack_flags(plan.stack_name)}")
    out.line(f"Throw it away with: deploy.py --discard {name} {stack_flags(plan.stack_name)}")
    return True
