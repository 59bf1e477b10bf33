"""What --execute NAME and --discard NAME both check of a kept change set before they act on it: that it is there,
that it is in this run's account and region, and that it belongs to the stack this run names. A change set's ARN
names its own stack, so either flag under another --stack-name (or --env) would act on a stack nobody named.

The hints name the stack the way this run does: `--stack-name NAME`, or under --env the environment's flags, which
fix the stack name themselves. A stack whose name is unknown is named in no hint (never an empty --stack-name).
"""

from __future__ import annotations

from typing import Any

from container_infra.aws.changesets import describe_all
from container_infra.errors import AwsError, UserError
from container_infra.hints import current_environment

NOT_FOUND_CODES = ("ChangeSetNotFound", "ChangeSetNotFoundException", "ValidationError")
_DOING = {"--execute": "executing", "--discard": "discarding"}


def describe_kept(cloudformation: Any, flag: str, name: str, stack_name: str, *, changes: bool) -> dict[str, Any]:
    """The kept change set `name` (an ARN, or a name on `stack_name`) described, or one line that it is not there.
    With `changes`, every page of its changes with their values (to review it); without, only what names it."""
    where = {} if name.startswith("arn:") else {"StackName": stack_name}
    try:
        if changes:
            return describe_all(cloudformation, name, where.get("StackName"))
        return dict(cloudformation.describe_change_set(ChangeSetName=name, **where))
    except AwsError as error:
        if error.code in NOT_FOUND_CODES:
            how = "--env" if current_environment() is not None else "--stack-name"
            raise UserError(
                f"{flag} {name}: no such change set on stack {stack_name} ({error}); "
                f"pass the name printed by --diff --keep with its {how}, or the change set's ARN"
            ) from None
        raise


def refuse_another_stack(flag: str, name: str, description: dict[str, Any], stack_name: str) -> None:
    """Refuse a change set of a stack other than `stack_name`, naming its stack and how to act on it there."""
    owner = str(description.get("StackName") or "") or stack_name_of(
        str(description["StackId"])
    )  # DescribeChangeSet always has it
    if owner == stack_name:
        return
    which = owner or "(unknown)"
    message = f"{flag} {name}: the change set is for stack {which}, not {stack_name}; not {_DOING[flag]} it"
    raise UserError(message + _where_hint(owner, flag.removeprefix("--")))


def _where_hint(owner: str, verb: str) -> str:
    if not owner:
        return ""  # no name to give: an empty --stack-name would be no hint
    if current_environment() is not None:
        # --env fixes the stack name; --stack-name beside it would name a stack the environment does not deploy
        return f" (pass the --env whose stack is {owner} to {verb} it there)"
    return f" (pass --stack-name {owner} to {verb} it there)"


def refuse_another_place(flag: str, name: str, region: str) -> None:
    """An ARN names its region and account: one elsewhere would be looked for in the wrong place, or under --env
    acted on in an environment it was not reviewed for. Refused before any call, naming the mismatch."""
    parts = name.split(":", 5)
    if not name.startswith("arn:") or len(parts) < 6:
        return
    arn_region, arn_account = parts[3], parts[4]
    environment = current_environment()
    if environment is not None and arn_account != environment.account:
        raise UserError(
            f"{flag} {name}: the change set is in account {arn_account}, but environment {environment.name} is "
            f"account {environment.account}; not {_DOING[flag]} it (pass the --env it was kept for)"
        )
    if arn_region != region:
        where = f"environment {environment.name}" if environment is not None else "this run"
        raise UserError(
            f"{flag} {name}: the change set is in region {arn_region}, but {where} is in {region}; not "
            f"{_DOING[flag]} it" + ("" if environment is not None else f" (pass --region {arn_region})")
        )


def stack_name_of(stack_id: str) -> str:
    """arn:aws:cloudformation:REGION:ACCOUNT:stack/NAME/UUID -> NAME."""
    parts = stack_id.rpartition(":")[2].split("/")  # a stack's name and ID hold no colon
    return parts[1] if len(parts) == 3 and parts[0] == "stack" else ""
