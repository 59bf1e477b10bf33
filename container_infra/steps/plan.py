"""The plan: the parameters, the forecast, the change set and its diff, annotated with drift and validation.

Nothing is changed in AWS but the change set itself (and, for a new stack, the review-only stack CloudFormation
makes with it); whatever stops the run before the change set is executed deletes both again (see unexecuted.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from container_infra import signals
from container_infra.aws.changesets import KEPT_DESCRIPTION, create_change_set, under_review, wait_for
from container_infra.aws.checks import detect_drift, validation_events
from container_infra.aws.ec2 import DefaultVpcLookup
from container_infra.aws.optional import NotOffered
from container_infra.aws.route53 import HostedZoneLookup
from container_infra.aws.s3 import template_argument
from container_infra.aws.session import Aws
from container_infra.aws.stacks import deployed_template, physical_id, stack_resources, wait_until_settled
from container_infra.cfn import parameters as stack_parameters
from container_infra.cfn.changeset import ChangeSet, refuse_rejected
from container_infra.cfn.constants import MAX_BODY_BYTES
from container_infra.cfn.forecast import Finding
from container_infra.cfn.running_images import choose_images
from container_infra.cfn.stacks import is_new
from container_infra.cfn.template import required_capabilities
from container_infra.diff.compute import compute_diff
from container_infra.diff.drift import drifted_resources
from container_infra.diff.model import Diff
from container_infra.diff.tags import current_tags, tag_changes
from container_infra.diff.validation import validations
from container_infra.errors import UserError
from container_infra.hints import stack_flags
from container_infra.options import DeployOptions, SafetyOptions
from container_infra.steps.environment import change_set_extras
from container_infra.steps.forecast import Forecast, live_switches
from container_infra.steps.source import TemplateSource
from container_infra.steps.unexecuted import abandon
from container_infra.ui.masked_output import hide_secrets
from container_infra.ui.output import Output

REVERT_DRIFT = "REVERT_DRIFT"


@dataclass
class Plan:
    """What a deploy would do to a stack, as shown to the person who approves it."""

    stack_name: str
    region: str
    template: dict[str, Any]  # the template it deploys
    diff: Diff
    new_stack: bool
    stack: dict[str, Any] | None = None  # the stack before the change set was made (None: there was none)
    change_set: ChangeSet | None = None  # None: the diff was computed here, and nothing was created
    forecast_errors: int = 0  # what the forecast found that AWS would refuse
    made_here: bool = True  # False: a change set reviewed earlier, which stays when it is not executed

    @property
    def change_set_id(self) -> str | None:
        return self.change_set.id if self.change_set else None


def settled_stack(aws: Aws, stack_name: str, out: Output) -> dict[str, Any] | None:
    """The stack once no operation runs on it (None: there is none), saying why it waits."""
    return wait_until_settled(
        aws.cloudformation,
        stack_name,
        lambda status: out.line(
            f"Waiting: stack {stack_name} is {status} (another operation is running) ...", "yellow"
        ),
    )


def plan(
    aws: Aws, options: DeployOptions, source: TemplateSource, stack_name: str, stack: dict[str, Any] | None, out: Output
) -> Plan:
    """The change set for `source` on `stack` and its diff; the diff is computed here when --diff may not create the
    bucket a large template needs. A forecast error stops a deploy here, and a --diff after it has shown the diff."""
    hide_secrets(out, source.template, options.parameters)  # NoEcho values: given ones and defaults
    previous = stack_parameters.previous_values(stack)
    images = choose_images(
        source.template,
        options.parameters,
        previous,
        lambda: deployed_template(aws.cloudformation, str((stack or {}).get("StackId"))),
    )
    resolved = stack_parameters.resolve(
        source.template, {**images.keep, **options.parameters}, previous, DefaultVpcLookup(aws), HostedZoneLookup(aws)
    )
    for note in images.notes + resolved.notes:
        out.line(note)
    new_values = stack_parameters.template_parameter_values(source.template, resolved.values)
    if stack is not None:
        _refuse_concurrent_review(aws.cloudformation, stack_name, out, diff_only=options.diff_only)
    forecast_errors = _forecast(aws, source.template, new_values, stack, out, diff_only=options.diff_only)
    template = template_argument(
        aws,
        source.body,
        stack_name=stack_name,
        bucket=options.s3_bucket,
        say=out.line,
        may_create_bucket=not options.diff_only,
    )
    found = Plan(
        stack_name,
        aws.region,
        source.template,
        Diff(),
        new_stack=is_new(stack),
        stack=stack,
        forecast_errors=forecast_errors,
    )
    if template is None:
        found.diff = _local_diff(aws, source.template, stack, previous or {}, new_values, out)
        found.diff.stack_tags = tag_changes(current_tags(stack), options.tags)
        return found
    try:
        with signals.deferred():  # a signal waits for the change set's ID: it is then deleted, not left behind
            found.change_set = create_change_set(
                aws.cloudformation,
                stack_name=stack_name,
                change_set_type="CREATE" if is_new(stack) else "UPDATE",
                template=template,
                parameters=resolved.api,
                capabilities=required_capabilities(source.template),
                tags=options.tags,
                extra={
                    **({"DeploymentMode": REVERT_DRIFT} if options.safety.revert_drift else {}),
                    **change_set_extras(source.config, aws.cloudformation),
                },
                kept=options.safety.keep,
            )
        with out.live() as live:
            wait_for(aws.cloudformation, found.change_set, say=out.line, show=live.row("change set") if live else None)
        found.diff = review(aws, found, previous or {}, new_values, options, out)
    except BaseException as error:
        raise abandon(aws, found, error) from None
    return found


def review(
    aws: Aws, planned: Plan, old_values: dict[str, Any], new_values: dict[str, Any], options: DeployOptions, out: Output
) -> Diff:
    """The diff of the plan's worked-out change set against the deployed template, with drift and validation."""
    change_set = planned.change_set
    assert change_set is not None
    refuse_rejected(change_set)
    if change_set.has_no_changes:
        diff = Diff()
    else:
        old_template = {} if is_new(planned.stack) else deployed_template(aws.cloudformation, change_set.stack_id)
        if old_template:
            _refuse_live_switches(aws, old_template, planned, options, out)
        diff = compute_diff(
            old_template,
            planned.template,
            old_parameters=stack_parameters.template_parameter_values(old_template, old_values),
            new_parameters=new_values,
            change_set=change_set.description,
        )
    diff.stack_tags = tag_changes(current_tags(planned.stack), options.tags)
    _annotate(aws.cloudformation, diff, planned, options.safety, out)
    return diff


def _annotate(cf: Any, diff: Diff, planned: Plan, safety: SafetyOptions, out: Output) -> None:
    """Drift (--drift, --revert-drift) and CloudFormation's validation of the change set, before the diff is shown."""
    diff.reverts_drift = safety.revert_drift
    stack = planned.stack
    if safety.drift and (is_new(stack) or stack is None):
        out.line(f"--drift: stack {planned.stack_name} is not deployed yet, so it has no drift.")
    elif (safety.drift or safety.revert_drift) and stack is not None:
        diff.drift = _drift(cf, stack["StackId"], {r.logical_id for r in diff.resources}, safety, out)
    change_set_id = planned.change_set_id
    if change_set_id and diff.has_changes:  # nothing to deploy: nothing to validate
        try:
            events = validation_events(cf, change_set_id)
        except NotOffered as missing:  # the deploy goes on without it, and the reader knows what was not checked
            out.line(f"Not checked here: {missing}", "yellow")
            events = []
        diff.validations = validations(events) if events else []


def _drift(cf: Any, stack_id: str, changing: set[str], safety: SafetyOptions, out: Output) -> Any:
    """The drifted resources; asked for by name, drift detection that the endpoint does not offer is the user's
    refusal (exit 2), and one that left resources unchecked says so."""
    flag = "--revert-drift" if safety.revert_drift else "--drift"
    try:
        found = detect_drift(cf, stack_id)
    except NotOffered as missing:
        raise UserError(f"{flag}: this endpoint does not offer {missing}") from None
    if found.incomplete:
        out.line(
            f"Drift detection did not check every resource ({found.incomplete}): "
            "the drift shown is only what it could check.",
            "yellow",
        )
    return drifted_resources(found.drifts, changing=changing, reverting=safety.revert_drift)


def _forecast(
    aws: Aws,
    template: dict[str, Any],
    values: dict[str, Any],
    stack: dict[str, Any] | None,
    out: Output,
    *,
    diff_only: bool,
) -> int:
    """What the account would refuse, before anything is created; a deploy stops here on an error. How many errors."""

    def existing() -> set[str]:
        if is_new(stack) or stack is None:
            return set()
        return {r["LogicalResourceId"] for r in stack_resources(aws.cloudformation, stack["StackId"])}

    return _report(Forecast(aws, template, values, existing).run(), out, diff_only=diff_only)


def _refuse_live_switches(
    aws: Aws, old_template: dict[str, Any], planned: Plan, options: DeployOptions, out: Output
) -> None:
    """The switches the live stack cannot make in one update: known once the deployed template is read, before the
    change set is shown; a deploy stops here (the change set is deleted), --diff counts them as forecast errors."""
    stack_id = str((planned.stack or {}).get("StackId"))
    findings = live_switches(
        aws, old_template, planned.template, lambda logical_id: physical_id(aws.cloudformation, stack_id, logical_id)
    )
    planned.forecast_errors += _report(findings, out, diff_only=options.diff_only)


def _report(findings: list[Finding], out: Output, *, diff_only: bool) -> int:
    if findings:
        out.heading("Forecast: what AWS would refuse")
        for finding in findings:
            error = finding.level == "error"
            out.line(f"{'✗' if error else '?'} {finding.text}", "bold red" if error else "yellow")
    errors = sum(1 for f in findings if f.level == "error")
    if errors and not diff_only:
        raise UserError(
            f"the forecast found {errors} problem(s) that AWS would refuse (listed above); nothing was changed"
        )
    return errors


def _local_diff(
    aws: Aws,
    template: dict[str, Any],
    stack: dict[str, Any] | None,
    old_values: dict[str, Any],
    new_values: dict[str, Any],
    out: Output,
) -> Diff:
    """--diff of a template too large for a body, with no template bucket yet: --diff creates nothing, so the diff is
    the templates' own, without CloudFormation's replacement information."""
    out.line(
        f"The template is over {MAX_BODY_BYTES:,} bytes and the tool's template bucket does not exist yet; --diff "
        "creates nothing, so this diff is computed locally, WITHOUT replacement information "
        "(pass --s3-bucket NAME, or deploy once, for CloudFormation's own).",
        "yellow",
    )
    old_template = {} if is_new(stack) else deployed_template(aws.cloudformation, stack["StackId"]) if stack else {}
    return compute_diff(
        old_template,
        template,
        change_set=None,
        new_parameters=new_values,
        old_parameters=stack_parameters.template_parameter_values(old_template, old_values),
    )


def _refuse_concurrent_review(cf: Any, stack_name: str, out: Output, *, diff_only: bool) -> None:
    """Another run's change set waits for approval: deploying now would make it obsolete under its reviewer."""
    others = under_review(cf, stack_name)
    if not others:
        return
    other = others[0]
    created = other.get("CreationTime")
    when = f" (created {created:%Y-%m-%d %H:%M:%S %Z})" if hasattr(created, "strftime") else ""
    discard = f"`deploy.py --discard {other.get('ChangeSetName')} {stack_flags(stack_name)}`"
    if other.get("Description") == KEPT_DESCRIPTION:
        text = (
            f"change set {other.get('ChangeSetName')} on {stack_name} was kept for review (--diff --keep){when}: "
            f"execute it with --execute {other.get('ChangeSetName')}, or throw it away with {discard}"
        )
    else:
        text = (
            f"another deploy.py run has change set {other.get('ChangeSetName')} on {stack_name} under review{when}: "
            f"wait for it to finish, or, if that run is gone, throw it away with {discard}"
        )
    if diff_only:
        out.line(f"Note: {text}", "yellow")
        return
    raise UserError(text)
