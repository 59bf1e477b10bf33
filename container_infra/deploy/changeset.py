"""Change sets: create one, wait for it, read all of it, and remove it (and a review-only stack) again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import botocore.exceptions

from container_infra.deploy.aws import error_code
from container_infra.errors import UserError

NO_CHANGES_PHRASES = ("didn't contain changes", "No updates are to be performed", "does not contain any changes")


@dataclass
class ChangeSet:
    id: str
    stack_id: str
    change_set_type: str  # CREATE or UPDATE
    description: dict[str, Any]

    @property
    def status(self) -> str:
        return str(self.description.get("Status", ""))

    @property
    def reason(self) -> str:
        return str(self.description.get("StatusReason", ""))

    @property
    def has_no_changes(self) -> bool:
        return self.status == "FAILED" and any(p in self.reason for p in NO_CHANGES_PHRASES)

    @property
    def resource_ids(self) -> set[str]:
        return {c["ResourceChange"]["LogicalResourceId"] for c in self.description.get("Changes", []) if "ResourceChange" in c}


def create_change_set(
    cloudformation: Any,
    *,
    stack_name: str,
    change_set_type: str,
    template: dict[str, str],
    parameters: list[dict[str, Any]],
    capabilities: list[str],
    tags: dict[str, str],
) -> ChangeSet:
    name = "container-infra-" + datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    try:
        response = cloudformation.create_change_set(
            StackName=stack_name,
            ChangeSetName=name,
            ChangeSetType=change_set_type,
            Parameters=parameters,
            Capabilities=capabilities,
            Tags=[{"Key": k, "Value": v} for k, v in tags.items()],
            Description="Created by container-infra deploy.py",
            **template,
        )
    except botocore.exceptions.ClientError as error:
        # Some implementations refuse an unchanged update outright instead of failing the change set.
        if error_code(error) == "ValidationError" and any(p in str(error) for p in NO_CHANGES_PHRASES):
            return ChangeSet("", "", change_set_type, {"Status": "FAILED", "StatusReason": str(error), "Changes": []})
        raise
    return ChangeSet(response["Id"], response["StackId"], change_set_type, {})


def wait_for(cloudformation: Any, change_set: ChangeSet) -> None:
    """Wait until CloudFormation has worked the change set out (or failed it), then read all of it."""
    if change_set.id:
        change_set.description = _wait_and_describe(cloudformation, change_set.id)


def _wait_and_describe(cloudformation: Any, change_set_id: str) -> dict[str, Any]:
    waiter = cloudformation.get_waiter("change_set_create_complete")
    try:
        waiter.wait(ChangeSetName=change_set_id, WaiterConfig={"Delay": 1, "MaxAttempts": 600})
    except botocore.exceptions.WaiterError:
        pass  # FAILED (no changes, or a template CloudFormation rejects): the description says which
    return describe_all(cloudformation, change_set_id)


def describe_all(cloudformation: Any, change_set_id: str) -> dict[str, Any]:
    """DescribeChangeSet with every page of Changes merged."""
    description = cloudformation.describe_change_set(ChangeSetName=change_set_id)
    token = description.get("NextToken")
    while token:
        page = cloudformation.describe_change_set(ChangeSetName=change_set_id, NextToken=token)
        description.setdefault("Changes", []).extend(page.get("Changes", []))
        token = page.get("NextToken")
    return description


def refuse_rejected(change_set: ChangeSet) -> None:
    if change_set.status == "FAILED" and not change_set.has_no_changes:
        raise UserError(f"CloudFormation rejected the change set: {change_set.reason or 'no reason given'}")


def discard(cloudformation: Any, change_set: ChangeSet, *, stack_was_new: bool) -> None:
    """Delete the change set; delete the stack too when it exists only because of this change set."""
    if not change_set.id:
        return  # CloudFormation never made one
    cloudformation.delete_change_set(ChangeSetName=change_set.id)
    if stack_was_new and change_set.change_set_type == "CREATE":
        stacks = cloudformation.describe_stacks(StackName=change_set.stack_id)["Stacks"]
        if stacks and stacks[0]["StackStatus"] == "REVIEW_IN_PROGRESS":
            cloudformation.delete_stack(StackName=change_set.stack_id)
