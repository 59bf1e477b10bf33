"""Change sets: create one, wait for it, read all of it, execute it, and remove it (and a review-only stack) again."""

from __future__ import annotations

import secrets
from datetime import datetime, timezone
from typing import Any

import botocore.exceptions

from container_infra.cfn.changeset import ChangeSet
from container_infra.cfn.constants import REVIEW_IN_PROGRESS

DESCRIPTION = "Created by container-infra deploy.py"
UNDER_REVIEW = frozenset({"CREATE_PENDING", "CREATE_IN_PROGRESS", "CREATE_COMPLETE"})


def change_set_name() -> str:
    """Unique even for two runs in the same second: the time for people, random hex for uniqueness."""
    return "container-infra-" + datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S") + "-" + secrets.token_hex(4)


def under_review(cloudformation: Any, stack_name: str) -> list[dict[str, Any]]:
    """This tool's change sets on the stack that wait for review (another deploy.py run, or one that was killed)."""
    found: list[dict[str, Any]] = []
    token: str | None = None
    while True:
        page = cloudformation.list_change_sets(StackName=stack_name, **({"NextToken": token} if token else {}))
        found += [s for s in page.get("Summaries", []) if s.get("StackName") == stack_name and s.get("Description") == DESCRIPTION
                  and s.get("ExecutionStatus") == "AVAILABLE" and s.get("Status") in UNDER_REVIEW]
        token = page.get("NextToken")
        if not token:
            return found


def create_change_set(
    cloudformation: Any,
    *,
    stack_name: str,
    change_set_type: str,
    template: dict[str, str],
    parameters: list[dict[str, Any]],
    capabilities: list[str],
    tags: dict[str, str],
    extra: dict[str, Any] | None = None,
) -> ChangeSet:
    name = change_set_name()
    response = cloudformation.create_change_set(
        StackName=stack_name,
        ChangeSetName=name,
        ChangeSetType=change_set_type,
        Parameters=parameters,
        Capabilities=capabilities,
        Tags=[{"Key": k, "Value": v} for k, v in tags.items()],
        Description=DESCRIPTION,
        **template,
        **(extra or {}),
    )
    return ChangeSet(response["Id"], response["StackId"], change_set_type, {})


def wait_for(cloudformation: Any, change_set: ChangeSet) -> None:
    """Wait until CloudFormation has worked the change set out (or failed it), then read all of it."""
    waiter = cloudformation.get_waiter("change_set_create_complete")
    try:
        waiter.wait(ChangeSetName=change_set.id, WaiterConfig={"Delay": 1, "MaxAttempts": 600})
    except botocore.exceptions.WaiterError:
        pass  # FAILED (no changes, or a template CloudFormation rejects): the description says which
    change_set.description = describe_all(cloudformation, change_set.id)


def describe_all(cloudformation: Any, change_set_id: str) -> dict[str, Any]:
    """DescribeChangeSet with every page of Changes merged."""
    description: dict[str, Any] = {}
    pages = cloudformation.get_paginator("describe_change_set").paginate(ChangeSetName=change_set_id, **property_values(cloudformation))
    for page in pages:
        changes = description.get("Changes", []) + page.get("Changes", [])
        description = {**page, "Changes": changes}
    description.pop("NextToken", None)
    return description


def property_values(cloudformation: Any) -> dict[str, Any]:
    """IncludePropertyValues where the SDK knows it: before and after values of what only AWS resolves (SSM, references)."""
    shape = cloudformation.meta.service_model.operation_model("DescribeChangeSet").input_shape
    return {"IncludePropertyValues": True} if "IncludePropertyValues" in shape.members else {}


def execute(cloudformation: Any, change_set: ChangeSet) -> None:
    cloudformation.execute_change_set(ChangeSetName=change_set.id)


def discard(cloudformation: Any, change_set: ChangeSet, *, stack_was_new: bool) -> None:
    """Delete the change set; delete the stack too when it exists only because of this change set."""
    if not change_set.id:
        return  # CloudFormation never made one
    cloudformation.delete_change_set(ChangeSetName=change_set.id)
    if stack_was_new and change_set.change_set_type == "CREATE":
        stacks = cloudformation.describe_stacks(StackName=change_set.stack_id)["Stacks"]
        if stacks and stacks[0]["StackStatus"] == REVIEW_IN_PROGRESS:
            cloudformation.delete_stack(StackName=change_set.stack_id)
