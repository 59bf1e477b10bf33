"""--execute NAME: execute exactly a change set reviewed earlier (--diff --keep), after checking it is still that one.

The diff shown is the change set's own (its template and parameters against the deployed ones), through the
same rendering as a deploy; the guard, CloudFormation's validation and the approval apply as in a deploy.
A change set that is not executed here is left in place: it was kept on purpose.
"""

from __future__ import annotations

from typing import Any

from container_infra.aws.session import Aws
from container_infra.aws.stacks import describe_stack
from container_infra.cfn import parameters as stack_parameters
from container_infra.cfn.changeset import ChangeSet
from container_infra.cfn.reviewed import parameter_values, stale_reason
from container_infra.cfn.stacks import is_new
from container_infra.cfn.template import parse_deployed_template
from container_infra.commands.kept_change_sets import describe_kept, refuse_another_place, refuse_another_stack
from container_infra.diff.model import Diff
from container_infra.errors import EXIT_OK, UserError
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
    refuse_another_place("--execute", name, aws.region)
    description = describe_kept(aws.cloudformation, "--execute", name, stack_name, changes=True)
    refuse_another_stack("--execute", name, description, stack_name)
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
        stack_name,  # the change set's own stack: refuse_another_stack made sure
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


def _when(description: dict[str, Any]) -> str:
    created = description.get("CreationTime")
    return created.isoformat(timespec="seconds") if hasattr(created, "isoformat") else "earlier"
