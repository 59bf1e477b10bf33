"""How a stack operation ends on screen, whether this run started it or only follows it: the ECS rollout's verdict,
the stack's outputs and the last line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from container_infra.cfn.constants import SECRET_MASK
from container_infra.diff.masking import secret_outputs
from container_infra.errors import EXIT_OK, DeployFailed
from container_infra.hints import aws_cli
from container_infra.ui.output import Output
from container_infra.watch.detached import goes_on_in_aws, rollout_goes_on
from container_infra.watch.rollout import RolloutWatcher
from container_infra.watch.verdicts import failure_of


@dataclass(frozen=True)
class Result:
    """A stack operation that ended well."""

    stack_name: str
    status: str
    elapsed: float | None = None  # None: it had ended before this run looked
    changed: int | None = None  # the resources its change set changes (None: not known)


def watch_rollout(watcher: RolloutWatcher, out: Output, stack_name: str, region: str) -> None:
    """CloudFormation is done; the ECS rollout may not be, and may have failed although CloudFormation succeeded."""
    out.line("Waiting for the ECS rollout to settle ...")
    with goes_on_in_aws(rollout_goes_on(stack_name, region)), out.live() as live:
        verdicts = watcher.finish(live=live)
    for verdict in verdicts:
        out.line(
            f"ECS rollout of {verdict.logical_id}: {verdict.state}"
            + (f" ({verdict.reason})" if verdict.reason else ""),
            "green" if verdict.state == "COMPLETED" else "red",
        )
    failure = failure_of(verdicts)
    if failure:
        raise DeployFailed(failure)


def print_outputs(
    out: Output, stack: dict[str, Any] | None, template: dict[str, Any], *, stack_name: str, region: str
) -> None:
    """The outputs as CloudFormation reports them; plainly none when it reports none; how to see them when unread.

    `stack` is DescribeStacks' answer once the operation is done (None: it could not be read)."""
    if stack is None:
        out.line(
            "Outputs: not read (DescribeStacks kept failing: throttled or a server error); see them with "
            f"{aws_cli('describe-stacks', stack_name, region, '--query Stacks[0].Outputs')}",
            "yellow",
        )
        return
    outputs = {o["OutputKey"]: o.get("OutputValue", "") for o in stack.get("Outputs") or []}
    if not outputs:
        declared = len(template.get("Outputs") or {})
        out.line(
            f"Outputs: none reported by CloudFormation (the template declares {declared})"
            if declared
            else "Outputs: none"
        )
        return
    out.heading("Outputs")
    hidden = secret_outputs(template)
    for key, value in sorted(outputs.items()):
        out.line(f"{key} = {SECRET_MASK} (from a NoEcho parameter)" if key in hidden else f"{key} = {value}")


def succeeded(result: Result, out: Output) -> int:
    """The last line of an operation that ended well; its exit code."""
    took = f" in {result.elapsed:.1f}s" if result.elapsed is not None else ""
    changed = (
        f" ({result.changed} resource{'' if result.changed == 1 else 's'} changed)"
        if result.changed is not None
        else ""
    )
    out.line(f"✓ {result.stack_name}: {result.status}{took}{changed}", "bold green")
    return EXIT_OK
