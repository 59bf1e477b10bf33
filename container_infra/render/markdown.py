"""The diff as Markdown, for a pull-request comment: replacement warnings first, IAM and security groups collapsible."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from container_infra.cfn.intrinsics import show
from container_infra.diff.model import Diff, ResourceChange, ValueChange
from container_infra.hints import stack_flags
from container_infra.render.visible import code_fence, code_span, markdown_text, visible


def diff_markdown(diff: Diff, *, stack_name: str, region: str, new_stack: bool, kept: str | None = None) -> str:
    """`kept` is the name of a change set left for `deploy.py --execute`."""
    lines = [
        f"### Stack {code_span(stack_name)} in {markdown_text(region)}" + (" (new stack)" if new_stack else ""),
        "",
    ]
    lines += _warnings(diff)
    if kept:
        lines += [
            f"Change set `{kept}` is kept for review. After the merge, execute exactly this one:",
            "",
            "```",
            f"deploy.py --execute {kept} {stack_flags(stack_name)}",
            "```",
            "",
        ]
    if not diff.has_changes:
        lines += ["No changes", ""]
    lines += _values("Parameters", diff.parameters)
    lines += _collapsible(
        "IAM statement changes",
        ["Resource", "Effect", "Action", "Principal", "Condition"],
        diff.iam_added,
        diff.iam_removed,
        lambda s: [s.resource, s.effect, s.action, s.principal, s.condition],
    )
    lines += _collapsible(
        "Security group changes",
        ["Group", "Direction", "Protocol/Port", "Peer", "Description"],
        diff.rules_added,
        diff.rules_removed,
        lambda r: [r.group, r.direction, r.protocol_port, r.peer, r.description],
    )
    lines += _resources(diff.resources)
    lines += _values("Outputs", diff.outputs)
    lines += _values("Stack tags", diff.stack_tags)
    lines += _drift(diff)
    lines += _validations(diff)
    return "\n".join(lines).rstrip("\n") + "\n"


def _warnings(diff: Diff) -> list[str]:
    if not diff.guarded and not diff.warnings:
        return []
    lines = ["> [!CAUTION]"]
    if diff.guarded:
        lines.append(
            "> **Replaces or removes what carries traffic or data**: a deploy stops here unless `--allow-replacement` "
            "is given."
        )
        lines += [
            f"> - {code_span(g.resource_type)} **{markdown_text(g.logical_id)}** is {g.what.upper()} ({g.why})"
            for g in diff.guarded
        ]
    lines += [f"> - WARNING: {markdown_text(warning)}" for warning in diff.warnings]
    return [*lines, ""]


def _values(title: str, changes: list[ValueChange]) -> list[str]:
    if not changes:
        return []
    rows = [[_mark(c), _cell(c.name), _cell(c.old), _cell(c.new)] for c in changes]
    return [f"#### {title}", "", *_table(["", "Name", "Before", "After"], rows), ""]


def _collapsible(
    title: str, headers: list[str], added: list[Any], removed: list[Any], cells: Callable[[Any], list[str]]
) -> list[str]:
    if not added and not removed:
        return []
    rows = [["+", *map(markdown_text, cells(r))] for r in added] + [
        ["-", *map(markdown_text, cells(r))] for r in removed
    ]
    return [
        f"<details><summary>{title} ({len(rows)})</summary>",
        "",
        *_table(["", *headers], rows),
        "",
        "</details>",
        "",
    ]


def _resources(resources: list[ResourceChange]) -> list[str]:
    if not resources:
        return []
    lines = []
    for resource in resources:
        suffix = f" ({resource.replacement})" if resource.replacement else ""
        lines.append(
            f"{_diff_mark(resource.mark)} {visible(f'{resource.resource_type} {resource.logical_id}')}{suffix}"
        )
        for change in resource.properties:
            replacement = f" ({change.replacement})" if change.replacement else ""
            lines.append(f"{_diff_mark(_mark(change))}     {visible(f'{change.name}: {_text(change)}')}{replacement}")
    fence = code_fence(lines)  # a value's own backticks never close the block
    return ["#### Resources", "", f"{fence}diff", *lines, fence, ""]


def _drift(diff: Diff) -> list[str]:
    if not diff.drift:
        return []
    title = "Drift: changed outside CloudFormation" + (" (this deploy reverts it)" if diff.reverts_drift else "")
    rows = []
    for resource in diff.drift:
        note = "reverted" if resource.reverted else "also changed by this deploy" if resource.in_diff else ""
        rows += [
            [
                _cell(resource.logical_id),
                markdown_text(resource.status),
                _cell(d.path),
                markdown_text(d.expected),
                markdown_text(d.actual),
                note,
            ]
            for d in resource.differences
        ] or [[_cell(resource.logical_id), markdown_text(resource.status), "", "", "", note]]
    return [f"#### {title}", "", *_table(["Resource", "Status", "Property", "Expected", "Actual", "Note"], rows), ""]


def _validations(diff: Diff) -> list[str]:
    if not diff.validations:
        return []
    return [
        "#### CloudFormation's pre-deployment validation",
        "",
        *[f"- {markdown_text(v.line)}" for v in diff.validations],
        "",
    ]


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    return [
        "| " + " | ".join(headers) + " |",
        "|" + "---|" * len(headers),
        *["| " + " | ".join(row) + " |" for row in rows],
    ]


def _mark(change: ValueChange) -> str:
    return "+" if change.old is None else "-" if change.new is None else "~"


def _diff_mark(mark: str) -> str:
    return {"+": "+", "-": "-"}.get(mark, "!")  # a diff block colours + and -; ! marks a modification


def _text(change: ValueChange) -> str:
    if change.old is None:
        return show(change.new)
    if change.new is None:
        return show(change.old)
    return f"{show(change.old)} → {show(change.new)}"


def _cell(value: Any) -> str:
    """Inline code in a table cell: GitHub reads a pipe as a column break even inside code, unless escaped."""
    return "" if value is None else code_span(show(value)).replace("|", "\\|")
