"""Safe deploys (issue #12), the decisions: annotate the diff (drift, CloudFormation's validation), stop on what
must not go through silently (a failed validation, a guarded replacement), ask harder when it may, keep a
change set for review, and the CI exit code."""

from __future__ import annotations

from typing import Any

from container_infra.aws.safety import detect_drift, validation_events
from container_infra.cfn.changeset import ChangeSet
from container_infra.cfn.stacks import is_new
from container_infra.diff.drift import drifted_resources
from container_infra.diff.guard import refusal
from container_infra.diff.model import Diff
from container_infra.diff.validation import failure_line, validations
from container_infra.errors import EXIT_CHANGES, EXIT_OK, UserError
from container_infra.options import DeployOptions
from container_infra.render.markdown import diff_markdown
from container_infra.ui.approval import Prompt, TypedPrompt, approve, approve_typed
from container_infra.ui.output import Output

REVERT_DRIFT = "REVERT_DRIFT"


class Safety:
    def __init__(self, options: DeployOptions, cloudformation: Any, stack_name: str, out: Output) -> None:
        self.options = options
        self.safety = options.safety
        self.cf = cloudformation
        self.stack_name = stack_name
        self.out = out
        self.had_changes = False

    def refuse_unsupported(self, stack: dict[str, Any] | None) -> None:
        """Before anything is created: --revert-drift needs a deployed stack (botocore >= 1.44, required, knows DeploymentMode)."""
        if not self.safety.revert_drift:
            return
        if is_new(stack):
            raise UserError(
                f"--revert-drift: stack {self.stack_name} is not deployed yet, so it has no drift to revert"
            )

    def change_set_arguments(self) -> dict[str, Any]:
        return {"DeploymentMode": REVERT_DRIFT} if self.safety.revert_drift else {}

    def annotate(self, diff: Diff, change_set: ChangeSet, stack: dict[str, Any] | None) -> None:
        """Add drift and CloudFormation's validation to the diff, before it is shown."""
        diff.reverts_drift = self.safety.revert_drift
        if self.safety.drift and (is_new(stack) or stack is None):
            self.out.line(f"--drift: stack {self.stack_name} is not deployed yet, so it has no drift.")
        elif (self.safety.drift or self.safety.revert_drift) and stack is not None:
            changing = {r.logical_id for r in diff.resources}
            diff.drift = drifted_resources(
                detect_drift(self.cf, stack["StackId"]), changing=changing, reverting=self.safety.revert_drift
            )
        if change_set.id and diff.has_changes:  # nothing to deploy: nothing to validate
            events = validation_events(self.cf, change_set.id)
            diff.validations = validations(events) if events else []

    def record(self, diff: Diff) -> None:
        self.had_changes = self.had_changes or diff.has_changes

    def stop_before_approval(self, diff: Diff) -> None:
        """A deploy (not a --diff) stops on a failed validation, and on a guarded change without --allow-replacement."""
        failed = [v for v in diff.validations if v.fails]
        if failed:
            raise UserError(failure_line(failed, self.stack_name))
        if diff.guarded and not self.safety.allow_replacement:
            raise UserError(refusal(diff.guarded, self.stack_name))

    def approve(
        self, diff: Diff, question: str, *, tty: bool, prompt: Prompt, typed: TypedPrompt, warning: str | None
    ) -> None:
        """y/N as always; typing the stack name when an allowed replacement of traffic or data is on the way."""
        if diff.guarded:
            approve_typed(
                self.out,
                f"This replaces or removes what carries traffic or data. Type the stack name ({self.stack_name}) to deploy:",
                self.stack_name,
                yes=self.options.yes,
                tty=tty,
                typed=typed,
                warning=warning,
            )
            return
        approve(self.out, question, yes=self.options.yes, tty=tty, prompt=prompt, warning=warning)

    def keeps(self, change_set: ChangeSet, diff: Diff, *, refused: bool = False) -> bool:
        """--diff --keep: leave a change set with changes in place, and say how to execute it (not one the forecast refuses)."""
        if not self.safety.keep or not change_set.id:
            return False
        if refused:
            self.out.line(
                "Not keeping the change set: the forecast found problems AWS would refuse (listed above).", "yellow"
            )
            return False
        if not diff.has_changes:
            self.out.line("No changes: there is no change set to keep.")
            return False
        name = str(change_set.description.get("ChangeSetName") or change_set.id)
        self.out.line(f"Kept change set {name} ({change_set.id})", "bold")
        self.out.line(f"Execute exactly this one with: deploy.py --execute {name} --stack-name {self.stack_name}")
        return True

    def exit_code(self) -> int:
        return EXIT_CHANGES if self.safety.exit_code and self.had_changes else EXIT_OK

    def markdown(self, diff: Diff, *, region: str, new_stack: bool, change_set_id: str | None) -> str:
        kept = name_of(change_set_id) if self.safety.keep and diff.has_changes and change_set_id else None
        return diff_markdown(diff, stack_name=self.stack_name, region=region, new_stack=new_stack, kept=kept)


def name_of(change_set_id: str) -> str:
    """A change set's name from its ARN (arn:...:changeSet/NAME/ID), or the name itself."""
    parts = change_set_id.split(":changeSet/", 1)
    return parts[1].split("/")[0] if len(parts) == 2 else change_set_id
