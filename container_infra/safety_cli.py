"""deploy.py's flags for safe deploys from CI (issue #12), and every conflict between them and the others.

Kept apart from cli.py so that cli.py only gains two calls; the rules are the same: one line, exit 2.
"""

from __future__ import annotations

import argparse
import re

from container_infra.errors import UserError

CHANGE_SET_NAME = re.compile(r"[a-zA-Z][-a-zA-Z0-9]{0,127}")
CHANGE_SET_ARN = re.compile(
    r"arn:[-a-zA-Z0-9]+:cloudformation:[-a-z0-9]+:\d{12}:changeSet/[a-zA-Z][-a-zA-Z0-9]*/[-a-zA-Z0-9]+"
)


def add_safety_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("safe deploys from CI")
    group.add_argument(
        "--allow-replacement",
        action="store_true",
        help="go ahead although the change set replaces or deletes something that carries traffic or data",
    )
    group.add_argument(
        "--exit-code", action="store_true", help="with --diff: exit 3 when there are changes, 0 when there are none"
    )
    group.add_argument(
        "--keep", action="store_true", help="with --diff: keep the change set (its name is printed) for --execute"
    )
    group.add_argument(
        "--execute", metavar="CHANGE_SET", help="execute exactly this reviewed change set (name or ARN), then follow it"
    )
    group.add_argument(
        "--markdown",
        action="store_true",
        help="with --diff: print the diff as Markdown on stdout (for a pull-request comment)",
    )
    group.add_argument(
        "--drift", action="store_true", help="detect drift on the deployed stack and show it per resource"
    )
    group.add_argument(
        "--revert-drift", action="store_true", help="create the change set with DeploymentMode=REVERT_DRIFT"
    )


def safety_options(args: argparse.Namespace):  # -> SafetyOptions (imported late: cli.py imports this module)
    from container_infra.options import SafetyOptions

    _refuse_conflicts(args)
    return SafetyOptions(
        allow_replacement=args.allow_replacement,
        exit_code=args.exit_code,
        keep=args.keep,
        execute=_change_set_name(args.execute),
        markdown=args.markdown,
        drift=args.drift,
        revert_drift=args.revert_drift,
    )


def _refuse_conflicts(args: argparse.Namespace) -> None:
    for flag, given in (("--exit-code", args.exit_code), ("--keep", args.keep), ("--markdown", args.markdown)):
        if given and not args.diff:
            raise UserError(f"{flag} goes with --diff (it is about the diff; a deploy exits 0 when done)")
        if given and args.destroy:
            raise UserError(f"{flag} does not go with --destroy")
    if args.markdown and args.json:
        raise UserError("--markdown and --json both given: use one (each takes stdout)")
    if args.destroy and (args.drift or args.revert_drift or args.allow_replacement or args.execute):
        raise UserError(
            "--destroy takes no --drift, --revert-drift, --allow-replacement or --execute: it deletes the stack as it is"
        )
    if args.execute is not None:
        _refuse_with_execute(args)


def _refuse_with_execute(args: argparse.Namespace) -> None:
    others = {
        "--diff": args.diff,
        "--template": args.template,
        "--parameter": args.parameter,
        "--tag": args.tag,
        "--build": args.build,
        "--s3-bucket": args.s3_bucket,
        "--revert-drift": args.revert_drift,
    }
    given = [flag for flag, value in others.items() if value]
    if given:
        raise UserError(
            f"--execute {args.execute} runs a change set made earlier, as it was reviewed: it takes no {', '.join(given)}"
        )


def _change_set_name(value: str | None) -> str | None:
    if value is None:
        return None
    if CHANGE_SET_NAME.fullmatch(value) or CHANGE_SET_ARN.fullmatch(value):
        return value
    raise UserError(
        f"--execute {value!r}: not a change set name (a letter, then letters, digits and '-', at most 128) "
        "or a change set ARN (arn:aws:cloudformation:REGION:ACCOUNT:changeSet/NAME/ID)"
    )
