"""The decisions: what deploy, destroy, build, status, logs and rollback do, combining `cfn` (what) with `aws` (how) and `ui` (who is told).

`run` is the one place that wires them together for deploy.py.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from container_infra.options import DeployOptions
from container_infra.ui.approval import Prompt, TypedPrompt, confirm, read_line, stdin_is_tty

if TYPE_CHECKING:
    from container_infra.aws.session import Aws
    from container_infra.steps.approve import Asking
    from container_infra.ui.output import Output


def run(
    options: DeployOptions,
    *,
    aws: Aws | None = None,
    prompt: Prompt = confirm,
    tty: bool | None = None,
    typed: TypedPrompt = read_line,
) -> int:
    """deploy.py's options to a deploy, a destroy or a build; `aws`, `prompt`, `tty` and `typed` are for tests."""
    from container_infra.aws.session import aws_errors, connect
    from container_infra.steps.approve import Asking
    from container_infra.steps.source import check_stack_name, configured_stack_name, load_source
    from container_infra.ui.masked_output import MaskedOutput
    from container_infra.ui.output import Output

    # Only a deploy or a build needs the template; the other commands need the stack's name alone.
    acts_on_the_deployed_stack = (
        options.destroy or options.status or options.logs or options.rollback or options.safety.execute
    )
    source = (
        None if acts_on_the_deployed_stack and options.build is None else load_source(options.config, options.template)
    )
    stack_name = check_stack_name(
        options.stack_name or (source.stack_name if source else configured_stack_name(options.config))
    )
    out = MaskedOutput(Output(sys.stderr if options.json or options.safety.markdown else sys.stdout))
    asking = Asking(options.yes, stdin_is_tty() if tty is None else tty, prompt, typed)
    with out.errors_masked(), aws_errors():
        session = aws or connect(options.region, options.profile, say=out.line)
        if source is None:
            return _without_template(options, stack_name, session, out, asking)
        if options.build is not None:
            from container_infra.commands.build import Release

            return Release(options, source, stack_name, session, out, asking).run()
        if options.follow:  # it follows the deployed stack's own template (the built one only names the stack)
            from container_infra.commands.follow import follow

            return follow(session, stack_name, out)
        from container_infra.commands.deploy import deploy

        return deploy(options, source, stack_name, session, out, asking)


def _without_template(options: DeployOptions, stack_name: str, aws: Aws, out: Output, asking: Asking) -> int:
    """--destroy, --execute, --status, --logs and --rollback: they act on the deployed stack, not on a new template."""
    if options.destroy:
        from container_infra.commands.destroy import destroy

        return destroy(aws, stack_name, out, asking, diff_only=options.diff_only)
    if options.safety.execute:
        from container_infra.commands.execute import execute_reviewed

        return execute_reviewed(options, stack_name, aws, out, asking)
    return _day2(options, stack_name, aws, out, asking)


def _day2(options: DeployOptions, stack_name: str, aws: Aws, out: Output, asking: Asking) -> int:
    """--status, --logs and --rollback: after a deploy."""
    if options.status:
        from container_infra.commands.status import status

        return status(aws, stack_name, out, as_json=options.json)
    if options.logs:
        from container_infra.commands.logs import show_logs

        return show_logs(aws, stack_name, out, options)
    from container_infra.commands.rollback import rollback

    return rollback(options, stack_name, aws, out, asking)
