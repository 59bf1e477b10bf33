"""The deploy: plan (change set and diff), approve, apply (execute and follow to the end)."""

from __future__ import annotations

import sys
import time
from typing import Any

from container_infra import signals
from container_infra.aws.changesets import create_change_set, discard, execute, under_review, wait_for
from container_infra.aws.ec2 import DefaultVpcLookup
from container_infra.aws.events import EventFollower
from container_infra.aws.route53 import HostedZoneLookup
from container_infra.aws.s3 import template_argument
from container_infra.aws.errors import describe_error
from container_infra.aws.session import Aws
from container_infra.aws.stacks import (
    delete_and_wait,
    deployed_template,
    read_when_done,
    stack_resources,
    wait_until_settled,
)
from container_infra.cfn import parameters as stack_parameters
from container_infra.cfn.changeset import ChangeSet, refuse_rejected
from container_infra.cfn.constants import MAX_BODY_BYTES, ROLLBACK_COMPLETE
from container_infra.cfn.events import Progress, failure_line
from container_infra.cfn.services import changed_services
from container_infra.cfn.stacks import is_new, refuse_stuck
from container_infra.cfn.template import required_capabilities
from container_infra.commands.forecast import Forecast
from container_infra.commands.safety import Safety
from container_infra.commands.source import TemplateSource
from container_infra.diff.compute import compute_diff
from container_infra.diff.model import Diff
from container_infra.errors import AwsError, ConnectionLost, DeployFailed, Interrupted, UserError
from container_infra.options import DeployOptions
from container_infra.render.json import diff_json
from container_infra.render.text import render_diff
from container_infra.ui.approval import Prompt, TypedPrompt, approve, read_line
from container_infra.ui.masked_output import hide_secrets
from container_infra.ui.output import Output
from container_infra.watch.detached import goes_on_in_aws
from container_infra.watch.rollout import RolloutWatcher, failure_of, rollout_watcher

ACCESS_WARNING = "⚠ These changes BROADEN ACCESS: new IAM statements or new ingress rules (see the tables above)."


class Deployment:
    def __init__(
        self,
        options: DeployOptions,
        source: TemplateSource,
        stack_name: str,
        aws: Aws,
        out: Output,
        *,
        prompt: Prompt,
        tty: bool,
        typed: TypedPrompt = read_line,
    ) -> None:
        self.options = options
        self.source = source
        self.stack_name = stack_name
        self.aws = aws
        self.cf = aws.cloudformation
        self.out = out
        self.prompt = prompt
        self.tty = tty
        self.forecast_errors = 0
        self.typed = typed
        self.safety = Safety(options, self.cf, stack_name, out)

    def run(self) -> int:
        stack = wait_until_settled(self.cf, self.stack_name, self._say_waiting)
        refuse_stuck(stack)
        self.safety.refuse_unsupported(stack)
        if stack is not None and stack["StackStatus"] == ROLLBACK_COMPLETE:
            if self.options.diff_only:
                return self._preview_recreate()
            self._recreate(stack)
            stack = None
        change_set, diff, new_values = self._plan(stack)
        if self.forecast_errors:  # --diff goes on to show the diff, then says no
            raise UserError(
                f"the forecast found {self.forecast_errors} problem(s) that AWS would refuse (listed above); fix them before deploying"
            )
        changing = change_set.resource_ids
        return (
            self._apply(change_set, new_values, changing, changed_services(self.source.template, diff))
            if diff
            else self.safety.exit_code()
        )

    def _plan(self, stack: dict[str, Any] | None) -> tuple[ChangeSet, Diff | None, dict[str, Any]]:
        """Create the change set, show the diff and ask. The diff is None when there is nothing to apply;
        the change set (and a review-only stack) is gone again unless it is approved."""
        hide_secrets(self.out, self.source.template, self.options.parameters)  # NoEcho values: given ones and defaults
        previous = stack_parameters.previous_values(stack)
        resolved = stack_parameters.resolve(
            self.source.template,
            self.options.parameters,
            previous,
            DefaultVpcLookup(self.aws),
            HostedZoneLookup(self.aws),
        )
        for note in resolved.notes:
            self.out.line(note)
        new_values = stack_parameters.template_parameter_values(self.source.template, resolved.values)
        self.stack_before = stack
        if stack is not None:
            self._refuse_concurrent_review()
        self._forecast(stack, new_values)
        template = template_argument(
            self.aws,
            self.source.body,
            stack_name=self.stack_name,
            bucket=self.options.s3_bucket,
            say=self.out.line,
            may_create_bucket=not self.options.diff_only,
        )
        if template is None:
            self._local_diff(stack, previous or {}, new_values)
            return ChangeSet("", "", "", {}), None, new_values
        change_set: ChangeSet | None = None
        try:
            with signals.deferred():  # a signal waits for the change set's ID: it is then deleted, not left behind
                change_set = create_change_set(
                    self.cf,
                    stack_name=self.stack_name,
                    change_set_type="CREATE" if is_new(stack) else "UPDATE",
                    template=template,
                    parameters=resolved.api,
                    capabilities=required_capabilities(self.source.template),
                    tags=self.options.tags,
                    extra=self.safety.change_set_arguments(),
                )
            wait_for(self.cf, change_set)
            diff = self._review(change_set, stack, previous or {}, new_values)
            if not diff.has_changes or self.options.diff_only:
                if not self.safety.keeps(change_set, diff, refused=bool(self.forecast_errors)):
                    self._discard(change_set, stack)
                return change_set, None, new_values
            self._approve(diff)
        except KeyboardInterrupt:
            raise Interrupted(self._clean_up_after_interrupt(change_set, stack)) from None
        except BaseException:
            self._discard(change_set, stack)
            raise
        assert change_set is not None
        return change_set, diff, new_values

    def _approve(self, diff: Diff) -> None:
        """Stop on a failed validation or a guarded replacement; else ask (the stack name, for an allowed replacement)."""
        self.safety.stop_before_approval(diff)
        self.safety.approve(
            diff,
            f"Deploy these changes to {self.stack_name} in {self.aws.region}?",
            tty=self.tty,
            prompt=self.prompt,
            typed=self.typed,
            warning=ACCESS_WARNING if diff.broadens_access else None,
        )

    def _forecast(self, stack: dict[str, Any] | None, values: dict[str, Any]) -> None:
        """What the account would refuse, before anything is created; a deploy stops here on an error."""

        def existing() -> set[str]:
            return (
                set()
                if is_new(stack) or stack is None
                else {r["LogicalResourceId"] for r in stack_resources(self.cf, stack["StackId"])}
            )

        findings = Forecast(self.aws, self.source.template, values, existing).run()
        if findings:
            self.out.heading("Forecast: what AWS would refuse")
            for finding in findings:
                self.out.line(
                    f"{'✗' if finding.level == 'error' else '?'} {finding.text}",
                    "bold red" if finding.level == "error" else "yellow",
                )
        self.forecast_errors = sum(1 for f in findings if f.level == "error")
        if self.forecast_errors and not self.options.diff_only:
            raise UserError(
                f"the forecast found {self.forecast_errors} problem(s) that AWS would refuse (listed above); nothing was changed"
            )

    def _local_diff(self, stack: dict[str, Any] | None, old_values: dict[str, Any], new_values: dict[str, Any]) -> None:
        """--diff of a template too large for a body, with no template bucket yet: --diff creates nothing, so
        the diff is the templates' own, without CloudFormation's replacement information."""
        self.out.line(
            f"The template is over {MAX_BODY_BYTES:,} bytes and the tool's template bucket does not exist yet; --diff "
            "creates nothing, so this diff is computed locally, WITHOUT replacement information "
            "(pass --s3-bucket NAME, or deploy once, for CloudFormation's own).",
            "yellow",
        )
        old_template = {} if is_new(stack) else deployed_template(self.cf, stack["StackId"]) if stack else {}
        diff = compute_diff(
            old_template,
            self.source.template,
            change_set=None,
            new_parameters=new_values,
            old_parameters=stack_parameters.template_parameter_values(old_template, old_values),
        )
        self._report(diff, new_stack=is_new(stack), change_set_id=None)

    def _refuse_concurrent_review(self) -> None:
        """Another run's change set waits for approval: deploying now would make it obsolete under its reviewer."""
        others = under_review(self.cf, self.stack_name)
        if not others:
            return
        other = others[0]
        created = other.get("CreationTime")
        when = f" (created {created:%Y-%m-%d %H:%M:%S %Z})" if hasattr(created, "strftime") else ""
        text = (
            f"another deploy.py run has change set {other.get('ChangeSetName')} on {self.stack_name} under review{when}: "
            f"wait for it to finish, or delete it with `aws cloudformation delete-change-set --change-set-name "
            f"{other.get('ChangeSetId')}` if that run is gone"
        )
        if self.options.diff_only:
            self.out.line(f"Note: {text}", "yellow")
            return
        raise UserError(text)

    def _clean_up_after_interrupt(self, change_set: ChangeSet | None, stack: dict[str, Any] | None) -> str:
        """Delete what was not executed; when AWS cannot be reached for that, say what is left and how to delete it."""
        try:
            self._discard(change_set, stack)
        except AwsError as error:
            left = change_set.id if change_set else "?"
            return (
                f"nothing was deployed, but the change set could not be deleted ({type(error).__name__}): delete it with "
                f"`aws cloudformation delete-change-set --change-set-name {left}`"
            )
        return self._nothing_deployed(stack)

    def _nothing_deployed(self, stack: dict[str, Any] | None) -> str:
        return "nothing was deployed; the change set was deleted" + (
            " (and the review-only stack)" if stack is None else ""
        )

    def _say_waiting(self, status: str) -> None:
        self.out.line(f"Waiting: stack {self.stack_name} is {status} (another operation is running) ...", "yellow")

    def _review(
        self,
        change_set: ChangeSet,
        stack: dict[str, Any] | None,
        old_values: dict[str, Any],
        new_values: dict[str, Any],
    ) -> Diff:
        refuse_rejected(change_set)
        if change_set.has_no_changes:
            diff = Diff()
        else:
            old_template = {} if is_new(stack) else deployed_template(self.cf, change_set.stack_id)
            old_parameters = stack_parameters.template_parameter_values(old_template, old_values)
            diff = compute_diff(
                old_template,
                self.source.template,
                old_parameters=old_parameters,
                new_parameters=new_values,
                change_set=change_set.description,
            )
        self.safety.annotate(diff, change_set, stack)
        self._report(diff, new_stack=is_new(stack), change_set_id=change_set.id)
        return diff

    def _report(self, diff: Diff, *, new_stack: bool, change_set_id: str | None) -> None:
        self.safety.record(diff)
        if self.options.safety.markdown:
            sys.stdout.write(
                self.safety.markdown(diff, region=self.aws.region, new_stack=new_stack, change_set_id=change_set_id)
            )
            sys.stdout.flush()
        elif self.options.json:
            sys.stdout.write(
                diff_json(
                    diff,
                    stack_name=self.stack_name,
                    region=self.aws.region,
                    new_stack=new_stack,
                    change_set_id=change_set_id,
                )
                + "\n"
            )
            sys.stdout.flush()
        else:
            render_diff(self.out, diff, stack_name=self.stack_name, region=self.aws.region, new_stack=new_stack)

    def _discard(self, change_set: ChangeSet | None, stack: dict[str, Any] | None) -> None:
        if change_set is None:
            return  # CreateChangeSet failed: nothing was made
        with signals.held():  # a second signal must not leave the cleanup half done
            discard(self.cf, change_set, stack_was_new=stack is None)

    def _preview_recreate(self) -> int:
        self.out.line(
            f"Stack {self.stack_name} is ROLLBACK_COMPLETE (its first create failed): a deploy deletes it and creates it again.",
            "yellow",
        )
        values = stack_parameters.template_parameter_values(self.source.template, {})
        diff = compute_diff({}, self.source.template, old_parameters={}, new_parameters=values, change_set=None)
        self._report(diff, new_stack=True, change_set_id=None)
        return 0

    def _recreate(self, stack: dict[str, Any]) -> None:
        self.out.line(
            f"Stack {self.stack_name} is ROLLBACK_COMPLETE: its first create failed, and it must be deleted before it can be created again.",
            "yellow",
        )
        approve(
            self.out,
            f"Delete the failed stack {self.stack_name} and create it again?",
            yes=self.options.yes,
            tty=self.tty,
            prompt=self.prompt,
            what="replacing the failed stack",
        )
        delete_and_wait(self.cf, stack["StackId"])
        self.out.line(f"Deleted the failed stack {self.stack_name}.")

    def _apply(
        self, change_set: ChangeSet, parameter_values: dict[str, Any], changing: set[str], services: list[str]
    ) -> int:
        watcher = rollout_watcher(
            self.aws, self.out, change_set.stack_id, self.source.template, services, starting_now=True
        )
        progress = Progress(changing)
        follower = EventFollower(
            self.cf,
            change_set.stack_id,
            self.stack_name,
            lambda event: self.out.line(*progress.line(event)),
            on_poll=watcher.poll_if_due if watcher else None,
        )
        try:
            follower.mark_start()
        except BaseException as error:
            stack_before = getattr(self, "stack_before", None)
            self._discard(change_set, stack_before)
            if isinstance(error, KeyboardInterrupt):
                raise Interrupted(self._nothing_deployed(stack_before)) from None
            raise
        started = time.monotonic()
        with signals.deferred():  # once ExecuteChangeSet is sent, its answer decides what is said
            execute(self.cf, change_set)
        try:
            result = follower.follow()
        except KeyboardInterrupt:
            raise Interrupted(f"stopped following, but {self._goes_on(change_set)}") from None
        except ConnectionLost:
            raise DeployFailed(
                f"lost the connection to AWS after the deployment started: {self._goes_on(change_set)}"
            ) from None
        except AwsError as error:
            raise DeployFailed(
                f"{describe_error(error)} after the deployment started: {self._goes_on(change_set)}"
            ) from None
        elapsed = time.monotonic() - started
        if not result.succeeded:  # the stack's terminal event says how it ended: no DescribeStacks to wait for
            raise DeployFailed(failure_line(self.stack_name, result.status, result.root_cause()))
        stack = read_when_done(self.cf, change_set.stack_id)
        if watcher is not None:
            self._check_rollouts(watcher)
        self._print_outputs(stack)
        self.out.line(
            f"✓ {self.stack_name}: {result.status} in {elapsed:.1f}s ({len(changing)} resources changed)", "bold green"
        )
        return 0

    def _goes_on(self, change_set: ChangeSet) -> str:
        """One sentence: the operation goes on in CloudFormation, how to follow it, how to stop it (create and update differ)."""
        where = f"--stack-name {self.stack_name} --region {self.aws.region}"
        if change_set.change_set_type == "CREATE":
            what, stop = "create", f"to stop it, delete the stack: `aws cloudformation delete-stack {where}`"
        else:
            what, stop = "update", f"to cancel it: `aws cloudformation cancel-update-stack {where}`"
        return (
            f"the deployment goes on in AWS: the {what} of {self.stack_name} continues in CloudFormation. "
            f"Follow it with `uv run deploy.py --follow {where}`; {stop}"
        )

    def _check_rollouts(self, watcher: RolloutWatcher) -> None:
        """CloudFormation is done; the ECS rollout may not be, and may have failed although CloudFormation succeeded."""
        self.out.line("Waiting for the ECS rollout to settle ...")
        goes_on = f"CloudFormation has finished and the rollout goes on in ECS. {self._follow_hint()}"
        with goes_on_in_aws(
            interrupted=f"stopped watching the ECS rollout; {goes_on}",
            connection_lost=f"lost the connection to AWS while watching the ECS rollout; {goes_on}",
        ):
            verdicts = watcher.finish()
        for verdict in verdicts:
            self.out.line(
                f"ECS rollout of {verdict.logical_id}: {verdict.state}"
                + (f" ({verdict.reason})" if verdict.reason else ""),
                "green" if verdict.state == "COMPLETED" else "red",
            )
        failure = failure_of(verdicts)
        if failure:
            raise DeployFailed(failure)

    def _follow_hint(self) -> str:
        return f"Follow it with `uv run deploy.py --follow --stack-name {self.stack_name} --region {self.aws.region}` or in the ECS console."

    def _print_outputs(self, stack: dict[str, Any] | None) -> None:
        """The outputs as CloudFormation reports them; plainly none when it reports none; how to see them when unread."""
        if stack is None:
            self.out.line(
                f"Outputs: not read (AWS kept throttling DescribeStacks); see them with `aws cloudformation describe-stacks "
                f"--stack-name {self.stack_name} --region {self.aws.region} --query Stacks[0].Outputs`",
                "yellow",
            )
            return
        outputs = {o["OutputKey"]: o.get("OutputValue", "") for o in stack.get("Outputs") or []}
        if not outputs:
            declared = len(self.source.template.get("Outputs") or {})
            self.out.line(
                f"Outputs: none reported by CloudFormation (the template declares {declared})"
                if declared
                else "Outputs: none"
            )
            return
        self.out.heading("Outputs")
        for key, value in sorted(outputs.items()):
            self.out.line(f"{key} = {value}")
