"""Which of deploy.py's flags go together: one table of rules, checked in order by one function.

The first rule broken is the one line the user sees, so a more specific rule comes before a more general one
(`--follow takes no --destroy` before `--destroy and --follow both given`).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass

from container_infra.errors import UserError
from container_infra.options import Action

# The flags that choose what deploy.py does; none of them: a deploy.
ACTION_FLAGS: dict[str, Action] = {
    "--status": "status",
    "--logs": "logs",
    "--rollback": "rollback",
    "--destroy": "destroy",
    "--build": "build",
    "--execute": "execute",
    "--discard": "discard",
    "--follow": "follow",
}


@dataclass(frozen=True)
class Rule:
    """When one of `flags` is given, none of `excludes` may be, and `needs` must be.

    The message may name {flag} (the first of `flags` given) and its {value}, {given} (those of `flags` given),
    {goes} ("goes" for one of them, "go" for more), {others} (those of `excludes` given, besides {flag}) and
    {together} ({flag} and {others}, joined by "and")."""

    flags: tuple[str, ...]
    message: str
    excludes: tuple[str, ...] = ()
    needs: str | None = None


WRITES = ("--parameter", "--tag", "--s3-bucket")
LOG_FLAGS = ("--since", "--tail", "--container", "--filter")
DIFF_OUTPUTS = ("--exit-code", "--keep", "--markdown")
BUILD_NEEDS_CONFIG = (
    "--build goes with --config (the config names the repository and the container), "
    "not with --template or the default stack"
)

RULES = (
    Rule(
        ("--config",),
        "--config and --template both given: use one (a config is built into a template)",
        excludes=("--template",),
    ),
    Rule(
        ("--destroy",),
        "--destroy takes no --json, --parameter, --tag or --s3-bucket: it deletes the stack as it is",
        excludes=("--json", *WRITES),
    ),
    Rule(
        ("--follow",),
        "--follow only follows the stack's operation in progress: it takes no --diff, --destroy, --build, --json, "
        "--parameter, --tag or --s3-bucket",
        excludes=("--diff", "--destroy", "--build", "--json", *WRITES),
    ),
    Rule(tuple(ACTION_FLAGS), "{together} both given: use one at a time", excludes=tuple(ACTION_FLAGS)),
    Rule(
        ("--env",),
        "--env {value} takes its stack from the config's environment: it takes no {others}",
        excludes=("--template", "--stack-name"),
    ),
    Rule(("--env",), "--env {value} goes with --config FILE (the config defines the environments)", needs="--config"),
    Rule(
        ("--promote-from",),
        "--promote-from {value} goes with --env (deploy.py --env prod --promote-from {value})",
        needs="--env",
    ),
    Rule(
        ("--promote-from",),
        "--promote-from {value} deploys a release: it takes no {others}",
        excludes=tuple(ACTION_FLAGS),
    ),
    Rule(LOG_FLAGS, "{given} {goes} with --logs (e.g. deploy.py --logs {flag} ...)", needs="--logs"),
    Rule(("--to",), "--to {value} goes with --rollback (deploy.py --rollback --to {value})", needs="--rollback"),
    Rule(
        ("--status", "--logs"),
        "{flag} only reads: it takes no --diff, --yes, --parameter, --tag or --s3-bucket",
        excludes=("--diff", "--yes", *WRITES),
    ),
    Rule(
        ("--status", "--logs"),
        "{flag} reads the deployed stack: it takes no {others} (they are about a deploy's change set or template)",
        excludes=("--drift", "--revert-drift", "--allow-replacement", "--template"),
    ),
    Rule(
        ("--follow",),
        "--follow only follows the stack's operation in progress: it takes no {others} (they are about a deploy's "
        "change set)",
        excludes=("--drift", "--revert-drift", "--allow-replacement"),
    ),
    Rule(
        ("--rollback", "--destroy"),
        "{flag} acts on the template the stack runs now: it takes no --template",
        excludes=("--template",),
    ),
    Rule(
        ("--logs",),
        "--logs takes no --json: it prints log lines (use --status --json for data)",
        excludes=("--json",),
    ),
    Rule(
        ("--rollback",),
        "--rollback takes no --parameter: it sets the images and task size of the release it restores",
        excludes=("--parameter",),
    ),
    Rule(("--build",), BUILD_NEEDS_CONFIG, excludes=("--template",), needs="--config"),
    Rule(
        ("--build",),
        "--build pushes an image, so it does not go with --diff or --destroy",
        excludes=("--diff", "--destroy"),
    ),
    Rule(DIFF_OUTPUTS, "{flag} goes with --diff (it is about the diff; a deploy exits 0 when done)", needs="--diff"),
    Rule(DIFF_OUTPUTS, "{flag} does not go with --destroy", excludes=("--destroy",)),
    Rule(("--markdown",), "--markdown and --json both given: use one (each takes stdout)", excludes=("--json",)),
    Rule(
        ("--destroy",),
        "--destroy takes no --drift, --revert-drift, --allow-replacement or --execute: it deletes the stack as it is",
        excludes=("--drift", "--revert-drift", "--allow-replacement", "--execute"),
    ),
    Rule(
        ("--execute",),
        "--execute {value} runs a change set made earlier, as it was reviewed: it takes no {others}",
        excludes=("--diff", "--template", "--parameter", "--tag", "--build", "--s3-bucket", "--revert-drift"),
    ),
    Rule(
        ("--discard",),
        "--discard {value} only deletes a kept change set: it takes no {others}",
        excludes=(
            "--diff",
            "--template",
            "--parameter",
            "--tag",
            "--s3-bucket",
            "--json",
            "--drift",
            "--revert-drift",
            "--allow-replacement",
        ),
    ),
)


def refuse_conflicts(args: argparse.Namespace, rules: Sequence[Rule] = RULES) -> None:
    """Raise UserError with the message of the first rule that the command line breaks."""
    for rule in rules:
        mine = [flag for flag in rule.flags if given(args, flag)]
        if not mine:
            continue
        others = [flag for flag in rule.excludes if flag != mine[0] and given(args, flag)]
        if others or (rule.needs is not None and not given(args, rule.needs)):
            raise UserError(
                rule.message.format(
                    flag=mine[0],
                    value=value(args, mine[0]),
                    given=", ".join(mine),
                    goes="goes" if len(mine) == 1 else "go",
                    others=", ".join(others),
                    together=" and ".join([mine[0], *others]),
                )
            )


def action(args: argparse.Namespace) -> Action:
    """What deploy.py does: the one action flag given (the rules refuse two), or a deploy."""
    return next((ACTION_FLAGS[flag] for flag in ACTION_FLAGS if given(args, flag)), "deploy")


def given(args: argparse.Namespace, flag: str) -> bool:
    """Blank values are refused while parsing, so a flag is given when its value is true or non-empty."""
    return bool(value(args, flag))


def value(args: argparse.Namespace, flag: str) -> object:
    return getattr(args, flag.removeprefix("--").replace("-", "_"))
