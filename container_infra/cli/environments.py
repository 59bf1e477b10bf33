"""--env and --promote-from as values: which environments a run is about, checked before any config is read."""

from __future__ import annotations

import argparse

from container_infra.config.environments import ACCOUNT, ALL, ENVIRONMENT_NAME, ENVIRONMENT_NAME_RULE
from container_infra.errors import UserError
from container_infra.options import DeployRoleOptions


def environment_names(env: str | None, promote_from: str | None, *, diff_only: bool) -> tuple[str, ...]:
    """The names --env gives (`a,b`, or `all`); several only with --diff, since only a review spans environments."""
    if env is None:
        return ()
    names = tuple(env.split(","))  # not stripped: generate.py takes the name as given, and both read it alike
    for name in names:
        checked_name("--env", name)
    if promote_from is not None:
        checked_name("--promote-from", promote_from)
    if len(set(names)) != len(names):
        raise UserError(f"--env {env}: names an environment twice; name each once")
    several = len(names) > 1 or ALL in names
    if several and ALL in names and len(names) > 1:
        raise UserError(f"--env {env}: '{ALL}' already means every environment; give '{ALL}' or names")
    if several and not diff_only:
        raise UserError(
            f"--env {env} goes with --diff: several environments are reviewed together and deployed one at a time "
            "(--env NAME)"
        )
    if promote_from is not None:
        if several:
            raise UserError(f"--promote-from {promote_from} promotes to one environment: give --env NAME, not {env}")
        if promote_from == names[0]:
            raise UserError(
                f"--promote-from {promote_from}: the same environment as --env; promote from another one, "
                f"like --env prod --promote-from {promote_from}"
            )
    return names


def checked_name(flag: str, name: str) -> str:
    """One environment's name as a flag gives it, the same in generate.py and deploy.py."""
    if name != ALL and not ENVIRONMENT_NAME.fullmatch(name):
        raise UserError(f"{flag} {name!r}: not an environment name ({ENVIRONMENT_NAME_RULE}, or {ALL})")
    return name


def generate_environment(env: str | None) -> str | None:
    """generate.py prints one environment's template: a name, never `all` or a list."""
    if env is None:
        return None
    if env == ALL or "," in env:
        raise UserError(f"--env {env}: generate.py prints one environment's template; give one name")
    return checked_name("--env", env)


def deploy_role(args: argparse.Namespace) -> DeployRoleOptions | None:
    """generate.py --deploy-role: a template of its own, so it takes none of the stack's options."""
    if not args.deploy_role:
        for flag, value in (("--trust-account", args.trust_account), ("--cfn-role", args.cfn_role)):
            if value:
                raise UserError(f"{flag} goes with --deploy-role (generate.py --deploy-role --trust-account ACCOUNT)")
        return None
    if args.config or args.env:
        raise UserError("--deploy-role prints the deploy role's template: it takes no --config or --env")
    if args.trust_account is None:
        raise UserError("--deploy-role needs --trust-account ACCOUNT: the 12-digit account that may assume the role")
    if not ACCOUNT.fullmatch(args.trust_account):
        raise UserError(f"--trust-account {args.trust_account!r}: must be a 12-digit AWS account ID")
    return DeployRoleOptions(args.trust_account, args.cfn_role)
