"""Both command lines in one place: what generate.py and deploy.py are given, read into their options.

`arguments` defines the options (argparse), `conflicts` the flags that do not go together, `process` how a run ends
(exit codes, one line on stderr). The commands read the options of `container_infra.options`, never this package.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from container_infra.cli.arguments import deploy_parser, generate_parser
from container_infra.cli.conflicts import action, refuse_conflicts
from container_infra.cli.copilot import from_copilot
from container_infra.cli.environments import deploy_role, environment_names, generate_environment
from container_infra.cli.process import run_main
from container_infra.errors import UserError
from container_infra.options import DeployOptions, GenerateOptions, SafetyOptions

__all__ = ["deploy_parser", "generate_parser", "parse_deploy", "parse_duration", "parse_generate", "run_main"]

S3_BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
CHANGE_SET_NAME = re.compile(r"[a-zA-Z][-a-zA-Z0-9]{0,127}")
CHANGE_SET_ARN = re.compile(
    r"arn:[-a-zA-Z0-9]+:cloudformation:[-a-z0-9]+:\d{12}:changeSet/[a-zA-Z][-a-zA-Z0-9]*/[-a-zA-Z0-9]+"
)
DURATION = re.compile(r"(\d+)([smhd])")
SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
MAX_SINCE_SECONDS = 30 * 86400
# CloudFormation's stack Tag (API reference, "Tag"): a key of 1-128 characters outside the reserved `aws:` prefix, a
# value of 1-256 characters; CreateStack and UpdateStack take at most 50 tags.
MAX_TAG_KEY = 128
MAX_TAG_VALUE = 256
MAX_TAGS = 50
DEFAULT_SINCE_SECONDS = 600


def parse_generate(argv: Sequence[str] | None = None) -> GenerateOptions:
    args = generate_parser().parse_args(argv)
    return GenerateOptions(
        config=args.config,
        format=args.format,
        output=args.output,
        env=generate_environment(args.env),
        deploy_role=deploy_role(args),
        from_copilot=from_copilot(args),
    )


def parse_deploy(argv: Sequence[str] | None = None) -> DeployOptions:
    """deploy.py's options, with every conflict between flags refused here (one line, exit 2)."""
    # Only deploy.py reads Key=Value pairs: generate.py need not load the CloudFormation side for it.
    from container_infra.cfn.parameters import parse_assignments

    args = deploy_parser().parse_args(argv)
    refuse_conflicts(args)
    return DeployOptions(
        action=action(args),
        config=args.config,
        template=args.template,
        stack_name=args.stack_name,
        region=args.region,
        profile=args.profile,
        envs=environment_names(args.env, args.promote_from, diff_only=args.diff),
        promote_from=args.promote_from,
        diff_only=args.diff,
        yes=args.yes,
        json=args.json,
        build=args.build,
        parameters=parse_assignments(args.parameter, "--parameter"),
        tags=_tags(parse_assignments(args.tag, "--tag")),
        s3_bucket=_s3_bucket(args.s3_bucket),
        since_seconds=parse_duration(args.since, "--since") if args.since is not None else DEFAULT_SINCE_SECONDS,
        tail=args.tail,
        container=args.container,
        log_filter=args.filter,
        to_revision=_revision(args.to),
        safety=SafetyOptions(
            allow_replacement=args.allow_replacement,
            exit_code=args.exit_code,
            keep=args.keep,
            execute=_change_set_name(args.execute, "--execute"),
            discard=_change_set_name(args.discard, "--discard"),
            markdown=args.markdown,
            drift=args.drift,
            revert_drift=args.revert_drift,
        ),
    )


def parse_duration(text: str, flag: str) -> int:
    match = DURATION.fullmatch(text.strip())
    seconds = int(match.group(1)) * SECONDS[match.group(2)] if match else 0
    if not match or not 0 < seconds <= MAX_SINCE_SECONDS:
        raise UserError(f"{flag} {text!r}: expected a duration from 1s to 30d, like 30s, 10m, 2h or 1d")
    return seconds


def _s3_bucket(value: str | None) -> str | None:
    if value is not None and not S3_BUCKET.fullmatch(value):
        raise UserError(
            f"--s3-bucket {value!r}: not an S3 bucket name; 3-63 lowercase letters, digits, '.' and '-', "
            "starting and ending with a letter or digit"
        )
    return value


def _tags(tags: dict[str, str]) -> dict[str, str]:
    """Refused here rather than by CloudFormation, whose ValidationError would come after the template was built."""
    if len(tags) > MAX_TAGS:
        raise UserError(f"--tag given {len(tags)} times: a stack takes at most {MAX_TAGS} tags")
    for key, value in tags.items():
        if len(key) > MAX_TAG_KEY or key.lower().startswith("aws:"):
            raise UserError(
                f"--tag {ascii(key[:40])}{'...' if len(key) > 40 else ''}: a tag key has 1-{MAX_TAG_KEY} characters "
                f"({len(key)} given) and does not start with the reserved prefix aws:"
            )
        if len(value) > MAX_TAG_VALUE:
            raise UserError(
                f"--tag {ascii(key)}=...: the value has {len(value)} characters; a tag value has at most "
                f"{MAX_TAG_VALUE}"
            )
    return tags


def _revision(value: str | None) -> int | None:
    """ASCII digits only: str.isdigit takes '²' (which int() refuses) and int() takes '٣' as 3."""
    if value is not None and (not REVISION.fullmatch(value) or int(value) < 1):
        raise UserError(f"--to {ascii(value)}: expected a task definition revision number, like 3")
    return None if value is None else int(value)


REVISION = re.compile(r"[0-9]{1,10}")


def _change_set_name(value: str | None, flag: str) -> str | None:
    if value is None or CHANGE_SET_NAME.fullmatch(value) or CHANGE_SET_ARN.fullmatch(value):
        return value
    raise UserError(
        f"{flag} {value!r}: not a change set name (a letter, then letters, digits and '-', at most 128) "
        "or a change set ARN (arn:aws:cloudformation:REGION:ACCOUNT:changeSet/NAME/ID)"
    )
