"""Change sets: create one, wait for it, read all of it, execute it, and remove it (and a review-only stack) again."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from container_infra.aws.session import request_token
from container_infra.aws.stacks import delete_stack
from container_infra.cfn.changeset import ChangeSet
from container_infra.cfn.constants import NO_CHANGES_PHRASES, REVIEW_IN_PROGRESS
from container_infra.errors import AwsError

DESCRIPTION = "Created by container-infra deploy.py"
KEPT_DESCRIPTION = "Created by container-infra deploy.py --diff --keep"  # left on purpose for --execute
UNDER_REVIEW = frozenset({"CREATE_PENDING", "CREATE_IN_PROGRESS", "CREATE_COMPLETE"})
BEING_WORKED_OUT = frozenset({"CREATE_PENDING", "CREATE_IN_PROGRESS"})
# The first look is at once (an emulator, or a change set CloudFormation had ready); then 0.5 s, growing to 2 s:
# most change sets take a few seconds, and botocore's waiter would wait its fixed delay before each look. A look
# that stays throttled through botocore's retries is skipped and the next one comes later (the pause doubles, to 8 s).
POLL_DELAYS = (0.5, 0.75, 1.0, 1.5, 2.0)
THROTTLED_MAX_DELAY = 8.0
WAIT_LIMIT_SECONDS = 600.0
PROGRESS_EVERY_SECONDS = 5.0  # a change set still being worked out is said this often, so a wait is never silent


def change_set_name() -> str:
    """Unique even for two runs in the same second: the time for people, random hex for uniqueness."""
    return "container-infra-" + datetime.now(UTC).strftime("%Y%m%d-%H%M%S") + "-" + secrets.token_hex(4)


def under_review(cloudformation: Any, stack_name: str) -> list[dict[str, Any]]:
    """This tool's change sets on the stack that wait for review (another deploy.py run, or one that was killed)."""
    found: list[dict[str, Any]] = []
    token: str | None = None
    while True:
        page = cloudformation.list_change_sets(StackName=stack_name, **({"NextToken": token} if token else {}))
        found += [
            s
            for s in page.get("Summaries", [])
            if s.get("StackName") == stack_name
            and s.get("Description") in (DESCRIPTION, KEPT_DESCRIPTION)
            and s.get("ExecutionStatus") == "AVAILABLE"
            and s.get("Status") in UNDER_REVIEW
        ]
        token = page.get("NextToken")
        if not token:
            return found


def _tags_argument(tags: dict[str, str]) -> dict[str, Any]:
    """Tags only when some are given: boto3 sends an empty list as an empty value, and an empty value removes all of
    the stack's tags (UpdateStack's Tags, which an UPDATE change set applies), while leaving Tags out keeps them."""
    return {"Tags": [{"Key": k, "Value": v} for k, v in tags.items()]} if tags else {}


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
    kept: bool = False,
) -> ChangeSet:
    """The change set CloudFormation is working out; one that says at once there is nothing to change (a
    ValidationError "No updates are to be performed", the other way an endpoint says it, which the AWS CLI's deployer
    accepts too) is a FAILED change set without an ID, which nothing needs to delete."""
    name = change_set_name()
    try:
        response = cloudformation.create_change_set(
            StackName=stack_name,
            ChangeSetName=name,
            ChangeSetType=change_set_type,
            Parameters=parameters,
            Capabilities=capabilities,
            **_tags_argument(tags),
            Description=KEPT_DESCRIPTION if kept else DESCRIPTION,
            ClientToken=request_token(),
            **template,
            **(extra or {}),
        )
    except AwsError as error:
        if error.code == "ValidationError" and any(phrase in str(error) for phrase in NO_CHANGES_PHRASES):
            return ChangeSet("", stack_name, change_set_type, {"Status": "FAILED", "StatusReason": str(error)})
        raise
    return ChangeSet(response["Id"], response["StackId"], change_set_type, {})


def wait_for(
    cloudformation: Any,
    change_set: ChangeSet,
    *,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    say: Callable[[str], None] | None = None,
    show: Callable[[str], None] | None = None,
) -> None:
    """Poll until CloudFormation has worked the change set out (or failed it: no changes, a template it rejects);
    `say` hears, every few seconds of the wait, its status and the time it has taken; `show` (a live display, which
    times the wait itself) instead hears the status at every look.

    The answer that shows the final status is the read itself: only its further pages are fetched, so a change
    set costs one DescribeChangeSet per look, not the looks plus a second read of all of it.
    """
    if not change_set.id:
        return  # CloudFormation made none: it said at once there was nothing to change
    arguments = {"ChangeSetName": change_set.id, **property_values(cloudformation)}
    start = clock()
    give_up, paces, delay, said = start + WAIT_LIMIT_SECONDS, iter(POLL_DELAYS), 0.0, start
    while True:
        try:
            page = cloudformation.describe_change_set(**arguments)
        except AwsError as error:
            if not error.throttled or clock() > give_up:
                raise
            delay = min(max(delay, POLL_DELAYS[0]) * 2, THROTTLED_MAX_DELAY)  # AWS says slow down: look later
            sleep(delay)
            continue
        if page.get("Status") not in BEING_WORKED_OUT or clock() > give_up:
            change_set.description = _with_further_pages(cloudformation, arguments, page)
            return
        if show is not None:
            show(f"CloudFormation is working out the change set: {page.get('Status')}")
        elif say is not None and clock() - said >= PROGRESS_EVERY_SECONDS:
            said = clock()
            say(f"CloudFormation is working out the change set: {page.get('Status')}, {said - start:.0f} s ...")
        delay = next(paces, POLL_DELAYS[-1])
        sleep(delay)


def describe_all(cloudformation: Any, change_set: str, stack_name: str | None = None) -> dict[str, Any]:
    """DescribeChangeSet with every page of Changes merged; `change_set` is an ARN, or a name on `stack_name`."""
    arguments = {
        "ChangeSetName": change_set,
        **({"StackName": stack_name} if stack_name else {}),
        **property_values(cloudformation),
    }
    return _with_further_pages(cloudformation, arguments, cloudformation.describe_change_set(**arguments))


def _with_further_pages(cloudformation: Any, arguments: dict[str, Any], first: dict[str, Any]) -> dict[str, Any]:
    """`first` with the Changes of every following page (NextToken) appended."""
    description = first
    while description.get("NextToken"):
        page = cloudformation.describe_change_set(**arguments, NextToken=description["NextToken"])
        description = {**page, "Changes": description.get("Changes", []) + page.get("Changes", [])}
    description.pop("NextToken", None)
    return description


def property_values(cloudformation: Any) -> dict[str, Any]:
    """IncludePropertyValues where the SDK knows it: before and after values of what only AWS resolves (SSM, refs)."""
    shape = cloudformation.meta.service_model.operation_model("DescribeChangeSet").input_shape
    return {"IncludePropertyValues": True} if "IncludePropertyValues" in shape.members else {}


def execute(cloudformation: Any, change_set: ChangeSet) -> None:
    """ExecuteChangeSet with a client token: botocore's retry of a request that timed out starts nothing twice."""
    cloudformation.execute_change_set(ChangeSetName=change_set.id, ClientRequestToken=request_token())


def discard(cloudformation: Any, change_set: ChangeSet, *, stack_was_new: bool) -> str | None:
    """Delete the change set; delete the stack too when it exists only because of this change set (no other change
    set waits on it). The status a new stack was left in (None: deleted, or not this run's to delete)."""
    if not change_set.id:
        return None  # CloudFormation never made one
    cloudformation.delete_change_set(ChangeSetName=change_set.id)
    if not (stack_was_new and change_set.change_set_type == "CREATE"):
        return None
    stacks = cloudformation.describe_stacks(StackName=change_set.stack_id)["Stacks"]
    if not stacks:
        return None
    status = str(stacks[0]["StackStatus"])
    if status != REVIEW_IN_PROGRESS or _others_on(cloudformation, change_set.stack_id, change_set.id):
        return status  # it ran, or another run's change set waits on it: deleting it would delete that too
    delete_stack(cloudformation, change_set.stack_id)
    return None


def _others_on(cloudformation: Any, stack_id: str, change_set_id: str) -> bool:
    """Whether the review-only stack holds a change set other than the one just deleted (one kept with --keep):
    deleting the stack would delete that too."""
    return any(
        s.get("ChangeSetId") != change_set_id and not str(s.get("Status", "")).startswith("DELETE_")
        for s in change_sets_on(cloudformation, stack_id)
    )


def change_sets_on(cloudformation: Any, stack_id: str) -> list[dict[str, Any]]:
    """ListChangeSets of the stack (by its ID), every page, and only summaries that name that stack: a summary of
    another stack in the answer is never taken for this one's, so no run names, keeps for, or acts on another
    stack's change set."""
    pages = cloudformation.get_paginator("list_change_sets").paginate(StackName=stack_id)
    return [s for page in pages for s in page.get("Summaries", []) if s.get("StackId") == stack_id]


def executable(summaries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The change sets that can be executed (ExecutionStatus AVAILABLE): not failed, obsolete or still being made."""
    return [s for s in summaries if s.get("ExecutionStatus") == "AVAILABLE"]


@dataclass(frozen=True)
class Discarded:
    change_set: str  # its name
    stack_name: str
    review_stack_deleted: bool


def discard_kept_change_set(cloudformation: Any, described: dict[str, Any]) -> Discarded:
    """Delete a kept change set (as DescribeChangeSet described it); then its stack too when it is a review-only stack
    (REVIEW_IN_PROGRESS) with no change set left."""
    cloudformation.delete_change_set(ChangeSetName=described["ChangeSetId"])
    stack_id = described["StackId"]
    stacks = cloudformation.describe_stacks(StackName=stack_id)["Stacks"]
    review_only = bool(stacks) and stacks[0]["StackStatus"] == REVIEW_IN_PROGRESS
    if review_only and not _others_on(cloudformation, stack_id, described["ChangeSetId"]):
        delete_stack(cloudformation, stack_id)
    else:
        review_only = False
    return Discarded(str(described.get("ChangeSetName", "")), str(described.get("StackName", "")), review_only)
