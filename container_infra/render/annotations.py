"""The diff's safety sections as text: guarded replacements first, then drift, then CloudFormation's validation."""

from __future__ import annotations

from typing import Any

from container_infra.diff.model import Diff


def render_guarded(out: Any, diff: Diff) -> None:
    """Replacements and removals of what carries traffic or data: first, in their own section."""
    if not diff.guarded:
        return
    out.heading("STOP: replaces or removes what carries traffic or data")
    for guarded in diff.guarded:
        out.line(f"[!] {guarded.text}", "bold red")
    out.line("A deploy stops here unless --allow-replacement is given.", "bold red")


def render_drift(out: Any, diff: Diff) -> None:
    if not diff.drift:
        return
    out.heading(
        "Drift: changed outside CloudFormation"
        + (" (this deploy reverts it: REVERT_DRIFT)" if diff.reverts_drift else "")
    )
    for resource in diff.drift:
        notes = [
            n
            for n, on in (
                ("also changed by this deploy", resource.in_diff),
                ("reverted by this deploy", resource.reverted),
            )
            if on
        ]
        out.line(
            f"[{resource.status}] {resource.resource_type} {resource.logical_id}"
            + (f" ({'; '.join(notes)})" if notes else ""),
            "yellow",
        )
        for index, difference in enumerate(resource.differences):
            branch = "└─" if index == len(resource.differences) - 1 else "├─"
            out.line(
                f" {branch} {difference.path}: expected {difference.expected}, actual {difference.actual}", "yellow"
            )


def render_validations(out: Any, validations: list[Any]) -> None:
    if not validations:
        return
    out.heading("CloudFormation's pre-deployment validation")
    for validation in validations:
        out.line(validation.line, "bold red" if validation.fails else "yellow")
