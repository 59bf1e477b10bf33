"""The deploy: change set, diff, approval, execution, following it to the end."""

from __future__ import annotations

import sys
import time
from typing import Any

from container_infra.deploy import parameters as stack_parameters
from container_infra.deploy.approval import Prompt, approve
from container_infra.deploy.aws import Aws
from container_infra.deploy.changeset import ChangeSet, create_change_set, discard, refuse_rejected, wait_for
from container_infra.deploy.diff import Diff, compute_diff
from container_infra.deploy.follow import SUCCESS_STATUSES, EventFollower
from container_infra.deploy.intrinsics import template_parameter_values
from container_infra.deploy.options import DeployOptions
from container_infra.deploy.outputs import stack_outputs
from container_infra.deploy.render import diff_json, render_diff
from container_infra.deploy.rollout import RolloutWatcher, hint_for
from container_infra.deploy.services import changed_services, rollout_watcher
from container_infra.deploy.source import TemplateSource, parse_template_text
from container_infra.deploy.stacks import delete_and_wait, describe_stack, is_new, previous_parameters, refuse_stuck, wait_until_settled
from container_infra.deploy.ui import Output
from container_infra.deploy.upload import template_argument
from container_infra.errors import DeployFailed, Interrupted

NAMED_IAM_PROPERTIES = ("RoleName", "UserName", "GroupName", "ManagedPolicyName", "InstanceProfileName")


class Deployment:
    def __init__(self, options: DeployOptions, source: TemplateSource, stack_name: str, aws: Aws, out: Output, *, prompt: Prompt, tty: bool) -> None:
        self.options = options
        self.source = source
        self.stack_name = stack_name
        self.aws = aws
        self.cf = aws.cloudformation
        self.out = out
        self.prompt = prompt
        self.tty = tty

    def run(self) -> int:
        stack = wait_until_settled(self.cf, self.stack_name, self.out)
        refuse_stuck(stack)
        if stack is not None and stack["StackStatus"] == "ROLLBACK_COMPLETE":
            if self.options.diff_only:
                return self._preview_recreate()
            self._recreate(stack)
            stack = None
        previous = previous_parameters(stack)
        resolved = stack_parameters.resolve(self.source.template, self.options.parameters, previous, self.aws)
        for note in resolved.notes:
            self.out.line(note)
        change_set = create_change_set(
            self.cf,
            stack_name=self.stack_name,
            change_set_type="CREATE" if is_new(stack) else "UPDATE",
            template=template_argument(self.aws, self.source.body, stack_name=self.stack_name, bucket=self.options.s3_bucket, out=self.out),
            parameters=resolved.api,
            capabilities=required_capabilities(self.source.template),
            tags=self.options.tags,
        )
        new_values = template_parameter_values(self.source.template, resolved.values)
        try:
            wait_for(self.cf, change_set)
            diff = self._review(change_set, stack, previous or {}, new_values)
            if not diff.has_changes or self.options.diff_only:
                self._discard(change_set, stack)
                return 0
            approve(self.out, f"Deploy these changes to {self.stack_name} in {self.aws.region}?", yes=self.options.yes,
                    tty=self.tty, prompt=self.prompt, warning=_access_warning(diff))
        except KeyboardInterrupt:
            self._discard(change_set, stack)
            raise Interrupted("nothing was deployed; the change set was deleted") from None
        except BaseException:
            self._discard(change_set, stack)
            raise
        # Progress counts the resources the change set touches; the diff's list where a change set is coarse (moto).
        changing = change_set.resource_ids or {r.logical_id for r in diff.resources}
        return self._execute(change_set, new_values, changing, changed_services(self.source.template, diff))

    def _review(self, change_set: ChangeSet, stack: dict[str, Any] | None, old_values: dict[str, Any], new_values: dict[str, Any]) -> Diff:
        refuse_rejected(change_set)
        if change_set.has_no_changes:
            diff = Diff()
        else:
            old_template = {} if is_new(stack) else self._deployed_template(change_set.stack_id)
            diff = compute_diff(old_template, self.source.template, old_parameters=template_parameter_values(old_template, old_values),
                                new_parameters=new_values, change_set=change_set.description)
        self._report(diff, new_stack=is_new(stack), change_set_id=change_set.id)
        return diff

    def _report(self, diff: Diff, *, new_stack: bool, change_set_id: str | None) -> None:
        if self.options.json:
            sys.stdout.write(diff_json(diff, stack_name=self.stack_name, region=self.aws.region, new_stack=new_stack, change_set_id=change_set_id) + "\n")
            sys.stdout.flush()
        else:
            render_diff(self.out, diff, stack_name=self.stack_name, region=self.aws.region, new_stack=new_stack)

    def _deployed_template(self, stack_id: str) -> dict[str, Any]:
        body = self.cf.get_template(StackName=stack_id, TemplateStage="Original")["TemplateBody"]
        return parse_template_text(body, "the deployed template") if isinstance(body, str) else dict(body)

    def _discard(self, change_set: ChangeSet, stack: dict[str, Any] | None) -> None:
        discard(self.cf, change_set, stack_was_new=stack is None)

    def _preview_recreate(self) -> int:
        self.out.line(f"Stack {self.stack_name} is ROLLBACK_COMPLETE (its first create failed): a deploy deletes it and creates it again.", "yellow")
        values = template_parameter_values(self.source.template, {})
        diff = compute_diff({}, self.source.template, old_parameters={}, new_parameters=values, change_set=None)
        self._report(diff, new_stack=True, change_set_id=None)
        return 0

    def _recreate(self, stack: dict[str, Any]) -> None:
        self.out.line(f"Stack {self.stack_name} is ROLLBACK_COMPLETE: its first create failed, and it must be deleted before it can be created again.", "yellow")
        approve(self.out, f"Delete the failed stack {self.stack_name} and create it again?", yes=self.options.yes, tty=self.tty,
                prompt=self.prompt, what="replacing the failed stack")
        delete_and_wait(self.cf, stack["StackId"])
        self.out.line(f"Deleted the failed stack {self.stack_name}.")

    def _execute(self, change_set: ChangeSet, parameter_values: dict[str, Any], changing: set[str], services: list[str]) -> int:
        watcher = rollout_watcher(self.aws, self.out, change_set.stack_id, self.source.template, services)
        follower = EventFollower(self.cf, change_set.stack_id, self.stack_name, self.out, resource_ids=changing,
                                 on_poll=watcher.poll_if_due if watcher else None)
        follower.mark_start()
        started = time.monotonic()
        self.cf.execute_change_set(ChangeSetName=change_set.id)
        try:
            result = follower.follow()
        except KeyboardInterrupt:
            raise Interrupted(
                f"stopped following, but the deployment goes on in AWS. Follow it in the console or with "
                f"`aws cloudformation describe-stack-events --stack-name {self.stack_name}`; cancel an update with "
                f"`aws cloudformation cancel-update-stack --stack-name {self.stack_name}`"
            ) from None
        elapsed = time.monotonic() - started
        stack = describe_stack(self.cf, change_set.stack_id) or {}
        status = stack.get("StackStatus", result.status)
        if status not in SUCCESS_STATUSES:
            raise DeployFailed(failure_line(self.stack_name, status, result.root_cause()))
        if watcher is not None:
            self._check_rollouts(watcher)
        self._print_outputs(stack, parameter_values)
        self.out.line(f"✓ {self.stack_name}: {status} in {elapsed:.1f}s ({len(changing)} resources changed)", "bold green")
        return 0

    def _check_rollouts(self, watcher: RolloutWatcher) -> None:
        """CloudFormation is done; the ECS rollout may not be, and may have failed although CloudFormation succeeded."""
        self.out.line("Waiting for the ECS rollout to settle ...")
        try:
            verdicts = watcher.finish()
        except KeyboardInterrupt:
            raise Interrupted("stopped watching the ECS rollout; CloudFormation has finished. Follow the service in the ECS console.") from None
        for verdict in verdicts:
            self.out.line(f"ECS rollout of {verdict.logical_id}: {verdict.state}" + (f" ({verdict.reason})" if verdict.reason else ""),
                          "green" if verdict.state == "COMPLETED" else "red")
        failed = [v for v in verdicts if v.state != "COMPLETED"]
        if failed:
            first = failed[0]
            hint = hint_for(first.reason)
            raise DeployFailed(f"the ECS rollout of {first.logical_id} ended {first.state}: {first.reason or 'no reason given'}"
                               + (f" (hint: {hint})" if hint else ""))

    def _print_outputs(self, stack: dict[str, Any], parameter_values: dict[str, Any]) -> None:
        outputs, worked_out = stack_outputs(self.aws, stack, self.source.template, parameter_values)
        if not outputs:
            return
        self.out.heading("Outputs" + (" (worked out from the template: the stack reported none)" if worked_out else ""))
        for key, value in sorted(outputs.items()):
            self.out.line(f"{key} = {value}")


def failure_line(stack_name: str, status: str, root: dict[str, Any] | None) -> str:
    if root is None:
        return f"{stack_name} ended {status}; see its events for why"
    return (f"{stack_name} ended {status}. Root cause: {root.get('ResourceType')} {root.get('LogicalResourceId')} "
            f"{root.get('ResourceStatus')}: {root.get('ResourceStatusReason', 'no reason given')}")


def required_capabilities(template: dict[str, Any]) -> list[str]:
    resources = [r for r in (template.get("Resources") or {}).values() if isinstance(r, dict)]
    iam = [r for r in resources if str(r.get("Type", "")).startswith("AWS::IAM::")]
    capabilities = []
    if any(any(k in (r.get("Properties") or {}) for k in NAMED_IAM_PROPERTIES) for r in iam):
        capabilities.append("CAPABILITY_NAMED_IAM")
    elif iam:
        capabilities.append("CAPABILITY_IAM")
    if template.get("Transform"):
        capabilities.append("CAPABILITY_AUTO_EXPAND")
    return capabilities


def _access_warning(diff: Diff) -> str | None:
    if not diff.broadens_access:
        return None
    return "⚠ These changes BROADEN ACCESS: new IAM statements or new ingress rules (see the tables above)."
