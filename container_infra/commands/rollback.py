"""deploy.py --rollback: put the previous release back through CloudFormation, with the normal diff and approval.

The previous release is found in the task definition family's earlier revisions (CloudFormation
deregisters them on update, and ECS keeps deregistered revisions describable): the newest earlier
revision whose images or task size differ from what the stack runs now, or `--to REVISION`. Its images
and task size become parameter overrides of the template the stack runs now, so nothing else changes.

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
from container_infra.aws.stacks import continue_update_rollback, deployed_template, wait_until_settled
from container_infra.cfn.constants import is_secret
from container_infra.cfn.deployed import DeployedStack, split_task_definition_arn
from container_infra.cfn.events import Progress, failure_line
from container_infra.cfn.release import ReleaseParameters, differs, release_parameters
from container_infra.cfn.stacks import refuse_stuck
from container_infra.commands.deploy import Deployment
from container_infra.commands.source import TemplateSource
from container_infra.errors import DeployFailed, Interrupted, UserError
from container_infra.options import DeployOptions
from container_infra.ui.approval import Prompt, approve
from container_infra.ui.output import Output

ROLLBACK_FAILED = "UPDATE_ROLLBACK_FAILED"
LOOK_BACK = 50  # revisions: how far back the previous release is searched


class Rollback:
    def __init__(
        self, options: DeployOptions, stack_name: str, aws: Aws, out: Output, *, prompt: Prompt, tty: bool
    ) -> None:
        self.options, self.stack_name, self.aws, self.out = options, stack_name, aws, out
        self.prompt, self.tty = prompt, tty

    @property
    def ecs(self) -> Any:
        """Made when a revision is read (a stuck stack's continue-update-rollback needs none)."""
        return self.aws.client("ecs")

    def run(self) -> int:
        wait_until_settled(self.aws.cloudformation, self.stack_name, self._say_waiting)
        deployed = load_deployed(self.aws, self.stack_name)
        if deployed is None:
            raise UserError(not_deployed(self.stack_name, self.aws.region))
        if deployed.status == ROLLBACK_FAILED:
            return self._continue_update_rollback(deployed)
        refuse_stuck(deployed.stack)
        template = deployed_template(self.aws.cloudformation, deployed.id)
        family, current = self._current_revision(deployed)
        revision, release = self._choose(family, current, template, deployed.parameters)
        self._announce(family, current, revision, release, deployed.parameters)
        return self._deploy(deployed, template, release)

    def _say_waiting(self, status: str) -> None:
        self.out.line(f"Waiting: stack {self.stack_name} is {status} (another operation is running) ...", "yellow")

    def _current_revision(self, deployed: DeployedStack) -> tuple[str, int]:
        definitions = deployed.task_definitions
        if len(definitions) != 1:
            what = (
                "no task definition"
                if not definitions
                else f"{len(definitions)} task definitions ({', '.join(l for l, _ in definitions)})"
            )
            raise UserError(f"--rollback: stack {self.stack_name} has {what}; it restores the release of exactly one")
        return split_task_definition_arn(definitions[0][1])

    def _choose(
        self, family: str, current: int, template: dict[str, Any], running: dict[str, str]
    ) -> tuple[int, ReleaseParameters]:
        if self.options.to_revision is not None:
            return self.options.to_revision, self._release(family, self.options.to_revision, template, required=True)
        for revision in range(current - 1, max(current - 1 - LOOK_BACK, 0), -1):
            release = self._release(family, revision, template, required=False)
            if release.values and differs(release, running):
                return revision, release
        raise UserError(
            f"--rollback: no earlier revision of {family} (before {family}:{current}) runs different images or a different "
            "task size than the stack does now: nothing to roll back to (pick one with --to REVISION)"
        )

    def _release(self, family: str, revision: int, template: dict[str, Any], *, required: bool) -> ReleaseParameters:
        described = ecs_reads.describe_task_definition(self.ecs, f"{family}:{revision}")
        if described is None and required:
            raise UserError(f"--to {revision}: there is no task definition {family}:{revision}")
        release = release_parameters(described or {}, template)
        if required and not release.values:
            raise UserError(
                f"--to {revision}: {family}:{revision} has no image or task size this stack's template takes as a parameter"
            )
        return release

    def _announce(
        self, family: str, current: int, revision: int, release: ReleaseParameters, running: dict[str, str]
    ) -> None:
        self.out.line(
            f"Rolling back {self.stack_name}: {family}:{current} → the release of {family}:{revision}", "bold"
        )
        for name, value in sorted(release.values.items()):
            now = running.get(name)
            self.out.line(f"  {name}: {now} → {value}" if now != value else f"  {name}: {value} (unchanged)")
        for what in release.unrestorable:
            self.out.line(f"  not restored: {what}", "yellow")

    def _deploy(self, deployed: DeployedStack, template: dict[str, Any], release: ReleaseParameters) -> int:
        """The normal deploy of the template the stack runs now, every parameter as it is but the release's."""
        specs = template.get("Parameters") or {}
        keep = {k: v for k, v in deployed.parameters.items() if k in specs and not is_secret(specs[k])}
        options = dataclasses.replace(self.options, parameters={**keep, **release.values}, config=None, template=None)
        source = TemplateSource(json.dumps(template, indent=2), template, self.stack_name)
        return Deployment(options, source, self.stack_name, self.aws, self.out, prompt=self.prompt, tty=self.tty).run()

    def _continue_update_rollback(self, deployed: DeployedStack) -> int:
        skip = [str(r["LogicalResourceId"]) for r in deployed.failed_resources()]
        self.out.line(
            f"Stack {self.stack_name} is {ROLLBACK_FAILED}: its last update failed, and so did the rollback of that update. "
            "CloudFormation's continue-update-rollback retries the rollback.",
            "yellow",
        )
        if skip:
            self.out.heading(
                f"Resources it would skip ({len(skip)}): marked as rolled back without being changed, so they may no "
                "longer match the template; fix them by hand or in a later deploy"
            )
            for resource in deployed.failed_resources():
                self.out.line(
                    f"[!] {resource.get('ResourceType', '')} {resource['LogicalResourceId']}: {resource.get('ResourceStatusReason', 'no reason given')}",
                    "red",
                )
        else:
            self.out.line("No resource is in UPDATE_FAILED: it retries the rollback without skipping any.")
        if self.options.diff_only:
            return 0
        approve(
            self.out,
            f"Continue the rollback of {self.stack_name}" + (f", skipping {', '.join(skip)}" if skip else "") + "?",
            yes=self.options.yes,
            tty=self.tty,
            prompt=self.prompt,
            what="continuing the rollback",
        )
        return self._follow_continue(deployed, skip)

    def _follow_continue(self, deployed: DeployedStack, skip: list[str]) -> int:
        cf = self.aws.cloudformation
        progress = Progress(set())
        follower = EventFollower(cf, deployed.id, self.stack_name, lambda event: self.out.line(*progress.line(event)))
        follower.mark_start()
        started = time.monotonic()
        continue_update_rollback(cf, deployed.id, skip)
        try:
            result = follower.follow()
        except KeyboardInterrupt:
            raise Interrupted(
                f"stopped following, but the rollback goes on in AWS: `aws cloudformation describe-stack-events --stack-name {self.stack_name}`"
            ) from None
        if result.status != "UPDATE_ROLLBACK_COMPLETE":
            raise DeployFailed(failure_line(self.stack_name, result.status, result.root_cause()))
        self.out.line(
            f"✓ {self.stack_name}: UPDATE_ROLLBACK_COMPLETE in {time.monotonic() - started:.1f}s ({len(skip)} skipped). "
            "Run deploy.py --rollback again to choose a release, or deploy.py to deploy.",
            "bold green",
        )
        return 0
