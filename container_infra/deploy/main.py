"""From parsed arguments to a deploy or a destroy: the one place that wires the parts together."""

from __future__ import annotations

import sys
from argparse import Namespace

from container_infra.deploy.approval import Prompt
from container_infra.deploy.aws import Aws, aws_errors, connect
from container_infra.deploy.destroy import destroy
from container_infra.deploy.flow import Deployment
from container_infra.deploy.options import DeployOptions
from container_infra.deploy.parameters import parse_assignments
from container_infra.deploy.source import check_stack_name, load_source
from container_infra.deploy.ui import Output, confirm, stdin_is_tty
from container_infra.errors import UserError


def options_from(args: Namespace) -> DeployOptions:
    if args.destroy and (args.json or args.parameter or args.tag or args.s3_bucket):
        raise UserError("--destroy takes no --json, --parameter, --tag or --s3-bucket: it deletes the stack as it is")
    return DeployOptions(
        config=args.config, template=args.template, stack_name=args.stack_name, region=args.region, profile=args.profile,
        diff_only=args.diff, yes=args.yes, json=args.json, destroy=args.destroy,
        parameters=parse_assignments(args.parameter, "--parameter"), tags=parse_assignments(args.tag, "--tag"),
        s3_bucket=args.s3_bucket,
    )


def run(args: Namespace, *, aws: Aws | None = None, prompt: Prompt = confirm, tty: bool | None = None) -> int:
    options = options_from(args)
    source = load_source(options.config, options.template)
    stack_name = check_stack_name(options.stack_name or source.stack_name)
    out = Output(sys.stderr if options.json else sys.stdout)
    tty = stdin_is_tty() if tty is None else tty
    with aws_errors():
        aws = aws or connect(options.region, options.profile)
        if args.build:
            from container_infra.deploy.build import Release

            return Release(options, source, stack_name, aws, out, prompt=prompt, tty=tty, build_dir=args.build).run()
        if options.destroy:
            return destroy(aws, stack_name, out, yes=options.yes, diff_only=options.diff_only, tty=tty, prompt=prompt)
        return Deployment(options, source, stack_name, aws, out, prompt=prompt, tty=tty).run()
