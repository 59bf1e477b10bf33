"""Container secrets: the `Secrets` of a container definition, and what the execution role needs to fetch them.

ECS reads each secret with the task's execution role when it starts the task (ECS developer guide, "Required IAM
permissions for Amazon ECS secrets"): secretsmanager:GetSecretValue on the secret, ssm:GetParameters on the
parameter, and kms:Decrypt on the key when the secret or parameter is encrypted with a customer managed key.
Each is granted on exactly the ARNs the config names, nothing more.
"""

from __future__ import annotations

from awacs import kms, secretsmanager, ssm
from awacs.aws import Allow, Statement
from troposphere import AWSHelperFn, Sub, ecs

from container_infra.config import TaskConfig
from container_infra.config.environment import SecretSource

SSM_PARAMETER_ARN = "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter"


def _parameter_arn(path: str) -> Sub:
    """The parameter's ARN in this stack's partition, Region and account; `path` starts with '/'."""
    return Sub(SSM_PARAMETER_ARN + path)  # config/environment.py lets no '$' into a path


def _value_from(source: SecretSource) -> str | AWSHelperFn:
    return _parameter_arn(source.value_from) if source.kind == "ssm" else source.value_from


def container_secrets(secrets: tuple[SecretSource, ...]) -> list[ecs.Secret]:
    return [ecs.Secret(Name=s.name, ValueFrom=_value_from(s)) for s in secrets]


def has_secrets(task: TaskConfig) -> bool:
    return any(c.secrets for c in task.containers)


def secret_statements(task: TaskConfig) -> list[Statement]:
    """The execution role's statements for the task's secrets; [] without any."""
    sources = [s for c in task.containers for s in c.secrets]
    if not sources:
        return []  # and no secrets_kms_key: the config refuses one without secrets
    secret_arns = sorted({s.resource for s in sources if s.kind == "secretsmanager"})
    parameter_paths = sorted({s.resource for s in sources if s.kind == "ssm"})
    parameter_arns = sorted({s.resource for s in sources if s.kind == "ssm-arn"})
    statements = []
    if secret_arns:
        statements.append(
            Statement(
                Sid="ReadTheSecrets",
                Effect=Allow,
                Action=[secretsmanager.GetSecretValue],
                Resource=secret_arns,
            )
        )
    if parameter_paths or parameter_arns:
        statements.append(
            Statement(
                Sid="ReadTheParameters",
                Effect=Allow,
                Action=[ssm.GetParameters],
                Resource=[*(_parameter_arn(p) for p in parameter_paths), *parameter_arns],
            )
        )
    if task.secrets_kms_key:
        statements.append(
            Statement(Sid="DecryptTheSecrets", Effect=Allow, Action=[kms.Decrypt], Resource=[task.secrets_kms_key])
        )
    return statements
