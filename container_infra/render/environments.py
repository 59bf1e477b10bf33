"""Several environments' diffs shown together (`deploy.py --env all --diff`): a summary table first, then each diff,
as text, one JSON document, or Markdown."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from container_infra.diff.model import Diff
from container_infra.hints import EnvironmentTarget, in_environment
from container_infra.render.markdown import diff_markdown

SUMMARY_HEADERS = [
    "Environment",
    "Account",
    "Region",
    "Stack",
    "Adds",
    "Modifies",
    "Removes",
    "Replacements",
    "Guard stops",
]
# On a terminal (80 columns in a CI log) the counts take short headers, so nothing that matters folds.
TEXT_HEADERS = ["Env", "Account", "Region", "Stack", "Add", "Mod", "Rem", "Repl", "Guard"]
REPLACING = ("replace", "may be replaced")


@dataclass(frozen=True)
class Reviewed:
    """One environment's diff, and where it is."""

    environment: str
    account: str
    region: str
    stack_name: str
    new_stack: bool
    diff: Diff
    change_set_id: str | None = None
    note: str | None = None  # what the diff is, besides a change set (e.g. "promoted from staging")


def counts(diff: Diff) -> dict[str, int]:
    """How many resources each kind of change touches; a replacement is counted once, as a replacement."""
    rows = diff.resources
    return {
        "adds": sum(1 for r in rows if r.action == "Add"),
        "modifies": sum(1 for r in rows if r.action in ("Modify", "Dynamic") and r.replacement not in REPLACING),
        "removes": sum(1 for r in rows if r.action == "Remove"),
        "replacements": sum(1 for r in rows if r.action in ("Modify", "Dynamic") and r.replacement in REPLACING),
        "guardStops": len(diff.guarded),
    }


def summary_rows(reviews: list[Reviewed]) -> list[list[str]]:
    rows = []
    for review in reviews:
        n = counts(review.diff)
        stack = review.stack_name + (" (new)" if review.new_stack else "")
        rows.append(
            [review.environment, review.account, review.region, stack]
            + [str(n[key]) for key in ("adds", "modifies", "removes", "replacements", "guardStops")]
        )
    return rows


def environments_json(reviews: list[Reviewed]) -> str:
    documents: list[dict[str, Any]] = []
    for review in reviews:
        documents.append(
            {
                "environment": review.environment,
                "account": review.account,
                "region": review.region,
                "stack": review.stack_name,
                "newStack": review.new_stack,
                "changeSet": review.change_set_id,
                "summary": counts(review.diff),
                **review.diff.as_dict(),
            }
        )
    return json.dumps({"hasChanges": any(r.diff.has_changes for r in reviews), "environments": documents}, indent=2)


def environments_markdown(reviews: list[Reviewed], kept: dict[str, str | None], config: str) -> str:
    """`kept`: per environment, the change set left for `deploy.py --execute` (None: none); `config`: the file
    the commands it suggests name with --env."""
    lines = ["## Environments", "", "| " + " | ".join(SUMMARY_HEADERS) + " |", "|" + "---|" * len(SUMMARY_HEADERS)]
    lines += ["| " + " | ".join(row) + " |" for row in summary_rows(reviews)]
    lines.append("")
    for review in reviews:
        lines += [f"## Environment `{review.environment}` (account {review.account})", ""]
        with in_environment(EnvironmentTarget(config, review.environment, review.account)):
            markdown = diff_markdown(
                review.diff,
                stack_name=review.stack_name,
                region=review.region,
                new_stack=review.new_stack,
                kept=kept.get(review.environment),
            )
        lines.append(markdown)
    return "\n".join(lines).rstrip("\n") + "\n"
