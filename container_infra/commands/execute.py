"""--execute NAME: execute exactly a change set reviewed earlier (--diff --keep), after checking it is still that one.

The diff shown is the change set's own (its template and parameters against the deployed ones), through the
same rendering as a deploy; the guard, CloudFormation's validation and the approval apply as in a deploy.
A change set that is not executed here is left in place: it was kept on purpose.
"""

from __future__ import annotations

from typing import Any

from container_infra.aws.changesets import describe_all
from container_infra.aws.session import Aws
from container_infra.aws.stacks import describe_stack
from container_infra.cfn import parameters as stack_parameters
from container_infra.cfn.changeset import ChangeSet
from container_infra.cfn.reviewed import parameter_values, stale_reason
from container_infra.cfn.stacks import is_new
from container_infra.cfn.template import parse_deployed_template
from container_infra.diff.model import Diff
from container_infra.errors import EXIT_OK, AwsError, UserError
from container_infra.hints import current_environment
from container_infra.options import DeployOptions
from container_infra.steps.apply import apply
from container_infra.steps.approve import Asking, approve
from container_infra.steps.outcome import succeeded
from container_infra.steps.plan import Plan, review
from container_infra.steps.show import diff_format, show
from container_infra.ui.masked_output import hide_secrets
from container_infra.ui.output import Output


def execute_reviewed(options: DeployOptions, stack_name: str, aws: Aws, out: Output, asking: Asking) -> int:
    name = str(options.safety.execute)
    _refuse_another_place(name, aws.region)
    description = _describe(aws.cloudformation, name, stack_name)
    _refuse_another_stack(name, description, stack_name)
    stack = describe_stack(aws.cloudformation, description["StackId"])
    problem = stale_reason(description, stack)
    if problem:
        raise UserError(f"--execute {name}: not executing: {problem}")
    change_set = ChangeSet(
        description["ChangeSetId"], description["StackId"], "CREATE" if is_new(stack) else "UPDATE", description
    )
    body = aws.cloudformation.get_template(
        StackName=change_set.stack_id, ChangeSetName=change_set.id, TemplateStage="Original"
    )["TemplateBody"]
    template = parse_deployed_template(body)
    hide_secrets(out, template, parameter_values(description))  # NoEcho defaults, and values it still shows
    reviewed = Plan(
        stack_name,  # the change set's own stack: _refuse_another_stack made sure
        aws.region,
        template,
        Diff(),
        is_new(stack),
        stack,
        change_set,
        made_here=False,
    )
    kept_name = str(description["ChangeSetName"])  # the short name, also when given the ARN
    out.line(f"Executing the reviewed change set {kept_name}, made {_when(description)}", "bold")
    new_values = stack_parameters.template_parameter_values(template, parameter_values(description))
    old_values = stack_parameters.previous_values(stack) or {}
    reviewed.diff = review(aws, reviewed, old_values, new_values, options, out)
    show(reviewed, diff_format(options), out)  # --keep goes with --diff, never with --execute
    if not reviewed.diff.has_changes:
        return EXIT_OK
    try:
        approve(reviewed, asking, out, allow_replacement=options.safety.allow_replacement)
    except UserError as error:
        # the guard's refusal lists what it stops under its line: kept, as a deploy shows it
        raise UserError(
            f"{error} (the change set {kept_name} is still there to execute later)", details=error.details
        ) from None
    return succeeded(apply(aws, reviewed, out), out)


def _describe(cloudformation: Any, name: str, stack_name: str) -> dict[str, Any]:
    try:
        return describe_all(cloudformation, name, None if name.startswith("arn:") else stack_name)
    except AwsError as error:
        if error.code in ("ChangeSetNotFound", "ChangeSetNotFoundException", "ValidationError"):
            raise UserError(
                f"--execute {name}: no such change set on stack {stack_name} "
                f"({error}); "
                "pass the name printed by --diff --keep with its --stack-name, or the change set's ARN"
            ) from None
        raise


def _refuse_another_stack(name: str, description: dict[str, Any], stack_name: str) -> None:
    """An ARN names its stack itself: executing it under another --stack-name would change a stack nobody named."""
    owner = str(description.get("StackName") or "") or _stack_name_of(str(description["StackId"]))
    if owner != stack_name:
        raise UserError(
            f"--execute {name}: the change set is for stack {owner or '(unknown)'}, not {stack_name}; "
            f"not executing it (pass --stack-name {owner} to execute it there)"
        )


def _refuse_another_place(name: str, region: str) -> None:
    """An ARN names its region and account: one elsewhere would be looked for in the wrong place, or under --env
    executed in an environment it was not reviewed for. Refused before any call, naming the mismatch."""
    parts = name.split(":", 5)
    if not name.startswith("arn:") or len(parts) < 6:
        return
    arn_region, arn_account = parts[3], parts[4]
    environment = current_environment()
    if environment is not None and arn_account != environment.account:
        raise UserError(
            f"--execute {name}: the change set is in account {arn_account}, but environment {environment.name} is "
            f"account {environment.account}; not executing it (pass the --env it was kept for)"
        )
    if arn_region != region:
        where = f"environment {environment.name}" if environment is not None else "this run"
        raise UserError(
            f"--execute {name}: the change set is in region {arn_region}, but {where} is in {region}; not "
            "executing it" + ("" if environment is not None else f" (pass --region {arn_region})")
        )


def _stack_name_of(stack_id: str) -> str:
    """arn:aws:cloudformation:REGION:ACCOUNT:stack/NAME/UUID -> NAME."""
    parts = stack_id.rpartition(":")[2].split("/")  # a stack's name and ID hold no colon
    return parts[1] if len(parts) == 3 and parts[0] == "stack" else ""


def _when(description: dict[str, Any]) -> str:
    created = description.get("CreationTime")
    return created.isoformat(timespec="seconds") if hasattr(created, "isoformat") else "earlier"
