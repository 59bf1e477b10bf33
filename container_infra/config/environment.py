"""A container's environment: its plain variables (`environment`) and its secrets (`secrets = { NAME = "..." }`),
where ECS reads each secret's value from when it starts the task.

Two sources of secrets, as the ECS developer guide's "Pass sensitive data to an Amazon ECS container" documents them:

* Secrets Manager: the secret's complete ARN, optionally followed by `:json-key:version-stage:version-id`
  (each of the three may be empty, e.g. `...:secret:db-AbCdEf:password::`);
* SSM Parameter Store: `ssm:/path/name` (or `ssm:name`), turned into the parameter's ARN in the stack's
  own partition, Region and account; or the parameter's complete ARN, kept as given (a parameter of another Region
  or a shared one of another account, which ECS takes by its ARN only).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from container_infra.config.tables import Table

ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")  # a variable's name, in `environment` and in `secrets`
SECRET_ARN = re.compile(
    r"(?P<arn>arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]{1,512}-[A-Za-z0-9]{6})"
    r"(?P<suffix>:[^:\s]*:[^:\s]*:[^:\s]*)?"
)
SSM_NAME = re.compile(r"(?:/[A-Za-z0-9_.-]+)+|[A-Za-z0-9_.-]+")
SSM_ARN = re.compile(r"arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter(?P<path>/.+)")
SSM_NAME_MAX = 1011  # a parameter name's limit in characters (SSM PutParameter)
SSM_MAX_LEVELS = 15  # a hierarchy's depth (SSM: HierarchyLevelLimitExceededException, "a maximum of 15 levels")
KMS_KEY_ARN = re.compile(r"arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key/[A-Za-z0-9-]{1,128}")
SECRET_RULE = (
    "a Secrets Manager secret's complete ARN (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-XXXXXX), optionally "
    "followed by :JSON-KEY:VERSION-STAGE:VERSION-ID (each may be empty), ssm:/PARAMETER/NAME, or a parameter's "
    "complete ARN (arn:aws:ssm:REGION:ACCOUNT:parameter/NAME)"
)


@dataclass(frozen=True, slots=True)
class SecretSource:
    """One secret: `value_from` is what ECS is given; `resource` is what the execution role may read.

    secretsmanager: `value_from` is the ARN as given, `resource` the secret's ARN without the suffix;
    ssm: both are the parameter's path, "/..." (the template builds its ARN);
    ssm-arn: both are the parameter's complete ARN, as given.
    """

    name: str
    kind: str  # "secretsmanager", "ssm" or "ssm-arn"
    value_from: str
    resource: str


def parse_environment(table: Table) -> dict[str, str]:
    env = table.table("environment")
    values: dict[str, str] = {}
    for key, value in env.data.items():
        if not ENV_NAME.fullmatch(key):
            raise env.fail(
                key, value, "environment variable names hold letters, digits and '_' and do not start with a digit"
            )
        if isinstance(value, bool):
            values[key] = "true" if value else "false"
        elif isinstance(value, float):
            # TOML reads 3.10 as the float 3.1 and 1e3 as 1000.0: the container would get a value nobody wrote.
            raise env.fail(
                key,
                value,
                f"an unquoted decimal number is a TOML float and does not keep how it was written (3.10 becomes "
                f'3.1); quote it: {key} = "..."',
            )
        elif isinstance(value, (str, int)):
            values[key] = str(value)
        else:
            raise env.fail(key, value, "must be a string, integer or boolean")
    return values


def parse_secrets(table: Table, environment: dict[str, str]) -> tuple[SecretSource, ...]:
    """() without the key; else each secret, sorted by name."""
    if table.get("secrets", dict, None) is None:
        return ()
    secrets = table.table("secrets")
    sources = []
    for name, value in sorted(secrets.data.items()):
        if not ENV_NAME.fullmatch(name):
            raise secrets.fail(
                name,
                value,
                "secret names are environment variable names: letters, digits and '_', not starting with a digit",
            )
        if name in environment:
            raise secrets.fail(
                name,
                value,
                f"{name} is also in this container's environment; a variable comes from one place: "
                f"remove it from environment or from secrets",
            )
        if not isinstance(value, str):
            raise secrets.fail(name, value, f"must be a string: {SECRET_RULE}")
        sources.append(_source(secrets, name, value))
    return tuple(sources)


def _source(table: Table, name: str, value: str) -> SecretSource:
    if value.startswith("ssm:"):
        path = value[len("ssm:") :]
        if not (len(path) <= SSM_NAME_MAX and SSM_NAME.fullmatch(path)):
            raise table.fail(
                name,
                value,
                "ssm: is followed by a Parameter Store name: letters, digits, '_', '.' and '-', "
                "a hierarchy starts with '/' and has no empty level, at most 1011 characters",
            )
        levels = path.strip("/").count("/") + 1
        if levels > SSM_MAX_LEVELS:
            raise table.fail(
                name,
                value,
                f"the parameter name has {levels} levels; Parameter Store allows at most {SSM_MAX_LEVELS} "
                "(it refuses deeper names, so ECS could never read it)",
            )
        path = path if path.startswith("/") else "/" + path
        return SecretSource(name, "ssm", path, path)
    parameter = SSM_ARN.fullmatch(value)
    if parameter is not None:
        if not (len(parameter.group("path")) <= SSM_NAME_MAX + 1 and SSM_NAME.fullmatch(parameter.group("path"))):
            raise table.fail(name, value, f"not a Parameter Store name after parameter; expected {SECRET_RULE}")
        return SecretSource(name, "ssm-arn", value, value)
    match = SECRET_ARN.fullmatch(value)
    if match is None:
        raise table.fail(name, value, f"not a secret reference; expected {SECRET_RULE}")
    return SecretSource(name, "secretsmanager", value, match.group("arn"))


def parse_secrets_kms_key(table: Table, has_secrets: bool) -> str:
    """ "" without the key: the secrets are encrypted with AWS managed keys."""
    key = table.get("secrets_kms_key", str, "")
    if not table.has("secrets_kms_key"):
        return ""
    if not KMS_KEY_ARN.fullmatch(key):
        raise table.fail(
            "secrets_kms_key",
            key,
            "must be a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/KEY-ID); an alias does not grant kms:Decrypt",
        )
    if not has_secrets:
        raise table.fail(
            "secrets_kms_key",
            key,
            "no container has secrets to decrypt with it; add secrets = { ... } to a [[task.containers]] "
            "or remove this key",
        )
    return key
