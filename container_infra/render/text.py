"""The diff as text, in the style of `cdk diff`."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Any, Protocol

from container_infra.cfn.intrinsics import show
from container_infra.diff.model import Diff, ResourceChange, ValueChange
from container_infra.render.annotations import render_drift, render_guarded, render_validations


class Output(Protocol):
    """Where the text goes (`container_infra.ui.output.Output` on a terminal or in a CI log)."""

    def line(self, text: str = "", style: str | None = None) -> None: ...

    def heading(self, text: str) -> None: ...

    def table(self, headers: list[str], rows: list[list[str]], styles: list[str | None]) -> None: ...


MARK_STYLES = {"+": "green", "-": "red", "~": "yellow"}


def render_diff(out: Output, diff: Diff, *, stack_name: str, region: str, new_stack: bool) -> None:
    """The whole diff, written at once where the output can batch (thousands of lines, one write)."""
    with _batched(out):
        _render_diff(out, diff, stack_name=stack_name, region=region, new_stack=new_stack)


def _batched(out: Output) -> AbstractContextManager[None]:
    batch = getattr(out, "batch", None)
    return batch() if batch is not None else nullcontext()


def _render_diff(out: Output, diff: Diff, *, stack_name: str, region: str, new_stack: bool) -> None:
    out.line(f"Stack {stack_name} in {region}" + (" (new stack)" if new_stack else ""), "bold")
    render_guarded(out, diff)
    if not diff.has_changes:
        out.line("No changes")
        render_drift(out, diff)
        render_validations(out, diff.validations)
        return
    if diff.parameters:
        out.heading("Parameters")
        for change in diff.parameters:
            _value_line(out, change, indent="")
    _changes_table(
        out,
        "IAM Statement Changes",
        ["Resource", "Effect", "Action", "Principal", "Condition"],
        diff.iam_added,
        diff.iam_removed,
        lambda s: [s.resource, s.effect, s.action, s.principal, s.condition],
    )
    _changes_table(
        out,
        "Security Group Changes",
        ["Group", "Direction", "Protocol/Port", "Peer", "Description"],
        diff.rules_added,
        diff.rules_removed,
        lambda r: [r.group, r.direction, r.protocol_port, r.peer, r.description],
    )
    if diff.resources:
        out.heading("Resources")
        for resource in diff.resources:
            _resource_lines(out, resource)
    if diff.outputs:
        out.heading("Outputs")
        for change in diff.outputs:
            _value_line(out, change, indent="")
    if diff.stack_tags:
        out.heading("Stack tags")
        for change in diff.stack_tags:
            _value_line(out, change, indent="")
    if diff.warnings:
        out.line()
        for warning in diff.warnings:
            out.line(f"WARNING: {warning}", "bold red")
    render_drift(out, diff)
    render_validations(out, diff.validations)


def _changes_table(
    out: Output, title: str, headers: list[str], added: list[Any], removed: list[Any], cells: Callable[[Any], list[str]]
) -> None:
    if not added and not removed:
        return
    out.heading(title)
    rows = [("+", row) for row in added] + [("-", row) for row in removed]
    out.table(["", *headers], [[mark, *cells(row)] for mark, row in rows], [MARK_STYLES[mark] for mark, _ in rows])


def _resource_lines(out: Output, resource: ResourceChange) -> None:
    suffix = f" {resource.replacement}" if resource.replacement else ""
    style = "bold red" if resource.replacement == "replace" else MARK_STYLES.get(resource.mark)
    out.line(f"[{resource.mark}] {resource.resource_type} {resource.logical_id}{suffix}", style)
    for index, change in enumerate(resource.properties):
        branch = "└─" if index == len(resource.properties) - 1 else "├─"
        _value_line(out, change, indent=f" {branch} ")


def _value_line(out: Output, change: ValueChange, indent: str) -> None:
    if change.old is None:
        mark, text = "+", show(change.new)
    elif change.new is None:
        mark, text = "-", show(change.old)
    else:
        mark, text = "~", f"{show(change.old)} → {show(change.new)}"
    suffix = f" ({change.replacement})" if change.replacement else ""
    out.line(f"{indent}[{mark}] {change.name}: {text}{suffix}", MARK_STYLES[mark])
