"""--env and --promote-from as values: which environments a run is about, checked before any config is read."""

from __future__ import annotations

from container_infra.config.environments import ALL, ENVIRONMENT_NAME, ENVIRONMENT_NAME_RULE
from container_infra.errors import UserError


def environment_names(env: str | None, promote_from: str | None, *, diff_only: bool) -> tuple[str, ...]:
    """The names --env gives (`a,b`, or `all`); several only with --diff, since only a review spans environments."""
    if env is None:
        return ()
    names = tuple(name.strip() for name in env.split(","))
    for name in (*names, *([promote_from] if promote_from else [])):
        if name != ALL and not ENVIRONMENT_NAME.fullmatch(name):
            flag = "--promote-from" if name == promote_from and name not in names else "--env"
            raise UserError(f"{flag} {name!r}: not an environment name ({ENVIRONMENT_NAME_RULE}, or {ALL})")
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
