"""A stack's state before a deploy: absent, new, ready, or stuck in a state only a person can resolve."""

from __future__ import annotations

from typing import Any

from container_infra.cfn.constants import REVIEW_IN_PROGRESS
from container_infra.errors import DeployFailed

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


def refuse_stuck(stack: dict[str, Any] | None) -> None:
    if stack is None:
        return
    status, name = stack["StackStatus"], stack["StackName"]
    if status in STUCK_ADVICE:
        raise DeployFailed(f"stack {name} is {status}: {STUCK_ADVICE[status].format(name=name)}")


def is_new(stack: dict[str, Any] | None) -> bool:
    """No stack yet, or only one under review (a CREATE change set never executed)."""
    return stack is None or stack["StackStatus"] == REVIEW_IN_PROGRESS
