"""A run for one `--env`: the environment's region, its role, and its account checked before anything else."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from container_infra.aws.express import knows_deployment_config
from container_infra.aws.identity import assumed, caller_account
from container_infra.aws.session import Aws, connect
from container_infra.config import load_config
from container_infra.config.environments import ALL, Environment
from container_infra.config.model import StackConfig
from container_infra.errors import UserError
from container_infra.options import DeployOptions


def chosen_environment(options: DeployOptions) -> Environment | None:
    """The environment --env names (None: no --env). A config with environments is deployed to one of them only:
    its base has no account, so deploying it could land anywhere."""
    if options.config is None:
        return None
    env = options.envs[0] if len(options.envs) == 1 and options.envs[0] != ALL else None
    config = load_config(options.config, env)
    if config.environment_names and not options.envs:
        raise UserError(
            f"{options.config} defines environments ({', '.join(config.environment_names)}): "
            "pass --env NAME to say which one (its account is checked before anything is changed)"
        )
    return config.environment


def environment_region(environment: Environment, region: str | None) -> str | None:
    """The environment's region; --region may only repeat it (a deploy into another region is another stack)."""
    if region is not None and environment.region is not None and region != environment.region:
        raise UserError(
            f"--region {region}: environment {environment.name} is in {environment.region}; "
            "leave out --region, or change the environment's region in the config"
        )
    return environment.region or region


def session_for(
    environment: Environment | None, options: DeployOptions, aws: Aws | None, say: Callable[[str], None]
) -> Aws:
    """The run's clients (`aws`: given by a test); for an environment, in its region and account or refused."""
    if environment is None:
        return aws or connect(options.region, options.profile, say=say)
    region = environment_region(environment, options.region)
    return into_account(aws or connect(region, options.profile, say=say), environment)


def into_account(aws: Aws, environment: Environment) -> Aws:
    """Clients acting in the environment's account (through its role_arn when it has one), or a refusal before any
    change: the right change in the wrong account is the worst deploy there is."""
    if environment.role_arn:
        aws.say(f"Assuming {environment.role_arn} for environment {environment.name} ...")
        aws = assumed(aws, environment.role_arn)
    account = caller_account(aws)
    if account != environment.account:
        raise UserError(
            f"--env {environment.name}: the credentials are for account {account}, but environment "
            f"{environment.name} is account {environment.account}; nothing was changed (use credentials for "
            f"{environment.account}, or give the environment a role_arn)"
        )
    return aws


def change_set_extras(config: StackConfig | None, cloudformation: Any) -> dict[str, Any]:
    """CreateChangeSet's arguments an environment adds: its CloudFormation service role (RoleARN: CloudFormation acts
    with that role's permissions, and keeps it for the stack's later operations) and express mode."""
    environment = config.environment if config else None
    if environment is None:
        return {}
    extras: dict[str, Any] = {"RoleARN": environment.cfn_role_arn} if environment.cfn_role_arn else {}
    if environment.express:
        if config is not None and config.service is not None:
            raise UserError(
                f"environment {environment.name}: express = true with a [service]: CloudFormation's express mode does "
                "not update an ECS service whose task definition is replaced by a parameter change, and reports "
                "success (cloudformation-coverage-roadmap#2538); set express = false for this stack"
            )
        if not knows_deployment_config(cloudformation):
            raise UserError(
                f"environment {environment.name}: express = true, but the installed boto3 does not know "
                "CloudFormation's express mode (CreateChangeSet DeploymentConfig); upgrade boto3, "
                "or set express = false"
            )
        # Rollback stays on: a failed deploy must not leave a half-made stack, express or not.
        extras["DeploymentConfig"] = {"Mode": "EXPRESS", "DisableRollback": False}
    return extras
