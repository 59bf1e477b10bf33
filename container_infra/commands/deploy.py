"""deploy.py (and --diff): plan, show, approve, apply. A stack whose first create failed is deleted and created
again."""

from __future__ import annotations

from typing import Any

from container_infra.aws.session import Aws
from container_infra.aws.stacks import delete_and_wait
from container_infra.cfn import parameters as stack_parameters
from container_infra.cfn.constants import ROLLBACK_COMPLETE
from container_infra.cfn.stacks import is_new, refuse_stuck
from container_infra.diff.compute import compute_diff
from container_infra.errors import EXIT_CHANGES, EXIT_OK, UserError
from container_infra.options import DeployOptions
from container_infra.steps.apply import apply
from container_infra.steps.approve import Asking, approve
from container_infra.steps.outcome import succeeded
from container_infra.steps.plan import Plan, plan, settled_stack
from container_infra.steps.show import diff_format, show
from container_infra.steps.source import TemplateSource
from container_infra.steps.unexecuted import discarded_on_failure, keep_or_discard
from container_infra.ui.output import Output


def deploy(
    options: DeployOptions, source: TemplateSource, stack_name: str, aws: Aws, out: Output, asking: Asking
) -> int:
    stack = settled_stack(aws, stack_name, out)
    refuse_stuck(stack)
    if options.safety.revert_drift and is_new(stack):
        raise UserError(f"--revert-drift: stack {stack_name} is not deployed yet, so it has no drift to revert")
    if stack is not None and stack["StackStatus"] == ROLLBACK_COMPLETE:
        if options.diff_only:
            recreated = _recreation(source, stack_name, aws.region, out)
            show(recreated, diff_format(options), out)
            if options.safety.keep:  # a change set cannot be made on a ROLLBACK_COMPLETE stack
                out.line(
                    "Not keeping a change set: CloudFormation makes none on a ROLLBACK_COMPLETE stack; "
                    "deploy without --diff to delete the failed stack and create it again.",
                    "yellow",
                )
            return EXIT_CHANGES if options.safety.exit_code and recreated.diff.has_changes else EXIT_OK
        _delete_failed_stack(aws, stack, stack_name, out, asking)
        stack = None
    planned = plan(aws, options, source, stack_name, stack, out)
    applying = planned.change_set is not None and planned.diff.has_changes and not options.diff_only
    with discarded_on_failure(aws, planned):
        show(planned, diff_format(options), out, keep=options.safety.keep)
        if applying:
            approve(planned, asking, out, allow_replacement=options.safety.allow_replacement)
        else:
            keep_or_discard(aws, planned, out, keep=options.safety.keep)
    if planned.forecast_errors:  # --diff goes on to show the diff, then says no
        raise UserError(
            f"the forecast found {planned.forecast_errors} problem(s) that AWS would refuse (listed above); "
            "fix them before deploying"
        )
    if not applying:
        return EXIT_CHANGES if options.safety.exit_code and planned.diff.has_changes else EXIT_OK
    return succeeded(apply(aws, planned, out), out)


def _recreation(source: TemplateSource, stack_name: str, region: str, out: Output) -> Plan:
    """--diff of a stack whose first create failed: the deploy would create it anew, so the diff is all new."""
    out.line(
        f"Stack {stack_name} is ROLLBACK_COMPLETE (its first create failed): a deploy deletes it and creates it again.",
        "yellow",
    )
    values = stack_parameters.template_parameter_values(source.template, {})
    diff = compute_diff({}, source.template, old_parameters={}, new_parameters=values, change_set=None)
    return Plan(stack_name, region, source.template, diff, new_stack=True)


def _delete_failed_stack(aws: Aws, stack: dict[str, Any], stack_name: str, out: Output, asking: Asking) -> None:
    out.line(
        f"Stack {stack_name} is ROLLBACK_COMPLETE: its first create failed, "
        "and it must be deleted before it can be created again.",
        "yellow",
    )
    asking.confirm(out, f"Delete the failed stack {stack_name} and create it again?", what="replacing the failed stack")
    delete_and_wait(aws.cloudformation, stack["StackId"])
    out.line(f"Deleted the failed stack {stack_name}.")
