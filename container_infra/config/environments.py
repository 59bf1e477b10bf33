"""`[environments.<name>]`: one config for several accounts and regions.

Each environment names where it lives (`account`, required, so a deploy can never land in the wrong account;
`region`, the roles) and overrides any key of the base: tables merge key by key, arrays and values are replaced
whole. The merged data is read by the same parser as the base, so an override of a key the base does not know is
the same error as an unknown key.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from container_infra.config.tables import Table, as_toml
from container_infra.errors import ConfigError

if TYPE_CHECKING:
    from container_infra.config.model import StackConfig

ACCOUNT = re.compile(r"[0-9]{12}")  # ASCII digits: \d would take full-width ones, which IAM refuses
ENVIRONMENT_NAME = re.compile(r"[a-z][a-z0-9-]{0,31}")
ENVIRONMENT_NAME_RULE = "a lowercase letter, then lowercase letters, digits and '-', at most 32 characters"
ROLE_ARN = re.compile(r"arn:aws[-a-z]*:iam::([0-9]{12}):role/[\w+=,.@/-]{1,512}")
REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-\d")
ALL = "all"  # --env all: every environment; so no environment may be called that
# The keys only an environment has; every other key of its table overrides the base.
OWN_KEYS = ("account", "region", "role_arn", "cfn_role_arn", "express")


@dataclass(frozen=True, slots=True)
class Environment:
    """Where one environment lives and how the tool reaches it."""

    name: str
    account: str
    region: str | None = None  # None: --region or the standard AWS chain
    role_arn: str | None = None  # assumed with STS for the run
    cfn_role_arn: str | None = None  # CloudFormation's service role (RoleARN of the change set)
    express: bool = False


def split_environments(data: dict[str, Any], source: str) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The base (the file without `[environments]`) and each environment's own table, checked for shape."""
    if "environments" not in data:
        return data, {}
    base = {key: value for key, value in data.items() if key != "environments"}
    tables = data["environments"]
    if not isinstance(tables, dict) or not tables:
        raise ConfigError(
            f"{source}: environments = {as_toml(tables)}: must hold one table per environment, "
            'like [environments.staging] with account = "123456789012"'
        )
    for name, table in tables.items():
        if not ENVIRONMENT_NAME.fullmatch(name) or name == ALL:
            rule = f"'{ALL}' is kept for --env {ALL}" if name == ALL else f"must be {ENVIRONMENT_NAME_RULE}"
            raise ConfigError(f"{source}: [environments.{name}]: the environment's name {rule}")
        if not isinstance(table, dict):
            raise ConfigError(f"{source}: environments.{name} = {as_toml(table)}: must be a table")
    return base, tables


def read_environment(name: str, table: dict[str, Any], source: str) -> tuple[Environment, dict[str, Any]]:
    """The environment's own settings and the overrides it makes to the base."""
    own = Table({key: table[key] for key in OWN_KEYS if key in table}, f"environments.{name}", source)
    if "account" not in table:
        raise ConfigError(
            f"{source}: [environments.{name}] has no account: give the 12-digit AWS account it deploys to, "
            'like account = "123456789012"'
        )
    account = own.get("account", str, "")
    if not ACCOUNT.fullmatch(account):
        raise own.fail("account", account, 'must be the 12-digit AWS account ID as a string, like "123456789012"')
    region = own.get("region", str, None)
    if region is not None and not REGION.fullmatch(region):
        raise own.fail("region", region, "must be an AWS region, like eu-west-1")
    if region is not None:
        from container_infra.aws.regions import fits_a_partition, misspelt  # botocore's region data, read when needed

        near = misspelt(region)
        if near is not None or not fits_a_partition(region):
            raise own.fail("region", region, f"not an AWS region{f' (did you mean {near}?)' if near else ''}")
    environment = Environment(
        name=name,
        account=account,
        region=region,
        role_arn=_role_arn(own, "role_arn", account),
        cfn_role_arn=_role_arn(own, "cfn_role_arn", account),
        express=own.get("express", bool, False),
    )
    own.done()
    return environment, {key: value for key, value in table.items() if key not in OWN_KEYS}


def _role_arn(table: Table, key: str, account: str) -> str | None:
    arn = table.get(key, str, None)
    if arn is None:
        return None
    match = ROLE_ARN.fullmatch(arn)
    if match is None:
        raise table.fail(key, arn, "must be an IAM role ARN, like arn:aws:iam::123456789012:role/deploy")
    if match.group(1) != account:
        raise table.fail(key, arn, f"is a role in account {match.group(1)}, not in the environment's {account}")
    return arn


def merged(base: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """The base with the overrides: tables merge key by key, anything else (arrays too) is replaced whole."""
    result = dict(base)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merged(result[key], value)
        else:
            result[key] = value
    return result


def refuse_shared_stacks(stacks: dict[str, tuple[str, str | None, str]], source: str) -> None:
    """Two environments on one stack (same account, region and stack name) would overwrite each other. One without a
    region deploys wherever --region or the shell's AWS_REGION points, so it may land on any region's stack of that
    name in its account: that is refused too, not left to the shell of the day."""
    seen: dict[tuple[str, str], list[tuple[str, str | None]]] = {}
    for name, (account, region, stack_name) in stacks.items():
        for other in seen.setdefault((account, stack_name), []):
            if region is None or other[1] is None or region == other[1]:
                raise ConfigError(f"{source}: {_shared(other, (name, region), account, stack_name)}")
        seen[(account, stack_name)].append((name, region))


def _shared(first: tuple[str, str | None], second: tuple[str, str | None], account: str, stack_name: str) -> str:
    both = (
        f"[environments.{first[0]}] and [environments.{second[0]}] both deploy stack {stack_name} in account {account}"
    )
    if first[1] is not None and first[1] == second[1]:
        return f"{both} and region {first[1]}: give one its own stack_name"
    unset = first[0] if first[1] is None else second[0]
    return (
        f"{both}, and [environments.{unset}] has no region: where --region or AWS_REGION points, both are the same "
        "stack; give one its own stack_name, or give both a region"
    )


def _refuse_own_keys_in_base(base: dict[str, Any], source: str, names: tuple[str, ...]) -> None:
    """`express = true` at the top is an environment's key in the wrong place: say where it belongs."""
    for key in OWN_KEYS:
        if key in base:
            raise ConfigError(
                f"{source}: {key} = {as_toml(base[key])}: is an environment's key; it belongs in "
                f"[environments.NAME] (this file has {', '.join(f'[environments.{n}]' for n in names)})"
            )


def choose_environment(
    base: dict[str, Any],
    tables: dict[str, dict[str, Any]],
    source: str,
    wanted: str | None,
    parse: Callable[[dict[str, Any], str], StackConfig],
) -> StackConfig:
    """The config of the environment `wanted` (None: the base). Every environment is read, so a mistake in one is
    found while another is deployed, not on the day it is promoted."""
    names = tuple(tables)
    _refuse_own_keys_in_base(base, source, names)
    configs: dict[str, StackConfig] = {}
    for name, table in tables.items():
        environment, overrides = read_environment(name, table, source)
        try:
            config = parse(merged(base, overrides), f"{source} [environments.{name}]")
        except ConfigError:
            parse(base, source)  # a mistake the base makes by itself is the base's, not this environment's
            raise
        configs[name] = replace(config, environment=environment, environment_names=names)
    refuse_shared_stacks(
        {
            name: (c.environment.account, c.environment.region, c.stack_name)
            for name, c in configs.items()
            if c.environment
        },
        source,
    )
    if wanted is None:
        return replace(parse(base, source), environment_names=names)
    if wanted not in configs:
        raise ConfigError(f"--env {wanted}: {source} has no such environment; it has {', '.join(names)}")
    return configs[wanted]
