"""Approve a plan: stop on what must not go through (a failed validation, a guarded replacement), else ask.

A replacement of what carries traffic or data, once allowed, asks for the stack name typed, not a reflexive y.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from container_infra.diff.guard import refusal
from container_infra.diff.validation import failure_line
from container_infra.errors import UserError
from container_infra.ui import approval
from container_infra.ui.approval import Prompt, TypedPrompt
from container_infra.ui.output import Output

if TYPE_CHECKING:  # run() makes an Asking for every command: this module stays light to import
    from container_infra.steps.plan import Plan

ACCESS_WARNING = (
    "⚠ These changes BROADEN ACCESS: new IAM Allow statements, removed Deny statements or new ingress rules "
    "(see the tables above)."
)


@dataclass(frozen=True)
class Asking:
    """How a person is asked: not at all with --yes; on a terminal, y/N (`prompt`) or the stack name typed (`typed`)."""

    yes: bool
    tty: bool
    prompt: Prompt = approval.confirm
    typed: TypedPrompt = approval.read_line

    def confirm(self, out: Output, question: str, *, what: str = "deploying", warning: str | None = None) -> None:
        """Return when agreed (y); raise UserError when declined or when there is no one to ask."""
        approval.approve(out, question, yes=self.yes, tty=self.tty, prompt=self.prompt, warning=warning, what=what)


def approve(plan: Plan, asking: Asking, out: Output, *, allow_replacement: bool) -> None:
    """Stop on a failed validation or a guarded replacement without --allow-replacement; else ask: y/N, or the stack
    name typed for an allowed replacement."""
    diff = plan.diff
    failed = [v for v in diff.validations if v.fails]
    if failed:
        raise UserError(failure_line(failed, plan.stack_name))
    if diff.guarded and not allow_replacement:
        line, resources = refusal(diff.guarded, plan.stack_name)
        raise UserError(line, details=resources)
    warning = ACCESS_WARNING if diff.broadens_access else None
    if diff.guarded:
        approval.approve_typed(
            out,
            "This replaces or removes what carries traffic or data. "
            f"Type the stack name ({plan.stack_name}) to deploy:",
            plan.stack_name,
            yes=asking.yes,
            tty=asking.tty,
            typed=asking.typed,
            warning=warning,
        )
        return
    asking.confirm(out, f"Deploy these changes to {plan.stack_name} in {plan.region}?", warning=warning)
