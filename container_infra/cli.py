"""Both command lines in one place: their arguments, every flag conflict, exit codes, one-line errors."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from typing import NoReturn

from container_infra.entry import run_main  # noqa: F401  (deploy.py's entry point; generate.py imports it from entry)
from container_infra.errors import EXIT_USAGE, UserError
from container_infra.options import FORMATS, DeployOptions, GenerateOptions

GENERATE_EXAMPLES = """examples:
  uv run generate.py > template.json             the chapter's stack, built-in defaults
  uv run generate.py --config app.toml           your own app
  uv run generate.py --format yaml -o stack.yaml YAML, written to a file
"""

DEPLOY_EXAMPLES = """examples:
  uv run deploy.py --diff                         what would change; changes nothing
  uv run deploy.py                                diff, ask, deploy, follow to the end
  uv run deploy.py --config app.toml --yes        CI: no prompt
  uv run deploy.py --template template.json --parameter TaskCpu=1024 --parameter TaskMemory=2048
  uv run deploy.py --diff --json                  the diff as JSON, for CI and reviews
  uv run deploy.py --config examples/web-service.toml --build examples/app --yes   build, push and deploy your image
  uv run deploy.py --destroy
  uv run deploy.py --diff --exit-code             CI: exit 3 when there are changes, 0 when there are none
  uv run deploy.py --diff --keep --markdown > plan.md   review in a pull request; prints the change set's name
  uv run deploy.py --execute NAME --yes           after the merge: execute exactly that reviewed change set
  uv run deploy.py --diff --drift                 what was changed outside CloudFormation, per resource
  uv run deploy.py --status                       is it healthy? (exit 0 healthy, 1 not)
  uv run deploy.py --logs --since 1h --container web --filter ERROR
  uv run deploy.py --logs --tail                  follow the app's logs until Ctrl-C
  uv run deploy.py --rollback [--to 3]            put the previous release back (diff, approval)
  uv run deploy.py --follow                       follow the stack's operation in progress to the end

exit codes: 0 done or no changes, 1 the deployment failed in AWS, 2 bad input/refused/declined
(including a replacement of something that carries traffic or data without --allow-replacement),
3 --diff --exit-code found changes, 130 interrupted (Ctrl-C), 143 SIGTERM, 129 SIGHUP (each cleans up what was
not executed); --status: 0 healthy, 1 not healthy
"""


S3_BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")


class _StoreOnce(argparse._StoreAction):
    """argparse's `store`, but an option given twice is an error: `--config a.toml --config b.toml` would otherwise
    deploy b.toml without a word (argparse lets the last one win). Repeatable options use `append`."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        given: dict[str, object] = namespace.__dict__.setdefault("_given_once", {})
        if self.dest in given:
            raise argparse.ArgumentError(self, f"given twice ({given[self.dest]!r}, then {values!r}); give it once")
        given[self.dest] = values
        super().__call__(parser, namespace, values, option_string)


class ArgumentParser(argparse.ArgumentParser):
    """argparse, but a bad argument is one line on stderr (and exit 2), not usage plus error; an option that takes
    one value may be given once."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.register("action", None, _StoreOnce)
        self.register("action", "store", _StoreOnce)

    def error(self, message: str) -> NoReturn:
        print(f"error: {message} (see {self.prog} --help)", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def generate_parser() -> ArgumentParser:
    parser = ArgumentParser(
        prog="generate.py",
        description="Emit the CloudFormation template of an ECS Fargate web app.",
        epilog=GENERATE_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--config", metavar="FILE", help="TOML config file (default: the chapter's stack)")
    parser.add_argument("--format", choices=FORMATS, default="json", help="template format (default: json)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    return parser


def refuse_blank_values(args: argparse.Namespace, parser: argparse.ArgumentParser) -> None:
    """An empty or blank value is a mistake (an unset shell variable), never "not given": one line naming the option."""
    for action in parser._actions:
        value = getattr(args, action.dest, None)
        values = value if isinstance(value, list) else [value]
        for item in values:
            if isinstance(item, str) and not item.strip():
                option = "/".join(action.option_strings)
                raise UserError(f"{option} {item!r}: empty; give a value, or leave out {option} for its default")


def parse_generate(argv: Sequence[str] | None = None) -> GenerateOptions:
    """argparse's reading; generate.py reads the plain command lines without it (generate_options.py)."""
    parser = generate_parser()
    args = parser.parse_args(argv)
    refuse_blank_values(args, parser)
    return GenerateOptions(config=args.config, format=args.format, output=args.output)


def deploy_parser() -> ArgumentParser:
    parser = ArgumentParser(
        prog="deploy.py",
        description="Deploy the ECS Fargate stack with a CloudFormation change set.",
        epilog=DEPLOY_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    source = parser.add_argument_group("template (default: the built-in stack)")
    source.add_argument("--config", metavar="FILE", help="TOML config, built in-process like generate.py")
    source.add_argument("--template", metavar="FILE", help="a JSON or YAML template file (e.g. generate.py's output)")
    target = parser.add_argument_group("where")
    target.add_argument("--stack-name", metavar="NAME", help="default: the config's stack_name (my-container-infra)")
    target.add_argument("--region", help="default: the standard AWS chain (AWS_REGION, profile)")
    target.add_argument("--profile", help="AWS profile; default: the standard AWS chain")
    what = parser.add_argument_group("what")
    what.add_argument("--diff", action="store_true", help="show what would change and change nothing")
    what.add_argument(
        "--destroy", action="store_true", help="delete the stack (lists what is deleted and what is retained)"
    )
    what.add_argument("-y", "--yes", action="store_true", help="do not ask (for CI)")
    what.add_argument(
        "--json", action="store_true", help="print the diff as JSON on stdout (everything else on stderr)"
    )
    what.add_argument(
        "--parameter", action="append", default=[], metavar="KEY=VALUE", help="a stack parameter (repeatable)"
    )
    what.add_argument("--tag", action="append", default=[], metavar="KEY=VALUE", help="a stack tag (repeatable)")
    what.add_argument(
        "--build", metavar="DIR", help="build DIR/Dockerfile, push it to the config's [repository], deploy it"
    )
    what.add_argument(
        "--s3-bucket", metavar="NAME", help="bucket for templates over 51,200 bytes (default: one the tool creates)"
    )
    what.add_argument(
        "--follow",
        action="store_true",
        help="follow what the stack is doing now (a deploy that lost its connection, CI, the console) to the end",
    )
    _add_day2_arguments(parser)
    from container_infra.safety_cli import add_safety_arguments

    add_safety_arguments(parser)
    return parser


DAY2_LOG_FLAGS = ("--since", "--tail", "--container", "--filter")
DURATION = re.compile(r"(\d+)([smhd])")
SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
MAX_SINCE_SECONDS = 30 * 86400
DEFAULT_SINCE_SECONDS = 600


def _add_day2_arguments(parser: ArgumentParser) -> None:
    after = parser.add_argument_group("after a deploy (day 2)")
    after.add_argument(
        "--status",
        action="store_true",
        help="the stack, service, tasks, targets and URL; exit 0 healthy, 1 not (--json for CI)",
    )
    after.add_argument(
        "--logs", action="store_true", help="the app's CloudWatch logs, all containers and tasks in time order"
    )
    after.add_argument(
        "--since", metavar="DURATION", help="with --logs: how far back, e.g. 30s, 10m, 2h, 1d (default 10m)"
    )
    after.add_argument("--tail", action="store_true", help="with --logs: keep following new lines until Ctrl-C")
    after.add_argument("--container", metavar="NAME", help="with --logs: only this container's lines")
    after.add_argument(
        "--filter",
        metavar="PATTERN",
        help="with --logs: a CloudWatch Logs filter pattern, e.g. ERROR or '\"GET /health\"'",
    )
    after.add_argument(
        "--rollback",
        action="store_true",
        help="deploy the previous release again (images and task size), with diff and approval",
    )
    after.add_argument("--to", metavar="REVISION", help="with --rollback: the task definition revision to go back to")


def parse_duration(text: str, flag: str) -> int:
    match = DURATION.fullmatch(text.strip())
    seconds = int(match.group(1)) * SECONDS[match.group(2)] if match else 0
    if not match or not 0 < seconds <= MAX_SINCE_SECONDS:
        raise UserError(f"{flag} {text!r}: expected a duration from 1s to 30d, like 30s, 10m, 2h or 1d")
    return seconds


def _day2_conflicts(args: argparse.Namespace) -> tuple[int, int | None]:
    """Refuse what does not go together; (--since in seconds, --to)."""
    chosen = [
        flag
        for flag, on in (
            ("--status", args.status),
            ("--logs", args.logs),
            ("--rollback", args.rollback),
            ("--destroy", args.destroy),
            ("--build", args.build is not None),
            ("--execute", args.execute is not None),
            ("--follow", args.follow),
        )
        if on
    ]
    if len(chosen) > 1:
        raise UserError(f"{' and '.join(chosen)} both given: use one at a time")
    log_flags = [
        flag
        for flag, value in zip(DAY2_LOG_FLAGS, (args.since, args.tail or None, args.container, args.filter))
        if value is not None
    ]
    if log_flags and not args.logs:
        raise UserError(
            f"{', '.join(log_flags)} go{'es' if len(log_flags) == 1 else ''} with --logs (e.g. deploy.py --logs {log_flags[0]} ...)"
        )
    if args.to is not None and not args.rollback:
        raise UserError(f"--to {args.to} goes with --rollback (deploy.py --rollback --to {args.to})")
    if (args.status or args.logs) and (args.diff or args.yes or args.parameter or args.tag or args.s3_bucket):
        raise UserError(f"{chosen[0]} only reads: it takes no --diff, --yes, --parameter, --tag or --s3-bucket")
    if args.logs and args.json:
        raise UserError("--logs takes no --json: it prints log lines (use --status --json for data)")
    if args.rollback and args.parameter:
        raise UserError("--rollback takes no --parameter: it sets the images and task size of the release it restores")
    to = None
    if args.to is not None:
        if not str(args.to).isdigit() or int(args.to) < 1:
            raise UserError(f"--to {args.to!r}: expected a task definition revision number, like 3")
        to = int(args.to)
    return (parse_duration(args.since, "--since") if args.since is not None else DEFAULT_SINCE_SECONDS), to


def parse_deploy(argv: Sequence[str] | None = None) -> DeployOptions:
    """deploy.py's options, with every conflict between flags refused here (one line, exit 2)."""
    from container_infra.cfn.parameters import parse_assignments

    parser = deploy_parser()
    args = parser.parse_args(argv)
    refuse_blank_values(args, parser)
    if args.config and args.template:
        raise UserError("--config and --template both given: use one (a config is built into a template)")
    if args.destroy and (args.json or args.parameter or args.tag or args.s3_bucket):
        raise UserError("--destroy takes no --json, --parameter, --tag or --s3-bucket: it deletes the stack as it is")
    if args.s3_bucket is not None and not S3_BUCKET.fullmatch(args.s3_bucket):
        raise UserError(
            f"--s3-bucket {args.s3_bucket!r}: not an S3 bucket name; 3-63 lowercase letters, digits, '.' and '-', "
            "starting and ending with a letter or digit"
        )
    if args.follow and (
        args.diff or args.destroy or args.build is not None or args.json or args.parameter or args.tag or args.s3_bucket
    ):
        raise UserError(
            "--follow only follows the stack's operation in progress: it takes no --diff, --destroy, --build, --json, "
            "--parameter, --tag or --s3-bucket"
        )
    since_seconds, to_revision = _day2_conflicts(args)
    if args.build is not None:
        if args.template or not args.config:
            raise UserError(
                "--build goes with --config (the config names the repository and the container), not with --template or the default stack"
            )
        if args.diff or args.destroy:
            raise UserError("--build pushes an image, so it does not go with --diff or --destroy")
    from container_infra.safety_cli import safety_options

    safety = safety_options(args)
    return DeployOptions(
        safety=safety,
        config=args.config,
        template=args.template,
        stack_name=args.stack_name,
        region=args.region,
        profile=args.profile,
        diff_only=args.diff,
        yes=args.yes,
        json=args.json,
        destroy=args.destroy,
        build=args.build,
        parameters=parse_assignments(args.parameter, "--parameter"),
        tags=parse_assignments(args.tag, "--tag"),
        s3_bucket=args.s3_bucket,
        follow=args.follow,
        status=args.status,
        logs=args.logs,
        tail=args.tail,
        container=args.container,
        log_filter=args.filter,
        rollback=args.rollback,
        since_seconds=since_seconds,
        to_revision=to_revision,
    )
