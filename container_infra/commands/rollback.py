"""deploy.py --rollback: put the previous release back through CloudFormation, with the normal diff and approval.

The previous release is found in the task definition family's earlier revisions (CloudFormation
deregisters them on update, and ECS keeps deregistered revisions describable): the newest earlier
revision whose images or task size differ from what the stack runs now, or `--to REVISION`. Its images
and task size become parameter overrides of the template the stack runs now, so nothing else changes.

A family is shared by every stack deployed from the same config, so only this stack's own revisions count: those
carrying the `aws:cloudformation:stack-id` tag that CloudFormation puts on what it creates, with this stack's ID.

A stack stuck in UPDATE_ROLLBACK_FAILED cannot be updated at all: --rollback then offers CloudFormation's
continue-update-rollback, naming the resources it would skip, and asks.
"""

from __future__ import annotations

import dataclasses
import json
import time
from typing import Any

from container_infra.aws import ecs as ecs_reads
from container_infra.aws.deployed import load_deployed, not_deployed
from container_infra.aws.events import EventFollower
from container_infra.aws.session import Aws
from container_infra.aws.stacks import continue_update_rollback, deployed_template
from container_infra.cfn.constants import is_secret
from container_infra.cfn.deployed import DeployedStack, split_task_definition_arn
from container_infra.cfn.events import Progress, failure_line
from container_infra.cfn.release import ReleaseParameters, differs, release_parameters
from container_infra.cfn.stacks import refuse_stuck
from container_infra.commands.deploy import deploy
from container_infra.errors import EXIT_OK, DeployFailed, UserError
from container_infra.options import DeployOptions
from container_infra.steps.approve import Asking
from container_infra.steps.plan import settled_stack
from container_infra.steps.source import TemplateSource
from container_infra.ui.output import Output
from container_infra.watch.detached import goes_on_in_aws, rollback_goes_on, started_in_aws

ROLLBACK_FAILED = "UPDATE_ROLLBACK_FAILED"
LOOK_BACK = 50  # revisions: how far back the previous release is searched
STACK_ID_TAG = "aws:cloudformation:stack-id"  # CloudFormation's own tag: which stack created the revision


def rollback(options: DeployOptions, stack_name: str, aws: Aws, out: Output, asking: Asking) -> int:
    settled_stack(aws, stack_name, out)
    deployed = load_deployed(aws, stack_name)
    if deployed is None:
        raise UserError(not_deployed(stack_name, aws.region))
    if deployed.status == ROLLBACK_FAILED:
        return _continue_update_rollback(options, aws, stack_name, deployed, out, asking)
    refuse_stuck(deployed.stack)
    template = deployed_template(aws.cloudformation, deployed.id)
    family, current = _current_revision(stack_name, deployed)
    ecs = aws.client("ecs")  # made only here: a stuck stack's continue-update-rollback needs none
    revision, release = choose_release(
        ecs, family, current, template, deployed.parameters, options.to_revision, stack_id=deployed.id
    )
    _announce(out, stack_name, family, current, revision, release, deployed.parameters)
    # The normal deploy of the template the stack runs now, every parameter as it is but the release's.
    specs = template.get("Parameters") or {}
    keep = {k: v for k, v in deployed.parameters.items() if k in specs and not is_secret(specs[k])}
    options = dataclasses.replace(options, parameters={**keep, **release.values}, config=None, template=None)
    source = TemplateSource(json.dumps(template, indent=2), template, stack_name)
    return deploy(options, source, stack_name, aws, out, asking)


def choose_release(
    ecs: Any,
    family: str,
    current: int,
    template: dict[str, Any],
    running: dict[str, str],
    to_revision: int | None,
    *,
    stack_id: str,
) -> tuple[int, ReleaseParameters]:
    """`--to REVISION`, else the newest earlier revision of this stack whose images or task size differ from now."""
    if to_revision is not None:
        return to_revision, _release(ecs, family, to_revision, template, stack_id, required=True)
    for revision in range(current - 1, max(current - 1 - LOOK_BACK, 0), -1):
        release = _release(ecs, family, revision, template, stack_id, required=False)
        if release.values and differs(release, running):
            return revision, release
    raise UserError(
        f"--rollback: no earlier revision of {family} (before {family}:{current}) that this stack registered runs "
        "different images or a different task size than the stack does now: nothing to roll back to "
        "(pick one of this stack's revisions with --to REVISION)"
    )


def _current_revision(stack_name: str, deployed: DeployedStack) -> tuple[str, int]:
    definitions = deployed.task_definitions
    if len(definitions) != 1:
        what = (
            "no task definition"
            if not definitions
            else f"{len(definitions)} task definitions ({', '.join(lid for lid, _ in definitions)})"
        )
        raise UserError(f"--rollback: stack {stack_name} has {what}; it restores the release of exactly one")
    return split_task_definition_arn(definitions[0][1])


def _release(
    ecs: Any, family: str, revision: int, template: dict[str, Any], stack_id: str, *, required: bool
) -> ReleaseParameters:
    found = ecs_reads.describe_task_definition_with_tags(ecs, f"{family}:{revision}")
    if found is None and required:
        raise UserError(f"--to {revision}: there is no task definition {family}:{revision}")
    described, tags = found or ({}, {})
    owner = tags.get(STACK_ID_TAG)
    if owner != stack_id:
        if required:
            raise UserError(
                f"--to {revision}: {family}:{revision} {_not_ours(owner, stack_id)}; it is not this stack's release"
            )
        return ReleaseParameters({}, [])
    release = release_parameters(described, template)
    if required and not release.values:
        raise UserError(
            f"--to {revision}: {family}:{revision} has no image or task size this stack's template takes as a parameter"
        )
    return release


def _not_ours(owner: str | None, stack_id: str) -> str:
    if owner is None:
        return f"has no {STACK_ID_TAG} tag (it was not registered by a CloudFormation stack)"
    name = _stack_name(owner)
    if name == _stack_name(stack_id):
        return f"was registered by an earlier stack named {name} (deleted since; its ID was {owner})"
    return f"was registered by stack {name}"


def _stack_name(stack_id: str) -> str:
    parts = stack_id.split(":")[-1].split("/")
    return parts[1] if len(parts) == 3 else stack_id


def _announce(
    out: Output,
    stack_name: str,
    family: str,
    current: int,
    revision: int,
    release: ReleaseParameters,
    running: dict[str, str],
) -> None:
    out.line(f"Rolling back {stack_name}: {family}:{current} → the release of {family}:{revision}", "bold")
    for name, value in sorted(release.values.items()):
        now = running.get(name)
        out.line(f"  {name}: {now} → {value}" if now != value else f"  {name}: {value} (unchanged)")
    for what in release.unrestorable:
        out.line(f"  not restored: {what}", "yellow")


def _continue_update_rollback(
    options: DeployOptions, aws: Aws, stack_name: str, deployed: DeployedStack, out: Output, asking: Asking
) -> int:
    failed = deployed.failed_resources()
    skip = [str(r["LogicalResourceId"]) for r in failed]
    out.line(
        f"Stack {stack_name} is {ROLLBACK_FAILED}: its last update failed, and so did the rollback of that update. "
        "CloudFormation's continue-update-rollback retries the rollback.",
        "yellow",
    )
    if skip:
        out.heading(
            f"Resources it would skip ({len(skip)}): marked as rolled back without being changed, so they may no "
            "longer match the template; fix them by hand or in a later deploy"
        )
        for resource in failed:
            reason = resource.get("ResourceStatusReason", "no reason given")
            out.line(f"[!] {resource.get('ResourceType', '')} {resource['LogicalResourceId']}: {reason}", "red")
    else:
        out.line("No resource is in UPDATE_FAILED: it retries the rollback without skipping any.")
    if options.diff_only:
        return EXIT_OK
    asking.confirm(
        out,
        f"Continue the rollback of {stack_name}" + (f", skipping {', '.join(skip)}" if skip else "") + "?",
        what="continuing the rollback",
    )
    cf = aws.cloudformation
    progress = Progress(set())
    follower = EventFollower(cf, deployed.id, stack_name, lambda event: out.line(*progress.line(event)))
    follower.mark_start()
    started = time.monotonic()
    goes_on = rollback_goes_on(stack_name)
    with started_in_aws(goes_on):
        continue_update_rollback(cf, deployed.id, skip)
    with goes_on_in_aws(goes_on):
        result = follower.follow()
    if result.status != "UPDATE_ROLLBACK_COMPLETE":
        raise DeployFailed(failure_line(stack_name, result.status, result.root_cause()))
    out.line(
        f"✓ {stack_name}: UPDATE_ROLLBACK_COMPLETE in {time.monotonic() - started:.1f}s ({len(skip)} skipped). "
        "Run deploy.py --rollback again to choose a release, or deploy.py to deploy.",
        "bold green",
    )
    return EXIT_OK
