"""Show a plan: its diff as text on the terminal, as JSON, or as Markdown for a pull request."""

from __future__ import annotations

from container_infra.options import DeployOptions
from container_infra.render.json import diff_json
from container_infra.render.markdown import diff_markdown
from container_infra.render.text import render_diff
from container_infra.steps.plan import Plan
from container_infra.steps.unexecuted import name_of
from container_infra.ui.output import Output


def diff_format(options: DeployOptions) -> str:
    """--markdown, else --json, else text."""
    return "markdown" if options.safety.markdown else "json" if options.json else "text"


def show(plan: Plan, format: str, out: Output, *, keep: bool = False) -> None:
    """Text goes to `out`; JSON and Markdown to stdout, which then holds nothing else. `keep`: --keep names the
    change set it leaves in the Markdown."""
    if format == "markdown":
        kept = name_of(plan.change_set_id) if keep and plan.diff.has_changes and plan.change_set_id else None
        out.document(
            diff_markdown(
                plan.diff, stack_name=plan.stack_name, region=plan.region, new_stack=plan.new_stack, kept=kept
            )
        )
    elif format == "json":
        document = diff_json(
            plan.diff,
            stack_name=plan.stack_name,
            region=plan.region,
            new_stack=plan.new_stack,
            change_set_id=plan.change_set_id,
        )
        out.document(document + "\n")
    else:
        render_diff(out, plan.diff, stack_name=plan.stack_name, region=plan.region, new_stack=plan.new_stack)
