"""What deploy.py does: one command per `options.action`, combining `cfn` (what), `aws` (how) and `ui` (who is told).

`run` is the one place that wires them together for deploy.py; `COMMANDS` says which function runs which action.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from container_infra.options import Action, DeployOptions
from container_infra.ui.approval import Prompt, TypedPrompt, confirm, read_line, stdin_is_tty

if TYPE_CHECKING:
    from container_infra.aws.session import Aws
    from container_infra.steps.approve import Asking
    from container_infra.steps.source import TemplateSource
    from container_infra.ui.output import Output

# These build the template from --config or --template (follow reads only the stack's name from it); the others act
# on the deployed stack and need its name alone.
NEEDS_TEMPLATE: frozenset[Action] = frozenset({"deploy", "build", "follow"})


@dataclass(frozen=True)
class Context:
    """What every command is given: the options, the template (None when it needs none), where, how to ask."""

    options: DeployOptions
    source: TemplateSource | None
    stack_name: str
    aws: Aws
    out: Output
    asking: Asking


def run(
    options: DeployOptions,
    *,
    aws: Aws | None = None,
    prompt: Prompt = confirm,
    tty: bool | None = None,
    typed: TypedPrompt = read_line,
) -> int:
    """deploy.py's options to the command they choose; `aws`, `prompt`, `tty` and `typed` are for tests."""
    from container_infra.aws.session import aws_errors
    from container_infra.hints import EnvironmentTarget, in_environment
    from container_infra.steps.approve import Asking
    from container_infra.steps.environment import chosen_environment, session_for
    from container_infra.steps.source import check_stack_name, configured_stack_name, load_source
    from container_infra.ui.masked_output import MaskedOutput
    from container_infra.ui.output import Output

    environment = chosen_environment(options)
    out = MaskedOutput(Output(sys.stderr if options.json or options.safety.markdown else sys.stdout))
    asking = Asking(options.yes, stdin_is_tty() if tty is None else tty, prompt, typed)
    if len(options.envs) > 1 or (options.envs and environment is None):  # --env a,b or --env all
        from container_infra.commands.environments import review_environments

        with out.errors_masked(), aws_errors():
            return review_environments(options, out, aws=aws)
    env = environment.name if environment else None
    source = load_source(options.config, options.template, env) if options.action in NEEDS_TEMPLATE else None
    stack_name = check_stack_name(
        options.stack_name or (source.stack_name if source else configured_stack_name(options.config, env))
    )
    target = EnvironmentTarget(str(options.config), environment.name, environment.account) if environment else None
    with out.errors_masked(), aws_errors(), in_environment(target):
        session = session_for(environment, options, aws, out.line)  # an environment's account is checked first
        if options.promote_from and source is not None:
            from container_infra.commands.promotion import promoted

            options, source = promoted(options, source, out, aws)
        return COMMANDS[options.action](Context(options, source, stack_name, session, out, asking))


# Each imports its module when chosen: a run loads only the command it runs.


def _deploy(context: Context) -> int:
    from container_infra.commands.deploy import deploy

    assert context.source is not None
    return deploy(context.options, context.source, context.stack_name, context.aws, context.out, context.asking)


def _build(context: Context) -> int:
    from container_infra.commands.build import Release

    assert context.source is not None
    options, source, stack_name = context.options, context.source, context.stack_name
    return Release(options, source, stack_name, context.aws, context.out, context.asking).run()


def _follow(context: Context) -> int:
    """It follows the deployed stack's own template (the built one only names the stack)."""
    from container_infra.commands.follow import follow

    return follow(context.aws, context.stack_name, context.out)


def _destroy(context: Context) -> int:
    from container_infra.commands.destroy import destroy

    return destroy(context.aws, context.stack_name, context.out, context.asking, diff_only=context.options.diff_only)


def _execute(context: Context) -> int:
    from container_infra.commands.execute import execute_reviewed

    return execute_reviewed(context.options, context.stack_name, context.aws, context.out, context.asking)


def _discard(context: Context) -> int:
    from container_infra.commands.discard import discard_kept

    return discard_kept(str(context.options.safety.discard), context.stack_name, context.aws, context.out)


def _status(context: Context) -> int:
    from container_infra.commands.status import status

    return status(context.aws, context.stack_name, context.out, as_json=context.options.json)


def _logs(context: Context) -> int:
    from container_infra.commands.logs import show_logs

    return show_logs(context.aws, context.stack_name, context.out, context.options)


def _rollback(context: Context) -> int:
    from container_infra.commands.rollback import rollback

    return rollback(context.options, context.stack_name, context.aws, context.out, context.asking)


COMMANDS: dict[Action, Callable[[Context], int]] = {
    "deploy": _deploy,
    "build": _build,
    "follow": _follow,
    "destroy": _destroy,
    "execute": _execute,
    "discard": _discard,
    "status": _status,
    "logs": _logs,
    "rollback": _rollback,
}
