"""The decisions: what deploy, destroy and build do, combining `cfn` (what) with `aws` (how) and `ui` (who is told).

`run` is the one place that wires them together for deploy.py.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from container_infra.cli import DeployOptions
from container_infra.ui.approval import Prompt, confirm, stdin_is_tty

if TYPE_CHECKING:
    from container_infra.aws.session import Aws


def run(options: DeployOptions, *, aws: Aws | None = None, prompt: Prompt = confirm, tty: bool | None = None) -> int:
    """deploy.py's options to a deploy, a destroy or a build; `aws`, `prompt` and `tty` are for tests."""
    from container_infra.aws.session import aws_errors, connect
    from container_infra.commands.source import check_stack_name, load_source
    from container_infra.ui.masked_output import MaskedOutput
    from container_infra.ui.output import Output

    source = load_source(options.config, options.template)
    stack_name = check_stack_name(options.stack_name or source.stack_name)
    out = MaskedOutput(Output(sys.stderr if options.json else sys.stdout))
    tty = stdin_is_tty() if tty is None else tty
    with out.errors_masked(), aws_errors():
        session = aws or connect(options.region, options.profile)
        if options.build is not None:
            from container_infra.commands.build import Release

            return Release(options, source, stack_name, session, out, prompt=prompt, tty=tty).run()
        if options.destroy:
            from container_infra.commands.destroy import destroy

            return destroy(session, stack_name, out, yes=options.yes, diff_only=options.diff_only, tty=tty, prompt=prompt)
        from container_infra.commands.deploy import Deployment

        return Deployment(options, source, stack_name, session, out, prompt=prompt, tty=tty).run()
