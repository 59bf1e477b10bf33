"""`deploy.py --env a,b --diff` and `--env all --diff`: every environment's change set made and shown together.

Every account is checked before the first change set is made; nothing is executed; every change set (and review
stack) is deleted again, or kept with --keep for `--env NAME --execute`.
"""

from __future__ import annotations

import sys
from contextlib import ExitStack
from dataclasses import dataclass

from container_infra.aws.session import Aws
from container_infra.cfn.stacks import refuse_stuck
from container_infra.config import load_config
from container_infra.config.environments import ALL
from container_infra.errors import EXIT_CHANGES, EXIT_OK, UserError
from container_infra.hints import EnvironmentTarget, in_environment
from container_infra.options import DeployOptions
from container_infra.render.environments import (
    TEXT_HEADERS,
    Reviewed,
    environments_json,
    environments_markdown,
    summary_rows,
)
from container_infra.render.text import render_diff
from container_infra.steps.environment import session_for
from container_infra.steps.plan import Plan, plan, settled_stack
from container_infra.steps.source import TemplateSource, load_source
from container_infra.steps.unexecuted import discarded_on_failure, keep_or_discard, name_of
from container_infra.ui.output import Output


@dataclass
class Target:
    """One environment on its way to a review: its template and the clients in its account."""

    name: str
    source: TemplateSource
    aws: Aws
    config: str  # the file --config named

    @property
    def hints(self) -> EnvironmentTarget:
        """The commands suggested for this environment name it, not its stack: that runs in the right account."""
        assert self.source.config is not None and self.source.config.environment is not None
        return EnvironmentTarget(self.config, self.name, self.source.config.environment.account)


def review_environments(options: DeployOptions, out: Output, *, aws: Aws | None = None) -> int:
    if options.action != "deploy" or not options.diff_only:
        flag = "--diff" if options.action == "deploy" else f"--{options.action}"
        raise UserError(
            f"--env {','.join(options.envs)}: several environments are reviewed together with a deploy's --diff "
            f"only; {flag} acts on one environment: give --env NAME"
        )
    targets = [_target(options, name, aws, out) for name in _names(options)]  # every account checked first
    with ExitStack() as cleanup:  # whatever stops the run deletes every change set made so far
        plans = []
        for target in targets:
            with in_environment(target.hints):
                plans.append(_plan(target, options, out, cleanup))
        reviews = [_reviewed(target, planned) for target, planned in zip(targets, plans, strict=True)]
        _show(reviews, options, out)
        for target, planned in zip(targets, plans, strict=True):
            with in_environment(target.hints):
                keep_or_discard(target.aws, planned, out, keep=options.safety.keep)
    errors = sum(planned.forecast_errors for planned in plans)
    if errors:
        raise UserError(f"the forecast found {errors} problem(s) that AWS would refuse (listed above); fix them first")
    changed = any(review.diff.has_changes for review in reviews)
    return EXIT_CHANGES if options.safety.exit_code and changed else EXIT_OK


def _plan(target: Target, options: DeployOptions, out: Output, cleanup: ExitStack) -> Plan:
    out.line(f"Environment {target.name}: making the change set for {target.source.stack_name} ...")
    existing = settled_stack(target.aws, target.source.stack_name, out)
    refuse_stuck(existing)
    planned = plan(target.aws, options, target.source, target.source.stack_name, existing, out)
    cleanup.enter_context(discarded_on_failure(target.aws, planned))
    return planned


def _names(options: DeployOptions) -> tuple[str, ...]:
    assert options.config is not None  # the conflicts table: --env needs --config
    defined = load_config(options.config).environment_names
    if not defined:
        raise UserError(f"--env {','.join(options.envs)}: {options.config} has no [environments.<name>] tables")
    if options.envs == (ALL,):
        return defined
    unknown = [name for name in options.envs if name not in defined]
    if unknown:
        raise UserError(f"--env {unknown[0]}: {options.config} has no such environment; it has {', '.join(defined)}")
    return options.envs


def _target(options: DeployOptions, name: str, aws: Aws | None, out: Output) -> Target:
    source = load_source(options.config, None, name)
    assert source.config is not None and source.config.environment is not None
    return Target(name, source, session_for(source.config.environment, options, aws, out.line), str(options.config))


def _reviewed(target: Target, planned: Plan) -> Reviewed:
    environment = target.source.config.environment if target.source.config else None
    assert environment is not None
    return Reviewed(
        environment=target.name,
        account=environment.account,
        region=planned.region,
        stack_name=planned.stack_name,
        new_stack=planned.new_stack,
        diff=planned.diff,
        change_set_id=planned.change_set_id,
    )


def _show(reviews: list[Reviewed], options: DeployOptions, out: Output) -> None:
    if options.safety.markdown:
        kept = {
            r.environment: name_of(r.change_set_id)
            if options.safety.keep and r.change_set_id and r.diff.has_changes
            else None
            for r in reviews
        }
        _write(environments_markdown(reviews, kept, str(options.config)))
    elif options.json:
        _write(environments_json(reviews) + "\n")
    else:
        out.heading("Environments")
        rows = summary_rows(reviews)
        out.table(TEXT_HEADERS, rows, [None] * len(rows))
        for review in reviews:
            out.heading(f"Environment {review.environment} (account {review.account})")
            render_diff(
                out, review.diff, stack_name=review.stack_name, region=review.region, new_stack=review.new_stack
            )


def _write(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()
