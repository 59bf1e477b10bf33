"""`secrets = { NAME = "..." }` in a container: where ECS reads each value from when it starts the task.

Two sources, as the ECS developer guide's "Pass sensitive data to an Amazon ECS container" documents them:

* Secrets Manager: the secret's complete ARN, optionally followed by `:json-key:version-stage:version-id`
  (each of the three may be empty, e.g. `...:secret:db-AbCdEf:password::`);
* SSM Parameter Store: `ssm:/path/name` (or `ssm:name`), turned into the parameter's ARN in the stack's
  own partition, Region and account.
"""

from __future__ import annotations

from container_infra.config.patterns import LazyPattern
from container_infra.config.record import record
from container_infra.config.tables import Table

SECRET_ARN = LazyPattern(
    r"(?P<arn>arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]{1,512}-[A-Za-z0-9]{6})"
    r"(?P<suffix>:[^:\s]*:[^:\s]*:[^:\s]*)?"
)
SSM_NAME = LazyPattern(r"(?:/[A-Za-z0-9_.-]+)+|[A-Za-z0-9_.-]+")
SSM_NAME_MAX = 1011  # a parameter name's limit in characters (SSM PutParameter)
KMS_KEY_ARN = LazyPattern(r"arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key/[A-Za-z0-9-]{1,128}")
SECRET_RULE = (
    "a Secrets Manager secret's complete ARN (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-XXXXXX), optionally "
    "followed by :JSON-KEY:VERSION-STAGE:VERSION-ID (each may be empty), or ssm:/PARAMETER/NAME"
)


@record
class SecretSource:
    """One secret: `value_from` is what ECS is given; `resource` is what the execution role may read (the ARN without suffix)."""

    name: str
    kind: str  # "secretsmanager" or "ssm"
    value_from: (
        str  # secretsmanager: the ARN as given; ssm: the parameter's path, "/..." (the ARN is built in the template)
    )
    resource: str  # secretsmanager: the secret's ARN; ssm: the same path


def parse_secrets(table: Table, env_pattern: LazyPattern, environment: dict[str, str]) -> tuple[SecretSource, ...]:
    secrets = table.table("secrets")
    sources = []
    for name, value in sorted(secrets.data.items()):
        if not env_pattern.fullmatch(name):
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
        path = path if path.startswith("/") else "/" + path
        return SecretSource(name, "ssm", path, path)
    match = SECRET_ARN.fullmatch(value)
    if match is None:
        raise table.fail(name, value, f"not a secret reference; expected {SECRET_RULE}")
    return SecretSource(name, "secretsmanager", value, match.group("arn"))


def parse_secrets_kms_key(table: Table, has_secrets: bool) -> str:
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
            "no container has secrets to decrypt with it; add secrets = { ... } to a [[task.containers]] or remove this key",
        )
    return key
