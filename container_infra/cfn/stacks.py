"""A stack's state before a deploy: absent, new, ready, or stuck in a state only a person can resolve."""

from __future__ import annotations

from typing import Any

from container_infra.cfn.constants import REVIEW_IN_PROGRESS
from container_infra.errors import DeployFailed
from container_infra.hints import aws_cli, current_environment, stack_flags

STUCK_ADVICE = {
    "UPDATE_ROLLBACK_FAILED": (
        "the last update failed and so did its rollback. Fix or skip the resources that could not roll back: "
        "{continue_rollback} (add --resources-to-skip for those "
        "that cannot recover), then deploy again"
    ),
    "DELETE_FAILED": (
        "a delete did not finish. See why in its events (console or {events}), remove what blocks it, then run "
        "`deploy.py --destroy{flags}` again"
    ),
    "ROLLBACK_FAILED": (
        "a failed create could not be rolled back. Delete it (`deploy.py --destroy{flags}`, retaining what cannot be "
        "deleted) and deploy again"
    ),
    "IMPORT_ROLLBACK_FAILED": "an import and its rollback failed. Resolve it in the console, then deploy again",
}


def refuse_stuck(stack: dict[str, Any] | None) -> None:
    if stack is None:
        return
    status, name = stack["StackStatus"], stack["StackName"]
    if status in STUCK_ADVICE:
        advice = STUCK_ADVICE[status].format(
            continue_rollback=aws_cli("continue-update-rollback", name),
            events=aws_cli("describe-stack-events", name),
            flags=f" {stack_flags(name)}" if current_environment() else "",  # without --env: as the run was given
        )
        raise DeployFailed(f"stack {name} is {status}: {advice}")


def is_new(stack: dict[str, Any] | None) -> bool:
    """No stack yet, or only one under review (a CREATE change set never executed)."""
    return stack is None or stack["StackStatus"] == REVIEW_IN_PROGRESS
